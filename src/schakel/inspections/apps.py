from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InspectionsConfig(AppConfig):
    name = "schakel.inspections"
    verbose_name = _("Inspections")

    def ready(self) -> None:
        # registers the policy, the menu and how its step reads on a case timeline
        from . import events, navigation, policies  # noqa: F401
