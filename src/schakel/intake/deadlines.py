"""When a signal needs attention. Deadlines are derived, not stored: changing the configured
terms applies to every open signal at once."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.conf import settings
from django.utils import timezone

from schakel.core.calendar import add_working_days

from .choices import SignalStatus


@dataclass(frozen=True)
class SignalDeadlines:
    first_action_due: date
    feedback_due: date


def deadlines_for(reported_at: datetime) -> SignalDeadlines:
    reported_on = timezone.localdate(reported_at)
    return SignalDeadlines(
        first_action_due=add_working_days(reported_on, settings.SCHAKEL_FIRST_ACTION_WORKING_DAYS),
        feedback_due=reported_on + timedelta(days=settings.SCHAKEL_FEEDBACK_DAYS),
    )


def first_action_overdue(*, status: str, reported_at: datetime, today: date | None = None) -> bool:
    """A new signal that nobody has picked up by the end of its last working day."""
    today = today or timezone.localdate()
    return status == SignalStatus.NEW and today > deadlines_for(reported_at).first_action_due
