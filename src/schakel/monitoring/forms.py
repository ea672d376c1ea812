from __future__ import annotations

from datetime import date

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .periods import Period

FIRST_YEAR = 2015


class PeriodForm(forms.Form):
    """The period of the figures: a year for everyone; the AF roles may narrow it to a run of
    whole months (outside the AF a period is a whole year: docs/privacy.md)."""

    year = forms.TypedChoiceField(label=_("Year"), coerce=int)
    from_month = forms.TypedChoiceField(
        label=_("From month"), coerce=int, required=False, empty_value=None
    )
    to_month = forms.TypedChoiceField(
        label=_("To month"), coerce=int, required=False, empty_value=None
    )

    def __init__(
        self, *args: object, months: bool, today: date | None = None, **kwargs: object
    ) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.today = today or timezone.localdate()
        self.fields["year"].choices = [  # type: ignore[attr-defined]
            (y, str(y)) for y in range(self.today.year, FIRST_YEAR - 1, -1)
        ]
        if months:
            from django.utils import formats

            names = [("", "—")] + [
                (m, formats.date_format(date(2000, m, 1), "F")) for m in range(1, 13)
            ]
            self.fields["from_month"].choices = names  # type: ignore[attr-defined]
            self.fields["to_month"].choices = names  # type: ignore[attr-defined]
        else:
            del self.fields["from_month"], self.fields["to_month"]

    def clean(self) -> dict[str, object]:
        data = super().clean() or {}
        first, last = data.get("from_month"), data.get("to_month")
        if (first is None) != (last is None):
            raise forms.ValidationError(_("Choose both months, or neither for the whole year."))
        if first is not None and last is not None and first > last:
            raise forms.ValidationError(_("The first month comes before the last."))
        year = data.get("year")
        if isinstance(year, int) and first is not None and date(year, first, 1) > self.today:
            raise forms.ValidationError(_("That period has not begun yet."))
        return data

    def period(self, *, protect: bool) -> Period | None:
        year = self.cleaned_data["year"]
        if protect:
            return Period.published_year(year, today=self.today)
        first, last = self.cleaned_data.get("from_month"), self.cleaned_data.get("to_month")
        if first is not None and last is not None:
            return Period.months_of(year, first, last, today=self.today)
        return Period.year(year, today=self.today)


class RegistrationQueryForm(forms.Form):
    """Which victims the CoMensha export lists: those added to a case in a calendar year, all
    or only those without (or with) a recorded registration."""

    ALL, OPEN, REGISTERED = "", "open", "registered"

    year = forms.TypedChoiceField(label=_("Year"), coerce=int)
    registration = forms.ChoiceField(
        label=_("Registration with CoMensha"),
        required=False,
        choices=[
            (ALL, _("All victims")),
            (OPEN, _("Not yet recorded as registered")),
            (REGISTERED, _("Recorded as registered")),
        ],
    )

    def __init__(self, *args: object, today: date | None = None, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.today = today or timezone.localdate()
        self.fields["year"].choices = [  # type: ignore[attr-defined]
            (y, str(y)) for y in range(self.today.year, FIRST_YEAR - 1, -1)
        ]

    def period(self) -> Period:
        return Period.year(self.cleaned_data["year"], today=self.today)

    def registered(self) -> bool | None:
        wanted = self.cleaned_data.get("registration") or self.ALL
        return {self.OPEN: False, self.REGISTERED: True}.get(wanted)
