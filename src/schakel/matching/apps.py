from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MatchingConfig(AppConfig):
    name = "schakel.matching"
    verbose_name = _("Hit/no-hit registry")

    def ready(self) -> None:
        from . import navigation, policies  # noqa: F401  (registers policies and menu entries)
