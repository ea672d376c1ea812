from django.utils.translation import gettext_lazy as _

from schakel.core.navigation import MenuGroup, MenuItem, register_menu_item
from schakel.core.policies import Action

from .policies import audit_event_policy

register_menu_item(
    MenuItem(
        _("Audit log"),
        "audit:log",
        lambda a: audit_event_policy.can(a, Action.LIST),
        80,
        group=MenuGroup.ADMINISTRATION,
    )
)
