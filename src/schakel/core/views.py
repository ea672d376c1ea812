from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import translation

from .access import authenticated, public


@authenticated
def home(request: HttpRequest) -> HttpResponse:
    from .context import AccessContext
    from .navigation import tiles_for

    return render(
        request, "core/home.html", {"tiles": tiles_for(AccessContext.from_request(request))}
    )


@public
def healthz(request: HttpRequest) -> HttpResponse:
    return HttpResponse("ok", content_type="text/plain")


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """The 400 page (handler400, and UnusableInputMiddleware), in the visitor's language also when
    the request never reached the locale middleware."""
    with translation.override(translation.get_language_from_request(request)):
        return render(request, "400.html", status=400)
