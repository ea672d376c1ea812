from __future__ import annotations

from typing import TYPE_CHECKING

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from schakel.core.navigation import MenuGroup, MenuItem, TileFigure, register_menu_item
from schakel.core.policies import Action

from .policies import meeting_policy

if TYPE_CHECKING:
    from schakel.core.context import AccessContext


def meeting_figures(context: AccessContext) -> list[TileFigure]:
    from .selectors import meetings_this_week

    count = meetings_this_week(context)
    return [
        TileFigure(
            count,
            ngettext("%(count)d meeting this week", "%(count)d meetings this week", count)
            % {"count": count},
            url=reverse("meetings:list"),
        )
    ]


register_menu_item(
    MenuItem(
        _("Meetings"),
        "meetings:list",
        lambda a: meeting_policy.can(a, Action.LIST),
        40,
        figures=meeting_figures,
        group=MenuGroup.MEETINGS,
    )
)
