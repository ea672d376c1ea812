"""The forms of the network screens; the services check everything again."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from schakel.catalogue.choices import ExploitationFormCode
from schakel.core.forms import CalendarDateField
from schakel.organisations.choices import OrganisationKind, Ring, SubNetwork
from schakel.organisations.models import Organisation

from .care_map import CARE_FORMS
from .choices import Audience, CareDomain, RoutePlace, TrainingSector
from .models import MAX_REPEAT_MONTHS, MIN_REPEAT_MONTHS

TEXT = {"rows": 3}
NOT_IN_REGION = _("Choose an organisation of the region.")


def _blank(choices: Any) -> list[tuple[str, Any]]:
    return [("", _("All")), *choices]


class DirectoryFilterForm(forms.Form):
    q = forms.CharField(
        label=_("Search"),
        required=False,
        max_length=100,
        help_text=_("In the name, what it does and the contact persons."),
    )
    sub_network = forms.ChoiceField(
        label=_("Sub-network"), required=False, choices=_blank(SubNetwork.choices)
    )
    ring = forms.ChoiceField(label=_("Ring"), required=False, choices=_blank(Ring.choices))
    kind = forms.ChoiceField(
        label=_("Kind"), required=False, choices=_blank(OrganisationKind.choices)
    )


class WhoDoesWhatForm(forms.Form):
    municipality = forms.TypedChoiceField(
        label=_("Municipality"), required=False, coerce=int, empty_value=None
    )

    def __init__(self, *args: Any, municipalities: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field: Any = self.fields["municipality"]
        field.choices = [("", _("The whole region"))] + [(m.pk, m.name) for m in municipalities]


class ProfileForm(forms.Form):
    contact_name = forms.CharField(label=_("Contact person"), required=False, max_length=120)
    contact_phone = forms.CharField(label=_("Contact phone"), required=False, max_length=30)
    contact_email = forms.EmailField(label=_("Contact email"), required=False)
    af_name = forms.CharField(
        label=_("Aandachtsfunctionaris mensenhandel"),
        required=False,
        max_length=120,
        help_text=_("The organisation's own AF; named here, it counts for the quality framework."),
    )
    af_email = forms.EmailField(label=_("Email of the aandachtsfunctionaris"), required=False)
    route_place = forms.ChoiceField(
        label=_("Place in the reporting route"), choices=RoutePlace.choices
    )
    role_in_approach = forms.CharField(
        label=_("What it does in the approach"),
        required=False,
        widget=forms.Textarea(attrs=TEXT),
        max_length=5000,
    )
    staff_count = forms.IntegerField(
        label=_("Staff"),
        required=False,
        min_value=1,
        max_value=1_000_000,
        help_text=_("For hotels and holiday parks: the staff the certification counts against."),
    )
    is_subsidised = forms.BooleanField(label=_("Subsidised care partner"), required=False)
    expertgroep_member = forms.BooleanField(label=_("Member of the Expertgroep"), required=False)


class OrganisationChoice(forms.ModelChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Any) -> str:
        return str(obj.name)


class SessionForm(forms.Form):
    held_on = CalendarDateField(
        label=_("Held on"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    title = forms.CharField(label=_("Title"), max_length=200)
    audience = forms.ChoiceField(label=_("Audience"), choices=Audience.choices)
    sector = forms.ChoiceField(label=_("Sector"), choices=TrainingSector.choices)
    trainer_organisation = OrganisationChoice(
        label=_("Trainer organisation"),
        queryset=Organisation.objects.none(),
        required=False,
        error_messages={"invalid_choice": NOT_IN_REGION},
    )
    trainer_name = forms.CharField(
        label=_("Trainer"),
        required=False,
        max_length=200,
        help_text=_("A trainer from outside the region, or the trainer's name."),
    )
    reporting_route_presented = forms.BooleanField(
        label=_("The aandachtsfunctionaris presented the reporting route"), required=False
    )
    notes = forms.CharField(
        label=_("Notes"), required=False, widget=forms.Textarea(attrs=TEXT), max_length=5000
    )

    def __init__(self, *args: Any, organisations: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field: Any = self.fields["trainer_organisation"]
        field.queryset = organisations


class AttendanceRowForm(forms.Form):
    organisation = OrganisationChoice(
        label=_("Organisation"),
        queryset=Organisation.objects.none(),
        required=False,
        error_messages={"invalid_choice": NOT_IN_REGION},
    )
    participants = forms.IntegerField(
        label=_("Participants"),
        required=False,
        min_value=1,
        max_value=100_000,
        error_messages={"min_value": _("Give at least 1 participant.")},
    )

    def __init__(self, *args: Any, organisations: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field: Any = self.fields["organisation"]
        field.queryset = organisations

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("organisation") and not data.get("participants"):
            self.add_error("participants", _("Give the number of participants."))
        if data.get("participants") and not data.get("organisation"):
            self.add_error("organisation", _("Choose the organisation."))
        return data


def attendance_formset(data: Any, organisations: Any, initial: list[dict[str, Any]]) -> Any:
    """The rows of a training: the ones it has, and four empty ones."""
    factory = forms.formset_factory(
        AttendanceRowForm, extra=4, max_num=60, absolute_max=60, validate_max=True
    )
    return factory(
        data, prefix="rows", initial=initial, form_kwargs={"organisations": organisations}
    )


class IntervalForm(forms.Form):
    months = forms.IntegerField(
        label=_("Repeat a training after (months)"),
        min_value=MIN_REPEAT_MONTHS,
        max_value=MAX_REPEAT_MONTHS,
        help_text=_("From 6 to 60 months."),
    )


class CareOfferForm(forms.Form):
    title = forms.CharField(label=_("Offer"), max_length=200)
    domain = forms.ChoiceField(label=_("Domain"), choices=CareDomain.choices)
    provider = OrganisationChoice(
        label=_("Provider"),
        queryset=Organisation.objects.none(),
        required=False,
        error_messages={"invalid_choice": NOT_IN_REGION},
    )
    provider_name = forms.CharField(
        label=_("Provider name"),
        required=False,
        max_length=200,
        help_text=_("For a provider that is not an organisation in Schakel."),
    )
    for_adults = forms.BooleanField(label=_("For adults"), required=False)
    for_minors = forms.BooleanField(label=_("For minors"), required=False)
    for_dutch = forms.BooleanField(label=_("For Dutch nationals"), required=False)
    for_eu = forms.BooleanField(label=_("For EU nationals"), required=False)
    for_non_eu = forms.BooleanField(label=_("For non-EU nationals"), required=False)
    forms_of_exploitation = forms.MultipleChoiceField(
        label=_("Forms of exploitation"),
        choices=[(c, label) for c, label in ExploitationFormCode.choices if c in CARE_FORMS],
        widget=forms.CheckboxSelectMultiple,
    )
    description = forms.CharField(
        label=_("Description"), required=False, widget=forms.Textarea(attrs=TEXT), max_length=5000
    )
    contact = forms.CharField(label=_("Contact"), required=False, max_length=200)
    is_active = forms.BooleanField(
        label=_("Active"),
        required=False,
        initial=True,
        help_text=_(
            "An offer no longer given: untick it. It stays on the map's list, out of its coverage."
        ),
    )

    def __init__(self, *args: Any, organisations: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field: Any = self.fields["provider"]
        field.queryset = organisations
