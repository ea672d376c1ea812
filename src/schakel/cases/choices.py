from django.db import models
from django.utils.translation import gettext_lazy as _


class CaseStatus(models.TextChoices):
    OPEN = "open", _("Open")
    CLOSED = "closed", _("Closed")


class DirectionHolder(models.TextChoices):
    """Who keeps overview of the case (regie, DOMAIN.md §4)."""

    NETWORK_DIRECTOR = "netwerkregisseur", _("Netwerkregisseur (municipality)")
    VEILIG_THUIS = "veilig_thuis", _("Veilig Thuis (high safety risk)")
    ZVH = "zvh", _("Zorg- en Veiligheidshuis (escalation)")


class InterventionKind(models.TextChoices):
    CLOSURE = "closure", _("Administrative: closure of premises")
    PERMIT_WITHDRAWAL = "permit_withdrawal", _("Administrative: withdrawal of a permit")
    PENALTY_ORDER = "penalty_order", _("Administrative: order subject to a penalty")
    BIBOB = "bibob", _("Administrative: Bibob investigation")
    FISCAL = "fiscal", _("Fiscal")
    CRIMINAL_REPORT = "criminal_report", _("Criminal: police report")
    PROSECUTION = "prosecution", _("Criminal: prosecution")


class InterventionStatus(models.TextChoices):
    PROPOSED = "proposed", _("Proposed")
    ACKNOWLEDGED = "acknowledged", _("Acknowledged by the care side")
    EXECUTED = "executed", _("Executed")
    OUTCOME = "outcome", _("Outcome recorded")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class DecisionKind(models.TextChoices):
    """Decisions a partner may not take alone: they need a case meeting (DOMAIN.md §4)."""

    WITHDRAW_POLICE_REPORT = "withdraw_report", _("Withdrawing a police report")
    MOVE_VICTIM = "move_victim", _("Moving a victim")
    END_SHELTER = "end_shelter", _("Ending shelter")
    CONFRONT_SUSPECT = "confront_suspect", _("Confronting a suspect")


class ProposalStatus(models.TextChoices):
    PENDING = "pending", _("Waiting for the case meeting")
    APPROVED = "approved", _("Approved in the case meeting")
    REJECTED = "rejected", _("Rejected in the case meeting")


class LegalBasis(models.TextChoices):
    COVENANT = "covenant", _("Covenant article")
    AVG_PUBLIC_TASK = "avg_6_1_e", _("AVG art. 6(1)(e): public task")
    AVG_LEGAL_DUTY = "avg_6_1_c", _("AVG art. 6(1)(c): legal obligation")
    CONSENT = "consent", _("Consent of the person concerned")
    OVERRIDE = "override", _("Override without a recorded basis")
