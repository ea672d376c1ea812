from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from schakel.core.models import TimeStampedModel
from schakel.intake.models import Signal
from schakel.organisations.models import Municipality, Organisation

from .choices import (
    CaseStatus,
    DecisionKind,
    DirectionHolder,
    InterventionKind,
    InterventionStatus,
    LegalBasis,
    ProposalStatus,
)

USER = settings.AUTH_USER_MODEL


class Case(TimeStampedModel):
    """A case built from one or more signals, kept in overview by its direction holder."""

    reference = models.CharField(_("case number"), max_length=20, unique=True)
    municipality = models.ForeignKey(Municipality, models.PROTECT, related_name="cases")
    signals = models.ManyToManyField(Signal, related_name="cases", verbose_name=_("signals"))
    status = models.CharField(
        _("status"), max_length=8, choices=CaseStatus.choices, default=CaseStatus.OPEN
    )
    direction_holder = models.CharField(
        _("direction holder"),
        max_length=20,
        choices=DirectionHolder.choices,
        default=DirectionHolder.NETWORK_DIRECTOR,
    )

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("case")
        verbose_name_plural = _("cases")

    def __str__(self) -> str:
        return self.reference


class CaseParticipant(models.Model):
    """An organisation taking part in a case, with the basis on which it may see personal data."""

    case = models.ForeignKey(Case, models.CASCADE, related_name="participants")
    organisation = models.ForeignKey(Organisation, models.PROTECT, related_name="+")
    legal_basis = models.CharField(_("legal basis"), max_length=12, choices=LegalBasis.choices)
    justification = models.CharField(_("justification"), max_length=500)
    added_by = models.ForeignKey(USER, models.PROTECT, related_name="+")
    added_at = models.DateTimeField(_("added at"), auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["case", "organisation"], name="one_participation")
        ]

    def __str__(self) -> str:
        return f"{self.case} · {self.organisation}"


class TimelineEntry(models.Model):
    """What a participant did, on the shared timeline. Append-only: a correction is a new entry
    that points at the one it corrects."""

    case = models.ForeignKey(Case, models.CASCADE, related_name="timeline")
    occurred_at = models.DateTimeField(_("occurred at"), auto_now_add=True)
    kind = models.CharField(_("kind"), max_length=32)
    text = models.TextField(_("text"))
    organisation = models.ForeignKey(Organisation, models.PROTECT, null=True, related_name="+")
    actor = models.ForeignKey(USER, models.PROTECT, null=True, related_name="+")
    corrects = models.ForeignKey(
        "self", models.PROTECT, null=True, blank=True, related_name="corrections"
    )

    class Meta:
        ordering = ["occurred_at", "pk"]

    def __str__(self) -> str:
        return f"{self.case} {self.kind}"


class Intervention(models.Model):
    """A perpetrator intervention, moved through the interlock with the care side."""

    case = models.ForeignKey(Case, models.CASCADE, related_name="interventions")
    kind = models.CharField(_("kind"), max_length=20, choices=InterventionKind.choices)
    status = models.CharField(
        _("status"),
        max_length=12,
        choices=InterventionStatus.choices,
        default=InterventionStatus.PROPOSED,
    )
    description = models.TextField(_("description"))
    proposed_by = models.ForeignKey(USER, models.PROTECT, related_name="+")
    acknowledged_by = models.ForeignKey(USER, models.PROTECT, null=True, related_name="+")
    acknowledged_at = models.DateTimeField(null=True)
    urgent_override_reason = models.TextField(_("reason for the urgent override"), blank=True)
    executed_at = models.DateTimeField(null=True)
    outcome = models.TextField(_("outcome"), blank=True)

    def __str__(self) -> str:
        return f"{self.case} · {self.get_kind_display()}"


class Proposal(models.Model):
    """A big decision that takes effect only when a case meeting approves it."""

    case = models.ForeignKey(Case, models.CASCADE, related_name="proposals")
    kind = models.CharField(_("kind"), max_length=20, choices=DecisionKind.choices)
    text = models.TextField(_("proposal"))
    status = models.CharField(
        _("status"), max_length=10, choices=ProposalStatus.choices, default=ProposalStatus.PENDING
    )
    proposed_by = models.ForeignKey(USER, models.PROTECT, related_name="+")
    decided_by = models.ForeignKey(USER, models.PROTECT, null=True, related_name="+")
    decided_at = models.DateTimeField(null=True)
    decision_note = models.TextField(_("what the meeting decided"), blank=True)

    def __str__(self) -> str:
        return f"{self.case} · {self.get_kind_display()}"
