"""When a signal needs attention. Deadlines are derived, not stored: changing the configured
terms applies to every open signal at once. This module is the one place that says when a
signal is overdue: the queue, the signal page, 'Mijn acties', the start page and the reminders
all ask it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import lru_cache
from typing import Protocol

from django.conf import settings
from django.db.models import Q
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
    return _deadlines_on(
        timezone.localdate(reported_at),
        settings.SCHAKEL_FIRST_ACTION_WORKING_DAYS,
        settings.SCHAKEL_FEEDBACK_DAYS,
    )


@lru_cache(maxsize=4096)
def _deadlines_on(reported_on: date, working_days: int, feedback_days: int) -> SignalDeadlines:
    """Per day of report and terms: a page of signals reported on few days counts each once."""
    return SignalDeadlines(
        first_action_due=add_working_days(reported_on, working_days),
        feedback_due=reported_on + timedelta(days=feedback_days),
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


# --- The same rules as database filters, for the lists -------------------------------------------
# Each deadline only grows with the day a signal was reported, so "the deadline falls on or
# between two days" is "reported on or between two days": the lists filter on `reported_at`.


def _reported_on_between(first: date, last: date) -> Q:
    return Q(reported_at__gte=_start_of(first), reported_at__lt=_start_of(last + timedelta(1)))


def _first_action_reported_on(first_due: date, last_due: date) -> tuple[date, date] | None:
    """The days a signal may have been reported on for its first action to fall due between
    `first_due` and `last_due`; None when no day gives such a deadline."""
    days = settings.SCHAKEL_FIRST_ACTION_WORKING_DAYS
    # N working days span N to 3N + 14 calendar days (weekends, Christmas, Easter).
    earliest = first_due - timedelta(days=3 * days + 14)
    span = (last_due - timedelta(days=days) - earliest).days
    candidates = [earliest + timedelta(days=offset) for offset in range(span + 1)]
    fitting = [d for d in candidates if first_due <= add_working_days(d, days) <= last_due]
    return (min(fitting), max(fitting)) if fitting else None


def first_action_overdue_q(today: date | None = None) -> Q:
    """`first_action_overdue` as a filter: new, and the last working day has passed."""
    return Q(status=SignalStatus.NEW, reported_at__lt=first_action_overdue_before(today))


def feedback_overdue_q(today: date | None = None) -> Q:
    """`feedback_overdue` as a filter: open, no feedback, and its day has passed."""
    return (
        ~Q(status=SignalStatus.CLOSED)
        & Q(feedback_at__isnull=True)
        & Q(reported_at__lt=feedback_overdue_before(today))
    )


def overdue_q(today: date | None = None) -> Q:
    """`DeadlineState.overdue` as a filter."""
    return first_action_overdue_q(today) | feedback_overdue_q(today)


def due_between_q(first: date, last: date) -> Q:
    """A deadline still open falls between `first` and `last`: the first action of a new signal,
    or the feedback of an open signal without feedback."""
    feedback_days = timedelta(days=settings.SCHAKEL_FEEDBACK_DAYS)
    feedback = (
        ~Q(status=SignalStatus.CLOSED)
        & Q(feedback_at__isnull=True)
        & _reported_on_between(first - feedback_days, last - feedback_days)
    )
    reported_on = _first_action_reported_on(first, last)
    if reported_on is None:
        return feedback
    return feedback | (Q(status=SignalStatus.NEW) & _reported_on_between(*reported_on))


def due_this_week_q(today: date | None = None) -> Q:
    """A deadline falls between today and Sunday."""
    today = today or timezone.localdate()
    return due_between_q(today, today + timedelta(days=6 - today.weekday()))
