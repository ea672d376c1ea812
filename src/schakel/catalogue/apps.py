from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CatalogueConfig(AppConfig):
    name = "schakel.catalogue"
    verbose_name = _("Indicators and exploitation forms")

    def ready(self) -> None:
        from . import policies  # noqa: F401  (registers the policies)
