"""The inspection screens. Views hold no rules: they call selectors and services and render."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from schakel.core.access import governed
from schakel.core.context import AccessContext
from schakel.core.policies import Action

from . import rules, selectors, services
from .forms import AcknowledgeForm, EvaluationForm, FindingsForm, InspectionPlanForm
from .policies import InspectionAction, inspection_policy
from .workflow import TransitionRefused

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


# ------------------------------------------------------------------------------

INSPECTION_REFUSALS = (ValidationError, TransitionRefused)


def _refusal(error: Exception) -> list[str] | str:
    return error.messages if isinstance(error, ValidationError) else str(error)


@governed(inspection_policy, Action.LIST)
def inspection_list(request: HttpRequest) -> HttpResponse:
    """The inspections the user sees, and planning a new one for those who inspect."""
    context = AccessContext.from_request(request)
    form = None
    if inspection_policy.can(context.actor, Action.CREATE):
        choices = selectors.inspection_plan_choices(context)
        form = InspectionPlanForm(request.POST if request.method == "POST" else None, **choices)
    elif request.method == "POST":
        raise PermissionDenied
    if form is not None and request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        case = next((c for c in choices["cases"] if c.reference == data["case"]), None)
        try:
            inspection = services.inspection_plan(
                context=context,
                kind=data["kind"],
                planned_for=data["planned_for"],
                premises=data["premises"],
                purpose=data["purpose"],
                participants=data["participants"],
                case=case,
                **form.notified(),
            )
        except INSPECTION_REFUSALS as error:
            form.add_error(None, _refusal(error))
        else:
            messages.success(request, _("The inspection is planned."))
            return redirect("inspections:detail", pk=inspection.pk)
    return render(
        request,
        "inspections/inspections.html",
        {"rows": selectors.inspections_for(context), "form": form},
        status=400 if form is not None and form.errors else 200,
    )


IA = InspectionAction
INSPECTION_STEPS: dict[str, tuple[InspectionAction, StrOrPromise]] = {
    "acknowledge": (IA.ACKNOWLEDGE_NOTICE, gettext_lazy("Acknowledged: the planner sees it.")),
    "findings": (IA.RECORD_FINDINGS, gettext_lazy("The findings are recorded.")),
    "evaluate": (IA.EVALUATE, gettext_lazy("The evaluation is recorded.")),
}


def _inspection_form(step: str, data: Any = None) -> forms.Form:
    if step == "findings":
        return FindingsForm(data, prefix=step, checklist=rules.findings_checklist())
    if step == "evaluate":
        return EvaluationForm(data, prefix=step)
    return AcknowledgeForm(data, prefix=step)


def _render_inspection(
    request: HttpRequest,
    view: selectors.InspectionView,
    bound: tuple[str, forms.Form] | None = None,
) -> HttpResponse:
    """The forms of the steps the policy allows now (findings only from the planned date on);
    a refused step that is no longer offered shows its refusal at the top."""
    offered: dict[str, forms.Form] = {}
    for step, (action, _done) in INSPECTION_STEPS.items():
        if action not in view.actions or (step == "findings" and view.findings_refused):
            continue
        offered[step] = bound[1] if bound and bound[0] == step else _inspection_form(step)
    refused = bound[1] if bound and bound[0] not in offered else None
    return render(
        request,
        "inspections/inspection.html",
        {"view": view, "inspection": view.inspection, "steps": offered, "refused": refused},
        status=400 if bound else 200,
    )


@governed(inspection_policy, Action.VIEW)
def inspection_detail(request: HttpRequest, pk: int) -> HttpResponse:
    context = AccessContext.from_request(request)
    return _render_inspection(request, selectors.inspection_get_for(context, pk))


@governed(inspection_policy, Action.CHANGE)
@require_POST
def inspection_act(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    """POST one step; the service asks the policy again (403 for who may not, a message for a
    step that does not fit the inspection's state or date)."""
    if action not in INSPECTION_STEPS:
        raise Http404
    context = AccessContext.from_request(request)
    view = selectors.inspection_get_for(context, pk)
    form = _inspection_form(action, request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            if action == "findings":
                services.inspection_record_findings(
                    context=context,
                    inspection=view.inspection,
                    indicator_codes=data["indicators"],
                    findings=data["findings"],
                )
            elif action == "evaluate":
                services.inspection_evaluate(
                    context=context, inspection=view.inspection, evaluation=data["evaluation"]
                )
            else:
                services.inspection_acknowledge_notice(context=context, inspection=view.inspection)
        except INSPECTION_REFUSALS as error:
            form.add_error(None, _refusal(error))
        else:
            messages.success(request, INSPECTION_STEPS[action][1])
            return redirect("inspections:detail", pk=pk)
    return _render_inspection(request, view, bound=(action, form))
