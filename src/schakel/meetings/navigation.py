from django.utils.translation import gettext_lazy as _

from schakel.core.navigation import MenuGroup, MenuItem, register_menu_item
from schakel.core.policies import Action

from .policies import meeting_policy

register_menu_item(
    MenuItem(
        _("Meetings"),
        "meetings:list",
        lambda a: meeting_policy.can(a, Action.LIST),
        40,
        group=MenuGroup.MEETINGS,
    )
)
