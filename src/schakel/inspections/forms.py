"""The forms of the inspection screens."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from schakel.cases.models import Case
from schakel.catalogue.cards import FormGroup
from schakel.core.forms import CalendarDateTimeField
from schakel.organisations.models import Organisation

from .choices import InspectionKind, NoticeKind

TEXT = {"rows": 3}


def _organisation_label(organisation: Organisation) -> str:
    return f"{organisation.name} ({organisation.get_kind_display()})"


class OrganisationChoice(forms.ModelChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Any) -> str:
        return _organisation_label(obj)


class OrganisationsChoice(forms.ModelMultipleChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Any) -> str:
        return _organisation_label(obj)


class InspectionPlanForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind of inspection"), choices=InspectionKind.choices)
    planned_for = CalendarDateTimeField(
        label=_("Date and time"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"})
    )
    premises = forms.CharField(
        label=_("Premises"),
        max_length=200,
        help_text=_("The business or address: no names of people."),
    )
    purpose = forms.CharField(
        label=_("Purpose"), widget=forms.Textarea(attrs=TEXT), max_length=5000
    )
    participants = OrganisationsChoice(
        label=_("Organisations taking part"),
        queryset=Organisation.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_(
            "Your own organisation always takes part. Their staff see the inspection and its "
            "findings."
        ),
    )
    avim = OrganisationChoice(
        label=_("AVIM to inform beforehand"), queryset=Organisation.objects.none()
    )
    zorgcoordination = OrganisationChoice(
        label=_("Zorgcoördinatie to ask to stand by"), queryset=Organisation.objects.none()
    )
    case = forms.ChoiceField(label=_("Case"), required=False)

    def __init__(
        self,
        *args: Any,
        cases: list[Case],
        partners: Any,
        avim: Any,
        zorgcoordination: Any,
        **kwargs: Any,
    ) -> None:
        """`avim` and `zorgcoordination`: the organisations of the region a notice can go to. The
        only one is chosen already; a region without one has no field, and the page says so."""
        super().__init__(*args, **kwargs)
        fields: Any = self.fields
        fields["case"].choices = [("", "—")] + [(c.reference, c.reference) for c in cases]
        fields["participants"].queryset = partners
        self.nobody_to_tell: list[str] = []
        for name, candidates, kind in (
            ("avim", avim, NoticeKind.AVIM_INFORMED),
            ("zorgcoordination", zorgcoordination, NoticeKind.ZC_STANDBY),
        ):
            count = candidates.count()
            if not count:
                del fields[name]
                self.nobody_to_tell.append(str(NoticeKind(kind).label))
                continue
            fields[name].queryset = candidates
            if count == 1:  # shown chosen; the service takes the only one when it is not sent
                fields[name].empty_label = None
                fields[name].required = False

    def notified(self) -> dict[str, Any]:
        return {
            "avim": self.cleaned_data.get("avim"),
            "zorgcoordination": self.cleaned_data.get("zorgcoordination"),
        }


class FindingsForm(forms.Form):
    indicators = forms.MultipleChoiceField(
        label=_("Indicators seen"), required=False, widget=forms.CheckboxSelectMultiple
    )
    findings = forms.CharField(
        label=_("Findings"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=10000,
        help_text=_("What you saw and did. Describe people without their names."),
    )

    def __init__(self, *args: Any, checklist: list[FormGroup], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.checklist = checklist
        field: Any = self.fields["indicators"]
        items = [item.indicator for group in checklist for item in group.items]
        field.choices = [(indicator.code, indicator.text) for indicator in items]


class EvaluationForm(forms.Form):
    evaluation = forms.CharField(
        label=_("Evaluation afterwards"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=10000,
        help_text=_("What went well, what should go differently next time."),
    )


class AcknowledgeForm(forms.Form):
    """One button: the notice is acknowledged by whoever presses it."""
