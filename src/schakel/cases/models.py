from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from schakel.catalogue.models import ExploitationForm
from schakel.core.events import Event
from schakel.core.fields import EncryptedTextField
from schakel.core.models import TimeStampedModel
from schakel.core.pseudonyms import pseudonym
from schakel.intake.choices import PersonRole, Sex
from schakel.intake.models import Signal, SignalPerson
from schakel.organisations.models import BigDecision, Municipality, Organisation

from .choices import (
    AgreementStatus,
    CaseEventKind,
    CaseStatus,
    DecisionKind,
    DirectionHolder,
    InterventionKind,
    InterventionStatus,
    LegalBasis,
    PersonOutcome,
    ProposalStatus,
    ReferralStatus,
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
    summary = models.TextField(
        _("situation"),
        blank=True,
        help_text=_("What the case is about, without names: persons are recorded below."),
    )
    exploitation_forms = models.ManyToManyField(
        ExploitationForm, blank=True, related_name="+", verbose_name=_("forms of exploitation")
    )
    safety_risk_high = models.BooleanField(_("high safety risk"), default=False)
    # Optimistic concurrency: a change carries the version it was based on (see services).
    version = models.PositiveIntegerField(default=1, editable=False)
    last_activity_at = models.DateTimeField(_("last activity"), null=True, editable=False)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True, editable=False)
    legal_hold = models.BooleanField(_("legal hold"), default=False, editable=False)
    legal_hold_reason = models.CharField(
        _("reason for the legal hold"), max_length=300, blank=True, editable=False
    )
    anonymised_at = models.DateTimeField(_("anonymised at"), null=True, blank=True, editable=False)

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


class TimelineEntry(Event):
    """A step on the case's shared timeline (core.events: a kind and its parameters, rendered
    when read by cases/events.py; `text` only what a participant typed). Append-only: a
    correction is a new entry that points at the one it corrects."""

    case = models.ForeignKey(Case, models.CASCADE, related_name="timeline")
    kind = models.CharField(_("kind"), max_length=32, choices=CaseEventKind.choices)
    happened_on = models.DateField(_("date"), null=True, blank=True)
    corrects = models.ForeignKey(
        "self", models.PROTECT, null=True, blank=True, related_name="corrections"
    )

    class Meta(Event.Meta):
        indexes = [models.Index(fields=["kind", "occurred_at"], name="case_event_kind_idx")]

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
    proposed_by_organisation = models.ForeignKey(
        Organisation, models.PROTECT, null=True, related_name="+"
    )
    municipal_decision = models.ForeignKey(
        BigDecision, models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_by = models.ForeignKey(USER, models.PROTECT, null=True, related_name="+")
    decided_at = models.DateTimeField(null=True)
    decision_note = models.TextField(_("what the meeting decided"), blank=True)
    # Who was present when the case meeting decided ("name (organisation)"), kept with the
    # decision because attendance is the meeting's and the decision must name them.
    decided_with = models.JSONField(_("present at the decision"), default=list, blank=True)

    def __str__(self) -> str:
        return f"{self.case} · {self.label}"

    @property
    def label(self) -> str:
        """What is proposed: the kind, or the municipality's own decision by name."""
        if self.municipal_decision_id is not None and self.municipal_decision is not None:
            return self.municipal_decision.name
        return str(self.get_kind_display())


class CasePerson(models.Model):
    """A person in a case. Identifying fields are encrypted at rest and found through a keyed
    hash; an organisation without a basis to see them sees the pseudonym ("Slachtoffer 1")."""

    case = models.ForeignKey(Case, models.CASCADE, related_name="persons")
    role = models.CharField(_("role"), max_length=12, choices=PersonRole.choices)
    number = models.PositiveSmallIntegerField(editable=False)
    name = EncryptedTextField(_("name"))
    name_index = models.CharField(max_length=64, db_index=True, editable=False)
    date_of_birth = EncryptedTextField(_("date of birth"), blank=True)
    sex = models.CharField(_("sex"), max_length=1, choices=Sex.choices, blank=True)
    nationality_country = CountryField(_("nationality"), blank=True)
    nationality = models.CharField(
        _("language or other details"),
        max_length=80,
        blank=True,
        help_text=_("The nationality is chosen above; here the language or what else is known."),
    )
    from_signal_person = models.ForeignKey(
        SignalPerson, models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # Found by "search before create": the same person as in another case.
    same_as = models.ForeignKey(
        "self", models.SET_NULL, null=True, blank=True, related_name="+", editable=False
    )
    added_at = models.DateTimeField(_("added at"), auto_now_add=True)

    class Meta:
        ordering = ["case", "role", "number"]
        constraints = [
            models.UniqueConstraint(fields=["case", "role", "number"], name="one_pseudonym")
        ]
        verbose_name = _("person in a case")
        verbose_name_plural = _("persons in cases")

    def __str__(self) -> str:
        return f"{self.case} · {self.pseudonym}"

    @property
    def pseudonym(self) -> str:
        return pseudonym(self.role, self.number)


class CasePersonOutcome(models.Model):
    """One thing that became of a person (DOMAIN.md §8): a victim can be referred to care,
    sheltered and registered with CoMensha, and counts in each figure."""

    person = models.ForeignKey(CasePerson, models.CASCADE, related_name="outcomes")
    outcome = models.CharField(_("outcome"), max_length=12, choices=PersonOutcome.choices)
    recorded_at = models.DateTimeField(_("recorded at"), default=timezone.now)
    recorded_by = models.ForeignKey(USER, models.PROTECT, null=True, related_name="+")

    class Meta:
        ordering = ["person", "outcome"]
        constraints = [
            models.UniqueConstraint(fields=["person", "outcome"], name="one_outcome_of_a_kind"),
            models.CheckConstraint(condition=~models.Q(outcome=""), name="outcome_is_known"),
        ]
        indexes = [models.Index(fields=["outcome", "recorded_at"], name="case_person_outcome_idx")]
        verbose_name = _("outcome for a person")
        verbose_name_plural = _("outcomes for persons")

    def __str__(self) -> str:
        return f"{self.person} · {self.get_outcome_display()}"


class Agreement(models.Model):
    """Who does what by when; overdue ones are flagged to the owner and the direction holder."""

    case = models.ForeignKey(Case, models.CASCADE, related_name="agreements")
    text = models.CharField(_("agreement"), max_length=500)
    owner = models.ForeignKey(
        Organisation, models.PROTECT, related_name="+", verbose_name=_("owner")
    )
    due_on = models.DateField(_("due on"))
    status = models.CharField(
        _("status"), max_length=10, choices=AgreementStatus.choices, default=AgreementStatus.OPEN
    )
    made_by = models.ForeignKey(USER, models.PROTECT, related_name="+")
    made_at = models.DateTimeField(auto_now_add=True)
    settled_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["due_on", "pk"]
        verbose_name = _("agreement")
        verbose_name_plural = _("agreements")

    def __str__(self) -> str:
        return self.text


class Referral(models.Model):
    """One partner refers the case (or a person in it) to another, visible to both sides."""

    case = models.ForeignKey(Case, models.CASCADE, related_name="referrals")
    from_organisation = models.ForeignKey(Organisation, models.PROTECT, related_name="+")
    to_organisation = models.ForeignKey(
        Organisation, models.PROTECT, related_name="+", verbose_name=_("to")
    )
    reason = models.TextField(_("reason"))
    status = models.CharField(
        _("status"), max_length=10, choices=ReferralStatus.choices, default=ReferralStatus.PROPOSED
    )
    answer = models.TextField(_("answer"), blank=True)
    made_by = models.ForeignKey(USER, models.PROTECT, related_name="+")
    made_at = models.DateTimeField(auto_now_add=True)
    answered_by = models.ForeignKey(USER, models.PROTECT, null=True, related_name="+")
    answered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-made_at"]
        verbose_name = _("referral")
        verbose_name_plural = _("referrals")

    def __str__(self) -> str:
        return f"{self.case} → {self.to_organisation}"
