from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InspectionsConfig(AppConfig):
    name = "schakel.inspections"
    verbose_name = _("Inspections")

    def ready(self) -> None:
        from . import navigation, policies  # noqa: F401  (registers the policy and the menu)
