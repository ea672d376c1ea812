"""Every write to cases goes through here: policy check, change, timeline entry and audit entry
in one transaction; mails after commit."""

from __future__ import annotations

import secrets
from collections.abc import Iterable, Mapping
from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from schakel.audit.choices import AuditAction
from schakel.audit.services import audit_record
from schakel.catalogue.models import ExploitationForm
from schakel.core import drafts
from schakel.core.context import AccessContext
from schakel.core.crypto import blind_index, normalise
from schakel.core.models import Draft
from schakel.core.policies import Action
from schakel.core.text import clean_text, reason_text
from schakel.intake.choices import PersonRole, Sex, SignalStatus
from schakel.intake.models import Signal
from schakel.intake.pii import refuse_personal_data
from schakel.intake.services import signal_give_feedback
from schakel.organisations.choices import MeetingType
from schakel.organisations.models import Organisation
from schakel.organisations.selectors import covered_organisations

from . import hooks, notifications
from .choices import (
    REVEALING_BASES,
    SYSTEM_KIND_LABELS,
    AgreementStatus,
    CaseStatus,
    DirectionHolder,
    InterventionKind,
    InterventionStatus,
    LegalBasis,
    PersonOutcome,
    ProposalStatus,
    ReferralStatus,
    TimelineKind,
)
from .decisions import Suspected, big_decision_in, decision_from_code
from .models import (
    Agreement,
    Case,
    CaseParticipant,
    CasePerson,
    Intervention,
    Proposal,
    Referral,
    TimelineEntry,
)
from .policies import (
    CaseAction,
    case_access,
    case_policy,
)
from .workflow import (
    AGREEMENT_TRANSITIONS,
    CASE_TRANSITIONS,
    INTERVENTION_TRANSITIONS,
    PROPOSAL_TRANSITIONS,
    REFERRAL_TRANSITIONS,
    check,
    guard_close,
    guard_execute,
)

REFERENCE_ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"
NAME_INDEX = "person-name"  # the blind-index purpose shared with intake's persons


class CaseChanged(Exception):
    """Optimistic concurrency: someone else saved the case after this form was opened."""

    def __init__(self, case: Case) -> None:
        self.case = case
        changed_at = timezone.localtime(case.updated_at)
        super().__init__(
            _(
                "Someone else changed this case at %(time)s, after you opened the form. Your "
                "input is kept below: check the case and save again."
            )
            % {"time": f"{changed_at:%H:%M}"}
        )


def _post(
    context: AccessContext,
    case: Case,
    kind: str,
    text: str,
    *,
    happened_on: date | None = None,
    corrects: TimelineEntry | None = None,
    subjects: Iterable[CasePerson] = (),
) -> TimelineEntry:
    """A timeline entry for this step, in the name of the acting membership's organisation, the
    case's last activity, and the audit entry."""
    entry = TimelineEntry.objects.create(
        case=case,
        kind=kind,
        text=text,
        happened_on=happened_on,
        corrects=corrects,
        actor_id=context.actor.user_id,
        organisation_id=context.actor.organisation_id,
    )
    Case.objects.filter(pk=case.pk).update(last_activity_at=entry.occurred_at)
    audit_record(
        context=context,
        action=AuditAction.CHANGE,
        objects=[case],
        purpose=f"case {kind}",
        subjects=subjects,
    )
    return entry


def _next_number(case: Case, role: str) -> int:
    highest = case.persons.filter(role=role).aggregate(highest=Max("number"))["highest"]
    return (highest or 0) + 1


# --- Opening, sharing, direction ----------------------------------------------------------------


@transaction.atomic
def case_open(
    *,
    context: AccessContext,
    signals: list[Signal],
    summary: str = "",
) -> Case:
    """The netwerkregisseur opens a case from signals of their own municipality; their own
    organisation takes part from the start, and the persons named in the signals come along,
    numbered per role ("Slachtoffer 1", "Verdachte A")."""
    if not signals or not case_policy.can(context.actor, Action.CREATE):
        raise PermissionDenied
    municipality_ids = {signal.municipality_id for signal in signals}
    if municipality_ids != {context.actor.municipality_id}:
        raise PermissionDenied
    year = timezone.localdate().year
    case = Case.objects.create(
        reference=f"ZK-{year}-" + "".join(secrets.choice(REFERENCE_ALPHABET) for _ in range(6)),
        municipality_id=municipality_ids.pop(),
        summary=summary.strip(),
    )
    case.signals.set(signals)
    forms = ExploitationForm.objects.filter(signals__in=signals).exclude(code="unknown").distinct()
    case.exploitation_forms.set(forms)
    CaseParticipant.objects.create(
        case=case,
        organisation_id=context.organisation_id(),
        legal_basis=LegalBasis.COVENANT,
        justification="netwerkregisseur",
        added_by_id=context.user_id(),
    )
    persons = []
    for signal in signals:
        for person in signal.persons.all():
            persons.append(
                CasePerson.objects.create(
                    case=case,
                    role=person.role,
                    number=_next_number(case, person.role),
                    name=person.name,
                    name_index=person.name_index,
                    date_of_birth=person.date_of_birth,
                    sex=person.sex,
                    nationality=person.nationality,
                    from_signal_person=person,
                )
            )
    _post(context, case, "opened", ", ".join(s.reference for s in signals), subjects=persons)
    hooks.persons_shown(context, case)
    return case


@transaction.atomic
def case_update(
    *,
    context: AccessContext,
    case: Case,
    version: int,
    summary: str,
    exploitation_forms: Iterable[ExploitationForm],
    safety_risk_high: bool,
) -> Case:
    """Change what the case is about. `version` is the one the form was opened with: when
    someone saved in between, CaseChanged is raised and nothing is overwritten."""
    case = case_access(context, case, CaseAction.UPDATE, lock=True)
    if case.version != version:
        raise CaseChanged(case)
    case.summary = summary.strip()
    case.safety_risk_high = safety_risk_high
    case.version += 1
    case.save(update_fields=["summary", "safety_risk_high", "version", "updated_at"])
    case.exploitation_forms.set(list(exploitation_forms))
    text = ", ".join(str(f) for f in case.exploitation_forms.all())
    if safety_risk_high:
        text += " · " + _("high safety risk")
    _post(context, case, "updated", text)
    return case


def _covenant_covers(organisation: Organisation, case: Case) -> bool:
    """The organisation is party to a covenant of the region that covers case meetings and is in
    force today: the same rule as for personal data in a meeting."""
    return bool(
        covered_organisations(
            organisation_ids=[organisation.pk],
            region_id=case.municipality.region_id,
            meeting_type=MeetingType.CASE_MEETING,
            on=timezone.localdate(),
        )
    )


def _check_basis(
    context: AccessContext, case: Case, organisation: Organisation, basis: str, reason: str
) -> str:
    """A basis from the list and a reason; a covenant only when it covers case meetings and the
    organisation is a party; an override only for whom the policy allows it. Returns the reason
    as it is recorded."""
    message = _("Record the legal basis and the reason for sharing.")
    if basis not in LegalBasis.values:
        raise ValidationError(message)
    reason = reason_text(reason, message=message)
    if basis == LegalBasis.COVENANT and not _covenant_covers(organisation, case):
        raise ValidationError(
            _("%(organisation)s is not a party to a covenant that covers case meetings.")
            % {"organisation": organisation}
        )
    if basis == LegalBasis.OVERRIDE:
        case_policy.check(context.actor, CaseAction.SHARE_OVERRIDE, case)
    return reason


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
    case meetings and includes it, an AVG ground, or consent) and a reason, or pseudonymised
    (still with a reason). Without a basis it is an override: recorded on the timeline, and the
    privacy officers are told at once."""
    case = case_access(context, case, CaseAction.SHARE, lock=True)
    justification = _check_basis(context, case, organisation, legal_basis, justification)
    if case.participants.filter(organisation=organisation).exists():
        raise ValidationError(
            _("%(organisation)s already takes part.") % {"organisation": organisation}
        )
    participant = CaseParticipant.objects.create(
        case=case,
        organisation=organisation,
        legal_basis=legal_basis,
        justification=justification[:500],
        added_by_id=context.user_id(),
    )
    _post(
        context,
        case,
        "shared",
        f"{organisation} · {LegalBasis(legal_basis).label} · {justification}",
        # Who now sees the persons by name is part of their access trail.
        subjects=case.persons.all() if legal_basis in REVEALING_BASES else (),
    )
    case_id, organisation_id, actor = case.pk, organisation.pk, context.actor.user_id
    transaction.on_commit(
        lambda: notifications.new_participant(
            case_id=case_id, organisation_id=organisation_id, actor_user_id=actor
        )
    )
    if legal_basis == LegalBasis.OVERRIDE:
        reference = case.reference
        name = str(organisation)
        transaction.on_commit(
            lambda: notifications.privacy_officers_of_override(
                reference=reference, organisation=name
            )
        )
    hooks.persons_shown(context, case)
    return participant


@transaction.atomic
def case_reveal_personal_data(
    *,
    context: AccessContext,
    participant: CaseParticipant,
    legal_basis: str,
    justification: str,
) -> CaseParticipant:
    """A participant that saw the case pseudonymised gets to see the persons by name: a
    separate step, again with a basis and a reason (DOMAIN.md §7: share pseudonymously first,
    more when it rings a bell and can be justified)."""
    case = case_access(context, participant.case, CaseAction.REVEAL, lock=True)
    participant = CaseParticipant.objects.select_for_update().get(pk=participant.pk, case=case)
    if legal_basis == LegalBasis.PSEUDONYMS_ONLY:
        raise ValidationError(_("Choose the basis on which the personal data are shared."))
    justification = _check_basis(
        context, case, participant.organisation, legal_basis, justification
    )
    if participant.legal_basis != LegalBasis.PSEUDONYMS_ONLY:
        raise ValidationError(_("This participant already sees personal data."))
    participant.legal_basis = legal_basis
    participant.justification = justification[:500]
    participant.save(update_fields=["legal_basis", "justification"])
    _post(
        context,
        case,
        "revealed",
        f"{participant.organisation} · {LegalBasis(legal_basis).label} · {justification}",
        subjects=case.persons.all(),
    )
    if legal_basis == LegalBasis.OVERRIDE:
        reference, name = case.reference, str(participant.organisation)
        transaction.on_commit(
            lambda: notifications.privacy_officers_of_override(
                reference=reference, organisation=name
            )
        )
    hooks.persons_shown(context, case)
    return participant


@transaction.atomic
def case_remove_participant(
    *, context: AccessContext, participant: CaseParticipant, reason: str
) -> None:
    """Stop sharing the case with an organisation that no longer needs it (purpose limitation):
    it no longer sees the case, and its hit/no-hit registrations of the case's persons go. Not
    the remover's own organisation, and not while it owns open agreements."""
    case = case_access(context, participant.case, CaseAction.UNSHARE, lock=True)
    participant = CaseParticipant.objects.get(pk=participant.pk, case=case)
    organisation = participant.organisation
    reason = reason_text(reason, message=_("Say why the organisation no longer takes part."))
    if organisation.pk == context.actor.organisation_id:
        raise ValidationError(_("You cannot take your own organisation out of the case."))
    if case.agreements.filter(owner=organisation, status=AgreementStatus.OPEN).exists():
        raise ValidationError(
            _("%(organisation)s still owns open agreements: settle them first.")
            % {"organisation": organisation}
        )
    hooks.organisation_left(case, organisation.pk)
    participant.delete()
    _post(
        context,
        case,
        "unshared",
        f"{organisation} · {reason}",
        subjects=case.persons.all(),
    )


@transaction.atomic
def case_set_direction(*, context: AccessContext, case: Case, holder: str, reason: str) -> Case:
    """Change who keeps direction; Veilig Thuis at high risk, the ZVH when the process stalls."""
    case = case_access(context, case, CaseAction.SET_DIRECTION, lock=True)
    message = _("Choose the direction holder and give the reason.")
    if holder not in DirectionHolder.values:
        raise ValidationError(message)
    reason = reason_text(reason, message=message)
    case.direction_holder = holder
    case.version += 1
    case.save(update_fields=["direction_holder", "version", "updated_at"])
    _post(context, case, "direction", f"{DirectionHolder(holder).label}: {reason}")
    return case


# --- Persons ------------------------------------------------------------------------------------


@transaction.atomic
def case_person_add(
    *,
    context: AccessContext,
    case: Case,
    role: str,
    name: str,
    date_of_birth: str = "",
    sex: str = "",
    nationality: str = "",
    same_as: CasePerson | None = None,
) -> CasePerson:
    """Add a person after searching (cases.selectors.case_person_matches): either confirmed new,
    or `same_as` a person found in a case the actor may see by name. The same person twice in
    one case is not added again."""
    case = case_access(context, case, CaseAction.ADD_PERSON, lock=True)
    if role not in PersonRole.values or not name.strip() or sex not in Sex.values:
        raise ValidationError(_("Give the person's role and name."))
    if same_as is not None:
        # Only a person the actor may see by name, in a case they see.
        case_access(context, same_as.case, CaseAction.SEE_PERSONS)
        if same_as.case_id == case.pk:
            return same_as
    person = CasePerson.objects.create(
        case=case,
        role=role,
        number=_next_number(case, role),
        name=name.strip(),
        name_index=blind_index(name, purpose=NAME_INDEX),
        date_of_birth=date_of_birth.strip(),
        sex=sex,
        nationality=nationality.strip()[:80],
        same_as=same_as,
    )
    _post(context, case, "person", person.pseudonym, subjects=[person])
    hooks.persons_shown(context, case)
    return person


# --- The timeline -------------------------------------------------------------------------------


class LooksLikeBigDecision(Exception):
    """The entry's words read like a decision the case meeting takes: nothing is saved until its
    author says it is a proposal, or that it is not a big decision (`plain_confirmed`)."""

    def __init__(self, suspected: Suspected) -> None:
        super().__init__(suspected.label)
        self.suspected = suspected


@transaction.atomic
def timeline_post(
    *,
    context: AccessContext,
    case: Case,
    kind: str,
    text: str,
    happened_on: date | None = None,
    corrects: TimelineEntry | None = None,
    decision_kind: str = "",
    plain_confirmed: bool = False,
) -> TimelineEntry | Proposal:
    """A participant records what it did. The timeline is append-only: a correction is a new
    entry pointing at the one it corrects. Every entry is asked whether it takes a big decision
    (cases/decisions.py), whatever its label: one chosen in `decision_kind` becomes a proposal
    for the case meeting and takes no effect until approved; words that read like one raise
    LooksLikeBigDecision unless the author confirmed it is a plain entry."""
    case = case_access(context, case, CaseAction.POST, lock=True)
    if kind not in TimelineKind.values or not clean_text(text):
        raise ValidationError(_("Choose what you record and describe it."))
    if happened_on is not None and happened_on > timezone.localdate():
        raise ValidationError(_("The date cannot be in the future."))
    if corrects is not None and corrects.case_id != case.pk:
        raise ValidationError(_("A correction belongs to the same case."))
    if decision_kind:
        return proposal_create(context=context, case=case, kind=decision_kind, text=text)
    suspected = big_decision_in(text, case.municipality_id)
    if suspected is not None and not plain_confirmed:
        raise LooksLikeBigDecision(suspected)
    return _post(context, case, kind, text.strip(), happened_on=happened_on, corrects=corrects)


@transaction.atomic
def timeline_record(*, context: AccessContext, case: Case, kind: str, text: str) -> TimelineEntry:
    """Another app's step on the case's timeline (an inspection planned, its findings), by a
    participant: a kind the timeline knows (SYSTEM_KIND_LABELS), never a hand-posted one."""
    case = case_access(context, case, CaseAction.POST, lock=True)
    if kind not in SYSTEM_KIND_LABELS:
        raise ValidationError(_("This is not a step the timeline records."))
    return _post(context, case, kind, text)


# --- Agreements ---------------------------------------------------------------------------------


@transaction.atomic
def agreement_make(
    *, context: AccessContext, case: Case, text: str, owner: Organisation, due_on: date
) -> Agreement:
    """Who does what by when; the owner is one of the participating organisations."""
    case = case_access(context, case, CaseAction.MAKE_AGREEMENT, lock=True)
    if not text.strip():
        raise ValidationError(_("Describe the agreement."))
    if not case.participants.filter(organisation=owner).exists():
        raise ValidationError(_("The owner must be an organisation that takes part in the case."))
    agreement = Agreement.objects.create(
        case=case, text=text.strip()[:500], owner=owner, due_on=due_on, made_by_id=context.user_id()
    )
    _post(context, case, "agreement", f"{owner} · {due_on:%d-%m-%Y} · {agreement.text}")
    return agreement


@transaction.atomic
def agreement_settle(
    *, context: AccessContext, agreement: Agreement, status: str, note: str = ""
) -> Agreement:
    """The owner (or the netwerkregisseur) marks the agreement done or cancelled."""
    case = case_access(
        context, agreement.case, CaseAction.SETTLE_AGREEMENT, lock=True, target=agreement
    )
    agreement = Agreement.objects.select_for_update().get(pk=agreement.pk, case=case)
    check(AGREEMENT_TRANSITIONS, agreement.status, status)
    agreement.status = status
    agreement.settled_at = timezone.now()
    agreement.save(update_fields=["status", "settled_at"])
    _post(context, case, f"agreement_{status}", f"{agreement.text} {note.strip()}".strip())
    return agreement


# --- Referrals ----------------------------------------------------------------------------------


@transaction.atomic
def referral_make(
    *, context: AccessContext, case: Case, to_organisation: Organisation, reason: str
) -> Referral:
    """Refer the case to another organisation (the ZC, Veilig Thuis, a shelter, the labour
    inspectorate …). It sees the referral at once, pseudonymised, until it gets a basis."""
    case = case_access(context, case, CaseAction.REFER, lock=True)
    reason = reason_text(reason, message=_("Give the reason for the referral."))
    from_id = context.organisation_id()
    if to_organisation.pk == from_id or not to_organisation.is_active:
        raise ValidationError(_("Refer to another, active organisation."))
    if case.referrals.filter(
        to_organisation=to_organisation, status=ReferralStatus.PROPOSED
    ).exists():
        raise ValidationError(_("This organisation has not answered the earlier referral yet."))
    referral = Referral.objects.create(
        case=case,
        from_organisation_id=from_id,
        to_organisation=to_organisation,
        reason=reason,
        made_by_id=context.user_id(),
    )
    _post(context, case, "referral_proposed", f"→ {to_organisation} · {reason}")
    referral_id, actor = referral.pk, context.actor.user_id
    transaction.on_commit(
        lambda: notifications.referral_made(referral_id=referral_id, actor_user_id=actor)
    )
    return referral


def _answer_referral(context: AccessContext, referral: Referral, target: str, answer: str) -> None:
    check(REFERRAL_TRANSITIONS, referral.status, target)
    referral.status = target
    referral.answer = answer.strip()
    referral.answered_by_id = context.user_id()
    referral.answered_at = timezone.now()
    referral.save(update_fields=["status", "answer", "answered_by", "answered_at"])


@transaction.atomic
def referral_answer(
    *, context: AccessContext, referral: Referral, accept: bool, answer: str = ""
) -> Referral:
    """The receiving organisation accepts (it then takes part, pseudonymised until the
    netwerkregisseur reveals personal data with a basis) or rejects with a reason."""
    case = case_access(
        context, referral.case, CaseAction.ANSWER_REFERRAL, lock=True, target=referral
    )
    referral = Referral.objects.select_for_update().get(pk=referral.pk, case=case)
    if not accept:
        answer = reason_text(answer, message=_("Give the reason for rejecting the referral."))
    target = ReferralStatus.ACCEPTED if accept else ReferralStatus.REJECTED
    _answer_referral(context, referral, target, answer)
    if accept and not case.participants.filter(organisation=referral.to_organisation).exists():
        CaseParticipant.objects.create(
            case=case,
            organisation=referral.to_organisation,
            legal_basis=LegalBasis.PSEUDONYMS_ONLY,
            justification=_("Referral accepted: %(reason)s") % {"reason": referral.reason[:400]},
            added_by_id=context.user_id(),
        )
    _post(
        context,
        case,
        f"referral_{target}",
        f"{referral.to_organisation} · {answer.strip()}".strip(" ·"),
    )
    return referral


@transaction.atomic
def referral_revoke(*, context: AccessContext, referral: Referral, reason: str) -> Referral:
    """The referring side (or the netwerkregisseur) takes the referral back, with a reason."""
    case = case_access(
        context, referral.case, CaseAction.REVOKE_REFERRAL, lock=True, target=referral
    )
    referral = Referral.objects.select_for_update().get(pk=referral.pk, case=case)
    reason = reason_text(reason, message=_("Give the reason for revoking the referral."))
    _answer_referral(context, referral, ReferralStatus.REVOKED, reason)
    _post(context, case, "referral_revoked", f"{referral.to_organisation} · {reason}")
    return referral


# --- Interventions: the RIEC → care interlock -------------------------------------------------


def _move_intervention(intervention: Intervention, target: InterventionStatus) -> None:
    check(INTERVENTION_TRANSITIONS, intervention.status, target)
    intervention.status = target


@transaction.atomic
def intervention_propose(
    *, context: AccessContext, case: Case, kind: str, description: str
) -> Intervention:
    case = case_access(context, case, CaseAction.PROPOSE_INTERVENTION, lock=True)
    if kind not in InterventionKind.values or not description.strip():
        raise ValidationError(_("Choose the kind of intervention and describe it."))
    intervention = Intervention.objects.create(
        case=case, kind=kind, description=description.strip(), proposed_by_id=context.user_id()
    )
    _post(context, case, "intervention_proposed", str(intervention.get_kind_display()))
    hooks.waits_for_meeting(case)
    case_id, actor = case.pk, context.actor.user_id
    transaction.on_commit(
        lambda: notifications.intervention_proposed(case_id=case_id, actor_user_id=actor)
    )
    return intervention


@transaction.atomic
def intervention_acknowledge(
    *, context: AccessContext, intervention: Intervention, meeting: Any, note: str = ""
) -> Intervention:
    """The zorgcoördinator or Veilig Thuis heard of the intervention in the case meeting and can
    prepare the victim's safety: in a case meeting being held with its quorum, the acknowledger
    recorded present (the meeting's rules: cases.hooks.DecisionForum)."""
    case = case_access(context, intervention.case, CaseAction.ACKNOWLEDGE_INTERVENTION, lock=True)
    intervention = Intervention.objects.select_for_update().get(pk=intervention.pk, case=case)
    sitting = hooks.forum().sitting(context, meeting, case, "acknowledge_intervention")
    _move_intervention(intervention, InterventionStatus.ACKNOWLEDGED)
    intervention.acknowledged_by_id = context.actor.user_id
    intervention.acknowledged_at = timezone.now()
    intervention.save()
    hooks.forum().record(sitting, proposal=None, intervention=intervention)
    _post(
        context,
        case,
        "intervention_acknowledged",
        f"{intervention.get_kind_display()} · {sitting.label} · "
        + _("present: %(present)s") % {"present": ", ".join(sitting.present)}
        + (f" · {note.strip()}" if note.strip() else ""),
    )
    return intervention


@transaction.atomic
def intervention_execute(
    *, context: AccessContext, intervention: Intervention, urgent_reason: str = ""
) -> Intervention:
    """Execute; before the care side acknowledged only in urgent danger, with the reason, and
    then the zorgcoördinator and Veilig Thuis are told at once."""
    case = case_access(context, intervention.case, CaseAction.EXECUTE_INTERVENTION, lock=True)
    intervention = Intervention.objects.select_for_update().get(pk=intervention.pk, case=case)
    guard_execute(status=intervention.status, urgent_reason=urgent_reason)
    urgent = intervention.status == InterventionStatus.PROPOSED
    _move_intervention(intervention, InterventionStatus.EXECUTED)
    intervention.executed_at = timezone.now()
    urgent_reason = clean_text(urgent_reason)
    intervention.urgent_override_reason = urgent_reason if urgent else ""
    intervention.save()
    _post(
        context,
        case,
        "intervention_executed",
        _("Urgent danger: %(reason)s") % {"reason": urgent_reason}
        if urgent
        else str(intervention.get_kind_display()),
    )
    if urgent:
        case_id, actor = case.pk, context.actor.user_id
        transaction.on_commit(
            lambda: notifications.urgent_execution(case_id=case_id, actor_user_id=actor)
        )
    return intervention


@transaction.atomic
def intervention_record_outcome(
    *, context: AccessContext, intervention: Intervention, outcome: str
) -> Intervention:
    case = case_access(context, intervention.case, CaseAction.RECORD_OUTCOME, lock=True)
    intervention = Intervention.objects.select_for_update().get(pk=intervention.pk, case=case)
    if not outcome.strip():
        raise ValidationError(_("Describe the outcome."))
    _move_intervention(intervention, InterventionStatus.OUTCOME)
    intervention.outcome = outcome.strip()
    intervention.save()
    _post(context, case, "intervention_outcome", outcome.strip())
    return intervention


@transaction.atomic
def intervention_withdraw(
    *, context: AccessContext, intervention: Intervention, reason: str
) -> Intervention:
    case = case_access(context, intervention.case, CaseAction.WITHDRAW_INTERVENTION, lock=True)
    intervention = Intervention.objects.select_for_update().get(pk=intervention.pk, case=case)
    reason = reason_text(reason, message=_("Give the reason for withdrawing the intervention."))
    _move_intervention(intervention, InterventionStatus.WITHDRAWN)
    intervention.save()
    _post(
        context,
        case,
        "intervention_withdrawn",
        f"{intervention.get_kind_display()} · {reason}",
    )
    return intervention


# --- Big decisions in consultation --------------------------------------------------------------


@transaction.atomic
def proposal_create(*, context: AccessContext, case: Case, kind: str, text: str) -> Proposal:
    """A participant wants to take a big decision: it becomes a proposal for the case meeting
    and takes no effect until the meeting approves it. `kind` is a DecisionKind or one of the
    municipality's own ("municipal:<id>"). The proposer's organisation, the zorgcoördinator,
    Veilig Thuis (with a minor or a high safety risk) and the netwerkregisseur are told at once,
    and the case goes on the agenda of the next case meeting."""
    case = case_access(context, case, CaseAction.PROPOSE_DECISION, lock=True)
    decision = decision_from_code(kind, case.municipality_id)
    if decision is None or not clean_text(text):
        raise ValidationError(_("Choose the decision and describe it."))
    proposal = Proposal.objects.create(
        case=case,
        kind=decision.kind,
        municipal_decision=decision.municipal,
        text=text.strip(),
        proposed_by_id=context.user_id(),
        proposed_by_organisation_id=context.actor.organisation_id,
    )
    _post(context, case, "proposal", f"{proposal.label} · {proposal.text}")
    hooks.waits_for_meeting(case)
    proposal_id, actor = proposal.pk, context.actor.user_id
    transaction.on_commit(
        lambda: notifications.proposal_made(proposal_id=proposal_id, actor_user_id=actor)
    )
    return proposal


@transaction.atomic
def proposal_decide(
    *,
    context: AccessContext,
    proposal: Proposal,
    approve: bool,
    meeting: Any,
    meeting_note: str,
) -> Proposal:
    """The case meeting decides, with its quorum present; the netwerkregisseur records it with
    what was agreed and who was there."""
    case = case_access(context, proposal.case, CaseAction.DECIDE_PROPOSAL, lock=True)
    proposal = Proposal.objects.select_for_update().get(pk=proposal.pk, case=case)
    meeting_note = reason_text(meeting_note, message=_("Record what the case meeting decided."))
    sitting = hooks.forum().sitting(context, meeting, case, "decide_proposal")
    target = ProposalStatus.APPROVED if approve else ProposalStatus.REJECTED
    check(PROPOSAL_TRANSITIONS, proposal.status, target)
    proposal.status = target
    proposal.decided_by_id = context.actor.user_id
    proposal.decided_at = timezone.now()
    proposal.decision_note = meeting_note
    proposal.decided_with = sitting.present
    proposal.save()
    hooks.forum().record(sitting, proposal=proposal, intervention=None)
    _post(
        context,
        case,
        f"proposal_{target}",
        f"{meeting_note} · "
        + _("present: %(present)s") % {"present": ", ".join(proposal.decided_with)},
    )
    return proposal


# --- Closing ------------------------------------------------------------------------------------


def _refuse_names(text: str, persons: Iterable[CasePerson]) -> None:
    """Feedback to reporters names nobody: not the persons of the case, no contact numbers."""
    refuse_personal_data(
        text,
        _("The feedback seems to contain %(kind)s. Reporters get no personal data."),
    )
    plain = f" {normalise(text)} "
    for person in persons:
        if person.name and f" {normalise(person.name)} " in plain:
            raise ValidationError(
                _("The feedback names a person of the case. Reporters get no personal data.")
            )


@transaction.atomic
def case_close(
    *,
    context: AccessContext,
    case: Case,
    summary: str,
    outcomes: Mapping[int, str] | None = None,
    feedback: str = "",
    feedback_withheld_reason: str = "",
) -> Case:
    """Close the case with what became of each person (`outcomes`: CasePerson pk → outcome).
    The reporters of its signals get `feedback` (without personal data) through the signal's
    feedback step, or the reason it is withheld."""
    case = case_access(context, case, CaseAction.CLOSE, lock=True)
    persons = list(case.persons.all())
    for person in persons:
        outcome = (outcomes or {}).get(person.pk, person.outcome)
        if outcome not in PersonOutcome.values:
            raise ValidationError(_("Choose an outcome from the list."))
        person.outcome = outcome
    check(CASE_TRANSITIONS, case.status, CaseStatus.CLOSED)
    guard_close(
        pending_proposals=case.proposals.filter(status=ProposalStatus.PENDING).count(),
        interventions_without_outcome=case.interventions.filter(
            status=InterventionStatus.EXECUTED
        ).count(),
        persons_without_outcome=sum(1 for p in persons if p.outcome == PersonOutcome.OPEN),
    )
    waiting = list(case.signals.filter(status__in=(SignalStatus.IN_PROGRESS, SignalStatus.ROUTED)))
    if waiting:
        if feedback.strip():
            _refuse_names(feedback, persons)
        for signal in waiting:
            signal_give_feedback(
                context=context,
                signal=signal,
                feedback=feedback,
                withheld_reason=feedback_withheld_reason,
            )
    for person in persons:
        person.save(update_fields=["outcome"])
    case.status = CaseStatus.CLOSED
    case.closed_at = timezone.now()
    case.version += 1
    case.save(update_fields=["status", "closed_at", "version", "updated_at"])
    Agreement.objects.filter(case=case, status=AgreementStatus.OPEN).update(
        status=AgreementStatus.CANCELLED, settled_at=case.closed_at
    )
    drafts.drafts_drop(case)  # nobody finishes a form of a closed case
    # An unanswered referral lapses with the case: closed is final for everyone.
    Referral.objects.filter(case=case, status=ReferralStatus.PROPOSED).update(
        status=ReferralStatus.REVOKED,
        answer=_("The case was closed."),
        answered_by_id=context.user_id(),
        answered_at=case.closed_at,
    )
    _post(context, case, "closed", summary.strip(), subjects=persons)
    return case


# --- Drafts -------------------------------------------------------------------------------------


def draft_save(
    *, context: AccessContext, form: str, data: Mapping[str, Any], case: Case | None = None
) -> Draft:
    """Keep a half-filled form of the case for its author only (encrypted: it may name people),
    when they may work on the case."""
    context.user_id()
    if case is not None:
        case_access(context, case, CaseAction.POST)
    return drafts.draft_keep(context=context, form=form, data=data, owner=case)


def draft_discard(*, context: AccessContext, form: str, case: Case | None = None) -> None:
    drafts.draft_discard(context=context, form=form, owner=case)
