from django.contrib.staticfiles import finders
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import translation

from .access import authenticated, public


@authenticated
def home(request: HttpRequest) -> HttpResponse:
    """The start page: the actor's menu entries under the menu's groups, each with its figures
    and what is due, and the panels of roles whose work is not a menu entry (yet)."""
    from .context import AccessContext
    from .navigation import home_panels_for, home_sections, tiles_for

    context = AccessContext.from_request(request)
    tiles = tiles_for(context)
    return render(
        request,
        "core/home.html",
        {
            "tiles": tiles,
            "sections": home_sections(tiles),
            "panels": home_panels_for(context.actor),
            "actor": context.actor,
        },
    )


@public
def healthz(request: HttpRequest) -> HttpResponse:
    return HttpResponse("ok", content_type="text/plain")


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """The 400 page (handler400, and UnusableInputMiddleware), in the visitor's language also when
    the request never reached the locale middleware."""
    with translation.override(translation.get_language_from_request(request)):
        return render(request, "400.html", status=400)


@public
def favicon(request: HttpRequest) -> FileResponse:
    """/favicon.ico, which browsers ask for whatever the page links to; the same file as the
    static one, so that it also answers where static files are not served (tests, DEBUG off)."""
    found = finders.find("schakel/img/favicon.ico")
    if not found:
        raise Http404
    response = FileResponse(open(found, "rb"), content_type="image/x-icon")  # noqa: SIM115
    response["Cache-Control"] = "public, max-age=86400"
    return response
