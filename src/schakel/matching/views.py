from __future__ import annotations

import json
import time
from typing import Any
from uuid import UUID

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from schakel.core import crypto
from schakel.core.access import governed
from schakel.core.context import AccessContext
from schakel.core.pagination import paginate
from schakel.core.policies import Action
from schakel.organisations.models import Organisation

from . import selectors, services
from .choices import TaskStatus
from .forms import EndForm, PersonForm, RegisterForm, TaskStatusForm
from .policies import hit_policy, involvement_policy, matching_organisations


def _organisations(context: AccessContext):  # type: ignore[no-untyped-def]
    return Organisation.objects.filter(pk__in=matching_organisations(context.actor))


# After a no-hit, "register this person" fills in the registration form with what was looked up,
# so nobody types a name twice. The person's data stays on the server, encrypted in the session
# under the lookup's token (never in a URL), for a short time, and goes once used.
CARRIED_OVER = "matching-no-hit"
CARRY_OVER_SECONDS = 30 * 60
PERSON_FIELDS = (
    "organisation",
    "given_names",
    "surname",
    "date_of_birth",
    "birth_year",
    "sex",
    "nationality",
    "postcode",
    "house_number",
    "reference",
)


def _carry_over(request: HttpRequest, token: UUID, form: PersonForm) -> None:
    data = {
        name: (value.pk if name == "organisation" else value)
        for name in PERSON_FIELDS
        if (value := form.cleaned_data.get(name)) not in (None, "")
    }
    if "date_of_birth" in data:
        data["date_of_birth"] = data["date_of_birth"].isoformat()
    request.session[CARRIED_OVER] = {
        "token": str(token),
        "at": time.time(),
        "person": crypto.encrypt(json.dumps(data)),
    }


def _carried_over(request: HttpRequest, token: str) -> dict[str, Any] | None:
    held = request.session.get(CARRIED_OVER)
    if not held or held.get("token") != token:
        return None
    if time.time() - held.get("at", 0) > CARRY_OVER_SECONDS:
        del request.session[CARRIED_OVER]
        return None
    data: dict[str, Any] = json.loads(crypto.decrypt(held["person"]))
    return data


@governed(involvement_policy, Action.CREATE)
def register(request: HttpRequest) -> HttpResponse:
    context = AccessContext.from_request(request)
    initial = _carried_over(request, request.GET.get("na", "")) if request.method == "GET" else None
    form = RegisterForm(
        request.POST or None, organisations=_organisations(context), initial=initial or {}
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.involvement_register(
                context=context,
                person=form.person(),
                contact_person=form.cleaned_data["contact_person"],
                organisation=form.cleaned_data["organisation"],
                reference=form.cleaned_data["reference"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            request.session.pop(CARRIED_OVER, None)
            messages.success(request, _("The involvement has been registered."))
            return redirect("matching:registrations")
    return render(request, "matching/register.html", {"form": form, "carried_over": bool(initial)})


@governed(involvement_policy, Action.LIST)
def registrations(request: HttpRequest) -> HttpResponse:
    context = AccessContext.from_request(request)
    involvements = selectors.involvements_visible_to(context).order_by("-created_at", "-pk")
    page = paginate(request, involvements)
    return render(request, "matching/registrations.html", {"involvements": page, "page": page})


@governed(involvement_policy, Action.CHANGE)
def end(request: HttpRequest, pk: int) -> HttpResponse:
    """Ending a registration asks first: GET shows what ending means, POST with the box ticked
    ends it."""
    context = AccessContext.from_request(request)
    involvement = selectors.involvement_get_for(context, pk)
    form = EndForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.involvement_end(
                context=context, involvement=involvement, confirmed=form.cleaned_data["confirmed"]
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The registration has been ended."))
            return redirect("matching:registrations")
    return render(request, "matching/end.html", {"form": form, "involvement": involvement})


@governed(involvement_policy, Action.VIEW)
def lookup(request: HttpRequest) -> HttpResponse:
    context = AccessContext.from_request(request)
    form = PersonForm(request.POST or None, organisations=_organisations(context))
    if request.method == "POST" and form.is_valid():
        person = form.person()
        try:
            result = services.involvement_lookup(
                context,
                given_names=person.given_names,
                surname=person.surname,
                date_of_birth=person.date_of_birth,
                birth_year=person.birth_year,
                sex=person.sex,
                nationality=person.nationality,
                postcode=person.postcode,
                house_number=person.house_number,
                organisation=form.cleaned_data["organisation"],
                reference=form.cleaned_data["reference"],
            )
        except services.RateLimited:
            form.add_error(None, _("You have reached the maximum number of lookups per hour."))
            return render(request, "matching/lookup.html", {"form": form}, status=429)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            if not result.hit and involvement_policy.can(context.actor, Action.CREATE):
                _carry_over(request, result.lookup.token, form)
            return redirect("matching:result", token=result.lookup.token)
    return render(request, "matching/lookup.html", {"form": form})


@governed(hit_policy, Action.VIEW)
def result(request: HttpRequest, token: UUID) -> HttpResponse:
    context = AccessContext.from_request(request)
    found = selectors.lookup_get_for(context, token)
    hits = [(hit, selectors.contact_for(context, hit)) for hit in found.hits.all()]
    held = request.session.get(CARRIED_OVER) or {}
    may_register = not hits and held.get("token") == str(token)
    return render(
        request,
        "matching/result.html",
        {"lookup": found, "hits": hits, "may_register": may_register},
    )


@governed(hit_policy, Action.CHANGE)
@require_POST
def decide(request: HttpRequest, pk: int) -> HttpResponse:
    context = AccessContext.from_request(request)
    hit = selectors.hit_get_for(context, pk)
    try:
        services.hit_decide(context=context, hit=hit, confirm=request.POST.get("confirm") == "yes")
    except ValidationError as error:
        messages.error(request, error.messages[0])
    return redirect("matching:result", token=hit.lookup.token)


@governed(hit_policy, Action.LIST)
def hits(request: HttpRequest) -> HttpResponse:
    context = AccessContext.from_request(request)
    page = selectors.my_hit_tasks(context, pager=lambda tasks: paginate(request, tasks))
    return render(
        request,
        "matching/hits.html",
        {"rows": page, "page": page, "statuses": TaskStatus.choices},
    )


@governed(hit_policy, Action.CHANGE)
@require_POST
def task_status(request: HttpRequest, pk: int) -> HttpResponse:
    context = AccessContext.from_request(request)
    task = selectors.hit_task_get_for(context, pk)
    form = TaskStatusForm(request.POST, prefix=str(pk))
    if form.is_valid():
        services.hit_task_update(context=context, task=task, status=form.cleaned_data["status"])
        messages.success(request, _("The status has been updated."))
    return redirect("matching:hits")
