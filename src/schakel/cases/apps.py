from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CasesConfig(AppConfig):
    name = "schakel.cases"
    verbose_name = _("Cases")

    def ready(self) -> None:
        from . import navigation, policies  # noqa: F401  (registers policies and menu entries)
