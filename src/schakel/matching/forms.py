from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from schakel.core.forms import DutchDateField
from schakel.organisations.models import Organisation

from .choices import TaskStatus
from .services import Person, own_reference

REFERENCE_HELP = _("Your own file number, so you know whom a hit is about. Never a name.")


class PersonForm(forms.Form):
    organisation = forms.ModelChoiceField(
        queryset=Organisation.objects.none(), label=_("On behalf of")
    )
    given_names = forms.CharField(label=_("Given names"), max_length=200)
    surname = forms.CharField(label=_("Surname"), max_length=200)
    date_of_birth = DutchDateField(
        label=_("Date of birth"),
        required=False,
        help_text=_("1 January is treated as an unknown day and month."),
    )
    birth_year = forms.IntegerField(
        label=_("Year of birth"),
        required=False,
        min_value=1900,
        max_value=2100,
        help_text=_("Only when the full date is unknown."),
    )
    sex = forms.ChoiceField(
        label=_("Sex"),
        required=False,
        choices=[("", "—"), ("f", _("Female")), ("m", _("Male")), ("x", _("Other"))],
    )
    nationality = forms.CharField(label=_("Nationality"), max_length=100, required=False)
    postcode = forms.CharField(label=_("Postcode"), max_length=10, required=False)
    house_number = forms.CharField(label=_("House number"), max_length=10, required=False)
    reference = forms.CharField(
        label=_("Own reference"), max_length=50, required=False, help_text=REFERENCE_HELP
    )

    def __init__(self, *args: Any, organisations: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["organisation"]
        field.queryset = organisations  # type: ignore[attr-defined]
        if organisations.count() == 1:
            field.initial = organisations.get()
            field.widget = forms.HiddenInput()

    def clean_reference(self) -> str:
        return own_reference(self.cleaned_data.get("reference") or "")

    def person(self) -> Person:
        data = self.cleaned_data
        return Person(
            given_names=data["given_names"],
            surname=data["surname"],
            date_of_birth=data.get("date_of_birth"),
            birth_year=data.get("birth_year"),
            sex=data.get("sex") or "",
            nationality=data.get("nationality") or "",
            postcode=data.get("postcode") or "",
            house_number=data.get("house_number") or "",
        )


class RegisterForm(PersonForm):
    contact_person = forms.CharField(
        label=_("Contact person"),
        max_length=200,
        help_text=_("Shown to another organisation after it confirms a hit."),
    )


class TaskStatusForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=TaskStatus.choices)


class EndForm(forms.Form):
    confirmed = forms.BooleanField(
        label=_("Yes, end this registration"),
        error_messages={"required": _("Confirm that you want to end this registration.")},
    )
