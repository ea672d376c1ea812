from __future__ import annotations

from typing import TYPE_CHECKING

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from schakel.core.navigation import MenuGroup, MenuItem, TileFigure, register_menu_item
from schakel.core.policies import Action

from .choices import SignalStatus
from .policies import signal_policy

if TYPE_CHECKING:
    from schakel.core.context import AccessContext


def queue_figures(context: AccessContext) -> list[TileFigure]:
    """The reporting point's queue: what is new, what is late, what is due today."""
    from .selectors import signal_counts

    counts = signal_counts(context)
    queue = reverse("intake:queue")
    figures = [
        TileFigure(
            counts.new,
            ngettext("%(count)d new signal", "%(count)d new signals", counts.new)
            % {"count": counts.new},
            url=f"{queue}?status={SignalStatus.NEW}",
        )
    ]
    if counts.overdue:
        figures.append(
            TileFigure(
                counts.overdue,
                ngettext(
                    "%(count)d past the first-action deadline",
                    "%(count)d past the first-action deadline",
                    counts.overdue,
                )
                % {"count": counts.overdue},
                urgent=True,
                url=f"{queue}?termijn=verlopen",
            )
        )
    if counts.due_today:
        figures.append(
            TileFigure(
                counts.due_today,
                ngettext(
                    "%(count)d with its first action due today",
                    "%(count)d with their first action due today",
                    counts.due_today,
                )
                % {"count": counts.due_today},
                url=f"{queue}?status={SignalStatus.NEW}",
            )
        )
    if counts.feedback_overdue:
        figures.append(
            TileFigure(
                counts.feedback_overdue,
                ngettext(
                    "%(count)d reporter waits for feedback past its term",
                    "%(count)d reporters wait for feedback past its term",
                    counts.feedback_overdue,
                )
                % {"count": counts.feedback_overdue},
                urgent=True,
                url=queue,
            )
        )
    return figures


def my_reports_figures(context: AccessContext) -> list[TileFigure]:
    from .selectors import reports_awaiting_feedback

    waiting = reports_awaiting_feedback(context)
    if not waiting:
        return []
    return [
        TileFigure(
            waiting,
            ngettext(
                "%(count)d of my reports awaits feedback",
                "%(count)d of my reports await feedback",
                waiting,
            )
            % {"count": waiting},
            url=reverse("intake:mine"),
        )
    ]


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
        figures=my_reports_figures,
        group=MenuGroup.SIGNALS,
    )
)
