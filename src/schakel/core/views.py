from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from .access import authenticated, public
from .policies import actor_from_request


@authenticated
def home(request: HttpRequest) -> HttpResponse:
    from .navigation import menu_for

    return render(request, "core/home.html", {"entries": menu_for(actor_from_request(request))})


@public
def healthz(request: HttpRequest) -> HttpResponse:
    return HttpResponse("ok", content_type="text/plain")
