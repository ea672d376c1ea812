"""The inspection's states: planned → held (findings recorded, from the planned date on) →
evaluated (final)."""

from __future__ import annotations

from datetime import date

from django.utils.translation import gettext as _

from schakel.core.workflow import TransitionRefused, check

from .choices import InspectionStatus

__all__ = ["INSPECTION_TRANSITIONS", "TransitionRefused", "check", "guard_findings"]

INSPECTION_TRANSITIONS: dict[InspectionStatus, frozenset[InspectionStatus]] = {
    InspectionStatus.PLANNED: frozenset({InspectionStatus.HELD}),
    InspectionStatus.HELD: frozenset({InspectionStatus.EVALUATED}),
    InspectionStatus.EVALUATED: frozenset(),
}


def guard_findings(*, planned_on: date, today: date) -> None:
    """Findings are what was seen: they are recorded from the planned date on, not before."""
    if today < planned_on:
        raise TransitionRefused(
            _(
                "The findings can be recorded from the planned date on (%(date)s): the "
                "inspection has not taken place yet."
            )
            % {"date": f"{planned_on:%d-%m-%Y}"}
        )
