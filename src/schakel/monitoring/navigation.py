from django.utils.translation import gettext_lazy as _

from schakel.cases.policies import victim_registration_policy
from schakel.core.navigation import MenuGroup, MenuItem, register_menu_item
from schakel.core.policies import Action

from .policies import figures_policy
from .report_policy import annual_report_policy

register_menu_item(
    MenuItem(
        _("Figures"),
        "monitoring:dashboard",
        lambda actor: figures_policy.can(actor, Action.VIEW),
        60,
        group=MenuGroup.FIGURES,
    )
)
register_menu_item(
    MenuItem(
        _("Annual report"),
        "monitoring:report_index",
        lambda actor: annual_report_policy.can(actor, Action.LIST),
        61,
        group=MenuGroup.FIGURES,
    )
)
register_menu_item(
    MenuItem(
        _("CoMensha registration"),
        "monitoring:comensha",
        lambda actor: victim_registration_policy.can(actor, Action.LIST),
        62,
        group=MenuGroup.FIGURES,
    )
)
