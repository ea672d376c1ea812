from __future__ import annotations

from uuid import UUID

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from schakel.core.access import governed
from schakel.core.context import AccessContext
from schakel.core.policies import Action
from schakel.organisations.models import Organisation

from . import selectors, services
from .choices import TaskStatus
from .forms import PersonForm, RegisterForm, TaskStatusForm
from .policies import hit_policy, involvement_policy, matching_organisations


def _organisations(context: AccessContext):  # type: ignore[no-untyped-def]
    return Organisation.objects.filter(pk__in=matching_organisations(context.actor))


@governed(involvement_policy, Action.CREATE)
def register(request: HttpRequest) -> HttpResponse:
    context = AccessContext.from_request(request)
    form = RegisterForm(request.POST or None, organisations=_organisations(context))
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
            messages.success(request, _("The involvement has been registered."))
            return redirect("matching:registrations")
    return render(request, "matching/register.html", {"form": form})


@governed(involvement_policy, Action.LIST)
def registrations(request: HttpRequest) -> HttpResponse:
    context = AccessContext.from_request(request)
    involvements = selectors.involvements_visible_to(context)
    return render(request, "matching/registrations.html", {"involvements": involvements})


@governed(involvement_policy, Action.CHANGE)
@require_POST
def end(request: HttpRequest, pk: int) -> HttpResponse:
    context = AccessContext.from_request(request)
    services.involvement_end(
        context=context, involvement=selectors.involvement_get_for(context, pk)
    )
    messages.success(request, _("The registration has been ended."))
    return redirect("matching:registrations")


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
            )
        except services.RateLimited:
            form.add_error(None, _("You have reached the maximum number of lookups per hour."))
            return render(request, "matching/lookup.html", {"form": form}, status=429)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            return redirect("matching:result", token=result.lookup.token)
    return render(request, "matching/lookup.html", {"form": form})


@governed(hit_policy, Action.VIEW)
def result(request: HttpRequest, token: UUID) -> HttpResponse:
    context = AccessContext.from_request(request)
    found = selectors.lookup_get_for(context, token)
    hits = [(hit, selectors.contact_for(context, hit)) for hit in found.hits.all()]
    return render(request, "matching/result.html", {"lookup": found, "hits": hits})


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
    rows = selectors.my_hit_tasks(context)
    return render(request, "matching/hits.html", {"rows": rows, "statuses": TaskStatus.choices})


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
