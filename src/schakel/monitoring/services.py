"""Every write to the annual report: the policy first (only the municipality's own AF roles,
KEEP_FIGURES, write it), then the change and the audit entry in one transaction."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from schakel.audit.choices import AuditAction
from schakel.audit.services import audit_record
from schakel.core.context import AccessContext
from schakel.core.text import clean_text
from schakel.organisations.models import Municipality

from .models import AnnualReport, GoalYear, ReportGoal, ReportSection
from .policies import MonitoringAction, figures_policy

FIRST_YEAR = 2000
GOAL_LENGTH = 500
TITLE_LENGTH = 200


def _keep(context: AccessContext, municipality: Municipality) -> None:
    if not figures_policy.can(context.actor, MonitoringAction.KEEP, municipality):
        raise PermissionDenied


def _locked(context: AccessContext, report: AnnualReport) -> AnnualReport:
    """The report's entry guard: the policy, then the row locked for the change."""
    _keep(context, report.municipality)
    return AnnualReport.objects.select_for_update().select_related("municipality").get(pk=report.pk)


def _audit(context: AccessContext, action: AuditAction, obj: object, purpose: str) -> None:
    audit_record(context=context, action=action, objects=[obj], purpose=purpose)  # type: ignore[list-item]


def _touch(context: AccessContext, report: AnnualReport) -> None:
    report.updated_by_id = context.user_id()
    report.save(update_fields=["updated_by", "updated_at"])


def _required(value: str, *, message: str, max_length: int | None = None) -> str:
    cleaned = clean_text(value or "")
    if not cleaned:
        raise ValidationError(message, code="empty")
    if max_length is not None and len(cleaned) > max_length:
        raise ValidationError(
            _("Write at most %(count)s characters.") % {"count": max_length}, code="too_long"
        )
    return cleaned


def _check_year(year: int) -> None:
    if not FIRST_YEAR <= year <= timezone.localdate().year:
        raise ValidationError(_("An annual report covers a year that has begun."), code="year")


@transaction.atomic
def annual_report_get_or_create(
    *, context: AccessContext, municipality: Municipality, year: int
) -> AnnualReport:
    """The municipality's report of the year, made (empty, not public) on first writing."""
    _keep(context, municipality)
    _check_year(year)
    report, created = AnnualReport.objects.get_or_create(
        municipality=municipality, year=year, defaults={"updated_by_id": context.user_id()}
    )
    if created:
        _audit(context, AuditAction.CREATE, report, "annual report started")
    return report


@transaction.atomic
def annual_report_update(
    *,
    context: AccessContext,
    report: AnnualReport,
    introduction: str,
    is_public: bool,
    show_reference_figures: bool,
) -> AnnualReport:
    report = _locked(context, report)
    report.introduction = clean_text(introduction or "")
    report.is_public = is_public
    report.show_reference_figures = show_reference_figures
    report.updated_by_id = context.user_id()
    report.save()
    _audit(context, AuditAction.CHANGE, report, "annual report changed")
    return report


def _goal_fields(
    *, year_kind: str, text: str, met: bool | None, explanation: str
) -> dict[str, object]:
    if year_kind not in GoalYear.values:
        raise ValidationError(_("Say whether the goal is for this year or for next year."))
    if met is not None and year_kind != GoalYear.THIS:
        raise ValidationError(
            _("Only a goal of the report's own year can be met or not met."), code="met"
        )
    return {
        "year_kind": year_kind,
        "text": _required(text, message=_("Write the goal."), max_length=GOAL_LENGTH),
        "met": met,
        "explanation": clean_text(explanation or ""),
    }


def _goal_of(context: AccessContext, goal: ReportGoal) -> tuple[AnnualReport, ReportGoal]:
    report = _locked(context, goal.report)
    return report, ReportGoal.objects.select_for_update().get(pk=goal.pk, report=report)


@transaction.atomic
def report_goal_add(
    *,
    context: AccessContext,
    report: AnnualReport,
    year_kind: str,
    text: str,
    met: bool | None = None,
    explanation: str = "",
) -> ReportGoal:
    report = _locked(context, report)
    fields = _goal_fields(year_kind=year_kind, text=text, met=met, explanation=explanation)
    order = report.goals.filter(year_kind=year_kind).count()
    goal = ReportGoal.objects.create(report=report, order=order, **fields)
    _touch(context, report)
    _audit(context, AuditAction.CREATE, goal, "annual report goal added")
    return goal


@transaction.atomic
def report_goal_update(
    *,
    context: AccessContext,
    goal: ReportGoal,
    year_kind: str,
    text: str,
    met: bool | None,
    explanation: str,
) -> ReportGoal:
    report, goal = _goal_of(context, goal)
    for name, value in _goal_fields(
        year_kind=year_kind, text=text, met=met, explanation=explanation
    ).items():
        setattr(goal, name, value)
    goal.save()
    _touch(context, report)
    _audit(context, AuditAction.CHANGE, goal, "annual report goal changed")
    return goal


@transaction.atomic
def report_goal_remove(*, context: AccessContext, goal: ReportGoal) -> None:
    report, goal = _goal_of(context, goal)
    _audit(context, AuditAction.CHANGE, goal, "annual report goal removed")
    goal.delete()
    _touch(context, report)


def _section_fields(*, title: str, body: str) -> dict[str, str]:
    return {
        "title": _required(title, message=_("Give the section a title."), max_length=TITLE_LENGTH),
        "body": _required(body, message=_("Write the text of the section.")),
    }


def _section_of(
    context: AccessContext, section: ReportSection
) -> tuple[AnnualReport, ReportSection]:
    report = _locked(context, section.report)
    return report, ReportSection.objects.select_for_update().get(pk=section.pk, report=report)


@transaction.atomic
def report_section_add(
    *, context: AccessContext, report: AnnualReport, title: str, body: str
) -> ReportSection:
    report = _locked(context, report)
    fields = _section_fields(title=title, body=body)
    section = ReportSection.objects.create(report=report, order=report.sections.count(), **fields)
    _touch(context, report)
    _audit(context, AuditAction.CREATE, section, "annual report section added")
    return section


@transaction.atomic
def report_section_update(
    *, context: AccessContext, section: ReportSection, title: str, body: str
) -> ReportSection:
    report, section = _section_of(context, section)
    for name, value in _section_fields(title=title, body=body).items():
        setattr(section, name, value)
    section.save()
    _touch(context, report)
    _audit(context, AuditAction.CHANGE, section, "annual report section changed")
    return section


@transaction.atomic
def report_section_remove(*, context: AccessContext, section: ReportSection) -> None:
    report, section = _section_of(context, section)
    _audit(context, AuditAction.CHANGE, section, "annual report section removed")
    section.delete()
    _touch(context, report)
