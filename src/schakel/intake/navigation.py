from django.utils.translation import gettext_lazy as _

from schakel.core.navigation import MenuItem, register_menu_item
from schakel.core.policies import Action

from .policies import signal_policy

register_menu_item(
    MenuItem(_("New signals"), "intake:queue", lambda a: signal_policy.can(a, Action.LIST), 10)
)
register_menu_item(
    MenuItem(
        _("Report a signal"), "intake:report", lambda a: signal_policy.can(a, Action.CREATE), 20
    )
)
register_menu_item(
    MenuItem(_("My reports"), "intake:mine", lambda a: signal_policy.can(a, Action.CREATE), 30)
)
