from django.utils.translation import gettext_lazy as _

from schakel.core.navigation import MenuGroup, MenuItem, register_menu_item
from schakel.core.policies import Action
from schakel.intake.policies import subject_access_policy

register_menu_item(
    MenuItem(
        _("Requests of persons concerned"),
        "privacy:subjects",
        lambda a: subject_access_policy.can(a, Action.LIST),
        82,
        group=MenuGroup.ADMINISTRATION,
    )
)
