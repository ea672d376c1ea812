"""Reads of self-assessments, for the acting context: filtered by the policy in the database,
NotFound for what the actor may not see (missing and forbidden alike)."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import QuerySet
from django.utils import timezone

from schakel.core.context import AccessContext
from schakel.core.policies import Action, NotFound

from . import facts as system_facts
from .models import Answer, Assessment, Condition, Element
from .policies import AssessmentAction, assessment_policy


def assessments_for(context: AccessContext) -> QuerySet[Assessment]:
    """The assessments of the actor's municipality the actor may see, newest year first."""
    return (
        assessment_policy.visible_to(context.actor)
        .select_related("municipality", "model_version")
        .order_by("-year")
    )


def assessment_get_for(context: AccessContext, pk: int) -> Assessment:
    found = assessments_for(context).filter(pk=pk).first()
    if found is None:
        raise NotFound
    return found


def year_to_start(context: AccessContext) -> int | None:
    municipality_id = assessment_policy.municipality_of(context.actor)
    if municipality_id is None or not assessment_policy.can_kind(context.actor, Action.CREATE):
        return None
    year = timezone.localdate().year
    taken = Assessment.objects.filter(municipality_id=municipality_id, year=year).exists()
    return None if taken else year


@dataclass(frozen=True)
class Question:
    condition: Condition
    answer: Answer | None
    facts: list[system_facts.Fact] = field(default_factory=list)

    @property
    def level(self) -> int | None:
        return self.answer.level if self.answer else None


@dataclass(frozen=True)
class Questionnaire:
    assessment: Assessment
    elements: list[Element]
    element: Element
    questions: list[Question]
    can_answer: bool
    can_finalise: bool
    answered: int
    total: int


def questionnaire(
    context: AccessContext, assessment: Assessment, element_code: str
) -> Questionnaire:
    """One element's questions, each with its answer and evidence and, beside it, the facts
    from the system (today's for a draft; those kept at finalising for a final one)."""
    elements = list(Element.objects.filter(model_version_id=assessment.model_version_id))
    element = next((e for e in elements if e.code == element_code), None)
    if element is None:
        raise NotFound
    conditions = list(
        Condition.objects.filter(element=element).prefetch_related("criteria", "instruments")
    )
    answers = {
        a.condition_id: a
        for a in Answer.objects.filter(assessment=assessment).prefetch_related("evidence")
    }
    keys = {key for c in conditions for key in c.facts}
    if assessment.is_final:
        known = system_facts.from_snapshot(assessment.facts)
    else:
        known = system_facts.facts_for(assessment.municipality, keys) if keys else {}
    actions = assessment_policy.actions_for(context.actor, assessment)
    total = Condition.objects.filter(model_version_id=assessment.model_version_id).count()
    answered = Answer.objects.filter(assessment=assessment, level__isnull=False).count()
    return Questionnaire(
        assessment=assessment,
        elements=elements,
        element=element,
        questions=[
            Question(c, answers.get(c.pk), [known[k] for k in c.facts if k in known])
            for c in conditions
        ],
        can_answer=AssessmentAction.ANSWER in actions,
        can_finalise=AssessmentAction.FINALISE in actions,
        answered=answered,
        total=total,
    )
