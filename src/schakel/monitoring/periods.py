"""The period a set of figures covers: a calendar year (the default: this year up to today), or
for the AF roles any run of whole months."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.utils import formats, timezone
from django.utils.translation import gettext as _


@dataclass(frozen=True)
class Period:
    """From `start` up to and including `end` (local calendar dates)."""

    start: date
    end: date

    @classmethod
    def year(cls, year: int, *, today: date | None = None) -> Period:
        """The calendar year; the current one up to today."""
        today = today or timezone.localdate()
        end = date(year, 12, 31)
        return cls(date(year, 1, 1), min(end, today) if year == today.year else end)

    @classmethod
    def published_year(cls, year: int, *, today: date | None = None) -> Period | None:
        """The year as readers outside the AF see it: the current year only up to the end of
        the last full month, so its figures change once a month, not with every signal
        (docs/privacy.md). None for a current year without a full month yet."""
        today = today or timezone.localdate()
        if year < today.year:
            return cls.year(year, today=today)
        if year > today.year or today.month == 1:
            return None
        return cls(date(year, 1, 1), today.replace(day=1) - timedelta(days=1))

    @classmethod
    def months_of(cls, year: int, first: int, last: int, *, today: date | None = None) -> Period:
        """Whole months `first` to `last` of the year (the current month up to today)."""
        today = today or timezone.localdate()
        end = (date(year, last, 28) + timedelta(days=4)).replace(day=1) - timedelta(days=1)
        return cls(date(year, first, 1), min(end, max(today, date(year, first, 1))))

    def previous(self) -> Period:
        """The same stretch one year earlier: the trend compares like with like."""
        return Period(_year_earlier(self.start), _year_earlier(self.end))

    @property
    def is_calendar_year(self) -> bool:
        return self.start.month == 1 and self.start.day == 1 and self.start.year == self.end.year

    def months(self) -> list[date]:
        """The first day of each month the period touches."""
        first, months = self.start.replace(day=1), []
        while first <= self.end:
            months.append(first)
            first = (first + timedelta(days=32)).replace(day=1)
        return months

    def bounds(self) -> tuple[datetime, datetime]:
        """[start, end) as aware datetimes, for filtering stored UTC timestamps."""
        zone = timezone.get_current_timezone()
        return (
            datetime.combine(self.start, time.min, tzinfo=zone),
            datetime.combine(self.end + timedelta(days=1), time.min, tzinfo=zone),
        )

    @property
    def label(self) -> str:
        if self.is_calendar_year and self.end == date(self.end.year, 12, 31):
            return str(self.start.year)
        if self.is_calendar_year:
            return _("%(year)s up to %(end)s") % {
                "year": self.start.year,
                "end": formats.date_format(self.end, "j M"),
            }
        return _("%(start)s to %(end)s") % {
            "start": self.start.strftime("%d-%m-%Y"),
            "end": self.end.strftime("%d-%m-%Y"),
        }


def _year_earlier(day: date) -> date:
    try:
        return day.replace(year=day.year - 1)
    except ValueError:  # 29 February
        return day.replace(year=day.year - 1, day=28)
