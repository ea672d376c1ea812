from django.utils.translation import gettext_lazy as _

from schakel.core.navigation import MenuGroup, MenuItem, register_menu_item
from schakel.core.policies import Action

from .policies import hit_policy, involvement_policy

register_menu_item(
    MenuItem(
        _("Hit/no-hit lookup"),
        "matching:lookup",
        lambda a: involvement_policy.can(a, Action.VIEW),
        40,
        group=MenuGroup.MATCHING,
    )
)
register_menu_item(
    MenuItem(
        _("My hits"),
        "matching:hits",
        lambda a: hit_policy.can(a, Action.LIST),
        41,
        group=MenuGroup.MATCHING,
    )
)
register_menu_item(
    MenuItem(
        _("Registered involvements"),
        "matching:registrations",
        lambda a: involvement_policy.can(a, Action.LIST),
        42,
        group=MenuGroup.MATCHING,
    )
)
