"""When a signal needs attention. Deadlines are derived, not stored: changing the configured
terms applies to every open signal at once. This module is the one place that says when a
signal is overdue: the queue, the signal page, 'Mijn acties', the start page and the reminders
all ask it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Protocol

from django.conf import settings
from django.utils import timezone

from schakel.core.calendar import add_working_days

from .choices import SignalStatus


class Timed(Protocol):
    """What the deadlines depend on: a signal, or anything shaped like one."""

    status: str
    reported_at: datetime
    feedback_at: datetime | None


@dataclass(frozen=True)
class SignalDeadlines:
    first_action_due: date
    feedback_due: date


@dataclass(frozen=True)
class DeadlineState:
    """A signal's deadlines and which of them have passed, on one day."""

    deadlines: SignalDeadlines
    first_action_overdue: bool
    feedback_overdue: bool

    @property
    def overdue(self) -> bool:
        return self.first_action_overdue or self.feedback_overdue


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


def feedback_overdue(
    *, status: str, reported_at: datetime, feedback_at: datetime | None, today: date | None = None
) -> bool:
    """An open signal whose reporter got no feedback (nor the reason why not) in time."""
    today = today or timezone.localdate()
    return (
        status != SignalStatus.CLOSED
        and feedback_at is None
        and today > deadlines_for(reported_at).feedback_due
    )


def deadline_state(signal: Timed, today: date | None = None) -> DeadlineState:
    today = today or timezone.localdate()
    return DeadlineState(
        deadlines=deadlines_for(signal.reported_at),
        first_action_overdue=first_action_overdue(
            status=signal.status, reported_at=signal.reported_at, today=today
        ),
        feedback_overdue=feedback_overdue(
            status=signal.status,
            reported_at=signal.reported_at,
            feedback_at=signal.feedback_at,
            today=today,
        ),
    )


def _start_of(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, datetime.min.time()))


def first_action_due_by(day: date) -> datetime:
    """The exact bound for the database: a signal reported before this moment has its
    first-action deadline on `day` or earlier, one reported at or after it later. Walks back
    over the days (never over signals): the deadline never falls earlier for a later report."""
    working_days = settings.SCHAKEL_FIRST_ACTION_WORKING_DAYS
    first_later = day + timedelta(days=1)  # its deadline lies after `day` whatever the term
    while add_working_days(first_later - timedelta(days=1), working_days) > day:
        first_later -= timedelta(days=1)
    return _start_of(first_later)


def first_action_overdue_before(today: date | None = None) -> datetime:
    """A new signal reported before this moment is past its first-action deadline today."""
    today = today or timezone.localdate()
    return first_action_due_by(today - timedelta(days=1))


def feedback_overdue_before(today: date | None = None) -> datetime:
    """An open signal reported before this moment, without feedback, is past its feedback term."""
    today = today or timezone.localdate()
    return _start_of(today - timedelta(days=settings.SCHAKEL_FEEDBACK_DAYS))
