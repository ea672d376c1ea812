"""Every write to a self-assessment: the entry guard first (assessment_access, or for starting
one the policy's coarse rule), then the change and the audit entry in one transaction. A final
assessment refuses every write here, whatever calls it."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from schakel.audit.choices import AuditAction
from schakel.audit.services import audit_record
from schakel.core.context import AccessContext
from schakel.core.policies import NotFound
from schakel.core.text import clean_text
from schakel.organisations.models import Municipality

from . import facts
from .choices import LEVELS, AssessmentStatus, EvidenceKind
from .models import Answer, Assessment, Condition, Evidence, ModelVersion
from .policies import AssessmentAction, assessing_municipalities, assessment_access
from .workflow import ASSESSMENT_TRANSITIONS, check, guard_complete

FIRST_YEAR = 2020
NOTES_LENGTH = 5000
TITLE_LENGTH = 200


def _audit(context: AccessContext, action: AuditAction, obj: object, purpose: str) -> None:
    audit_record(context=context, action=action, objects=[obj], purpose=purpose)  # type: ignore[list-item]


def newest_version() -> ModelVersion:
    """The version new assessments use: the one loaded last."""
    version = ModelVersion.objects.order_by("-loaded_at", "-pk").first()
    if version is None:
        raise ValidationError(_("No version of the model is loaded."), code="no_model")
    return version


@transaction.atomic
def assessment_start(
    *, context: AccessContext, year: int, municipality_id: int | None = None
) -> Assessment:
    """A new draft of the year for the actor's municipality, on the newest model version; one
    per municipality and year."""
    mine = assessing_municipalities(context.actor)
    if not mine:
        raise PermissionDenied
    if municipality_id is None:
        municipality_id = min(mine)
    if municipality_id not in mine:
        raise NotFound
    if not FIRST_YEAR <= year <= timezone.localdate().year:
        raise ValidationError(
            _("A self-assessment covers a year from %(first)s up to this year.")
            % {"first": FIRST_YEAR},
            code="year",
        )
    municipality = Municipality.objects.select_for_update().get(pk=municipality_id)
    if Assessment.objects.filter(municipality=municipality, year=year).exists():
        raise ValidationError(
            _("There is already a self-assessment of %(year)s.") % {"year": year}, code="exists"
        )
    assessment = Assessment.objects.create(
        municipality=municipality,
        year=year,
        model_version=newest_version(),
        started_by_id=context.user_id(),
    )
    _audit(context, AuditAction.CREATE, assessment, "self-assessment started")
    return assessment


def _condition_of(assessment: Assessment, condition: Condition | str) -> Condition:
    """The condition of the assessment's own model version (by code, or the row itself)."""
    code = condition if isinstance(condition, str) else condition.code
    found = Condition.objects.filter(
        model_version_id=assessment.model_version_id, code=code
    ).first()
    if found is None or (isinstance(condition, Condition) and found.pk != condition.pk):
        raise ValidationError(_("This condition is not part of the assessment's model."))
    return found


def _answer_row(assessment: Assessment, condition: Condition) -> Answer:
    answer, _created = Answer.objects.select_for_update().get_or_create(
        assessment=assessment, condition=condition
    )
    return answer


@transaction.atomic
def answer_record(
    *,
    context: AccessContext,
    assessment: Assessment | int,
    condition: Condition | str,
    level: int | None,
    notes: str = "",
) -> Answer:
    """The level reached on one condition (None: not answered yet) and the notes with it."""
    assessment = assessment_access(context, assessment, AssessmentAction.ANSWER, lock=True)
    target = _condition_of(assessment, condition)
    if level is not None and level not in LEVELS:
        raise ValidationError(_("Choose a level from 0 to 3."), code="level")
    cleaned = clean_text(notes or "")
    if len(cleaned) > NOTES_LENGTH:
        raise ValidationError(
            _("Write at most %(count)s characters.") % {"count": NOTES_LENGTH}, code="too_long"
        )
    answer = _answer_row(assessment, target)
    answer.level = level
    answer.notes = cleaned
    answer.answered_by_id = context.user_id()
    answer.answered_at = timezone.now()
    answer.save()
    _audit(context, AuditAction.CHANGE, answer, "self-assessment answer recorded")
    return answer


def _evidence_fields(
    kind: str, title: str, url: str, on: date | None
) -> tuple[str, str, date | None]:
    if kind not in EvidenceKind.values:
        raise ValidationError(_("Choose the kind of evidence."), code="kind")
    title = clean_text(title or "")
    if not title:
        raise ValidationError(_("Say what the evidence is."), code="title")
    if len(title) > TITLE_LENGTH:
        raise ValidationError(
            _("Write at most %(count)s characters.") % {"count": TITLE_LENGTH}, code="too_long"
        )
    url = (url or "").strip()
    if url:
        URLValidator(schemes=["https", "http"])(url)
    if kind == EvidenceKind.LINK and not url:
        raise ValidationError(_("Give the link."), code="url")
    if kind == EvidenceKind.DATE and on is None:
        raise ValidationError(_("Give the date."), code="date")
    return title, url, on


@transaction.atomic
def evidence_add(
    *,
    context: AccessContext,
    assessment: Assessment | int,
    condition: Condition | str,
    kind: str,
    title: str,
    url: str = "",
    on: date | None = None,
) -> Evidence:
    """A document (named, with where to find it), a link or a date that shows the level."""
    assessment = assessment_access(context, assessment, AssessmentAction.ANSWER, lock=True)
    target = _condition_of(assessment, condition)
    title, url, on = _evidence_fields(kind, title, url, on)
    evidence = Evidence.objects.create(
        answer=_answer_row(assessment, target),
        kind=kind,
        title=title,
        url=url,
        date=on,
        added_by_id=context.user_id(),
    )
    _audit(context, AuditAction.CREATE, evidence, "self-assessment evidence added")
    return evidence


@transaction.atomic
def evidence_remove(
    *, context: AccessContext, assessment: Assessment | int, evidence: Evidence | int
) -> None:
    assessment = assessment_access(context, assessment, AssessmentAction.ANSWER, lock=True)
    pk = evidence if isinstance(evidence, int) else evidence.pk
    found = Evidence.objects.filter(pk=pk, answer__assessment=assessment).first()
    if found is None:
        raise NotFound
    _audit(context, AuditAction.CHANGE, found, "self-assessment evidence removed")
    found.delete()


@transaction.atomic
def assessment_finalise(*, context: AccessContext, assessment: Assessment | int) -> Assessment:
    """Final for good, once every condition is answered; the facts of today are kept with it."""
    assessment = assessment_access(context, assessment, AssessmentAction.FINALISE, lock=True)
    answered = set(
        assessment.answers.filter(level__isnull=False).values_list("condition_id", flat=True)
    )
    open_conditions = [
        c.name
        for c in Condition.objects.filter(model_version_id=assessment.model_version_id)
        if c.pk not in answered
    ]
    guard_complete(open_conditions=open_conditions)
    check(ASSESSMENT_TRANSITIONS, assessment.status, AssessmentStatus.FINAL)
    assessment.status = AssessmentStatus.FINAL
    assessment.finalised_at = timezone.now()
    assessment.finalised_by_id = context.user_id()
    assessment.facts = facts.snapshot(assessment.municipality)
    assessment.save(update_fields=["status", "finalised_at", "finalised_by", "facts", "updated_at"])
    _audit(context, AuditAction.CHANGE, assessment, "self-assessment finalised")
    return assessment
