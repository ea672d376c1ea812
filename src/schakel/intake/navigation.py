from __future__ import annotations

from typing import TYPE_CHECKING

from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from schakel.core.navigation import MenuGroup, MenuItem, TileFigure, register_menu_item
from schakel.core.policies import Action

from .policies import signal_policy

if TYPE_CHECKING:
    from schakel.core.context import AccessContext


def queue_figures(context: AccessContext) -> list[TileFigure]:
    from .selectors import signal_counts

    counts = signal_counts(context)
    figures = [
        TileFigure(
            counts.new,
            ngettext("%(count)d new signal", "%(count)d new signals", counts.new)
            % {"count": counts.new},
        )
    ]
    if counts.overdue:
        figures.append(
            TileFigure(
                counts.overdue,
                ngettext("%(count)d overdue", "%(count)d overdue", counts.overdue)
                % {"count": counts.overdue},
                urgent=True,
            )
        )
    return figures


register_menu_item(
    MenuItem(
        _("New signals"),
        "intake:queue",
        lambda a: signal_policy.can(a, Action.LIST),
        10,
        figures=queue_figures,
        group=MenuGroup.SIGNALS,
    )
)
register_menu_item(
    MenuItem(
        _("Report a signal"),
        "intake:report",
        lambda a: signal_policy.can(a, Action.CREATE),
        20,
        group=MenuGroup.SIGNALS,
    )
)
register_menu_item(
    MenuItem(
        _("My reports"),
        "intake:mine",
        lambda a: signal_policy.can(a, Action.CREATE),
        30,
        group=MenuGroup.SIGNALS,
    )
)
