"""The annual report's screens and downloads. Views hold no rules: the selector in report.py
decides what the reader sees (404 for what they may not), the services what may be written."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from schakel.core.access import governed
from schakel.core.context import AccessContext
from schakel.core.export import attachment
from schakel.core.policies import Action

from . import services
from .exports import report_csv as csv_of
from .exports import report_xlsx as xlsx_of
from .models import AnnualReport, ReportGoal, ReportSection
from .report import (
    ReportView,
    annual_report_for,
    record_export,
    render_report_pdf,
    report_filename,
    report_municipality_id,
)
from .report_forms import GoalForm, ReportForm, SectionForm
from .report_policy import annual_report_policy, keeping_municipalities


def _view(request: HttpRequest, year: int) -> tuple[AccessContext, ReportView]:
    context = AccessContext.from_request(request)
    municipality_id = report_municipality_id(context)
    return context, annual_report_for(context, municipality_id=municipality_id, year=year)


@governed(annual_report_policy, Action.LIST)
def report_index(request: HttpRequest) -> HttpResponse:
    """The years with a report; for the AF roles also the years one can be begun."""
    context = AccessContext.from_request(request)
    municipality_id = report_municipality_id(context)
    reports = list(
        annual_report_policy.visible_to(context.actor)
        .filter(municipality_id=municipality_id)
        .order_by("-year")
    )
    this_year = timezone.localdate().year
    can_edit = municipality_id in keeping_municipalities(context.actor)
    have = {report.year for report in reports}
    startable = [y for y in (this_year, this_year - 1) if y not in have] if can_edit else []
    return render(
        request,
        "monitoring/report_index.html",
        {"reports": reports, "startable": startable, "can_edit": can_edit},
    )


@governed(annual_report_policy, Action.VIEW)
def report(request: HttpRequest, year: int) -> HttpResponse:
    _context, view = _view(request, year)
    return render(
        request,
        "monitoring/report.html",
        {"view": view, "period": view.period},
    )


# The edit page's steps: each POST names one, with `item` for a goal or section of the report.
STEPS = (
    "report",
    "goal_add",
    "goal_update",
    "goal_remove",
    "section_add",
    "section_update",
    "section_remove",
)


def _forms(view: ReportView, bound: tuple[str, forms.Form] | None) -> dict[str, Any]:
    """Every form of the page, the bound one (after a refused POST) in its place."""
    report = view.report

    def pick(key: str, make: Any) -> forms.Form:
        if bound is not None and bound[0] == key:
            return bound[1]
        form: forms.Form = make()
        return form

    report_initial = (
        {
            "introduction": report.introduction,
            "is_public": report.is_public,
            "show_reference_figures": report.show_reference_figures,
        }
        if report
        else {}
    )
    goals = [
        (
            goal,
            pick(
                f"goal-{goal.pk}",
                lambda g=goal: GoalForm(prefix=f"goal-{g.pk}", initial=_goal_initial(g)),
            ),
        )
        for goal in [*view.goals_this, *view.goals_next]
    ]
    sections = [
        (
            section,
            pick(
                f"section-{section.pk}",
                lambda s=section: SectionForm(
                    prefix=f"section-{s.pk}", initial={"title": s.title, "body": s.body}
                ),
            ),
        )
        for section in view.sections
    ]
    return {
        "report_form": pick("report", lambda: ReportForm(prefix="report", initial=report_initial)),
        "goal_form": pick("goal", lambda: GoalForm(prefix="goal", initial={"year_kind": "this"})),
        "section_form": pick("section", lambda: SectionForm(prefix="section")),
        "goal_forms": goals,
        "section_forms": sections,
    }


def _goal_initial(goal: ReportGoal) -> dict[str, Any]:
    met = {True: "yes", False: "no"}.get(goal.met, "") if goal.met is not None else ""
    return {
        "year_kind": goal.year_kind,
        "text": goal.text,
        "met": met,
        "explanation": goal.explanation,
    }


def _render_edit(
    request: HttpRequest, view: ReportView, bound: tuple[str, forms.Form] | None = None
) -> HttpResponse:
    return render(
        request,
        "monitoring/report_edit.html",
        {"view": view, "period": view.period, **_forms(view, bound)},
        status=400 if bound else 200,
    )


@governed(annual_report_policy, Action.CHANGE)
def report_edit(request: HttpRequest, year: int) -> HttpResponse:
    """The AF's page for the report's goals, texts and settings; each POST is one step."""
    context, view = _view(request, year)
    if not view.can_edit:
        raise Http404
    if request.method != "POST":
        return _render_edit(request, view)
    step = request.POST.get("step", "")
    if step not in STEPS:
        return _render_edit(request, view, bound=("report", _refused(_("Choose what to save."))))
    key, form = _bound_form(step, request.POST)
    if not form.is_valid() and not step.endswith("_remove"):
        return _render_edit(request, view, bound=(key, form))
    try:
        with transaction.atomic():  # a step refused halfway (an unknown item) leaves nothing
            done = _apply(context, view, step, form, request.POST.get("item", ""))
    except ValidationError as error:
        form.add_error(None, error.messages)
        return _render_edit(request, view, bound=(key, form))
    messages.success(request, done)
    return redirect("monitoring:report_edit", year=year)


def _refused(message: str) -> forms.Form:
    form = ReportForm(data={}, prefix="report")
    form.is_valid()
    form.add_error(None, message)
    return form


def _bound_form(step: str, data: Any) -> tuple[str, forms.Form]:
    item = data.get("item", "")
    if step == "report":
        return "report", ReportForm(data, prefix="report")
    kind = "goal" if step.startswith("goal") else "section"
    form_class = GoalForm if kind == "goal" else SectionForm
    if step.endswith("_add"):
        return kind, form_class(data, prefix=kind)
    key = f"{kind}-{item}" if str(item).isdigit() else kind
    return key, form_class(data, prefix=key)


def _item(model: type[Any], report: AnnualReport | None, item: str) -> Any:
    if report is None or not item.isdigit():
        raise Http404
    found = model.objects.filter(pk=int(item), report=report).select_related("report").first()
    if found is None:
        raise Http404
    return found


def _apply(context: AccessContext, view: ReportView, step: str, form: forms.Form, item: str) -> str:
    if step.endswith(("_update", "_remove")) and view.report is None:
        raise Http404  # an item of a report not begun does not exist
    report = view.report or services.annual_report_get_or_create(
        context=context, municipality=view.municipality, year=view.year
    )
    data = form.cleaned_data if form.is_bound and not form.errors else {}
    if step == "report":
        services.annual_report_update(
            context=context,
            report=report,
            introduction=data["introduction"],
            is_public=data["is_public"],
            show_reference_figures=data["show_reference_figures"],
        )
        return _("The report is saved.")
    if step in ("goal_add", "goal_update"):
        fields = {
            "year_kind": data["year_kind"],
            "text": data["text"],
            "met": {"yes": True, "no": False}.get(data.get("met") or ""),
            "explanation": data["explanation"],
        }
        if step == "goal_add":
            services.report_goal_add(context=context, report=report, **fields)
            return _("The goal is added.")
        services.report_goal_update(
            context=context, goal=_item(ReportGoal, view.report, item), **fields
        )
        return _("The goal is saved.")
    if step == "goal_remove":
        services.report_goal_remove(context=context, goal=_item(ReportGoal, view.report, item))
        return _("The goal is removed.")
    if step == "section_add":
        services.report_section_add(
            context=context, report=report, title=data["title"], body=data["body"]
        )
        return _("The section is added.")
    if step == "section_update":
        services.report_section_update(
            context=context,
            section=_item(ReportSection, view.report, item),
            title=data["title"],
            body=data["body"],
        )
        return _("The section is saved.")
    services.report_section_remove(context=context, section=_item(ReportSection, view.report, item))
    return _("The section is removed.")


@never_cache
@governed(annual_report_policy, Action.VIEW)
def report_pdf(request: HttpRequest, year: int) -> HttpResponse:
    context, view = _view(request, year)
    record_export(context, view, "pdf")
    return attachment(render_report_pdf(view), "application/pdf", report_filename(view, "pdf"))


@never_cache
@governed(annual_report_policy, Action.VIEW)
def report_csv(request: HttpRequest, year: int) -> HttpResponse:
    context, view = _view(request, year)
    record_export(context, view, "csv")
    content = csv_of(
        view.figures, current_label=view.current_label, previous_label=view.previous_label
    )
    return attachment(content, "text/csv; charset=utf-8", report_filename(view, "csv"))


@never_cache
@governed(annual_report_policy, Action.VIEW)
def report_xlsx(request: HttpRequest, year: int) -> HttpResponse:
    context, view = _view(request, year)
    record_export(context, view, "xlsx")
    content = xlsx_of(
        view.figures,
        title=_("Annual report %(municipality)s %(year)s")
        % {"municipality": view.municipality.name, "year": view.year},
        current_label=view.current_label,
        previous_label=view.previous_label,
    )
    return attachment(
        content,
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        report_filename(view, "xlsx"),
    )
