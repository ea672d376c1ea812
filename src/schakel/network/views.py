"""The network screens: the partner directory, trainings and the care map. Views hold no rules:
they call selectors and services and render."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from schakel.core.access import governed
from schakel.core.context import AccessContext
from schakel.core.policies import Action
from schakel.organisations.choices import OrganisationKind

from . import selectors, services
from .choices import AgeGroup, Origin
from .forms import (
    CareOfferForm,
    DirectoryFilterForm,
    IntervalForm,
    ProfileForm,
    SessionForm,
    WhoDoesWhatForm,
    attendance_formset,
)
from .models import CareOffer, TrainingSession
from .policies import care_map_policy, directory_policy, training_policy

# --- The directory ----------------------------------------------------------------------------


@governed(directory_policy, Action.LIST)
@require_GET
def directory(request: HttpRequest) -> HttpResponse:
    context = AccessContext.from_request(request)
    form = DirectoryFilterForm(request.GET or None)
    filters: dict[str, Any] = form.cleaned_data if form.is_valid() else {}
    rows = selectors.directory_for(
        context,
        search=filters.get("q", ""),
        sub_network=filters.get("sub_network", ""),
        ring=filters.get("ring", ""),
        kind=filters.get("kind", ""),
    )
    return render(
        request,
        "network/directory.html",
        {
            "form": form,
            "rows": rows,
            "can_edit": directory_policy.can(context.actor, Action.CHANGE),
        },
        status=400 if form.errors else 200,
    )


@governed(directory_policy, Action.VIEW)
@require_GET
def organisation(request: HttpRequest, pk: int) -> HttpResponse:
    context = AccessContext.from_request(request)
    return render(
        request,
        "network/organisation.html",
        {
            "row": selectors.directory_entry(context, pk),
            "can_edit": directory_policy.can(context.actor, Action.CHANGE),
        },
    )


@governed(directory_policy, Action.LIST)
@require_GET
def who_does_what(request: HttpRequest) -> HttpResponse:
    """The printable "who does what" per sub-network, for the region or one municipality."""
    context = AccessContext.from_request(request)
    municipalities = selectors.region_municipalities(context)
    form = WhoDoesWhatForm(request.GET or None, municipalities=municipalities)
    chosen = form.cleaned_data.get("municipality") if form.is_valid() else None
    name = next((m.name for m in municipalities if m.pk == chosen), "")
    return render(
        request,
        "network/who_does_what.html",
        {
            "form": form,
            "groups": selectors.who_does_what(context, municipality_id=chosen),
            "municipality_name": name,
        },
        status=400 if form.errors else 200,
    )


def _profile_initial(row: selectors.DirectoryRow) -> dict[str, Any]:
    profile = row.profile
    if profile is None:
        return {}
    return {
        name: getattr(profile, name) for name in ProfileForm.base_fields if hasattr(profile, name)
    }


@governed(directory_policy, Action.CHANGE)
def profile_edit(request: HttpRequest, pk: int) -> HttpResponse:
    context = AccessContext.from_request(request)
    row = selectors.directory_entry(context, pk)
    form = ProfileForm(
        request.POST if request.method == "POST" else None, initial=_profile_initial(row)
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.partner_profile_update(
                context=context,
                organisation_id=row.organisation.pk,
                data=services.ProfileInput(**form.cleaned_data),
            )
        except ValidationError as error:
            form.add_error(None, error.messages)
        else:
            messages.success(request, _("The directory entry is saved."))
            return redirect("network:organisation", pk=pk)
    return render(
        request,
        "network/profile_edit.html",
        {"row": row, "form": form, "is_hotel": row.organisation.kind == OrganisationKind.HOTEL},
        status=400 if form.errors else 200,
    )


# --- Trainings --------------------------------------------------------------------------------


@governed(training_policy, Action.LIST)
@require_GET
def trainings(request: HttpRequest) -> HttpResponse:
    context = AccessContext.from_request(request)
    municipality_id = training_policy.keeping_municipality(context.actor)
    months = selectors.repeat_months(municipality_id) if municipality_id else None
    return render(
        request,
        "network/trainings.html",
        {
            "sessions": selectors.training_sessions_for(context),
            "interval_form": IntervalForm(initial={"months": months}),
        },
    )


@governed(training_policy, Action.CHANGE)
@require_POST
def training_interval(request: HttpRequest) -> HttpResponse:
    context = AccessContext.from_request(request)
    form = IntervalForm(request.POST)
    if form.is_valid():
        try:
            services.training_interval_set(context=context, months=form.cleaned_data["months"])
        except ValidationError as error:
            form.add_error(None, error.messages)
        else:
            messages.success(request, _("The repeat interval is saved."))
            return redirect("network:trainings")
    return render(
        request,
        "network/trainings.html",
        {"sessions": selectors.training_sessions_for(context), "interval_form": form},
        status=400,
    )


def _session_page(
    request: HttpRequest, context: AccessContext, session: TrainingSession | None
) -> HttpResponse:
    organisations = selectors.training_choices(context)
    posted = request.POST if request.method == "POST" else None
    initial: dict[str, Any] = {}
    rows: list[dict[str, Any]] = []
    if session is not None:
        initial = {
            "held_on": session.held_on,
            "title": session.title,
            "audience": session.audience,
            "sector": session.sector,
            "trainer_organisation": session.trainer_organisation_id,
            "trainer_name": session.trainer_name,
            "reporting_route_presented": session.reporting_route_presented,
            "notes": session.notes,
        }
        rows = [
            {"organisation": a.organisation_id, "participants": a.participants}
            for a in session.attendances.all()
        ]
    form = SessionForm(posted, initial=initial, organisations=organisations)
    formset = attendance_formset(posted, organisations, rows)
    if posted is not None and form.is_valid() and formset.is_valid():
        data = form.cleaned_data
        trainer = data["trainer_organisation"]
        attendances = [
            (row["organisation"].pk, row["participants"])
            for row in formset.cleaned_data
            if row.get("organisation")
        ]
        entry = services.SessionInput(
            held_on=data["held_on"],
            title=data["title"],
            audience=data["audience"],
            sector=data["sector"],
            attendances=attendances,
            trainer_organisation_id=trainer.pk if trainer else None,
            trainer_name=data["trainer_name"],
            reporting_route_presented=data["reporting_route_presented"],
            notes=data["notes"],
        )
        try:
            if session is None:
                services.training_session_record(context=context, data=entry)
            else:
                services.training_session_update(context=context, session_id=session.pk, data=entry)
        except ValidationError as error:
            form.add_error(None, error.messages)
        else:
            messages.success(request, _("The training is saved."))
            return redirect("network:trainings")
    invalid = posted is not None
    return render(
        request,
        "network/training_form.html",
        {"form": form, "formset": formset, "session": session},
        status=400 if invalid else 200,
    )


@governed(training_policy, Action.CREATE)
def training_new(request: HttpRequest) -> HttpResponse:
    return _session_page(request, AccessContext.from_request(request), None)


@governed(training_policy, Action.CHANGE)
def training_edit(request: HttpRequest, pk: int) -> HttpResponse:
    context = AccessContext.from_request(request)
    return _session_page(request, context, selectors.training_session_get_for(context, pk))


@governed(training_policy, Action.VIEW)
@require_GET
def training_status(request: HttpRequest) -> HttpResponse:
    context = AccessContext.from_request(request)
    return render(
        request, "network/training_status.html", {"status": selectors.training_status(context)}
    )


# --- The care map -----------------------------------------------------------------------------


@governed(care_map_policy, Action.LIST)
@require_GET
def care_map(request: HttpRequest) -> HttpResponse:
    context = AccessContext.from_request(request)
    return render(
        request,
        "network/care_map.html",
        {
            "map": selectors.care_map_for(context),
            "origins": Origin.choices,
            "ages": AgeGroup.choices,
        },
    )


def _offer_initial(offer: CareOffer) -> dict[str, Any]:
    return {
        "title": offer.title,
        "domain": offer.domain,
        "provider": offer.provider_id,
        "provider_name": offer.provider_name,
        "for_adults": offer.for_adults,
        "for_minors": offer.for_minors,
        "for_dutch": offer.for_dutch,
        "for_eu": offer.for_eu,
        "for_non_eu": offer.for_non_eu,
        "forms_of_exploitation": [f.code for f in offer.exploitation_forms.all()],
        "description": offer.description,
        "contact": offer.contact,
        "is_active": offer.is_active,
    }


def _offer_page(
    request: HttpRequest, context: AccessContext, offer: CareOffer | None
) -> HttpResponse:
    posted = request.POST if request.method == "POST" else None
    form = CareOfferForm(
        posted,
        initial=_offer_initial(offer) if offer else {"is_active": True},
        organisations=selectors.care_providers(context),
    )
    if posted is not None and form.is_valid():
        data = form.cleaned_data
        entry = services.CareOfferInput(
            title=data["title"],
            domain=data["domain"],
            form_codes=data["forms_of_exploitation"],
            provider_id=data["provider"].pk if data["provider"] else None,
            provider_name=data["provider_name"],
            for_adults=data["for_adults"],
            for_minors=data["for_minors"],
            for_dutch=data["for_dutch"],
            for_eu=data["for_eu"],
            for_non_eu=data["for_non_eu"],
            description=data["description"],
            contact=data["contact"],
            is_active=data["is_active"],
        )
        try:
            if offer is None:
                services.care_offer_add(context=context, data=entry)
            else:
                services.care_offer_update(context=context, offer_id=offer.pk, data=entry)
        except ValidationError as error:
            form.add_error(None, error.messages)
        else:
            messages.success(request, _("The care offer is saved."))
            return redirect("network:care_map")
    return render(
        request,
        "network/care_offer_form.html",
        {"form": form, "offer": offer},
        status=400 if posted is not None else 200,
    )


@governed(care_map_policy, Action.CREATE)
def care_offer_new(request: HttpRequest) -> HttpResponse:
    return _offer_page(request, AccessContext.from_request(request), None)


@governed(care_map_policy, Action.CHANGE)
def care_offer_edit(request: HttpRequest, pk: int) -> HttpResponse:
    context = AccessContext.from_request(request)
    return _offer_page(request, context, selectors.care_offer_get_for(context, pk))
