from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from typing import TYPE_CHECKING, Any

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from schakel.catalogue.cards import CARDS
from schakel.core import throttle
from schakel.core.access import governed, public
from schakel.core.context import AccessContext
from schakel.core.pagination import PAGE_PARAMETER, paginate
from schakel.core.policies import ANONYMOUS, Action
from schakel.organisations.roles import Capability, roles_with
from schakel.organisations.selectors import memberships_of

from . import selectors, services
from .cards import card_for_reporter_sector
from .choices import SignalStatus
from .forms import (
    CHECKLIST_CARD,
    SHOW_CHECKLIST,
    PersonFormSet,
    PublicFeedbackForm,
    PublicSignalReportForm,
    QueueFilterForm,
    SignalFilterForm,
    SignalReportForm,
)
from .handling_forms import (
    AddIndicatorsForm,
    CloseForm,
    EnrichForm,
    FeedbackForm,
    LinkForm,
    PickUpForm,
    RouteForm,
)
from .models import Signal
from .policies import SignalAction, signal_policy
from .workflow import TransitionRefused

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


@governed(signal_policy, Action.CREATE)
def signal_report(request: HttpRequest) -> HttpResponse:
    context = AccessContext.from_request(request)
    # One reports for the membership one acts in (chosen explicitly when there are several).
    memberships = [
        m
        for m in memberships_of(actor=context.actor, roles=roles_with(Capability.REPORT))
        if m.pk == context.actor.membership_id
    ]
    form = SignalReportForm(
        request.POST or None,
        request.FILES or None,
        memberships=memberships,
        card_code=request.GET.get("kaart", ""),
    )
    # Persons are optional: a post without the persons part simply names nobody.
    with_persons = "persons-TOTAL_FORMS" in request.POST
    persons = PersonFormSet(
        request.POST if with_persons else None,
        prefix="persons",
        form_kwargs={"identifying": form.identifying()},
    )
    if request.method == "POST" and form.is_valid() and (not with_persons or persons.is_valid()):
        filled = [p.to_input() for p in persons if with_persons and p.has_changed()]
        try:
            signal = services.signal_report(context=context, report=form.to_report(filled))
        except ValidationError as error:
            form.add_error(None, error)
        else:
            # Post/redirect/get: reloading the acknowledgement never re-submits.
            return redirect("intake:received", reference=signal.reference)
    return render(
        request,
        "intake/report.html",
        {"form": form, "persons": persons, "cards": CARDS},
    )


@governed(signal_policy, Action.VIEW)
def signal_attachment(request: HttpRequest, reference: str, pk: int) -> FileResponse:
    attachment = selectors.signal_attachment_for(AccessContext.from_request(request), reference, pk)
    response = FileResponse(
        attachment.file.open("rb"),
        as_attachment=True,
        filename=attachment.original_name,
        content_type=attachment.content_type,
    )
    response["Cache-Control"] = "no-store"
    return response


@governed(signal_policy, Action.VIEW)
def signal_received(request: HttpRequest, reference: str) -> HttpResponse:
    signal = selectors.signal_get_for(AccessContext.from_request(request), reference)
    return render(request, "intake/received.html", {"signal": signal})


# The queue's two parts page apart: the new signals on `pagina`, those in hand on this one.
IN_HAND_PAGE = "pagina_in_behandeling"


@governed(signal_policy, Action.LIST)
def signal_queue(request: HttpRequest) -> HttpResponse:
    context = AccessContext.from_request(request)
    filters = QueueFilterForm(
        request.GET, municipalities=selectors.receiving_municipalities(context)
    )
    query = filters.to_query()
    queue = selectors.signal_queue(
        context,
        query,
        new_pager=lambda signals: paginate(request, signals),
        in_hand_pager=lambda signals: paginate(request, signals, parameter=IN_HAND_PAGE),
    )
    sort = selectors.QUEUE_SORTING.state(
        request.GET, query.sort, page_parameters=(PAGE_PARAMETER, IN_HAND_PAGE)
    )
    return render(
        request,
        "intake/queue.html",
        {"queue": queue, "filters": filters, "sort": sort.columns},
    )


@governed(signal_policy, Action.CREATE)
def my_signals(request: HttpRequest) -> HttpResponse:
    filters = SignalFilterForm(request.GET)
    query = filters.to_query()
    page = selectors.signals_reported_by(
        AccessContext.from_request(request), query, pager=lambda s: paginate(request, s)
    )
    sort = selectors.MY_SIGNALS_SORTING.state(request.GET, query.sort)
    return render(
        request,
        "intake/my_signals.html",
        {"signals": page, "filters": filters, "sort": sort.columns},
    )


# Each handling form and the action of the signal's policy it takes.
FORM_ACTIONS: dict[str, SignalAction] = {
    "pick-up": SignalAction.PICK_UP,
    "enrich": SignalAction.ENRICH,
    "indicators": SignalAction.ENRICH,
    "link": SignalAction.LINK,
    "route": SignalAction.ROUTE,
    "feedback": SignalAction.GIVE_FEEDBACK,
    "close": SignalAction.CLOSE,
}


def _handling_forms(
    context: AccessContext, signal: Signal, bound: tuple[str, forms.Form] | None = None
) -> dict[str, forms.Form]:
    """The action forms the actor may use on this signal now (the policy's answer), one of them
    possibly bound."""
    allowed = signal_policy.actions_for(context.actor, signal)
    available: dict[str, forms.Form] = {}
    # Each form is prefixed with its action, so that field ids stay unique on the page.
    for name, action in FORM_ACTIONS.items():
        if action in allowed:
            available[name] = _handling_form(name, signal)
    if bound is not None:
        available[bound[0]] = bound[1]
    return available


def _handling_form(name: str, signal: Signal, data: Any = None) -> forms.Form:
    form_class = HANDLING[name][0]
    if form_class is AddIndicatorsForm:
        return AddIndicatorsForm(data, prefix=name, signal=signal)
    return form_class(data, prefix=name)


def _render_detail(
    request: HttpRequest,
    context: AccessContext,
    signal: Signal,
    bound: tuple[str, forms.Form] | None = None,
) -> HttpResponse:
    return render(
        request,
        "intake/detail.html",
        {
            "signal": signal,
            "visible": signal_policy.fields(context.actor, signal),
            "timeline": selectors.signal_timeline(context, signal),
            "links": selectors.signal_links(context, signal),
            "picture": selectors.signal_group_picture(context, signal),
            "at_address": selectors.signals_at_address(context, signal),
            "actions": _handling_forms(context, signal, bound),
            "deadlines": selectors.signal_deadlines(context, signal),
            "feedback_waits": _feedback_waits_for_pick_up(context, signal),
        },
        status=400 if bound else 200,
    )


def _feedback_waits_for_pick_up(context: AccessContext, signal: Signal) -> bool:
    """The reporting point cannot record feedback on a signal nobody picked up yet: the page says
    so instead of leaving the form out without a word."""
    refused = signal_policy.refusal(context.actor, SignalAction.GIVE_FEEDBACK, signal)
    return isinstance(refused, TransitionRefused) and signal.status == SignalStatus.NEW


@governed(signal_policy, Action.VIEW)
def signal_detail(request: HttpRequest, reference: str) -> HttpResponse:
    context = AccessContext.from_request(request)
    return _render_detail(request, context, selectors.signal_get_for(context, reference))


def _link(context: AccessContext, signal: Signal, data: dict[str, Any]) -> Signal:
    """A reference the AF cannot handle reads as a mistake in the form, not as a 404 or 403."""
    try:
        other = selectors.signal_get_for(context, data["other"])
        return services.signal_link(
            context=context, signal=signal, other=other, basis=data["basis"], reason=data["reason"]
        )
    except (Http404, PermissionDenied):
        raise ValidationError(
            _("There is no other signal with reference %(reference)s that you handle.")
            % {"reference": data["other"]}
        ) from None


Run = Callable[[AccessContext, Signal, dict[str, Any]], Signal]

# action → (form, service call, confirmation); every write goes through a service.
HANDLING: dict[str, tuple[type[forms.Form], Run, StrOrPromise]] = {
    "pick-up": (
        PickUpForm,
        lambda c, s, d: services.signal_pick_up(context=c, signal=s),
        gettext_lazy("You picked up the signal."),
    ),
    "enrich": (
        EnrichForm,
        lambda c, s, d: services.signal_enrich(context=c, signal=s, **d),
        gettext_lazy("Added to the signal."),
    ),
    "indicators": (
        AddIndicatorsForm,
        lambda c, s, d: services.signal_add_indicators(
            context=c, signal=s, indicator_codes=tuple(d["indicators"])
        ),
        gettext_lazy("The indicators are added to the signal."),
    ),
    "link": (LinkForm, lambda c, s, d: _link(c, s, d), gettext_lazy("The signals are linked.")),
    "route": (
        RouteForm,
        lambda c, s, d: services.signal_route(context=c, signal=s, **d),
        gettext_lazy("The signal is routed."),
    ),
    "feedback": (
        FeedbackForm,
        lambda c, s, d: services.signal_give_feedback(context=c, signal=s, **d),
        gettext_lazy("The feedback is recorded."),
    ),
    "close": (
        CloseForm,
        lambda c, s, d: services.signal_close(context=c, signal=s, **d),
        gettext_lazy("The signal is closed."),
    ),
}


@governed(signal_policy, Action.CHANGE)
@require_POST
def signal_handle(request: HttpRequest, reference: str, action: str) -> HttpResponse:
    if action not in HANDLING:
        raise Http404
    context = AccessContext.from_request(request)
    signal = selectors.signal_get_for(context, reference)
    # A form is built from the POST only for whom the policy lets take the step.
    refused = signal_policy.refusal(context.actor, FORM_ACTIONS[action], signal)
    if isinstance(refused, PermissionDenied):
        raise refused
    if refused is not None:
        messages.error(request, str(refused))
        return redirect("intake:detail", reference=signal.reference)
    _form_class, run, done = HANDLING[action]
    form = _handling_form(action, signal, request.POST)
    if form.is_valid():
        try:
            run(context, signal, form.cleaned_data)
        except (ValidationError, TransitionRefused) as error:
            form.add_error(
                None, error.messages if isinstance(error, ValidationError) else str(error)
            )
        else:
            messages.success(request, done)
            return redirect("intake:detail", reference=signal.reference)
    return _render_detail(request, context, signal, bound=(action, form))


def _public_context(request: HttpRequest) -> AccessContext:
    """A public reporter acts anonymously, also when logged in, and their IP address is not
    kept with the report: it could identify someone who chose not to give their name."""
    return replace(AccessContext.from_request(request), actor=ANONYMOUS, ip_address=None)


def _public_form(
    request: HttpRequest,
    form: PublicSignalReportForm,
    *,
    refused_by: str = "",
    status: int = 200,
) -> HttpResponse:
    """The public form with what was typed; refused by the rate limit, with other ways to report."""
    municipality = form.cleaned_data.get("municipality") if refused_by else None
    context = {
        "form": form,
        "refused_by": refused_by,
        "municipality": municipality,
        "phone_uri": _phone_uri(municipality.reporting_point_phone) if municipality else "",
        "shown_sector": form.data.get("sector", "") if form.only_show else "",
    }
    return render(request, "intake/public_report.html", context, status=status)


def _phone_uri(phone: str) -> str:
    return "tel:" + "".join(c for c in phone if c.isdigit() or c == "+")


@public
@never_cache
def public_report(request: HttpRequest) -> HttpResponse:
    """Reporting without an account (citizens, secondary partners): a situation sketch only.

    A valid report takes a slot of its form session's and its address's hourly allowance
    (core/throttle.py) before it is stored; a refused one is not stored and comes back whole."""
    session = throttle.form_session(request)
    return throttle.keep_form_session(_public_report(request, session), session)


def _switches_checklist(data: Any, sector: str) -> bool:
    """The no-JS sector switch was pressed for another card than the one on show. Enter in a
    text field presses it too (it is the form's first button): with the card unchanged, that
    is a report to send, not a switch."""
    shown = data.get(CHECKLIST_CARD, "")
    return SHOW_CHECKLIST in data and shown != card_for_reporter_sector(sector).code


def _public_report(request: HttpRequest, session: str) -> HttpResponse:
    data = request.POST if request.method == "POST" else None
    sector = request.POST.get("sector") or request.GET.get("sector", "")
    form = PublicSignalReportForm(
        data,
        cbs_code=request.GET.get("gemeente", ""),
        sector=sector,
        only_show=data is not None and _switches_checklist(data, sector),
    )
    if data is None or form.only_show or not form.is_valid():
        return _public_form(request, form)
    slots = throttle.take(
        ("public-report", session), ("public-report-address", throttle.client(request))
    )
    if isinstance(slots, str):
        return _public_form(request, form, refused_by=slots, status=429)
    try:
        signal, code = services.signal_report_public(
            context=_public_context(request), report=form.to_report()
        )
    except ValidationError as error:
        throttle.give_back(slots)
        form.add_error(None, error)
        return _public_form(request, form)
    if code is None:
        throttle.give_back(slots)  # a resubmission of a report already stored: nothing new
    # Rendered in the response to the POST, never behind a URL: the code is shown once.
    return render(request, "intake/public_received.html", {"signal": signal, "code": code})


@public
@never_cache
def public_feedback(request: HttpRequest) -> HttpResponse:
    """The reporter reads the status of their report with its reference and feedback code."""
    form = PublicFeedbackForm(request.POST or None)
    feedback = None
    # Each lookup takes a slot of the address's allowance first; a form that asks nothing does not.
    if request.method == "POST" and form.is_valid():
        if not throttle.take_by_address("public-feedback", request):
            context = {"form": form, "feedback": None, "too_many": True}
            return render(request, "intake/public_feedback.html", context, status=429)
        feedback = selectors.public_feedback_for(
            _public_context(request),
            reference=form.cleaned_data["reference"],
            code=form.cleaned_data["code"],
        )
        if feedback is None:
            form.add_error(
                None,
                _(
                    "This reference number and feedback code do not match a report. "
                    "Check both and try again."
                ),
            )
    return render(request, "intake/public_feedback.html", {"form": form, "feedback": feedback})
