"""Deadlines count Dutch working days."""

from datetime import date

import pytest

from schakel.core.calendar import add_working_days, is_working_day


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (date(2026, 11, 27), True),  # a Friday
        (date(2026, 11, 28), False),  # Saturday
        (date(2026, 11, 29), False),  # Sunday
        (date(2026, 4, 6), False),  # Easter Monday
        (date(2026, 4, 27), False),  # King's Day
        (date(2026, 5, 14), False),  # Ascension Day
        (date(2026, 5, 25), False),  # Whit Monday
        (date(2026, 12, 25), False),  # Christmas
        (date(2026, 12, 28), True),
        (date(2025, 5, 5), False),  # Liberation Day, a lustrum year
        (date(2026, 5, 5), True),  # Liberation Day outside a lustrum year is a working day
        (date(2025, 4, 26), False),  # King's Day on a Saturday (27 April was a Sunday)
    ],
)
def test_working_days(day, expected):
    assert is_working_day(day) is expected


def test_five_working_days_from_a_thursday_before_christmas():
    # Thu 24 Dec 2026 → Fri 25 and Sat 26 are off, Sun 27 too: Mon 28, Tue 29, Wed 30, Thu 31,
    # Fri 1 Jan is New Year, so the fifth working day is Mon 4 Jan 2027.
    assert add_working_days(date(2026, 12, 24), 5) == date(2027, 1, 4)


def test_five_working_days_across_ascension():
    # Mon 11 May 2026 + 5 working days skips Ascension Day (Thu 14 May).
    assert add_working_days(date(2026, 5, 11), 5) == date(2026, 5, 19)


def test_zero_days_is_the_same_day_and_negative_is_refused():
    assert add_working_days(date(2026, 11, 28), 0) == date(2026, 11, 28)
    with pytest.raises(ValueError):
        add_working_days(date(2026, 11, 28), -1)
