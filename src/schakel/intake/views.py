from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from schakel.core.access import governed
from schakel.core.context import AccessContext
from schakel.core.policies import Action
from schakel.organisations.selectors import memberships_of

from . import selectors, services
from .forms import SignalReportForm
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
