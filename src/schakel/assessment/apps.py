from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AssessmentConfig(AppConfig):
    name = "schakel.assessment"
    verbose_name = _("Policy self-assessment")

    def ready(self) -> None:
        # registers the policy and the menu entry
        from . import navigation, policies  # noqa: F401
