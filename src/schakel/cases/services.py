"""Every write to cases goes through here: policy check, change, timeline entry and audit entry
in one transaction; mails after commit."""

from __future__ import annotations

import secrets

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from schakel.audit.choices import AuditAction
from schakel.audit.services import audit_record
from schakel.core.context import AccessContext
from schakel.core.policies import Action
from schakel.intake.models import Signal
from schakel.meetings.choices import MeetingStatus
from schakel.meetings.models import Meeting
from schakel.organisations.choices import MeetingType, Role
from schakel.organisations.models import Membership, Organisation, User

from .choices import (
    CaseStatus,
    DecisionKind,
    DirectionHolder,
    InterventionKind,
    InterventionStatus,
    LegalBasis,
    ProposalStatus,
)
from .models import Case, CaseParticipant, Intervention, Proposal, TimelineEntry
from .policies import DIRECTOR_ROLES, case_policy
from .workflow import (
    CASE_TRANSITIONS,
    INTERVENTION_TRANSITIONS,
    PROPOSAL_TRANSITIONS,
    TransitionRefused,
    check,
    guard_execute,
)

REFERENCE_ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"


def _user_id(context: AccessContext) -> int:
    if context.actor.user_id is None:
        raise PermissionDenied
    return context.actor.user_id


def _post(context: AccessContext, case: Case, kind: str, text: str) -> TimelineEntry:
    """A timeline entry for this step, and its audit entry."""
    user_id = context.actor.user_id
    organisation_ids = case.participants.filter(
        organisation__in=context.actor.organisations_where(*context.actor.roles)
    ).values_list("organisation_id", flat=True)
    entry = TimelineEntry.objects.create(
        case=case,
        kind=kind,
        text=text,
        actor_id=user_id,
        organisation_id=next(iter(organisation_ids), None),
    )
    audit_record(context=context, action=AuditAction.CHANGE, objects=[case], purpose=f"case {kind}")
    return entry


def _locked(context: AccessContext, case: Case, action: Action) -> Case:
    if not case_policy.can(context.actor, action, case):
        raise PermissionDenied
    return Case.objects.select_for_update().get(pk=case.pk)


@transaction.atomic
def case_open(*, context: AccessContext, signals: list[Signal], organisation: Organisation) -> Case:
    """The netwerkregisseur opens a case from signals of their own municipality; their own
    organisation takes part from the start."""
    if not signals or not case_policy.can(context.actor, Action.CREATE):
        raise PermissionDenied
    municipality_ids = {signal.municipality_id for signal in signals}
    if len(municipality_ids) != 1 or not municipality_ids <= context.actor.municipalities_where(
        *DIRECTOR_ROLES
    ):
        raise PermissionDenied
    if organisation.pk not in context.actor.organisations_where(*DIRECTOR_ROLES):
        raise PermissionDenied
    year = timezone.localdate().year
    case = Case.objects.create(
        reference=f"ZK-{year}-" + "".join(secrets.choice(REFERENCE_ALPHABET) for _ in range(6)),
        municipality_id=municipality_ids.pop(),
    )
    case.signals.set(signals)
    CaseParticipant.objects.create(
        case=case,
        organisation=organisation,
        legal_basis=LegalBasis.COVENANT,
        justification="netwerkregisseur",
        added_by_id=_user_id(context),
    )
    _post(context, case, "opened", ", ".join(s.reference for s in signals))
    return case


def _covenant_covers(organisation: Organisation, case: Case) -> bool:
    return organisation.covenants.filter(
        region=case.municipality.region, coverages__meeting_type=MeetingType.CASE_MEETING
    ).exists()


@transaction.atomic
def case_add_participant(
    *,
    context: AccessContext,
    case: Case,
    organisation: Organisation,
    legal_basis: str,
    justification: str,
) -> CaseParticipant:
    """Share the case with another organisation: only with a legal basis (a covenant that covers
    case meetings and includes it, an AVG ground, or consent) and a reason. Without a basis it
    is an override: recorded on the timeline, and the privacy officers are told at once."""
    case = _locked(context, case, Action.CHANGE)
    if legal_basis not in LegalBasis.values or not justification.strip():
        raise ValidationError(_("Record the legal basis and the reason for sharing."))
    if legal_basis == LegalBasis.COVENANT and not _covenant_covers(organisation, case):
        raise ValidationError(
            _("%(organisation)s is not a party to a covenant that covers case meetings.")
            % {"organisation": organisation}
        )
    participant = CaseParticipant.objects.create(
        case=case,
        organisation=organisation,
        legal_basis=legal_basis,
        justification=justification.strip()[:500],
        added_by_id=_user_id(context),
    )
    _post(
        context,
        case,
        "shared",
        f"{organisation} · {LegalBasis(legal_basis).label} · {justification.strip()}",
    )
    if legal_basis == LegalBasis.OVERRIDE:
        reference = case.reference
        transaction.on_commit(lambda: _notify_privacy_officers(reference, str(organisation)))
    return participant


def _notify_privacy_officers(reference: str, organisation: str) -> None:
    addresses = list(
        User.objects.filter(
            memberships__role=Role.PRIVACY_OFFICER, memberships__is_active=True, is_active=True
        )
        .exclude(email="")
        .values_list("email", flat=True)
        .distinct()
    )
    if addresses:
        send_mail(
            _("Case %(reference)s was shared without a recorded legal basis")
            % {"reference": reference},
            _("%(organisation)s was added to case %(reference)s by override. Check the timeline.")
            % {"organisation": organisation, "reference": reference},
            None,
            addresses,
        )


@transaction.atomic
def case_set_direction(*, context: AccessContext, case: Case, holder: str, reason: str) -> Case:
    """Change who keeps direction; Veilig Thuis at high risk, the ZVH when the process stalls."""
    case = _locked(context, case, Action.CHANGE)
    if holder not in DirectionHolder.values or not reason.strip():
        raise ValidationError(_("Choose the direction holder and give the reason."))
    case.direction_holder = holder
    case.save(update_fields=["direction_holder", "updated_at"])
    _post(context, case, "direction", f"{DirectionHolder(holder).label}: {reason.strip()}")
    return case


@transaction.atomic
def timeline_post(
    *,
    context: AccessContext,
    case: Case,
    kind: str,
    text: str,
    corrects: TimelineEntry | None = None,
) -> TimelineEntry:
    """A participant records what it did; a correction points at the entry it corrects."""
    if not case_policy.can(context.actor, Action.VIEW, case) or not text.strip():
        raise PermissionDenied
    if corrects is not None and corrects.case_id != case.pk:
        raise ValidationError(_("A correction belongs to the same case."))
    entry = _post(context, case, kind, text.strip())
    if corrects is not None:
        entry.corrects = corrects
        entry.save(update_fields=["corrects"])
    return entry


# --- Interventions: the RIEC → care interlock -------------------------------------------------


def _move_intervention(intervention: Intervention, target: InterventionStatus) -> None:
    check(INTERVENTION_TRANSITIONS, intervention.status, target)
    intervention.status = target


@transaction.atomic
def intervention_propose(
    *, context: AccessContext, case: Case, kind: str, description: str
) -> Intervention:
    if kind not in InterventionKind.values or not description.strip():
        raise ValidationError(_("Choose the kind of intervention and describe it."))
    if not case_policy.may_propose_intervention(context.actor, case):
        raise PermissionDenied
    intervention = Intervention.objects.create(
        case=case, kind=kind, description=description.strip(), proposed_by_id=_user_id(context)
    )
    _post(context, case, "intervention_proposed", str(intervention.get_kind_display()))
    return intervention


def _guard_case_meeting(meeting: Meeting, case: Case) -> None:
    """Acknowledgements and approvals happen in a case meeting that is being held, with the case
    on its agenda: not in a corridor, not by one partner alone."""
    if (
        meeting.meeting_type != MeetingType.CASE_MEETING
        or meeting.status != MeetingStatus.HELD
        or not meeting.agenda.filter(case=case).exists()
    ):
        raise TransitionRefused(
            _(
                "This is decided in a case meeting (VCO) that is being held with the case on its "
                "agenda."
            )
        )


@transaction.atomic
def intervention_acknowledge(
    *, context: AccessContext, intervention: Intervention, meeting: Meeting, note: str = ""
) -> Intervention:
    """The zorgcoördinator or Veilig Thuis heard of the intervention in the case meeting and can
    prepare the victim's safety."""
    intervention = Intervention.objects.select_for_update().get(pk=intervention.pk)
    if not case_policy.may_acknowledge_intervention(context.actor, intervention.case):
        raise PermissionDenied
    _guard_case_meeting(meeting, intervention.case)
    _move_intervention(intervention, InterventionStatus.ACKNOWLEDGED)
    intervention.acknowledged_by_id = context.actor.user_id
    intervention.acknowledged_at = timezone.now()
    intervention.acknowledged_in = meeting
    intervention.save()
    _post(
        context,
        intervention.case,
        "intervention_acknowledged",
        f"{intervention.get_kind_display()} · {meeting} {note.strip()}".strip(),
    )
    return intervention


@transaction.atomic
def intervention_execute(
    *, context: AccessContext, intervention: Intervention, urgent_reason: str = ""
) -> Intervention:
    """Execute; before the care side acknowledged only in urgent danger, with the reason, and
    then the zorgcoördinator and Veilig Thuis are told at once."""
    intervention = Intervention.objects.select_for_update().get(pk=intervention.pk)
    case = intervention.case
    if not case_policy.may_propose_intervention(context.actor, case):
        raise PermissionDenied
    guard_execute(status=intervention.status, urgent_reason=urgent_reason)
    urgent = intervention.status == InterventionStatus.PROPOSED
    _move_intervention(intervention, InterventionStatus.EXECUTED)
    intervention.executed_at = timezone.now()
    intervention.urgent_override_reason = urgent_reason.strip() if urgent else ""
    intervention.save()
    _post(
        context,
        case,
        "intervention_executed",
        _("Urgent danger: %(reason)s") % {"reason": urgent_reason.strip()} if urgent else "",
    )
    if urgent:
        reference = case.reference
        case_id = case.pk
        transaction.on_commit(lambda: _notify_care_side(case_id, reference))
    return intervention


def _notify_care_side(case_id: int, reference: str) -> None:
    case = Case.objects.get(pk=case_id)
    organisations = case.participants.values_list("organisation_id", flat=True)
    addresses = list(
        Membership.objects.filter(
            organisation__in=organisations,
            role__in=(Role.ZORGCOORDINATOR, Role.VEILIG_THUIS),
            is_active=True,
            user__is_active=True,
        )
        .exclude(user__email="")
        .values_list("user__email", flat=True)
        .distinct()
    )
    if addresses:
        send_mail(
            _("Urgent: an intervention in case %(reference)s was executed")
            % {"reference": reference},
            _(
                "An intervention against a perpetrator in case %(reference)s was executed before "
                "the care side could acknowledge it, because of urgent danger. Log in to see it."
            )
            % {"reference": reference},
            None,
            addresses,
        )


@transaction.atomic
def intervention_record_outcome(
    *, context: AccessContext, intervention: Intervention, outcome: str
) -> Intervention:
    intervention = Intervention.objects.select_for_update().get(pk=intervention.pk)
    if not case_policy.may_propose_intervention(context.actor, intervention.case):
        raise PermissionDenied
    _move_intervention(intervention, InterventionStatus.OUTCOME)
    intervention.outcome = outcome.strip()
    intervention.save()
    _post(context, intervention.case, "intervention_outcome", outcome.strip())
    return intervention


# --- Big decisions in consultation --------------------------------------------------------------


@transaction.atomic
def proposal_create(*, context: AccessContext, case: Case, kind: str, text: str) -> Proposal:
    """A participant wants to take a big decision: it becomes a proposal for the case meeting
    and takes no effect until the meeting approves it."""
    if kind not in DecisionKind.values or not text.strip():
        raise ValidationError(_("Choose the decision and describe it."))
    if not case_policy.can(context.actor, Action.VIEW, case):
        raise PermissionDenied
    proposal = Proposal.objects.create(
        case=case, kind=kind, text=text.strip(), proposed_by_id=_user_id(context)
    )
    _post(context, case, "proposal", str(proposal.get_kind_display()))
    return proposal


@transaction.atomic
def proposal_decide(
    *,
    context: AccessContext,
    proposal: Proposal,
    approve: bool,
    meeting: Meeting,
    meeting_note: str,
) -> Proposal:
    """The case meeting decides; the netwerkregisseur records it with what was agreed."""
    proposal = Proposal.objects.select_for_update().get(pk=proposal.pk)
    if not case_policy.can(context.actor, Action.CHANGE, proposal.case):
        raise PermissionDenied
    if not meeting_note.strip():
        raise ValidationError(_("Record what the case meeting decided."))
    _guard_case_meeting(meeting, proposal.case)
    target = ProposalStatus.APPROVED if approve else ProposalStatus.REJECTED
    check(PROPOSAL_TRANSITIONS, proposal.status, target)
    proposal.status = target
    proposal.decided_by_id = context.actor.user_id
    proposal.decided_at = timezone.now()
    proposal.decided_in = meeting
    proposal.decision_note = meeting_note.strip()
    proposal.save()
    _post(context, proposal.case, f"proposal_{target}", meeting_note.strip())
    return proposal


@transaction.atomic
def case_close(*, context: AccessContext, case: Case, summary: str) -> Case:
    case = _locked(context, case, Action.CHANGE)
    if case.proposals.filter(status=ProposalStatus.PENDING).exists():
        raise TransitionRefused(_("Decide the pending proposals in a case meeting first."))
    check(CASE_TRANSITIONS, case.status, CaseStatus.CLOSED)
    case.status = CaseStatus.CLOSED
    case.save(update_fields=["status", "updated_at"])
    _post(context, case, "closed", summary.strip())
    return case
