from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from schakel.cases.policies import case_policy
from schakel.core.context import AccessContext
from schakel.core.navigation import MenuGroup, MenuItem, TileFigure, register_menu_item
from schakel.core.policies import Action
from schakel.intake.selectors import signal_counts


def action_figures(context: AccessContext) -> list[TileFigure]:
    """Only what can be counted without reading case data: the overdue new signals (the other
    parts of 'Mijn acties' are read, and audited, when the page itself is opened)."""
    overdue = signal_counts(context).overdue
    if not overdue:
        return []
    text = ngettext(
        "%(count)d new signal past its deadline",
        "%(count)d new signals past their deadline",
        overdue,
    ) % {"count": overdue}
    return [TileFigure(overdue, text, urgent=True)]


register_menu_item(
    MenuItem(
        _("My actions"),
        "worklist:actions",
        lambda a: case_policy.can(a, Action.LIST),
        39,
        figures=action_figures,
        group=MenuGroup.CASES,
    )
)
