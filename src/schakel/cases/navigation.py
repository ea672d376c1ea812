from __future__ import annotations

from typing import TYPE_CHECKING

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from schakel.core.navigation import MenuGroup, MenuItem, TileFigure, register_menu_item
from schakel.core.policies import Action

from .choices import CaseStatus
from .policies import case_policy

if TYPE_CHECKING:
    from schakel.core.context import AccessContext


def case_figures(context: AccessContext) -> list[TileFigure]:
    """The open cases the actor sees, and how many of those they work on lie still."""
    from .selectors import case_work_counts, open_case_count

    open_cases = open_case_count(context)
    figures = [
        TileFigure(
            open_cases,
            ngettext("%(count)d open case", "%(count)d open cases", open_cases)
            % {"count": open_cases},
            url=f"{reverse('cases:list')}?status={CaseStatus.OPEN}",
        )
    ]
    inactive = case_work_counts(context).inactive
    if inactive:
        figures.append(
            TileFigure(
                inactive,
                ngettext(
                    "%(count)d without recent activity",
                    "%(count)d without recent activity",
                    inactive,
                )
                % {"count": inactive},
                url=f"{reverse('worklist:actions')}?soort=stil",
            )
        )
    return figures


register_menu_item(
    MenuItem(
        _("Cases"),
        "cases:list",
        lambda a: case_policy.can(a, Action.LIST),
        40,
        figures=case_figures,
        group=MenuGroup.CASES,
    )
)
register_menu_item(
    MenuItem(
        _("Shared with me"),
        "cases:shared",
        lambda a: case_policy.can(a, Action.LIST),
        41,
        group=MenuGroup.CASES,
    )
)
