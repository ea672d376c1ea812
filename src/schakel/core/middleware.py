"""Middleware that every request passes.

The client's address behind reverse proxies, in one place: the audit log, django-axes' lock-out
and the public rate limits read REMOTE_ADDR. Behind SCHAKEL_PROXY_COUNT trusted proxies, each
appending the address it saw to X-Forwarded-For, the client is the entry that many places from
the right: entries further left were sent by the client and can be forged. With the default 0 the
header is ignored.

Input that no form or database can take (a NUL, a lone surrogate) is refused with a 400 before
anything looks it up. No response to a logged-in user is kept in a cache. A session in use is
written once a minute, not on every request."""

from __future__ import annotations

import ipaddress
from collections.abc import Callable, Iterator

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.cache import patch_cache_control

from .views import bad_request


def client_address(forwarded_for: str, proxies: int) -> str | None:
    """The address the outermost trusted proxy saw, or None when the header cannot say."""
    if proxies <= 0:
        return None
    hops = [hop.strip() for hop in forwarded_for.split(",") if hop.strip()]
    if len(hops) < proxies:
        return None
    candidate = hops[-proxies]
    try:
        return str(ipaddress.ip_address(candidate))
    except ValueError:
        return None


class ClientAddressMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        proxies: int = getattr(settings, "SCHAKEL_PROXY_COUNT", 0)
        address = client_address(request.META.get("HTTP_X_FORWARDED_FOR", ""), proxies)
        if address is not None:
            request.META["REMOTE_ADDR"] = address
        return self.get_response(request)


def unusable_text(text: str) -> bool:
    """A NUL (PostgreSQL stores and compares no text with one) or a lone surrogate (no UTF-8)."""
    if "\x00" in text:
        return True
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return True
    return False


def _client_texts(request: HttpRequest) -> Iterator[str]:
    """Everything the client sends as text: path, query string, form fields, cookies, headers."""
    yield request.path
    for key, values in request.GET.lists():
        yield key
        yield from values
    yield from request.COOKIES.keys()
    yield from request.COOKIES.values()
    yield from (
        value
        for key, value in request.META.items()
        if key.startswith("HTTP_") and isinstance(value, str)
    )
    if request.method == "POST":
        for key, values in request.POST.lists():
            yield key
            yield from values
        yield from request.FILES.keys()


class UnusableInputMiddleware:
    """A bad request (400, the normal error page) for a NUL or a lone surrogate anywhere in the
    request. On PostgreSQL such a value in a look-up is a server error, on SQLite a miss; no
    legitimate client sends one. Placed before the session is read: its cookie is input too."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if any(unusable_text(text) for text in _client_texts(request)):
            # The page (its language switch) links back to the start, not to the refused address.
            request.path = request.path_info = "/"
            return bad_request(request)
        return self.get_response(request)


class PrivateResponseMiddleware:
    """`Cache-Control: no-store, private` on every response to a logged-in user: whatever a page,
    export or PDF shows them may hold personal data, and must stay out of shared caches, the
    browser's disk cache and its back button on a shared computer. Directives a view set stay
    (never_cache adds more). Anonymous pages (signal cards, the public form) may be cached; the
    public feedback page forbids it itself (never_cache)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            patch_cache_control(response, no_store=True, private=True)
        return response


# When the session last counted as active (seconds since the epoch), and how often it is saved
# for that: the idle timeout restarts at most once a minute instead of at every request.
SESSION_ACTIVITY_KEY = "_schakel_active_at"
SESSION_ACTIVITY_RESOLUTION = 60


class SessionActivityMiddleware:
    """Restarts the idle timeout (SESSION_COOKIE_AGE) of a session in use, writing the session
    at most once every SESSION_ACTIVITY_RESOLUTION seconds instead of on every request
    (SESSION_SAVE_EVERY_REQUEST: an UPDATE of django_session per page view). A session then ends
    between SESSION_COOKIE_AGE minus a minute and SESSION_COOKIE_AGE after its last request.

    Placed right after SessionMiddleware, so that the session it marks is saved on the way out.
    A session nobody read in this request, an empty one (logged out, expired) and a request
    without a session are left alone: no visitor gets a session from this."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        session = getattr(request, "session", None)
        if session is None or not session.accessed:
            return response
        now = int(timezone.now().timestamp())
        stamped = session.get(SESSION_ACTIVITY_KEY, 0)
        if not session.session_key or session.is_empty():
            return response
        if session.modified or now - stamped >= SESSION_ACTIVITY_RESOLUTION:
            session[SESSION_ACTIVITY_KEY] = now
        return response


def stamp_session_at_login(sender: object, request: HttpRequest, **kwargs: object) -> None:
    """A fresh login counts as activity: its session is saved anyway, so the next minute of
    page views writes nothing (connected to user_logged_in in CoreConfig.ready)."""
    session = getattr(request, "session", None)
    if session is not None:
        session[SESSION_ACTIVITY_KEY] = int(timezone.now().timestamp())
