from django.utils.translation import gettext_lazy as _

from schakel.core.navigation import MenuGroup, MenuItem, register_menu_item
from schakel.core.policies import Action

from .policies import inspection_policy

register_menu_item(
    MenuItem(
        _("Inspections"),
        "inspections:list",
        lambda a: inspection_policy.can(a, Action.LIST),
        45,
        group=MenuGroup.CASES,
    )
)
