"""Who sees and acts on a case, and who sees its persons by name.

- The AF OOV of the municipality is the netwerkregisseur: sees every case of the municipality,
  opens cases, shares them, reveals personal data to participants, sets direction, records the
  decisions of the case meeting and closes cases. Only the netwerkregisseur may share *without*
  a recorded basis (the override), and that is always mailed to the privacy officers.
- When Veilig Thuis holds direction (high safety risk), its staff may share the case too, but
  only with a recorded basis.
- A participating organisation's staff in a case role see the case and work on it (timeline,
  agreements, referrals, persons). They see persons by name only when their organisation was
  added with a basis that reveals personal data; otherwise they see pseudonyms.
- An organisation a case is referred to sees the case, pseudonymised, until the referral is
  answered or revoked: it must know what it is asked to take on.
- Perpetrator-side roles propose and execute interventions; only the zorgcoördinator or Veilig
  Thuis acknowledges them (the interlock).
- Reporters, board viewers, functional administrators and privacy officers see no case.
"""

from __future__ import annotations

from enum import StrEnum
from typing import TYPE_CHECKING, Any

from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from schakel.core.policies import Action, Actor, AggregatePolicy, Rule, obtain, register
from schakel.organisations.choices import Role
from schakel.organisations.roles import (
    Capability,
    capable,
    municipalities_with,
    organisations_with,
    roles_with,
)

from .choices import (
    REVEALING_BASES,
    CaseStatus,
    DirectionHolder,
    InspectionStatus,
    NoticeKind,
    ReferralStatus,
)
from .models import Agreement, Case, CaseParticipant, Inspection, InspectionNotice, Referral

if TYPE_CHECKING:
    from schakel.core.context import AccessContext

OPEN_REFERRALS = (ReferralStatus.PROPOSED,)


class CaseAction(StrEnum):
    VIEW = "view"
    SEE_PERSONS = "see_persons"
    UPDATE = "update"
    POST = "post"
    PROPOSE_DECISION = "propose_decision"
    ADD_PERSON = "add_person"
    MAKE_AGREEMENT = "make_agreement"
    SETTLE_AGREEMENT = "settle_agreement"
    REFER = "refer"
    ANSWER_REFERRAL = "answer_referral"
    REVOKE_REFERRAL = "revoke_referral"
    PROPOSE_INTERVENTION = "propose_intervention"
    ACKNOWLEDGE_INTERVENTION = "acknowledge_intervention"
    EXECUTE_INTERVENTION = "execute_intervention"
    RECORD_OUTCOME = "record_outcome"
    WITHDRAW_INTERVENTION = "withdraw_intervention"
    DECIDE_PROPOSAL = "decide_proposal"
    SET_DIRECTION = "set_direction"
    SHARE = "share"
    SHARE_OVERRIDE = "share_override"
    REVEAL = "reveal"
    UNSHARE = "unshare"
    CLOSE = "close"


class CaseRelation(StrEnum):
    """How the acting membership stands to a case."""

    DIRECTOR = "director"  # the netwerkregisseur: AF OOV of the case's municipality
    PARTICIPANT = "participant"  # its organisation takes part, in a case role
    NAMED_PARTICIPANT = "named_participant"  # … on a basis that reveals personal data
    PERPETRATOR_SIDE = "perpetrator_side"  # … in a perpetrator-side role
    CARE_SIDE = "care_side"  # … as zorgcoördinator or Veilig Thuis
    VT_DIRECTING = "vt_directing"  # … as Veilig Thuis while Veilig Thuis holds direction
    REFERRED = "referred"  # an unanswered referral is addressed to its organisation
    # Relations to a part of the case, asked with a target:
    AGREEMENT_OWNER = "agreement_owner"
    REFERRAL_RECEIVER = "referral_receiver"
    REFERRAL_SENDER = "referral_sender"


def _rule(*who: CaseRelation, open_only: bool = True) -> Rule[CaseRelation]:
    """Closed is final: every action but reading needs an open case."""
    return Rule(frozenset(who), frozenset({CaseStatus.OPEN}) if open_only else None)


R = CaseRelation
A = CaseAction
WORKS = (R.DIRECTOR, R.PARTICIPANT)
PERPETRATOR = (R.DIRECTOR, R.PERPETRATOR_SIDE)
SHARES = (R.DIRECTOR, R.VT_DIRECTING)

CASE_RULES: dict[CaseAction, Rule[CaseRelation]] = {
    A.VIEW: _rule(*WORKS, R.REFERRED, open_only=False),
    A.SEE_PERSONS: _rule(R.DIRECTOR, R.NAMED_PARTICIPANT, open_only=False),
    A.UPDATE: _rule(R.DIRECTOR),
    A.POST: _rule(*WORKS),
    A.PROPOSE_DECISION: _rule(*WORKS),
    A.ADD_PERSON: _rule(R.DIRECTOR, R.NAMED_PARTICIPANT),
    A.MAKE_AGREEMENT: _rule(*WORKS),
    A.SETTLE_AGREEMENT: _rule(R.DIRECTOR, R.AGREEMENT_OWNER),
    A.REFER: _rule(*WORKS),
    A.ANSWER_REFERRAL: _rule(R.REFERRAL_RECEIVER),
    A.REVOKE_REFERRAL: _rule(R.DIRECTOR, R.REFERRAL_SENDER),
    A.PROPOSE_INTERVENTION: _rule(*PERPETRATOR),
    A.ACKNOWLEDGE_INTERVENTION: _rule(R.CARE_SIDE),
    A.EXECUTE_INTERVENTION: _rule(*PERPETRATOR),
    A.RECORD_OUTCOME: _rule(*PERPETRATOR),
    A.WITHDRAW_INTERVENTION: _rule(*PERPETRATOR),
    A.DECIDE_PROPOSAL: _rule(R.DIRECTOR),
    A.SET_DIRECTION: _rule(R.DIRECTOR),
    A.SHARE: _rule(*SHARES),
    # Sharing without a recorded basis: only the netwerkregisseur, and never unseen.
    A.SHARE_OVERRIDE: _rule(R.DIRECTOR),
    A.REVEAL: _rule(*SHARES),
    A.UNSHARE: _rule(*SHARES),
    A.CLOSE: _rule(R.DIRECTOR),
}


class CasePolicy(AggregatePolicy[Case, CaseAction, CaseRelation]):
    model = Case
    actions = CaseAction
    rules = CASE_RULES

    def visible_to(self, actor: Actor) -> QuerySet[Case]:
        if not actor.is_authenticated:
            return Case.objects.none()
        mine = _case_organisations(actor)
        return Case.objects.filter(
            Q(municipality__in=_directed_municipalities(actor))
            | Q(participants__organisation__in=mine)
            | Q(referrals__to_organisation__in=mine, referrals__status__in=OPEN_REFERRALS)
        ).distinct()

    def relations(self, actor: Actor, obj: Case, target: Any = None) -> frozenset[CaseRelation]:
        held = self.standing(actor, obj)
        return held | self.target_relations(actor, obj, held, target)

    def standing(self, actor: Actor, obj: Case) -> frozenset[CaseRelation]:
        """The actor's relations to the case as a whole (two queries at most)."""
        held: set[CaseRelation] = set()
        if obj.municipality_id in _directed_municipalities(actor):
            held.add(R.DIRECTOR)
        mine = _case_organisations(actor)
        if not mine:
            return frozenset(held)
        participant = CaseParticipant.objects.filter(case=obj, organisation__in=mine).first()
        if participant is not None:
            held.add(R.PARTICIPANT)
            if participant.legal_basis in REVEALING_BASES:
                held.add(R.NAMED_PARTICIPANT)
            if capable(actor, Capability.PERPETRATOR_SIDE):
                held.add(R.PERPETRATOR_SIDE)
            if capable(actor, Capability.CARE_SIDE):
                held.add(R.CARE_SIDE)
            if obj.direction_holder == DirectionHolder.VEILIG_THUIS and actor.has_role(
                Role.VEILIG_THUIS
            ):
                held.add(R.VT_DIRECTING)
        if obj.referrals.filter(to_organisation__in=mine, status__in=OPEN_REFERRALS).exists():
            held.add(R.REFERRED)
        return frozenset(held)

    def target_relations(
        self, actor: Actor, obj: Case, held: frozenset[CaseRelation], target: Any
    ) -> frozenset[CaseRelation]:
        """The relations to a part of the case (an agreement, a referral), without queries."""
        mine = _case_organisations(actor)
        extra: set[CaseRelation] = set()
        owns = isinstance(target, Agreement) and target.owner_id in mine
        if owns and target.case_id == obj.pk and R.PARTICIPANT in held:
            extra.add(R.AGREEMENT_OWNER)
        if isinstance(target, Referral) and target.case_id == obj.pk:
            if target.to_organisation_id in mine:
                extra.add(R.REFERRAL_RECEIVER)
            if target.from_organisation_id in mine:
                extra.add(R.REFERRAL_SENDER)
        return frozenset(extra)

    def permits(
        self,
        actor: Actor,
        action: CaseAction,
        obj: Case,
        held: frozenset[CaseRelation],
        target: Any = None,
    ) -> bool:
        """`can`, from relations already computed: for the rows of one case page."""
        rule = self.rules[action]
        relations = held | self.target_relations(actor, obj, held, target)
        return bool(rule.who & relations) and (rule.states is None or obj.status in rule.states)

    def state(self, obj: Case) -> str:
        return obj.status

    def state_refusal(self, obj: Case) -> str:
        return _("This case is closed: nothing in it changes any more.")

    def members(self, relation: CaseRelation, obj: Case) -> Q:
        participants = CaseParticipant.objects.filter(case=obj)
        in_case = Q(organisation__in=participants.values("organisation"))
        works = Q(role__in=roles_with(Capability.WORK_CASES))
        if relation is R.DIRECTOR:
            return Q(
                role__in=roles_with(Capability.DIRECT),
                organisation__municipality_id=obj.municipality_id,
            )
        if relation is R.PARTICIPANT:
            return works & in_case
        if relation is R.NAMED_PARTICIPANT:
            named = participants.filter(legal_basis__in=REVEALING_BASES)
            return works & Q(organisation__in=named.values("organisation"))
        if relation is R.PERPETRATOR_SIDE:
            return Q(role__in=roles_with(Capability.PERPETRATOR_SIDE)) & in_case
        if relation is R.CARE_SIDE:
            return Q(role__in=roles_with(Capability.CARE_SIDE)) & in_case
        if relation is R.VT_DIRECTING:
            if obj.direction_holder != DirectionHolder.VEILIG_THUIS:
                return Q(pk__in=[])
            return Q(role=Role.VEILIG_THUIS) & in_case
        if relation is R.REFERRED:
            referred = obj.referrals.filter(status__in=OPEN_REFERRALS)
            return works & Q(organisation__in=referred.values("to_organisation"))
        return Q(pk__in=[])  # relations to a part of the case are asked with that part

    def can_kind(self, actor: Actor, action: Action) -> bool:
        if action is Action.CREATE:
            return capable(actor, Capability.DIRECT)
        if action in (Action.LIST, Action.VIEW, Action.CHANGE):
            return capable(actor, Capability.WORK_CASES)
        return False

    def reveals_personal_data(self, actor: Actor, case: Case) -> bool:
        """The one rule for showing the persons of a case by name, date of birth and
        nationality: the netwerkregisseur, or a participant added on a basis that reveals
        personal data. Everyone else who sees the case sees pseudonyms."""
        return self.can(actor, CaseAction.SEE_PERSONS, case)


def _directed_municipalities(actor: Actor) -> frozenset[int]:
    return actor.municipalities_where(*roles_with(Capability.DIRECT))


def _case_organisations(actor: Actor) -> frozenset[int]:
    return actor.organisations_where(*roles_with(Capability.WORK_CASES))


case_policy = register(CasePolicy())


def case_access(
    context: AccessContext,
    case: Case | str,
    action: CaseAction,
    *,
    lock: bool = False,
    target: Any = None,
) -> Case:
    """The entry guard of every case service (see core.policies.obtain): the case as it is now,
    locked when asked, after its rule for `action` allowed it."""
    lookup = {"reference": case} if isinstance(case, str) else {"pk": case.pk}
    return obtain(case_policy, context.actor, action, lock=lock, target=target, **lookup)


class InspectionAction(StrEnum):
    VIEW = "view"
    SEE_FINDINGS = "see_findings"
    RECORD_FINDINGS = "record_findings"
    EVALUATE = "evaluate"
    ACKNOWLEDGE_NOTICE = "acknowledge_notice"


class InspectionRelation(StrEnum):
    """How the acting membership stands to an inspection."""

    PLANNER = "planner"  # inspects (Capability.INSPECT) in the inspection's municipality
    PARTICIPANT = "participant"  # its organisation takes part, in a case role
    NOTIFIED = "notified"  # its organisation was told beforehand, in the role told
    ADDRESSEE = "addressee"  # … and that notice still waits for an acknowledgement


# Whom each notice is for, in the organisation it went to (DOMAIN.md §4).
NOTICE_ROLES: dict[str, str] = {
    NoticeKind.AVIM_INFORMED: Role.AVIM,
    NoticeKind.ZC_STANDBY: Role.ZORGCOORDINATOR,
}

IR = InspectionRelation
IA = InspectionAction
PLANNED = frozenset({InspectionStatus.PLANNED})
HELD = frozenset({InspectionStatus.HELD})

# Evaluated is final: no rule that changes something allows the evaluated state.
INSPECTION_RULES: dict[InspectionAction, Rule[InspectionRelation]] = {
    IA.VIEW: Rule(frozenset({IR.PLANNER, IR.PARTICIPANT, IR.NOTIFIED})),
    # The notified learn date, premises and purpose; what was found stays with those who
    # inspect: it can describe the people found.
    IA.SEE_FINDINGS: Rule(frozenset({IR.PLANNER, IR.PARTICIPANT})),
    IA.RECORD_FINDINGS: Rule(frozenset({IR.PLANNER}), PLANNED),
    IA.EVALUATE: Rule(frozenset({IR.PLANNER}), HELD),
    # An acknowledgement says "we know, we stand by" before the inspection, not after it.
    IA.ACKNOWLEDGE_NOTICE: Rule(frozenset({IR.ADDRESSEE}), PLANNED),
}


class InspectionPolicy(AggregatePolicy[Inspection, InspectionAction, InspectionRelation]):
    """Inspections are planned, recorded and evaluated by those who inspect in the
    municipality (AF OOV, toezicht & handhaving); the organisations taking part see them with
    their findings; AVIM and the zorgcoördinatie told beforehand see what is planned and
    acknowledge it. The case, when there is one, stays behind its own policy."""

    model = Inspection
    actions = InspectionAction
    rules = INSPECTION_RULES

    def visible_to(self, actor: Actor) -> QuerySet[Inspection]:
        if not actor.is_authenticated:
            return Inspection.objects.none()
        seen = Q(municipality__in=municipalities_with(actor, Capability.INSPECT)) | Q(
            participants__in=organisations_with(actor, Capability.WORK_CASES)
        )
        told = notice_kinds_for(actor)
        if told:
            seen |= Q(notices__organisation=actor.organisation_id, notices__kind__in=told)
        return Inspection.objects.filter(seen).distinct()

    def relations(
        self, actor: Actor, obj: Inspection, target: Any = None
    ) -> frozenset[InspectionRelation]:
        held: set[InspectionRelation] = set()
        if obj.municipality_id in municipalities_with(actor, Capability.INSPECT):
            held.add(IR.PLANNER)
        mine = organisations_with(actor, Capability.WORK_CASES)
        if mine and any(o.pk in mine for o in obj.participants.all()):
            held.add(IR.PARTICIPANT)
        notice = self.notice_for(actor, obj)
        if notice is not None:
            held.add(IR.NOTIFIED)
            if notice.acknowledged_at is None:
                held.add(IR.ADDRESSEE)
        return frozenset(held)

    def notice_for(self, actor: Actor, obj: Inspection) -> InspectionNotice | None:
        """The notice addressed to the acting membership: to its organisation, for its role."""
        told = notice_kinds_for(actor)
        return next(
            (
                notice
                for notice in obj.notices.all()
                if notice.kind in told and notice.organisation_id == actor.organisation_id
            ),
            None,
        )

    def state(self, obj: Inspection) -> str:
        return obj.status

    def state_refusal(self, obj: Inspection) -> str:
        if obj.status == InspectionStatus.EVALUATED:
            return _("This inspection is evaluated: nothing in it changes any more.")
        if obj.status == InspectionStatus.HELD:
            return _("The findings of this inspection are recorded: this step came before them.")
        return _("Record the findings first: the evaluation comes after the inspection.")

    def members(self, relation: InspectionRelation, obj: Inspection) -> Q:
        if relation is IR.PLANNER:
            return Q(
                role__in=roles_with(Capability.INSPECT),
                organisation__municipality_id=obj.municipality_id,
            )
        if relation is IR.PARTICIPANT:
            return Q(
                role__in=roles_with(Capability.WORK_CASES),
                organisation__in=obj.participants.values("pk"),
            )
        notices = obj.notices.all()
        if relation is IR.ADDRESSEE:
            notices = notices.filter(acknowledged_at__isnull=True)
        condition = Q(pk__in=[])
        for notice in notices:
            condition |= Q(organisation_id=notice.organisation_id, role=NOTICE_ROLES[notice.kind])
        return condition

    def can_kind(self, actor: Actor, action: Action) -> bool:
        if action is Action.CREATE:
            return self.planning_municipality(actor) is not None
        # Any case role may be taking part in an inspection or be told of one.
        if action in (Action.LIST, Action.VIEW, Action.CHANGE):
            return capable(actor, Capability.WORK_CASES)
        return False

    def planning_municipality(self, actor: Actor) -> int | None:
        """The municipality the actor plans inspections for: that of the acting membership,
        when its role inspects."""
        return next(iter(municipalities_with(actor, Capability.INSPECT)), None)


def notice_kinds_for(actor: Actor) -> frozenset[str]:
    """The kinds of notice the acting membership's role receives."""
    return frozenset(kind for kind, role in NOTICE_ROLES.items() if actor.has_role(role))


inspection_policy = register(InspectionPolicy())


def inspection_access(
    context: AccessContext,
    inspection: Inspection | int,
    action: InspectionAction,
    *,
    lock: bool = False,
) -> Inspection:
    """The entry guard of every inspection service but planning, which has no inspection yet
    and asks `planning_municipality` (see core.policies.obtain)."""
    pk = inspection if isinstance(inspection, int) else inspection.pk
    return obtain(inspection_policy, context.actor, action, lock=lock, pk=pk)
