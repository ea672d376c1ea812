from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from schakel.cases.models import Case, Intervention, Proposal
from schakel.core.events import Event
from schakel.core.models import TimeStampedModel
from schakel.intake.models import Signal
from schakel.organisations.choices import MeetingType
from schakel.organisations.models import Membership, Municipality, Organisation

from .choices import Advice, MeetingEventKind, MeetingStatus, TriageDecision

USER = settings.AUTH_USER_MODEL


class Meeting(TimeStampedModel):
    """A meeting of the local approach; who may see personal data on its agenda follows from the
    covenants that cover its type (DOMAIN.md §4)."""

    municipality = models.ForeignKey(
        Municipality, models.PROTECT, related_name="meetings", verbose_name=_("municipality")
    )
    meeting_type = models.CharField(_("type"), max_length=24, choices=MeetingType.choices)
    scheduled_for = models.DateTimeField(_("date and time"))
    location = models.CharField(_("location"), max_length=200, blank=True)
    status = models.CharField(
        _("status"), max_length=8, choices=MeetingStatus.choices, default=MeetingStatus.PLANNED
    )
    invited = models.ManyToManyField(
        Organisation, related_name="meetings", verbose_name=_("invited organisations")
    )
    follow_up_of = models.ForeignKey(
        "self", models.SET_NULL, null=True, blank=True, related_name="follow_ups"
    )
    created_by = models.ForeignKey(USER, models.PROTECT, related_name="+")
    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        ordering = ["-scheduled_for"]
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")

    def __str__(self) -> str:
        return f"{self.get_meeting_type_display()} {self.scheduled_for:%Y-%m-%d}"


class AgendaItem(models.Model):
    """One item: a signal to triage, a case to follow up, or a general topic, with what was
    discussed and decided."""

    meeting = models.ForeignKey(Meeting, models.CASCADE, related_name="agenda")
    position = models.PositiveSmallIntegerField(_("position"))
    signal = models.ForeignKey(
        Signal, models.PROTECT, null=True, blank=True, related_name="agenda_items"
    )
    case = models.ForeignKey(
        Case, models.PROTECT, null=True, blank=True, related_name="agenda_items"
    )
    topic = models.CharField(_("topic"), max_length=200, blank=True)
    discussion = models.TextField(_("discussion"), blank=True)
    decisions = models.TextField(_("decisions"), blank=True)
    # Triage of a signal with the assessment framework (DOMAIN.md §5).
    hard_count = models.PositiveSmallIntegerField(null=True, blank=True, editable=False)
    soft_count = models.PositiveSmallIntegerField(null=True, blank=True, editable=False)
    advice = models.CharField(
        _("advice"), max_length=10, choices=Advice.choices, blank=True, editable=False
    )
    triage_decision = models.CharField(
        _("decision"), max_length=16, choices=TriageDecision.choices, blank=True
    )
    deviation_reason = models.TextField(_("why the decision deviates from the advice"), blank=True)
    recheck_on = models.DateField(_("re-check on"), null=True, blank=True)
    acute_danger = models.BooleanField(_("acute danger"), default=False)
    minor_involved = models.BooleanField(_("a minor is involved"), default=False)
    safety_risk_high = models.BooleanField(_("high safety risk"), default=False)
    decided_by = models.ForeignKey(USER, models.PROTECT, null=True, blank=True, related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["meeting", "position"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "position"], name="one_position"),
            models.UniqueConstraint(fields=["meeting", "signal"], name="signal_once_per_meeting"),
            models.UniqueConstraint(fields=["meeting", "case"], name="case_once_per_meeting"),
        ]
        verbose_name = _("agenda item")
        verbose_name_plural = _("agenda items")

    def __str__(self) -> str:
        return f"{self.meeting} #{self.position}"


class Attendance(models.Model):
    """Someone present at a meeting, in the membership they attended for; recorded by the
    organiser. A decision of the case meeting needs its quorum present and names who was."""

    meeting = models.ForeignKey(Meeting, models.CASCADE, related_name="attendance")
    membership = models.ForeignKey(Membership, models.PROTECT, related_name="+")
    recorded_by = models.ForeignKey(USER, models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["meeting", "membership"], name="present_once")
        ]
        verbose_name = _("attendance")
        verbose_name_plural = _("attendance")

    def __str__(self) -> str:
        return f"{self.meeting} · {self.membership}"


class CaseDecision(models.Model):
    """What a case meeting decided on a case: a big decision approved or rejected, or a
    perpetrator intervention acknowledged by the care side, with who was present. Kept with the
    meeting (the case keeps the outcome itself)."""

    meeting = models.ForeignKey(Meeting, models.PROTECT, related_name="case_decisions")
    proposal = models.OneToOneField(
        Proposal, models.CASCADE, null=True, blank=True, related_name="decided_in"
    )
    intervention = models.OneToOneField(
        Intervention, models.CASCADE, null=True, blank=True, related_name="acknowledged_in"
    )
    present = models.JSONField(_("present"), default=list)
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=models.Q(proposal__isnull=False) ^ models.Q(intervention__isnull=False),
                name="decides_one_thing",
            )
        ]
        verbose_name = _("decision of a case meeting")
        verbose_name_plural = _("decisions of case meetings")

    def __str__(self) -> str:
        return f"{self.meeting} · {self.proposal or self.intervention}"


class MeetingEvent(Event):
    """A step in the history of a meeting (core.events; rendered by meetings/events.py)."""

    meeting = models.ForeignKey(Meeting, models.CASCADE, related_name="events")
    kind = models.CharField(_("kind"), max_length=24, choices=MeetingEventKind.choices)

    class Meta(Event.Meta):
        verbose_name = _("meeting event")
        verbose_name_plural = _("meeting events")

    def __str__(self) -> str:
        return f"{self.meeting} {self.kind}"
