from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DemoConfig(AppConfig):
    """Composition: the fictional demo region, loaded through every app's services."""

    name = "schakel.demo"
    verbose_name = _("Demo region")
