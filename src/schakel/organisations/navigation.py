from django.utils.translation import gettext_lazy as _

from schakel.core.navigation import (
    HomePanel,
    MenuGroup,
    MenuItem,
    register_home_panel,
    register_menu_item,
)
from schakel.core.policies import Action

from .choices import Role
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
# The board viewer reads the municipality's figures, never case data. Until the monitoring
# dashboard exists, the start page says what it will show.
register_home_panel(
    HomePanel(
        "organisations/partials/board_dashboard.html",
        lambda actor: actor.has_role(Role.BOARD_VIEWER),
        10,
    )
)
