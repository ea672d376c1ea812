"""The CoMensha export: a page listing the victims the reader may register, and the same
victims as CSV and XLSX. Views hold no rules: the victim registration policy decides who opens
them (403 for other roles), the cases app's selector which victims they get."""

from __future__ import annotations

from urllib.parse import urlencode

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from schakel.cases.choices import PersonOutcome
from schakel.cases.policies import victim_registration_policy
from schakel.catalogue.choices import ExploitationFormCode
from schakel.core.access import governed
from schakel.core.context import AccessContext
from schakel.core.export import attachment
from schakel.core.policies import Action

from . import comensha
from .forms import RegistrationQueryForm

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _form(request: HttpRequest) -> RegistrationQueryForm:
    data = request.GET if request.GET else {"year": timezone.localdate().year}
    return RegistrationQueryForm(data)


def _refused(request: HttpRequest, form: RegistrationQueryForm) -> HttpResponse:
    return render(
        request,
        "monitoring/comensha.html",
        {"form": form, "victims": None, "not_held": comensha.columns_not_held()},
        status=400,
    )


def _query(form: RegistrationQueryForm) -> comensha.RegistrationQuery:
    return comensha.RegistrationQuery(period=form.period(), registered=form.registered())


@never_cache
@governed(victim_registration_policy, Action.LIST)
@require_GET  # after the access check: the second factor is asked for first, whatever the method
def registration(request: HttpRequest) -> HttpResponse:
    form = _form(request)
    if not form.is_valid():
        return _refused(request, form)
    context = AccessContext.from_request(request)
    query = _query(form)
    rows = [
        {
            "victim": victim,
            "forms": [
                ExploitationFormCode(c).label
                for c in ExploitationFormCode.values
                if c in victim.exploitation_forms
            ],
            "registered_on": victim.outcomes.get(PersonOutcome.REGISTERED_COMENSHA),
        }
        for victim in comensha.victims(context, query)
    ]
    return render(
        request,
        "monitoring/comensha.html",
        {
            "form": form,
            "period": query.period,
            "victims": rows,
            "query_string": urlencode(
                {
                    "year": form.cleaned_data["year"],
                    "registration": form.cleaned_data["registration"],
                }
            ),
            "not_held": comensha.columns_not_held(),
        },
    )


@never_cache
@governed(victim_registration_policy, Action.LIST)
@require_GET  # after the access check: the second factor is asked for first, whatever the method
def registration_csv(request: HttpRequest) -> HttpResponse:
    form = _form(request)
    if not form.is_valid():
        return _refused(request, form)
    query = _query(form)
    content = comensha.registration_csv(AccessContext.from_request(request), query)
    return attachment(content, "text/csv; charset=utf-8", comensha.filename(query, "csv"))


@never_cache
@governed(victim_registration_policy, Action.LIST)
@require_GET  # after the access check: the second factor is asked for first, whatever the method
def registration_xlsx(request: HttpRequest) -> HttpResponse:
    form = _form(request)
    if not form.is_valid():
        return _refused(request, form)
    query = _query(form)
    content = comensha.registration_xlsx(AccessContext.from_request(request), query)
    return attachment(content, XLSX, comensha.filename(query, "xlsx"))
