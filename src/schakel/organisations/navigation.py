from django.utils.translation import gettext_lazy as _

from schakel.core.navigation import MenuGroup, MenuItem, register_menu_item
from schakel.core.policies import Action

from .policies import reference_data_policy

register_menu_item(
    MenuItem(
        _("Administration"),
        "admin:index",
        lambda actor: reference_data_policy.can(actor, Action.CHANGE),
        90,
        group=MenuGroup.ADMINISTRATION,
    )
)
