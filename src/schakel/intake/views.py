from dataclasses import replace

from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from schakel.core.access import governed, public
from schakel.core.context import AccessContext
from schakel.core.policies import ANONYMOUS, Action
from schakel.organisations.selectors import memberships_of

from . import selectors, services, throttle
from .forms import PublicFeedbackForm, PublicSignalReportForm, SignalReportForm
from .policies import REPORTING_ROLES, signal_policy


@governed(signal_policy, Action.CREATE)
def signal_report(request: HttpRequest) -> HttpResponse:
    context = AccessContext.from_request(request)
    memberships = memberships_of(actor=context.actor, roles=REPORTING_ROLES)
    form = SignalReportForm(request.POST or None, memberships=memberships)
    if request.method == "POST" and form.is_valid():
        try:
            signal = services.signal_report(context=context, report=form.to_report())
        except ValidationError as error:
            form.add_error(None, error)
        else:
            # Post/redirect/get: reloading the acknowledgement never re-submits.
            return redirect("intake:received", reference=signal.reference)
    return render(request, "intake/report.html", {"form": form})


@governed(signal_policy, Action.VIEW)
def signal_received(request: HttpRequest, reference: str) -> HttpResponse:
    signal = selectors.signal_get_for(AccessContext.from_request(request), reference)
    return render(request, "intake/received.html", {"signal": signal})


@governed(signal_policy, Action.LIST)
def signal_queue(request: HttpRequest) -> HttpResponse:
    signals = selectors.signal_queue(AccessContext.from_request(request))
    return render(request, "intake/queue.html", {"signals": signals})


@governed(signal_policy, Action.CREATE)
def my_signals(request: HttpRequest) -> HttpResponse:
    signals = selectors.signals_reported_by(AccessContext.from_request(request))
    return render(request, "intake/my_signals.html", {"signals": signals})


@governed(signal_policy, Action.VIEW)
def signal_detail(request: HttpRequest, reference: str) -> HttpResponse:
    context = AccessContext.from_request(request)
    signal = selectors.signal_get_for(context, reference)
    fields = signal_policy.fields(context.actor, signal)
    return render(request, "intake/detail.html", {"signal": signal, "visible": fields})


def _public_context(request: HttpRequest) -> AccessContext:
    """A public reporter acts anonymously, also when logged in, and their IP address is not
    kept with the report: it could identify someone who chose not to give their name."""
    return replace(AccessContext.from_request(request), actor=ANONYMOUS, ip_address=None)


def _too_many(request: HttpRequest) -> HttpResponse:
    return render(request, "intake/public_too_many.html", status=429)


@public
@never_cache
def public_report(request: HttpRequest) -> HttpResponse:
    """Reporting without an account (citizens, secondary partners): a situation sketch only."""
    if request.method == "POST" and throttle.exhausted("public-report", request):
        return _too_many(request)
    form = PublicSignalReportForm(request.POST or None, cbs_code=request.GET.get("gemeente", ""))
    if request.method == "POST" and form.is_valid():
        try:
            signal, code = services.signal_report_public(
                context=_public_context(request), report=form.to_report()
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            if code is not None:
                throttle.count("public-report", request)
            # Rendered in the response to the POST, never behind a URL: the code is shown once.
            return render(request, "intake/public_received.html", {"signal": signal, "code": code})
    return render(request, "intake/public_report.html", {"form": form})


@public
@never_cache
def public_feedback(request: HttpRequest) -> HttpResponse:
    """The reporter reads the status of their report with its reference and feedback code."""
    form = PublicFeedbackForm(request.POST or None)
    feedback = None
    if request.method == "POST":
        if throttle.exhausted("public-feedback", request):
            return _too_many(request)
        throttle.count("public-feedback", request)
        if form.is_valid():
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
