from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RetentionConfig(AppConfig):
    """Composition: the retention job and the legal hold over the apps that keep records."""

    name = "schakel.retention"
    verbose_name = _("Retention")
