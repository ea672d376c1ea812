"""Working days for deadlines: Monday to Friday, minus Dutch public holidays.

The holidays come from the `holidays` package (NL): New Year, Good Friday, Easter, King's Day,
Liberation Day in lustrum years, Ascension, Whitsun and Christmas. Dates are local
(Europe/Amsterdam) calendar dates; convert stored UTC times with timezone.localdate() first.
"""

from __future__ import annotations

from datetime import date, timedelta
from functools import lru_cache

import holidays


@lru_cache(maxsize=64)
def _holidays(year: int) -> frozenset[date]:
    return frozenset(holidays.country_holidays("NL", years=year))


def is_working_day(day: date) -> bool:
    return day.weekday() < 5 and day not in _holidays(day.year)


def add_working_days(start: date, days: int) -> date:
    """The date `days` working days after `start` (start itself does not count)."""
    if days < 0:
        raise ValueError("days must be zero or more")
    current = start
    while days:
        current += timedelta(days=1)
        if is_working_day(current):
            days -= 1
    return current


def working_days_between(start: date, end: date) -> int:
    """How many working days after `start` up to and including `end` (0 on the same day, and
    for an `end` before `start`): the figures' "time from report to pick-up"."""
    days, current = 0, start
    while current < end:
        current += timedelta(days=1)
        days += is_working_day(current)
    return days
