from django.utils.translation import gettext_lazy as _

from schakel.core.navigation import MenuGroup, MenuItem, register_menu_item
from schakel.core.policies import Action

from .policies import care_map_policy, directory_policy, training_policy

for item in (
    MenuItem(
        _("Partner directory"),
        "network:directory",
        lambda a: directory_policy.can(a, Action.LIST),
        10,
        group=MenuGroup.NETWORK,
    ),
    MenuItem(
        _("Trainings"),
        "network:trainings",
        lambda a: training_policy.can(a, Action.LIST),
        20,
        group=MenuGroup.NETWORK,
    ),
    # The board reads who is trained and certified without keeping the sessions.
    MenuItem(
        _("Who is trained"),
        "network:training_status",
        lambda a: training_policy.can(a, Action.VIEW),
        25,
        group=MenuGroup.NETWORK,
    ),
    MenuItem(
        _("Care map"),
        "network:care_map",
        lambda a: care_map_policy.can(a, Action.LIST),
        30,
        group=MenuGroup.NETWORK,
    ),
):
    register_menu_item(item)
