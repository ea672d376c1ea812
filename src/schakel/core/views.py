from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import translation

from .access import authenticated, public
from .policies import actor_from_request


@authenticated
def home(request: HttpRequest) -> HttpResponse:
    from .navigation import menu_for

    return render(request, "core/home.html", {"entries": menu_for(actor_from_request(request))})


@public
def healthz(request: HttpRequest) -> HttpResponse:
    return HttpResponse("ok", content_type="text/plain")


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """The 400 page (handler400, and UnusableInputMiddleware), in the visitor's language also when
    the request never reached the locale middleware."""
    with translation.override(translation.get_language_from_request(request)):
        return render(request, "400.html", status=400)
