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
    # One of the municipality's own (organisations.BigDecision), named on the proposal.
    MUNICIPAL = "municipal", _("A decision the municipality takes in the case meeting")


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
    # Shared to work on the case, but without personal data: persons appear as "Slachtoffer 1".
    PSEUDONYMS_ONLY = "pseudonyms", _("Pseudonyms only: no personal data")


# The bases on which an organisation sees the persons of a case by name.
REVEALING_BASES = frozenset(
    {
        LegalBasis.COVENANT,
        LegalBasis.AVG_PUBLIC_TASK,
        LegalBasis.AVG_LEGAL_DUTY,
        LegalBasis.CONSENT,
        LegalBasis.OVERRIDE,
    }
)


class PersonOutcome(models.TextChoices):
    """What became of a person (DOMAIN.md §8: the annual report counts it); a person can have
    several (cases.models.CasePersonOutcome). OPEN only fills an empty choice in a form."""

    OPEN = "", _("Not yet known")
    REFERRED_TO_CARE = "care", _("Victim referred to care")
    SHELTERED = "sheltered", _("Victim sheltered")
    REGISTERED_COMENSHA = "comensha", _("Registered with CoMensha")
    DISRUPTED = "disrupted", _("Perpetrator disrupted")
    PROSECUTED = "prosecuted", _("Perpetrator prosecuted")
    NO_TRAFFICKING = "none", _("No trafficking")


# What may become of a person in each role; "none" (no trafficking) excludes every other.
OUTCOMES_BY_ROLE: dict[str, frozenset[str]] = {
    "victim": frozenset(
        {
            PersonOutcome.REFERRED_TO_CARE,
            PersonOutcome.SHELTERED,
            PersonOutcome.REGISTERED_COMENSHA,
            PersonOutcome.NO_TRAFFICKING,
        }
    ),
    "perpetrator": frozenset(
        {PersonOutcome.DISRUPTED, PersonOutcome.PROSECUTED, PersonOutcome.NO_TRAFFICKING}
    ),
    "other": frozenset({PersonOutcome.NO_TRAFFICKING}),
}


class TimelineKind(models.TextChoices):
    """What a participant can post on the shared timeline."""

    CONTACT = "contact", _("Contact")
    ACTION = "action", _("Action")
    DECISION = "decision", _("Decision")
    REFERRAL = "referral", _("Referral")
    INTERVENTION = "intervention", _("Intervention")
    NOTE = "note", _("Note")


class CaseEventKind(models.TextChoices):
    """Every kind of step on a case's timeline: those a participant posts by hand
    (TimelineKind) and those the services write. cases/events.py renders each."""

    CONTACT = TimelineKind.CONTACT.value, TimelineKind.CONTACT.label
    ACTION = TimelineKind.ACTION.value, TimelineKind.ACTION.label
    DECISION = TimelineKind.DECISION.value, TimelineKind.DECISION.label
    REFERRAL = TimelineKind.REFERRAL.value, TimelineKind.REFERRAL.label
    INTERVENTION = TimelineKind.INTERVENTION.value, TimelineKind.INTERVENTION.label
    NOTE = TimelineKind.NOTE.value, TimelineKind.NOTE.label
    OPENED = "opened", _("Case opened")
    SHARED = "shared", _("Shared with an organisation")
    REVEALED = "revealed", _("Personal data revealed to a participant")
    UNSHARED = "unshared", _("An organisation no longer takes part")
    DIRECTION = "direction", _("Direction changed")
    UPDATED = "updated", _("Case details changed")
    PERSON = "person", _("Person added")
    AGREEMENT = "agreement", _("Agreement made")
    AGREEMENT_DONE = "agreement_done", _("Agreement done")
    AGREEMENT_CANCELLED = "agreement_cancelled", _("Agreement cancelled")
    REFERRAL_PROPOSED = "referral_proposed", _("Referral made")
    REFERRAL_ACCEPTED = "referral_accepted", _("Referral accepted")
    REFERRAL_REJECTED = "referral_rejected", _("Referral rejected")
    REFERRAL_REVOKED = "referral_revoked", _("Referral revoked")
    INTERVENTION_PROPOSED = "intervention_proposed", _("Intervention proposed")
    INTERVENTION_ACKNOWLEDGED = (
        "intervention_acknowledged",
        _("Intervention acknowledged by the care side"),
    )
    INTERVENTION_EXECUTED = "intervention_executed", _("Intervention executed")
    INTERVENTION_OUTCOME = "intervention_outcome", _("Outcome of the intervention")
    INTERVENTION_WITHDRAWN = "intervention_withdrawn", _("Intervention withdrawn")
    PROPOSAL = "proposal", _("Proposal for the case meeting")
    PROPOSAL_APPROVED = "proposal_approved", _("Proposal approved in the case meeting")
    PROPOSAL_REJECTED = "proposal_rejected", _("Proposal rejected in the case meeting")
    INSPECTION = "inspection", _("Inspection")
    CLOSED = "closed", _("Case closed")
    CORRECTED = "corrected", _("Data of a person corrected (AVG art. 16)")
    OUTCOMES = "outcomes", _("Outcomes recorded")


# The steps other apps record on the timeline through cases.services.timeline_record; each
# renderer is registered by the app that knows its parameters.
RECORDED_BY_OTHER_APPS = frozenset({CaseEventKind.INSPECTION})


class AgreementStatus(models.TextChoices):
    OPEN = "open", _("Open")
    DONE = "done", _("Done")
    CANCELLED = "cancelled", _("Cancelled")


class ReferralStatus(models.TextChoices):
    PROPOSED = "proposed", _("Waiting for an answer")
    ACCEPTED = "accepted", _("Accepted")
    REJECTED = "rejected", _("Rejected")
    REVOKED = "revoked", _("Revoked")
