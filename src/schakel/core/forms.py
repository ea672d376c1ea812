"""Form fields shared by the apps."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from django import forms
from django.core.exceptions import ValidationError

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
