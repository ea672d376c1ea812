"""The forms of the case screens. They validate input; the services check again."""

from __future__ import annotations

from typing import Any

from django import forms
from django.http import QueryDict
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from schakel.catalogue.choices import ExploitationFormCode
from schakel.catalogue.models import ExploitationForm
from schakel.core.filters import ListFilterForm
from schakel.core.forms import DutchDateField
from schakel.intake.choices import PersonRole, Sex
from schakel.intake.nationality import details_field, nationality_field
from schakel.organisations.models import Organisation

from .choices import (
    OUTCOMES_BY_ROLE,
    AgreementStatus,
    CaseStatus,
    DirectionHolder,
    InterventionKind,
    LegalBasis,
    PersonOutcome,
    TimelineKind,
)
from .decisions import decision_choices
from .events import case_events
from .models import Case, CaseParticipant
from .selectors import CASE_SORTING, CaseQuery

TEXT = {"rows": 3}


def _organisations() -> Any:
    return Organisation.objects.filter(is_active=True).order_by("name")


class OpenCaseForm(forms.Form):
    signals = forms.MultipleChoiceField(
        label=_("Signals the case is built from"), widget=forms.CheckboxSelectMultiple
    )
    summary = forms.CharField(
        label=_("Situation"),
        required=False,
        widget=forms.Textarea(attrs=TEXT),
        max_length=5000,
        help_text=_("What the case is about, without names: persons are recorded separately."),
    )

    def __init__(self, *args: Any, signals: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field: Any = self.fields["signals"]
        field.choices = [
            (s.reference, f"{s.reference} · {s.place} · {s.reported_at:%d-%m-%Y}") for s in signals
        ]


class CaseUpdateForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    summary = forms.CharField(
        label=_("Situation"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=10000,
        help_text=_("What the case is about, without names: persons are recorded separately."),
    )
    exploitation_forms = forms.ModelMultipleChoiceField(
        label=_("Forms of exploitation"),
        queryset=ExploitationForm.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    safety_risk_high = forms.BooleanField(label=_("High safety risk"), required=False)


class DirectionForm(forms.Form):
    holder = forms.ChoiceField(
        label=_("Direction holder"), choices=DirectionHolder.choices, widget=forms.RadioSelect
    )
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs=TEXT), max_length=2000)


def _bases(with_override: bool, with_pseudonyms: bool) -> list[tuple[str, Any]]:
    return [
        (value, label)
        for value, label in LegalBasis.choices
        if (with_override or value != LegalBasis.OVERRIDE)
        and (with_pseudonyms or value != LegalBasis.PSEUDONYMS_ONLY)
    ]


class ShareForm(forms.Form):
    organisation = forms.ModelChoiceField(label=_("Organisation"), queryset=Organisation.objects)
    legal_basis = forms.ChoiceField(
        label=_("Legal basis"),
        widget=forms.RadioSelect,
        help_text=_(
            "With 'pseudonyms only' the organisation sees the case without names, dates of "
            "birth or nationality."
        ),
    )
    justification = forms.CharField(
        label=_("Why this organisation needs the case"),
        widget=forms.Textarea(attrs=TEXT),
        max_length=500,
    )

    def __init__(self, *args: Any, case: Case, may_override: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field: Any = self.fields["organisation"]
        field.queryset = _organisations().exclude(
            pk__in=case.participants.values("organisation_id")
        )
        basis: Any = self.fields["legal_basis"]
        basis.choices = _bases(may_override, with_pseudonyms=True)


class RemoveParticipantForm(forms.Form):
    participant = forms.ModelChoiceField(
        label=_("Organisation"), queryset=CaseParticipant.objects.none()
    )
    reason = forms.CharField(
        label=_("Why it no longer takes part"), widget=forms.Textarea(attrs=TEXT), max_length=500
    )

    def __init__(self, *args: Any, case: Case, own: frozenset[int], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field: Any = self.fields["participant"]
        field.queryset = case.participants.exclude(organisation__in=own).select_related(
            "organisation"
        )
        field.label_from_instance = lambda p: str(p.organisation)


class RevealForm(forms.Form):
    participant = forms.ModelChoiceField(
        label=_("Participant"), queryset=CaseParticipant.objects.none()
    )
    legal_basis = forms.ChoiceField(label=_("Legal basis"), widget=forms.RadioSelect)
    justification = forms.CharField(
        label=_("Why this participant needs the personal data"),
        widget=forms.Textarea(attrs=TEXT),
        max_length=500,
    )

    def __init__(self, *args: Any, case: Case, may_override: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field: Any = self.fields["participant"]
        field.queryset = case.participants.filter(
            legal_basis=LegalBasis.PSEUDONYMS_ONLY
        ).select_related("organisation")
        field.label_from_instance = lambda p: str(p.organisation)
        basis: Any = self.fields["legal_basis"]
        basis.choices = _bases(may_override, with_pseudonyms=False)


class PersonForm(forms.Form):
    role = forms.ChoiceField(label=_("Role"), choices=PersonRole.choices)
    name = forms.CharField(label=_("Name"), max_length=200)
    date_of_birth = forms.CharField(
        label=_("Date or year of birth"),
        required=False,
        max_length=20,
        help_text=_("For example 14-03-1998, or only the year."),
    )
    sex = forms.ChoiceField(label=_("Sex"), choices=Sex.choices, required=False)
    nationality_country = nationality_field()
    nationality = details_field()
    # After the search: "new" confirms a new person, or the pk of the person it is the same as.
    decision = forms.CharField(required=False, widget=forms.HiddenInput)


class TimelineForm(forms.Form):
    kind = forms.ChoiceField(label=_("What do you record?"), choices=TimelineKind.choices)
    happened_on = DutchDateField(label=_("Date"), required=False)
    text = forms.CharField(
        label=_("Description"), widget=forms.Textarea(attrs={"rows": 4}), max_length=10000
    )
    decision_kind = forms.ChoiceField(
        label=_("Does it take one of these decisions?"),
        required=False,
        help_text=_(
            "These decisions are taken in the case meeting, not by one partner: whatever you "
            "record, choosing one makes it a proposal for the next case meeting."
        ),
    )
    corrects = forms.TypedChoiceField(
        label=_("Corrects the entry"), required=False, coerce=int, empty_value=None
    )
    # Set by the "not a big decision" button after the warning that the words read like one.
    plain_confirmed = forms.BooleanField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args: Any, entries: list[Any], municipality_id: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        decision: Any = self.fields["decision_kind"]
        decision.choices = [("", _("No")), *decision_choices(municipality_id)]
        field: Any = self.fields["corrects"]
        field.choices = [("", "—")] + [
            (e.pk, f"{timezone.localtime(e.occurred_at):%d-%m-%Y %H:%M} · {label}")
            for e in entries
            for label in [case_events.title(e.kind)]
        ]


class AgreementForm(forms.Form):
    text = forms.CharField(label=_("Agreement"), max_length=500)
    owner = forms.ModelChoiceField(label=_("Owner"), queryset=Organisation.objects.none())
    due_on = DutchDateField(label=_("Due on"))

    def __init__(self, *args: Any, case: Case, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field: Any = self.fields["owner"]
        field.queryset = _organisations().filter(pk__in=case.participants.values("organisation_id"))


class AgreementSettleForm(forms.Form):
    agreement = forms.IntegerField(widget=forms.HiddenInput)
    status = forms.ChoiceField(
        label=_("Settle"),
        choices=[(AgreementStatus.DONE, _("Done")), (AgreementStatus.CANCELLED, _("Cancelled"))],
    )


class ReferralForm(forms.Form):
    to_organisation = forms.ModelChoiceField(label=_("Refer to"), queryset=Organisation.objects)
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs=TEXT), max_length=5000)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field: Any = self.fields["to_organisation"]
        field.queryset = _organisations()


class ReferralAnswerForm(forms.Form):
    referral = forms.IntegerField(widget=forms.HiddenInput)
    accept = forms.TypedChoiceField(
        label=_("Answer"),
        choices=[("yes", _("Accept")), ("no", _("Reject"))],
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
    )
    answer = forms.CharField(
        label=_("Explanation (required when rejecting)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=2000,
    )


class ReferralRevokeForm(forms.Form):
    referral = forms.IntegerField(widget=forms.HiddenInput)
    reason = forms.CharField(label=_("Reason for revoking"), max_length=2000)


class InterventionForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind of intervention"), choices=InterventionKind.choices)
    description = forms.CharField(
        label=_("Description"), widget=forms.Textarea(attrs=TEXT), max_length=5000
    )


class ExecuteForm(forms.Form):
    intervention = forms.IntegerField(widget=forms.HiddenInput)
    urgent_reason = forms.CharField(
        label=_("Urgent danger: why it cannot wait for the case meeting"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=2000,
        help_text=_(
            "Only before the care side acknowledged it. The zorgcoördinator and Veilig Thuis are "
            "mailed at once."
        ),
    )


class OutcomeForm(forms.Form):
    intervention = forms.IntegerField(widget=forms.HiddenInput)
    outcome = forms.CharField(
        label=_("Outcome"), widget=forms.Textarea(attrs={"rows": 2}), max_length=5000
    )


class WithdrawForm(forms.Form):
    intervention = forms.IntegerField(widget=forms.HiddenInput)
    reason = forms.CharField(label=_("Reason for withdrawing"), max_length=2000)


class CloseForm(forms.Form):
    summary = forms.CharField(
        label=_("Closing summary"), widget=forms.Textarea(attrs={"rows": 4}), max_length=10000
    )
    feedback = forms.CharField(
        label=_("Feedback to the reporters"),
        required=False,
        widget=forms.Textarea(attrs=TEXT),
        max_length=5000,
        help_text=_(
            "What the reporters of the signals may know, in general terms. No names or other "
            "personal data: public reporters read it with their code."
        ),
    )
    feedback_withheld_reason = forms.CharField(
        label=_("Or: why no feedback can be given"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=2000,
    )

    def __init__(self, *args: Any, persons: list[Any], reveals: bool, **kwargs: Any) -> None:
        """`reveals`: whether the actor may see the persons by name; the labels never show
        more than the actor may see."""
        super().__init__(*args, **kwargs)
        for person in persons:
            allowed = OUTCOMES_BY_ROLE.get(person.role, frozenset())
            recorded = [o.outcome for o in person.outcomes.all()]
            self.fields[f"outcome_{person.pk}"] = forms.MultipleChoiceField(
                label=_("What became of %(person)s")
                % {"person": person.name if reveals and person.name else person.pseudonym},
                choices=[(code, label) for code, label in PersonOutcome.choices if code in allowed],
                widget=forms.CheckboxSelectMultiple,
                required=False,
                initial=recorded,
                help_text=_(
                    "Tick everything that applies; what is already recorded stays. 'No "
                    "trafficking' goes alone."
                ),
            )

    def outcomes(self) -> dict[int, list[str]]:
        return {
            int(name.removeprefix("outcome_")): list(value)
            for name, value in self.cleaned_data.items()
            if name.startswith("outcome_")
        }


# --- Filters above the case list ---------------------------------------------------------------


class CaseFilterForm(ListFilterForm):
    """The case list: by status (open unless asked otherwise), direction holder, form of
    exploitation and overdue agreements."""

    sorting = CASE_SORTING
    defaults = {"status": CaseStatus.OPEN}
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", _("All")), *CaseStatus.choices]
    )
    holder = forms.ChoiceField(
        label=_("Direction holder"),
        required=False,
        choices=[("", _("All")), *DirectionHolder.choices],
    )
    exploitation_form = forms.ChoiceField(
        label=_("Form of exploitation"),
        required=False,
        choices=[("", _("All")), *ExploitationFormCode.choices],
    )
    overdue_agreements = forms.BooleanField(label=_("Only with overdue agreements"), required=False)

    def __init__(self, data: QueryDict | None = None, **kwargs: Any) -> None:
        # Open cases unless the URL asks for another status (or for all: an empty status).
        if data is not None and "status" not in data:
            data = data.copy()
            data["status"] = CaseStatus.OPEN
        super().__init__(data, **kwargs)

    def to_query(self) -> CaseQuery:
        data = self.values()
        return CaseQuery(
            status=data.get("status", CaseStatus.OPEN),
            holder=data.get("holder", ""),
            exploitation_form=data.get("exploitation_form", ""),
            overdue_agreements=bool(data.get("overdue_agreements")),
            sort=data["sort"],
        )
