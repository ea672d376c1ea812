from django.utils.translation import gettext_lazy as _

from schakel.core.navigation import MenuGroup, MenuItem, register_menu_item
from schakel.core.policies import Action

from .policies import case_policy

register_menu_item(
    MenuItem(
        _("Cases"),
        "cases:list",
        lambda a: case_policy.can(a, Action.LIST),
        40,
        group=MenuGroup.CASES,
    )
)
register_menu_item(
    MenuItem(
        _("Shared with me"),
        "cases:shared",
        lambda a: case_policy.can(a, Action.LIST),
        41,
        group=MenuGroup.CASES,
    )
)
