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

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils.translation import gettext as _

from schakel.core.policies import Action, Actor, AggregatePolicy, Policy, Rule, obtain, register
from schakel.intake.choices import PersonRole
from schakel.organisations.choices import Role
from schakel.organisations.roles import (
    Capability,
    capable,
    roles_with,
)

from .choices import (
    REVEALING_BASES,
    CaseStatus,
    DirectionHolder,
    ReferralStatus,
)
from .models import Agreement, Case, CaseParticipant, CasePerson, Referral

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
        # Semi-joins (EXISTS), not joins: no duplicate rows to take out again with DISTINCT, so
        # a list pages and counts on the case table itself.
        participates = CaseParticipant.objects.filter(case=OuterRef("pk"), organisation__in=mine)
        referred = Referral.objects.filter(
            case=OuterRef("pk"), to_organisation__in=mine, status__in=OPEN_REFERRALS
        )
        return Case.objects.filter(
            Q(municipality__in=_directed_municipalities(actor))
            | Exists(participates)
            | Exists(referred)
        )

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

    def reveals_personal_data_q(self, actor: Actor) -> Q:
        """The same rule as a filter on cases, for a list that redacts many cases in one query:
        the netwerkregisseur's cases and those its organisation takes part in on a basis that
        reveals personal data (SEE_PERSONS: DIRECTOR or NAMED_PARTICIPANT, in every state)."""
        return Q(municipality__in=_directed_municipalities(actor)) | Q(
            participants__organisation__in=_case_organisations(actor),
            participants__legal_basis__in=REVEALING_BASES,
        )


def _directed_municipalities(actor: Actor) -> frozenset[int]:
    return actor.municipalities_where(*roles_with(Capability.DIRECT))


def _case_organisations(actor: Actor) -> frozenset[int]:
    return actor.organisations_where(*roles_with(Capability.WORK_CASES))


case_policy = register(CasePolicy())


class VictimRegistrationPolicy(Policy[CasePerson]):
    """Who exports victims for the registration with CoMensha (docs/comensha.md): a role that
    registers victims (REGISTER_VICTIMS), and then only the possible victims of the cases the
    case policy shows it by name (SEE_PERSONS). Perpetrators, pseudonymised cases and cases
    already anonymised are never in it."""

    model = CasePerson

    def visible_to(self, actor: Actor) -> QuerySet[CasePerson]:
        if not actor.is_authenticated or not capable(actor, Capability.REGISTER_VICTIMS):
            return CasePerson.objects.none()
        named = case_policy.visible_to(actor).filter(
            case_policy.reveals_personal_data_q(actor), anonymised_at__isnull=True
        )
        return CasePerson.objects.filter(
            role=PersonRole.POSSIBLE_VICTIM, case__in=named.values("pk")
        )

    def can(self, actor: Actor, action: Action, obj: CasePerson | None = None) -> bool:
        if action not in (Action.LIST, Action.VIEW):
            return False
        if not capable(actor, Capability.REGISTER_VICTIMS):
            return False
        return obj is None or self.visible_to(actor).filter(pk=obj.pk).exists()


# Not registered for CasePerson (the case policy answers for a case's persons): views name it.
victim_registration_policy = VictimRegistrationPolicy()


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
