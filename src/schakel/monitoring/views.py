from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from schakel.core.access import governed
from schakel.core.context import AccessContext
from schakel.core.policies import Action

from .policies import figures_policy


@governed(figures_policy, Action.VIEW)
def dashboard(request: HttpRequest) -> HttpResponse:
    """The figures of the reader's municipality or region (placeholder until the figures land)."""
    context = AccessContext.from_request(request)
    area = figures_policy.area_for(context.actor)
    return render(request, "monitoring/dashboard.html", {"area": area, "sections": []})
