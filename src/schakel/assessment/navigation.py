from django.utils.translation import gettext_lazy as _

from schakel.core.navigation import MenuGroup, MenuItem, register_menu_item
from schakel.core.policies import Action

from .policies import assessment_policy

register_menu_item(
    MenuItem(
        _("Policy self-assessment"),
        "assessment:list",
        lambda actor: assessment_policy.can(actor, Action.LIST),
        63,
        group=MenuGroup.FIGURES,
    )
)
