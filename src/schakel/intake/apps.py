from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IntakeConfig(AppConfig):
    name = "schakel.intake"
    verbose_name = _("Signals")

    def ready(self) -> None:
        from . import navigation, policies  # noqa: F401  (registers policies and menu entries)
