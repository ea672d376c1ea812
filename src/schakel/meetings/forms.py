"""The forms of the meeting screens."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from schakel.core.filters import ListFilterForm
from schakel.core.forms import CalendarDateTimeField, DutchDateField
from schakel.organisations.choices import MeetingType
from schakel.organisations.models import Membership, Municipality, Organisation

from .choices import TriageDecision
from .selectors import MEETING_SORTING, MeetingPeriod, MeetingQuery

DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


class PlanForm(forms.Form):
    municipality = forms.ModelChoiceField(
        label=_("Municipality"), queryset=Municipality.objects.none()
    )
    meeting_type = forms.ChoiceField(label=_("Type"), choices=MeetingType.choices)
    scheduled_for = CalendarDateTimeField(label=_("Date and time"), widget=DATETIME)
    location = forms.CharField(label=_("Location"), max_length=200, required=False)
    invited = forms.ModelMultipleChoiceField(
        label=_("Invited organisations"),
        queryset=Organisation.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=_(
            "Only organisations that are party to a covenant covering this type of meeting see "
            "personal data on its agenda; the others see pseudonyms."
        ),
    )

    def __init__(self, *args: Any, municipalities: list[Municipality], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["municipality"].queryset = Municipality.objects.filter(  # type: ignore[attr-defined]
            pk__in=[m.pk for m in municipalities]
        )
        if len(municipalities) == 1:
            self.fields["municipality"].initial = municipalities[0]
        self.fields["invited"].queryset = Organisation.objects.filter(  # type: ignore[attr-defined]
            region__in={m.region_id for m in municipalities}, is_active=True
        ).order_by("name")


class TopicForm(forms.Form):
    topic = forms.CharField(
        label=_("Topic"),
        max_length=200,
        help_text=_("A general item without personal data: trends, figures, an evaluation."),
    )


class FollowUpForm(forms.Form):
    scheduled_for = CalendarDateTimeField(label=_("Date and time"), widget=DATETIME)


class MinutesForm(forms.Form):
    discussion = forms.CharField(
        label=_("Discussion"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=10000,
        help_text=_("Write persons by their pseudonym (Slachtoffer 1, Verdachte A)."),
    )
    decisions = forms.CharField(
        label=_("Decisions and who does what"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=10000,
    )
    version = forms.IntegerField(widget=forms.HiddenInput)


class TriageForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"), choices=TriageDecision.choices, widget=forms.RadioSelect
    )
    deviation_reason = forms.CharField(
        label=_("Why the decision differs from the advice"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=2000,
    )
    recheck_on = DutchDateField(
        label=_("Re-check on"),
        required=False,
        help_text=_("Needed when the signal is monitored."),
    )
    acute_danger = forms.BooleanField(label=_("There is acute danger"), required=False)
    minor_involved = forms.BooleanField(label=_("A minor is involved"), required=False)
    safety_risk_high = forms.BooleanField(
        label=_("The safety risk is high (Veilig Thuis takes direction in the care track)"),
        required=False,
    )


class DecideProposalForm(forms.Form):
    approve = forms.TypedChoiceField(
        label=_("The meeting"),
        choices=[("1", _("approves")), ("0", _("rejects"))],
        coerce=lambda value: value == "1",
        widget=forms.RadioSelect,
    )
    note = forms.CharField(label=_("What was decided"), max_length=2000)


class AcknowledgeForm(forms.Form):
    note = forms.CharField(label=_("What the care side prepares"), max_length=2000, required=False)


class AttendanceForm(forms.Form):
    present = forms.ModelMultipleChoiceField(
        label=_("Present"),
        queryset=Membership.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=_(
            "A case meeting approves big decisions and acknowledges interventions only with the "
            "netwerkregisseur and the care side recorded present."
        ),
    )

    def __init__(self, *args: Any, candidates: list[Membership], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["present"]
        field.queryset = Membership.objects.filter(  # type: ignore[attr-defined]
            pk__in=[m.pk for m in candidates]
        ).select_related("user", "organisation")
        field.label_from_instance = lambda m: (  # type: ignore[attr-defined]
            f"{m.user.get_full_name() or m.user.get_username()} · {m.get_role_display()} · "
            f"{m.organisation}"
        )


class MeetingFilterForm(ListFilterForm):
    """The meeting list: by type and period."""

    sorting = MEETING_SORTING
    meeting_type = forms.ChoiceField(
        label=_("Type"), required=False, choices=[("", _("All")), *MeetingType.choices]
    )
    period = forms.ChoiceField(
        label=_("Period"),
        required=False,
        choices=[
            ("", _("All")),
            (MeetingPeriod.UPCOMING, _("From today")),
            (MeetingPeriod.THIS_WEEK, _("This week")),
            (MeetingPeriod.PAST, _("Before today")),
        ],
    )

    def to_query(self) -> MeetingQuery:
        data = self.values()
        return MeetingQuery(
            meeting_type=data.get("meeting_type", ""),
            period=data.get("period", ""),
            sort=data["sort"],
        )
