from django.utils.translation import gettext_lazy as _

from schakel.core.navigation import MenuGroup, MenuItem, register_menu_item
from schakel.core.policies import Action

from .policies import rights_review_policy

register_menu_item(
    MenuItem(
        _("Rights review"),
        "accounts:rights_review",
        lambda actor: rights_review_policy.can(actor, Action.LIST),
        85,
        group=MenuGroup.ADMINISTRATION,
    )
)
