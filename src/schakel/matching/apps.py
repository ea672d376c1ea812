from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MatchingConfig(AppConfig):
    name = "schakel.matching"
    verbose_name = _("Hit/no-hit registry")

    def ready(self) -> None:
        from . import case_hooks, navigation, policies  # noqa: F401  (policies, menu entries)

        case_hooks.connect()
