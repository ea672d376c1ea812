from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AuditConfig(AppConfig):
    name = "schakel.audit"
    verbose_name = _("Audit log")

    def ready(self) -> None:
        from schakel.core.admin_site import change_recorders

        from . import navigation, policies  # noqa: F401  (registers policies and menu entries)
        from .services import record_administration

        change_recorders.append(record_administration)
