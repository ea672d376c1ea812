"""Who sees and works on an inspection: those who inspect in its municipality plan it, record
the findings and evaluate it; the organisations taking part see it with its findings; AVIM and
the zorgcoördinatie told beforehand see what is planned and acknowledge it."""

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

from .choices import InspectionStatus, NoticeKind
from .models import Inspection, InspectionNotice

if TYPE_CHECKING:
    from schakel.core.context import AccessContext


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
