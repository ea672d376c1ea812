"""The rules on trainings (DOMAIN.md §10), as pure functions of dates and counts so the tests
can state them exactly:

- A training counts for the organisations that attended it from the day it was held up to and
  including the day a repeat is due (held on + the municipality's interval in months); from the
  day after, it has lapsed and the repeat is overdue.
- A hotel or holiday park is certified while the participants of its trainings that still count
  are at least 60% of its staff (integer arithmetic: trained × 100 ≥ 60 × staff). Its
  certification lapses on the first day on which, as the older trainings lapse, they no longer
  reach that share. Participants are counted per training: two trainings of the same people
  count twice (Schakel records numbers, not names).
- A subsidised care partner meets the quality framework when it has a training that counts, its
  own aandachtsfunctionaris and a seat in the Expertgroep; each is shown met or not met.
"""

from __future__ import annotations

import calendar
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta

CERTIFICATION_PERCENT = 60


def add_months(day: date, months: int) -> date:
    """The same day `months` later; the month's last day where it is shorter (31 Jan + 1 = 28
    or 29 Feb)."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def repeat_due_on(held_on: date, months: int) -> date:
    """The last day a training counts: a repeat is due then."""
    return add_months(held_on, months)


def counts_on(held_on: date, months: int, today: date) -> bool:
    return held_on <= today <= repeat_due_on(held_on, months)


@dataclass(frozen=True)
class TrainingState:
    """Whether an organisation is trained, and when its repeat is due."""

    last_held_on: date | None
    due_on: date | None
    trained: bool  # a training still counts today
    overdue: bool  # it had a training, and the repeat is past due

    @property
    def never_trained(self) -> bool:
        return self.last_held_on is None


def training_state(held: Iterable[date], months: int, today: date) -> TrainingState:
    past = [day for day in held if day <= today]
    if not past:
        return TrainingState(None, None, trained=False, overdue=False)
    last = max(past)
    due = repeat_due_on(last, months)
    return TrainingState(last, due, trained=today <= due, overdue=today > due)


@dataclass(frozen=True)
class Certification:
    """A hotel's or holiday park's certification on a day."""

    staff: int | None
    trained: int  # participants of the trainings that still count
    lapses_on: date | None  # the first day it is no longer certified (None: not certified now)

    @property
    def assessable(self) -> bool:
        return self.staff is not None and self.staff > 0

    @property
    def certified(self) -> bool:
        return self.assessable and reaches(self.trained, self.staff or 0)

    @property
    def percent(self) -> int | None:
        """The share trained, rounded down (for display; the rule uses `reaches`)."""
        if not self.assessable or self.staff is None:
            return None
        return self.trained * 100 // self.staff


def reaches(trained: int, staff: int) -> bool:
    return trained * 100 >= CERTIFICATION_PERCENT * staff


def certification(
    attendances: Iterable[tuple[date, int]], staff: int | None, months: int, today: date
) -> Certification:
    """From (held on, participants) of an organisation's trainings: how many still count and,
    when that reaches 60% of the staff, the day the certification lapses."""
    valid = [
        (repeat_due_on(held, months), n)
        for held, n in attendances
        if counts_on(held, months, today)
    ]
    trained = sum(n for _, n in valid)
    if staff is None or staff <= 0 or not reaches(trained, staff):
        return Certification(staff, trained, None)
    remaining = trained
    for due in sorted({due for due, _ in valid}):
        remaining -= sum(n for d, n in valid if d == due)
        if not reaches(remaining, staff):
            return Certification(staff, trained, due + timedelta(days=1))
    raise AssertionError("unreachable: with every training lapsed, nobody counts")


@dataclass(frozen=True)
class QualityFramework:
    """The quality framework of a subsidised care partner (DOMAIN.md §9): each part met or not."""

    basic_training: bool
    own_af: bool
    expertgroep: bool

    @property
    def met(self) -> bool:
        return self.basic_training and self.own_af and self.expertgroep
