from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OrganisationsConfig(AppConfig):
    name = "schakel.organisations"
    verbose_name = _("Organisations and people")

    def ready(self) -> None:
        from schakel.core.policies import set_membership_source

        from . import navigation, policies  # noqa: F401  (registers policies and menu)
        from .selectors import membership_facts

        set_membership_source(membership_facts)
