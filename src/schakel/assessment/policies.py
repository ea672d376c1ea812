"""Who fills in and who reads a municipality's self-assessment: its AF OOV (ASSESS_POLICY)
starts, answers and finalises it and reads drafts and finals; AF Zorg, AF SWT and the board
viewer (READ_ASSESSMENT) read the finalised ones of their municipality only; nobody else sees
any, and nobody sees another municipality's."""

from __future__ import annotations

from enum import StrEnum
from typing import TYPE_CHECKING, Any

from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from schakel.core.policies import Action, Actor, AggregatePolicy, Rule, obtain, register
from schakel.organisations.roles import Capability, municipalities_with, roles_with

from .choices import AssessmentStatus
from .models import Answer, Assessment, Evidence

if TYPE_CHECKING:
    from schakel.core.context import AccessContext


class AssessmentAction(StrEnum):
    VIEW = "view"
    ANSWER = "answer"  # record a level, notes and evidence
    FINALISE = "finalise"


class AssessmentRelation(StrEnum):
    ASSESSOR = "assessor"  # assesses policy (ASSESS_POLICY) in the assessment's municipality
    READER = "reader"  # reads assessments there (READ_ASSESSMENT), and this one is final


AA, AR = AssessmentAction, AssessmentRelation
DRAFT = frozenset({AssessmentStatus.DRAFT})

ASSESSMENT_RULES: dict[AssessmentAction, Rule[AssessmentRelation]] = {
    AA.VIEW: Rule(frozenset({AR.ASSESSOR, AR.READER})),
    # Final is final: nothing that changes an assessment is allowed outside the draft state.
    AA.ANSWER: Rule(frozenset({AR.ASSESSOR}), DRAFT),
    AA.FINALISE: Rule(frozenset({AR.ASSESSOR}), DRAFT),
}


def assessing_municipalities(actor: Actor) -> frozenset[int]:
    return municipalities_with(actor, Capability.ASSESS_POLICY)


def reading_municipalities(actor: Actor) -> frozenset[int]:
    return municipalities_with(actor, Capability.READ_ASSESSMENT)


class AssessmentPolicy(AggregatePolicy[Assessment, AssessmentAction, AssessmentRelation]):
    model = Assessment
    actions = AssessmentAction
    rules = ASSESSMENT_RULES

    def visible_to(self, actor: Actor) -> QuerySet[Assessment]:
        if not actor.is_authenticated:
            return Assessment.objects.none()
        return Assessment.objects.filter(
            Q(municipality__in=assessing_municipalities(actor))
            | Q(
                municipality__in=reading_municipalities(actor),
                status=AssessmentStatus.FINAL,
            )
        )

    def relations(
        self, actor: Actor, obj: Assessment, target: Any = None
    ) -> frozenset[AssessmentRelation]:
        held: set[AssessmentRelation] = set()
        if obj.municipality_id in assessing_municipalities(actor):
            held.add(AR.ASSESSOR)
        if obj.municipality_id in reading_municipalities(actor) and obj.is_final:
            held.add(AR.READER)
        return frozenset(held)

    def state(self, obj: Assessment) -> str:
        return obj.status

    def state_refusal(self, obj: Assessment) -> str:
        return _("This self-assessment is final: nothing in it changes any more.")

    def members(self, relation: AssessmentRelation, obj: Assessment) -> Q:
        capability = (
            Capability.ASSESS_POLICY if relation is AR.ASSESSOR else Capability.READ_ASSESSMENT
        )
        return Q(role__in=roles_with(capability), organisation__municipality_id=obj.municipality_id)

    def can_kind(self, actor: Actor, action: Action) -> bool:
        if action in (Action.LIST, Action.VIEW):
            return bool(assessing_municipalities(actor) or reading_municipalities(actor))
        if action in (Action.CREATE, Action.CHANGE):
            return bool(assessing_municipalities(actor))
        return False

    def municipality_of(self, actor: Actor) -> int | None:
        """The municipality whose assessments the actor works with (one membership at a time)."""
        return next(iter(assessing_municipalities(actor) | reading_municipalities(actor)), None)


assessment_policy = register(AssessmentPolicy(), Answer, Evidence)


def assessment_access(
    context: AccessContext,
    assessment: Assessment | int,
    action: AssessmentAction,
    *,
    lock: bool = False,
) -> Assessment:
    """The entry guard of every assessment service but starting one (which has none yet)."""
    pk = assessment if isinstance(assessment, int) else assessment.pk
    return obtain(assessment_policy, context.actor, action, lock=lock, pk=pk)
