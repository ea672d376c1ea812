from django.utils.translation import gettext_lazy as _

from schakel.cases.policies import case_policy
from schakel.core.navigation import MenuItem, register_menu_item
from schakel.core.policies import Action

register_menu_item(
    MenuItem(_("My actions"), "worklist:actions", lambda a: case_policy.can(a, Action.LIST), 5)
)
