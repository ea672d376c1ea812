"""The privacy officer's screens for requests of the people in Schakel (AVG art. 15 and 16)."""

from __future__ import annotations

import json
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from schakel.cases.subjects import CORRECTABLE_FIELDS as CASE_CORRECTABLE_FIELDS
from schakel.cases.subjects import (
    CaseSubjectRecord,
    case_person_correct,
    case_persons_named,
    case_subject_record,
)
from schakel.core.access import governed
from schakel.core.context import AccessContext
from schakel.core.policies import Action
from schakel.intake import selectors, services
from schakel.intake.choices import Sex
from schakel.intake.nationality import details_field, nationality_field
from schakel.intake.policies import subject_access_policy


class SubjectSearchForm(forms.Form):
    # Sent by POST and not remembered by the browser: a name in a URL lands in access logs and in
    # the browser's history, a name in autocomplete in the next user's suggestions.
    name = forms.CharField(
        label=gettext_lazy("Name of the person"),
        max_length=200,
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )


class CorrectionForm(forms.Form):
    name = forms.CharField(label=gettext_lazy("Name"), required=False, max_length=200)
    date_of_birth = forms.CharField(
        label=gettext_lazy("Date or year of birth"), required=False, max_length=20
    )
    sex = forms.ChoiceField(label=gettext_lazy("Sex"), choices=Sex.choices, required=False)
    approximate_age = forms.IntegerField(
        label=gettext_lazy("Approximate age"), required=False, min_value=0, max_value=120
    )
    nationality_country = nationality_field()
    nationality = details_field()
    appearance = forms.CharField(
        label=gettext_lazy("Appearance and other details"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    reason = forms.CharField(
        label=gettext_lazy("Reason for the correction"),
        max_length=200,
        help_text=gettext_lazy("For example: request of the person concerned of 3 March."),
    )


@governed(subject_access_policy, Action.LIST)
@require_http_methods(["GET", "POST"])
def subject_search(request: HttpRequest) -> HttpResponse:
    """GET shows the form (a name in the query string is ignored); POST searches and shows the
    results in its own response, without a redirect that would put the name in a URL."""
    form = SubjectSearchForm(request.POST if request.method == "POST" else None)
    persons = case_persons = None
    if form.is_valid():
        context = AccessContext.from_request(request)
        persons = selectors.persons_named(context, name=form.cleaned_data["name"])
        case_persons = case_persons_named(context, name=form.cleaned_data["name"])
    return render(
        request,
        "privacy/subject_search.html",
        {"form": form, "persons": persons, "case_persons": case_persons},
    )


def _initial(person: Any) -> dict[str, Any]:
    return {name: getattr(person, name) for name in services.CORRECTABLE_PERSON_FIELDS}


def _signal_page(record: selectors.SubjectRecord, form: forms.Form) -> dict[str, Any]:
    person, signal = record.person, record.signal
    return {
        "record": record,
        "form": form,
        "heading": _("Person concerned in signal %(reference)s") % {"reference": signal.reference},
        "facts": [
            (_("Role"), person.get_role_display()),
            (_("Name"), person.name),
            (_("Date or year of birth"), person.date_of_birth),
            (_("Sex"), person.get_sex_display()),
            (_("Approximate age"), person.approximate_age),
            (_("Nationality"), person.nationality_country.name),
            (_("Language or other details"), person.nationality),
            (_("Appearance and other details"), person.appearance),
            (_("Municipality"), signal.municipality),
            (_("Reported at"), date_format(signal.reported_at, "DATE_FORMAT")),
        ],
        "export_url": reverse("privacy:subject_export", args=[person.pk]),
        "correct_url": reverse("privacy:subject_correct", args=[person.pk]),
    }


@governed(subject_access_policy, Action.VIEW)
def subject_detail(request: HttpRequest, pk: int) -> HttpResponse:
    record = selectors.subject_record(AccessContext.from_request(request), pk)
    form = CorrectionForm(initial=_initial(record.person))
    return render(request, "privacy/subject_detail.html", _signal_page(record, form))


@governed(subject_access_policy, Action.CHANGE)
@require_POST
def subject_correct(request: HttpRequest, pk: int) -> HttpResponse:
    context = AccessContext.from_request(request)
    record = selectors.subject_record(context, pk)
    form = CorrectionForm(request.POST, initial=_initial(record.person))
    if form.is_valid():
        data = dict(form.cleaned_data)
        reason = data.pop("reason")
        try:
            services.signal_person_correct(
                context=context, person=record.person, changes=data, reason=reason
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The correction is saved and logged."))
            return redirect("privacy:subject", pk=pk)
    return render(request, "privacy/subject_detail.html", _signal_page(record, form), status=400)


@governed(subject_access_policy, Action.VIEW)
def subject_export(request: HttpRequest, pk: int) -> HttpResponse:
    """Everything about the person, machine-readable, for the answer to an art. 15 request."""
    record = selectors.subject_record(AccessContext.from_request(request), pk)
    person, signal = record.person, record.signal
    export = {
        "exported_at": timezone.now().isoformat(),
        "person": {
            "role": person.get_role_display(),
            **{name: getattr(person, name) for name in services.CORRECTABLE_PERSON_FIELDS},
        },
        "signal": {
            "reference": signal.reference,
            "municipality": str(signal.municipality),
            "reported_at": signal.reported_at.isoformat(),
            "observed_on": signal.observed_on.isoformat(),
            "place": signal.place,
            "description": signal.description,
            "status": signal.get_status_display(),
        },
        "accessed_by": [
            {
                "at": event.occurred_at.isoformat(),
                "event": event.action,
                "user": event.user_label,
                "organisation_and_role": event.roles,
                "purpose": event.purpose,
            }
            for event in record.accesses
        ],
    }
    return _json_download(export, f"inzage-{signal.reference}.json")


# --- Persons in cases -----------------------------------------------------------------------------


class CasePersonCorrectionForm(forms.Form):
    name = forms.CharField(label=gettext_lazy("Name"), max_length=200)
    date_of_birth = forms.CharField(
        label=gettext_lazy("Date or year of birth"), required=False, max_length=20
    )
    sex = forms.ChoiceField(label=gettext_lazy("Sex"), choices=Sex.choices, required=False)
    nationality_country = nationality_field()
    nationality = details_field()
    reason = CorrectionForm.base_fields["reason"]


def _case_page(record: CaseSubjectRecord, form: forms.Form) -> dict[str, Any]:
    person, case = record.person, record.case
    return {
        "record": record,
        "form": form,
        "heading": _("Person concerned in case %(reference)s") % {"reference": case.reference},
        "facts": [
            (_("Role"), f"{person.get_role_display()} ({person.pseudonym})"),
            (_("Name"), person.name),
            (_("Date or year of birth"), person.date_of_birth),
            (_("Sex"), person.get_sex_display()),
            (_("Nationality"), person.nationality_country.name),
            (_("Language or other details"), person.nationality),
            (_("Outcomes"), ", ".join(str(o.get_outcome_display()) for o in person.outcomes.all())),
            (_("Municipality"), case.municipality),
            (_("Case opened"), date_format(case.created_at, "DATE_FORMAT")),
        ],
        "export_url": reverse("privacy:case_subject_export", args=[person.pk]),
        "correct_url": reverse("privacy:case_subject_correct", args=[person.pk]),
    }


@governed(subject_access_policy, Action.VIEW)
def case_subject_detail(request: HttpRequest, pk: int) -> HttpResponse:
    record = case_subject_record(AccessContext.from_request(request), pk)
    initial = {name: getattr(record.person, name) for name in CASE_CORRECTABLE_FIELDS}
    form = CasePersonCorrectionForm(initial=initial)
    return render(request, "privacy/subject_detail.html", _case_page(record, form))


@governed(subject_access_policy, Action.CHANGE)
@require_POST
def case_subject_correct(request: HttpRequest, pk: int) -> HttpResponse:
    context = AccessContext.from_request(request)
    record = case_subject_record(context, pk)
    form = CasePersonCorrectionForm(request.POST)
    if form.is_valid():
        data = dict(form.cleaned_data)
        reason = data.pop("reason")
        try:
            case_person_correct(context=context, person=record.person, changes=data, reason=reason)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The correction is saved and logged."))
            return redirect("privacy:case_subject", pk=pk)
    return render(request, "privacy/subject_detail.html", _case_page(record, form), status=400)


@governed(subject_access_policy, Action.VIEW)
def case_subject_export(request: HttpRequest, pk: int) -> HttpResponse:
    """Everything about the person in the case, machine-readable (art. 15)."""
    record = case_subject_record(AccessContext.from_request(request), pk)
    export = {"exported_at": timezone.now().isoformat(), **record.export()}
    return _json_download(export, f"inzage-{record.case.reference}.json")


def _json_download(export: dict[str, Any], filename: str) -> HttpResponse:
    """The answer to an art. 15 request as a JSON file, never kept in a cache."""
    response = HttpResponse(
        json.dumps(export, ensure_ascii=False, indent=2, default=str),
        content_type="application/json; charset=utf-8",
    )
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "no-store"
    return response
