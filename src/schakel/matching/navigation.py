from __future__ import annotations

from typing import TYPE_CHECKING

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from schakel.core.navigation import MenuGroup, MenuItem, TileFigure, register_menu_item
from schakel.core.policies import Action

from .policies import hit_policy, involvement_policy

if TYPE_CHECKING:
    from schakel.core.context import AccessContext


def hit_figures(context: AccessContext) -> list[TileFigure]:
    """The follow-up tasks of confirmed hits (matching.HitTask, one per organisation and hit)
    that are not yet coordinated."""
    from .selectors import hit_tasks_to_follow_up

    count = hit_tasks_to_follow_up(context)
    if not count:
        return []
    return [
        TileFigure(
            count,
            ngettext("%(count)d hit to follow up", "%(count)d hits to follow up", count)
            % {"count": count},
            url=reverse("matching:hits"),
        )
    ]


register_menu_item(
    MenuItem(
        _("Hit/no-hit lookup"),
        "matching:lookup",
        lambda a: involvement_policy.can(a, Action.VIEW),
        40,
        group=MenuGroup.MATCHING,
    )
)
register_menu_item(
    MenuItem(
        _("My hits"),
        "matching:hits",
        lambda a: hit_policy.can(a, Action.LIST),
        41,
        figures=hit_figures,
        group=MenuGroup.MATCHING,
    )
)
register_menu_item(
    MenuItem(
        _("Registered involvements"),
        "matching:registrations",
        lambda a: involvement_policy.can(a, Action.LIST),
        42,
        group=MenuGroup.MATCHING,
    )
)
