from __future__ import annotations

import uuid
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from schakel.catalogue.choices import ExploitationFormCode
from schakel.organisations.models import Membership, Municipality

from .services import SignalReport, reporting_municipalities


class SignalReportForm(forms.Form):
    reporting_as = forms.ChoiceField(label=_("Reporting on behalf of"))
    municipality = forms.ModelChoiceField(
        label=_("Municipality"), queryset=Municipality.objects.none(), empty_label=None
    )
    observed_on = forms.DateField(
        label=_("Date observed"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    place = forms.CharField(
        label=_("Place"),
        max_length=200,
        help_text=_("Address or neighbourhood where you saw it."),
    )
    exploitation_forms = forms.MultipleChoiceField(
        label=_("Possible form of exploitation"),
        choices=ExploitationFormCode.choices,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Tick what you suspect; choose 'Unknown' if you cannot tell."),
    )
    description = forms.CharField(
        label=_("What did you observe?"),
        widget=forms.Textarea(attrs={"rows": 8}),
        max_length=10_000,
        help_text=_("Describe what you saw or heard, when, and who was there."),
    )
    submission_token = forms.UUIDField(widget=forms.HiddenInput)

    def __init__(self, *args: Any, memberships: list[Membership], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.memberships = {f"{m.organisation_id}:{m.role}": m for m in memberships}
        field: Any = self.fields["reporting_as"]
        field.choices = [
            (key, f"{m.organisation} · {m.get_role_display()}")
            for key, m in self.memberships.items()
        ]
        municipalities = {
            mun.pk: mun for m in memberships for mun in reporting_municipalities(m.organisation)
        }
        municipality_field: Any = self.fields["municipality"]
        municipality_field.queryset = Municipality.objects.filter(pk__in=municipalities)
        self.initial.setdefault("submission_token", uuid.uuid4())
        self.initial.setdefault("observed_on", timezone.localdate())

    def clean_observed_on(self) -> Any:
        observed_on = self.cleaned_data["observed_on"]
        if observed_on > timezone.localdate():
            raise forms.ValidationError(_("The date observed cannot be in the future."))
        return observed_on

    def clean_exploitation_forms(self) -> list[str]:
        codes: list[str] = self.cleaned_data["exploitation_forms"]
        if ExploitationFormCode.UNKNOWN in codes and len(codes) > 1:
            raise forms.ValidationError(_("'Unknown' cannot be combined with other forms."))
        return codes

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        membership = self.memberships.get(data.get("reporting_as", ""))
        municipality = data.get("municipality")
        if membership and municipality:
            allowed = reporting_municipalities(membership.organisation)
            if municipality not in allowed:
                self.add_error(
                    "municipality",
                    _("%(organisation)s does not report signals to %(municipality)s.")
                    % {"organisation": membership.organisation, "municipality": municipality},
                )
        return data

    def to_report(self) -> SignalReport:
        data = self.cleaned_data
        membership = self.memberships[data["reporting_as"]]
        return SignalReport(
            organisation_id=membership.organisation_id,
            role=membership.role,
            municipality_id=data["municipality"].pk,
            description=data["description"],
            place=data["place"],
            exploitation_form_codes=tuple(data["exploitation_forms"]),
            observed_on=data["observed_on"],
            submission_token=data["submission_token"],
        )
