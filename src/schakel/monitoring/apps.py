from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MonitoringConfig(AppConfig):
    name = "schakel.monitoring"
    verbose_name = _("Monitoring")

    def ready(self) -> None:
        # registers the policy and the menu
        from . import navigation, policies, report_policy  # noqa: F401
