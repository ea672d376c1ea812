"""The self-assessment screens. Views hold no rules: the selectors decide what the reader sees
(404 for what they may not), the services what may be written (a final assessment refuses)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from schakel.core.access import governed
from schakel.core.context import AccessContext
from schakel.core.export import attachment
from schakel.core.policies import Action, NotFound

from . import selectors, services
from .forms import AnswerForm, EvidenceForm, FinaliseForm, StartForm
from .models import Assessment, MaturityLevel
from .policies import AssessmentAction, assessment_policy
from .report import pdf_filename, record_export, render_results_pdf, results_view
from .workflow import TransitionRefused

REFUSALS = (ValidationError, TransitionRefused)


def _messages(error: Exception) -> list[str]:
    return error.messages if isinstance(error, ValidationError) else [str(error)]


def _render_list(
    request: HttpRequest, context: AccessContext, form: StartForm | None = None
) -> HttpResponse:
    year = selectors.year_to_start(context)
    return render(
        request,
        "assessment/list.html",
        {
            "assessments": list(selectors.assessments_for(context)),
            "year_to_start": year,
            "start_form": form or StartForm(initial={"year": year}),
        },
        status=400 if form is not None else 200,
    )


@governed(assessment_policy, Action.LIST)
@require_GET
def assessment_list(request: HttpRequest) -> HttpResponse:
    """The municipality's assessments by year; for its AF OOV, starting this year's."""
    return _render_list(request, AccessContext.from_request(request))


@governed(assessment_policy, Action.CREATE)
@require_POST
def assessment_start(request: HttpRequest) -> HttpResponse:
    context = AccessContext.from_request(request)
    form = StartForm(request.POST)
    if form.is_valid():
        try:
            assessment = services.assessment_start(context=context, year=form.cleaned_data["year"])
        except ValidationError as error:
            form.add_error(None, error.messages)
        else:
            messages.success(request, _("The self-assessment is started."))
            return redirect(
                "assessment:questions", pk=assessment.pk, element=_first_element(assessment)
            )
    return _render_list(request, context, form)


def _first_element(assessment: Assessment) -> str:
    first = assessment.model_version.elements.first()
    if first is None:
        raise NotFound
    return first.code


def _levels(assessment: Assessment) -> list[MaturityLevel]:
    return list(MaturityLevel.objects.filter(model_version_id=assessment.model_version_id))


def _render_questions(
    request: HttpRequest,
    context: AccessContext,
    assessment: Assessment,
    element: str,
    bound: tuple[str, Any] | None = None,
) -> HttpResponse:
    page = selectors.questionnaire(context, assessment, element)
    levels = _levels(assessment)
    rows = []
    for question in page.questions:
        code = question.condition.code
        answer_form = AnswerForm(
            condition=question.condition,
            levels=levels,
            initial={"level": question.level, "notes": question.answer.notes}
            if question.answer
            else None,
        )
        evidence_form = EvidenceForm(condition=question.condition)
        if bound and bound[0] == code:
            answer_form = bound[1] if isinstance(bound[1], AnswerForm) else answer_form
            evidence_form = bound[1] if isinstance(bound[1], EvidenceForm) else evidence_form
        rows.append((question, answer_form, evidence_form))
    return render(
        request,
        "assessment/questions.html",
        {"page": page, "assessment": assessment, "rows": rows, "levels": levels},
        status=400 if bound else 200,
    )


@governed(assessment_policy, Action.VIEW)
@require_GET
def assessment_questions(request: HttpRequest, pk: int, element: str) -> HttpResponse:
    """The questions of one element: per condition its criteria per level, the answer, the
    evidence and, beside it, what Schakel knows."""
    context = AccessContext.from_request(request)
    assessment = selectors.assessment_get_for(context, pk)
    return _render_questions(request, context, assessment, element)


def _condition_or_404(assessment: Assessment, code: str) -> Any:
    condition = assessment.model_version.conditions.filter(code=code).first()
    if condition is None:
        raise NotFound
    return condition


def _back(assessment: Assessment, condition: Any) -> HttpResponse:
    url = reverse(
        "assessment:questions", kwargs={"pk": assessment.pk, "element": condition.element.code}
    )
    return redirect(f"{url}#condition-{condition.code}")


@governed(assessment_policy, Action.CHANGE)
@require_POST
def assessment_answer(request: HttpRequest, pk: int, condition: str) -> HttpResponse:
    context = AccessContext.from_request(request)
    assessment = selectors.assessment_get_for(context, pk)
    found = _condition_or_404(assessment, condition)
    form = AnswerForm(request.POST, condition=found, levels=_levels(assessment))
    if form.is_valid():
        try:
            services.answer_record(
                context=context,
                assessment=assessment,
                condition=found,
                level=form.cleaned_data["level"],
                notes=form.cleaned_data["notes"],
            )
        except REFUSALS as error:
            form.add_error(None, _messages(error))
        else:
            messages.success(request, _("The answer is saved."))
            return _back(assessment, found)
    return _render_questions(
        request, context, assessment, found.element.code, bound=(found.code, form)
    )


@governed(assessment_policy, Action.CHANGE)
@require_POST
def assessment_evidence_add(request: HttpRequest, pk: int, condition: str) -> HttpResponse:
    context = AccessContext.from_request(request)
    assessment = selectors.assessment_get_for(context, pk)
    found = _condition_or_404(assessment, condition)
    form = EvidenceForm(request.POST, condition=found)
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.evidence_add(
                context=context,
                assessment=assessment,
                condition=found,
                kind=data["kind"],
                title=data["title"],
                url=data["url"],
                on=data["on"],
            )
        except REFUSALS as error:
            form.add_error(None, _messages(error))
        else:
            messages.success(request, _("The evidence is added."))
            return _back(assessment, found)
    return _render_questions(
        request, context, assessment, found.element.code, bound=(found.code, form)
    )


@governed(assessment_policy, Action.CHANGE)
@require_POST
def assessment_evidence_remove(request: HttpRequest, pk: int, evidence: int) -> HttpResponse:
    context = AccessContext.from_request(request)
    assessment = selectors.assessment_get_for(context, pk)
    item = assessment_evidence(assessment, evidence)
    try:
        services.evidence_remove(context=context, assessment=assessment, evidence=item)
    except TransitionRefused as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("The evidence is removed."))
    return _back(assessment, item.answer.condition)


def assessment_evidence(assessment: Assessment, pk: int) -> Any:
    from .models import Evidence

    found = (
        Evidence.objects.filter(pk=pk, answer__assessment=assessment)
        .select_related("answer__condition__element")
        .first()
    )
    if found is None:
        raise NotFound
    return found


def _reference(request: HttpRequest) -> str | None:
    code = request.GET.get("reference", "")
    return code if code.replace("-", "").isalnum() else None


@governed(assessment_policy, Action.VIEW)
@require_GET
def assessment_results(request: HttpRequest, pk: int) -> HttpResponse:
    """Scores per element and condition (charts with their tables), the Basisniveau verdict,
    the gap list and the comparison with last year or a reference profile."""
    context = AccessContext.from_request(request)
    assessment = selectors.assessment_get_for(context, pk)
    view = results_view(assessment, reference=_reference(request))
    actions = assessment_policy.actions_for(context.actor, assessment)
    return render(
        request,
        "assessment/results.html",
        {
            "view": view,
            "results": view.results,
            "assessment": assessment,
            "current_label": view.current_label,
            "previous_label": view.previous_label,
            "can_finalise": AssessmentAction.FINALISE in actions,
            "reference_code": view.results.reference and _reference(request),
        },
    )


@governed(assessment_policy, Action.CHANGE)
def assessment_finalise(request: HttpRequest, pk: int) -> HttpResponse:
    """The confirmation page (GET) and finalising (POST): then read-only for good."""
    context = AccessContext.from_request(request)
    assessment = selectors.assessment_get_for(context, pk)
    form = FinaliseForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.assessment_finalise(context=context, assessment=assessment)
        except REFUSALS as error:
            form.add_error(None, _messages(error))
        else:
            messages.success(request, _("The self-assessment is final."))
            return redirect("assessment:results", pk=assessment.pk)
    page = selectors.questionnaire(context, assessment, _first_element(assessment))
    return render(
        request,
        "assessment/finalise.html",
        {"assessment": assessment, "page": page, "form": form},
        status=400 if form.errors else 200,
    )


@never_cache
@governed(assessment_policy, Action.VIEW)
@require_GET
def assessment_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    context = AccessContext.from_request(request)
    assessment = selectors.assessment_get_for(context, pk)
    view = results_view(assessment, reference=_reference(request))
    record_export(context, assessment)
    return attachment(render_results_pdf(view), "application/pdf", pdf_filename(assessment))
