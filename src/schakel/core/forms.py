"""Form fields shared by the apps."""

from __future__ import annotations

import re
import unicodedata
from datetime import date, datetime
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

# A date is stored or searched as a moment in UTC: near the ends of the calendar (year 1, year
# 9999) the conversion, or the day added to an end date, leaves it and raises OverflowError.
FIRST_YEAR, LAST_YEAR = 1900, 9998


def _in_calendar(field: forms.Field, value: date | datetime | None) -> None:
    if value is not None and not FIRST_YEAR <= value.year <= LAST_YEAR:
        raise ValidationError(field.error_messages["invalid"], code="invalid")


class CalendarDateField(forms.DateField):
    """A date between 1900 and 9998; anything else is not a valid date."""

    def to_python(self, value: Any) -> date | None:
        result = super().to_python(value)
        _in_calendar(self, result)
        return result


class CalendarDateTimeField(forms.DateTimeField):
    """A date and time between 1900 and 9998; anything else is not a valid date and time."""

    def to_python(self, value: Any) -> datetime | None:
        result = super().to_python(value)
        _in_calendar(self, result)
        return result


# Characters a paste from a word processor or a phone keyboard hides in a date: zero-width
# spaces and joiners, the byte-order mark, the soft hyphen.
_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff\u00ad"))
# Every dash and minus a keyboard or an autocorrect makes of "-".
_DASHES = dict.fromkeys(map(ord, "\u2010\u2011\u2012\u2013\u2014\u2015\u2212\ufe63"), "-")
MONTHS = {
    name: number
    for number, names in enumerate(
        (
            ("januari", "jan", "january"),
            ("februari", "feb", "february"),
            ("maart", "mrt", "mar", "march"),
            ("april", "apr"),
            ("mei", "may"),
            ("juni", "jun", "june"),
            ("juli", "jul", "july"),
            ("augustus", "aug", "august"),
            ("september", "sep", "sept"),
            ("oktober", "okt", "oct", "october"),
            ("november", "nov"),
            ("december", "dec"),
        ),
        start=1,
    )
    for name in names
}
_ISO = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")
_NUMERIC = re.compile(r"(\d{1,2})([-/.])(\d{1,2})\2(\d{1,4})")
_WRITTEN = re.compile(r"(\d{1,2})\.? ?([^\W\d_]+)\.? ?(\d{1,4})")


def normalise_date_text(text: str) -> str:
    """What the reader meant: full-width digits as digits (NFKC), invisible characters gone,
    every dash a hyphen, one space between words, lower case."""
    text = unicodedata.normalize("NFKC", text).translate(_INVISIBLE).translate(_DASHES)
    return " ".join(text.split()).lower()


def parse_dutch_date(text: str) -> tuple[int, int, int] | None:
    """(year, month, day) as written: day-month-year with -, / or ., a written or shortened
    month name (Dutch or English), or ISO year-month-day; None when it reads as none of them.
    Whether the day exists is the caller's question."""
    text = normalise_date_text(text)
    if match := _ISO.fullmatch(text):
        year, month, day = match.groups()
        return int(year), int(month), int(day)
    if match := _NUMERIC.fullmatch(text):
        day, _separator, month, year = match.groups()
        return int(year), int(month), int(day)
    if (match := _WRITTEN.fullmatch(text)) and match[2] in MONTHS:
        return int(match[3]), MONTHS[match[2]], int(match[1])
    return None


class DutchDateField(forms.DateField):
    """A date typed the way people in the Netherlands write it (3-12-2026, 3/12/2026,
    3.12.2026, 3 december 2026, 3 dec 2026) or as ISO (2026-12-03). A text box, not the
    browser's date picker: its format follows the browser's language, not the page's, and it
    cannot take a month name."""

    widget = forms.DateInput(format="%d-%m-%Y", attrs={"autocomplete": "off"})
    default_error_messages = {
        "invalid": _("Enter a date as day-month-year, for example 17-12-2026."),
        "no_such_day": _("That date does not exist: check the day and the month."),
        "year": _("Enter a year between %(first)s and %(last)s, written in full."),
    }

    def __init__(self, *, help_text: Any = "", **kwargs: Any) -> None:
        hint = _("For example 17-12-2026.")
        super().__init__(
            help_text=format_lazy("{} {}", help_text, hint) if help_text else hint, **kwargs
        )

    def to_python(self, value: Any) -> date | None:
        if value in self.empty_values:
            return None
        if isinstance(value, datetime):
            return value.date()
        if isinstance(value, date):
            return value
        if not normalise_date_text(str(value)):
            return None  # only spaces or invisible characters: nothing was typed
        parts = parse_dutch_date(str(value))
        if parts is None:
            raise ValidationError(self.error_messages["invalid"], code="invalid")
        year, month, day = parts
        if not FIRST_YEAR <= year <= LAST_YEAR:
            raise ValidationError(
                self.error_messages["year"],
                code="year",
                params={"first": FIRST_YEAR, "last": LAST_YEAR},
            )
        try:
            return date(year, month, day)
        except ValueError:
            raise ValidationError(self.error_messages["no_such_day"], code="no_such_day") from None
