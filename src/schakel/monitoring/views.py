from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from schakel.core.access import governed
from schakel.core.context import AccessContext
from schakel.core.policies import Action

from .forms import PeriodForm
from .periods import Period
from .policies import figures_policy
from .report_policy import annual_report_policy
from .selectors import dashboard as dashboard_sections


@governed(figures_policy, Action.VIEW)
def dashboard(request: HttpRequest) -> HttpResponse:
    """The figures of the reader's municipality (or, for the regional adviser, region) for a
    period, each chart beside its table, small counts hidden outside the AF roles."""
    context = AccessContext.from_request(request)
    area = figures_policy.area_for(context.actor)
    disclosure = figures_policy.disclosure(context.actor, area)
    today = timezone.localdate()
    default_year = today.year if not disclosure.protect or today.month > 1 else today.year - 1
    form = PeriodForm(
        request.GET if "year" in request.GET else {"year": default_year},
        months=not disclosure.protect,
        today=today,
    )
    period: Period | None = None
    if form.is_valid():
        period = form.period(protect=disclosure.protect)
    sections = dashboard_sections(context, area, period, disclosure=disclosure) if period else []
    return render(
        request,
        "monitoring/dashboard.html",
        {
            "area": area,
            "form": form,
            "period": period,
            "previous": period.previous() if period else None,
            "disclosure": disclosure,
            "sections": sections,
            "report_link": annual_report_policy.can(context.actor, Action.LIST),
        },
        status=200 if form.is_valid() else 400,
    )
