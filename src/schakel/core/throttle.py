"""Rate limits for the public pages, counted per client IP address in Django's cache.

No extra service: the default cache (per process) is enough for one server. A deployment with
several processes configures a shared cache; behind a proxy, REMOTE_ADDR must be set to the
client's address by the proxy set-up, or every visitor shares one count.
"""

from __future__ import annotations

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest

PERIOD_SECONDS = 60 * 60
# (setting, default) per scope: how many per IP address per hour.
LIMITS = {
    "public-report": ("SCHAKEL_PUBLIC_REPORTS_PER_HOUR", 5),
    "public-feedback": ("SCHAKEL_PUBLIC_FEEDBACK_ATTEMPTS_PER_HOUR", 20),
    # Rendering a PDF costs seconds: a cap keeps the public card endpoint from being a lever.
    "card-pdf": ("SCHAKEL_CARD_PDFS_PER_HOUR", 60),
}


def limit(scope: str) -> int:
    setting, default = LIMITS[scope]
    value: int = getattr(settings, setting, default)
    return value


def _key(scope: str, request: HttpRequest) -> str:
    return f"schakel:throttle:{scope}:{request.META.get('REMOTE_ADDR', '')}"


def exhausted(scope: str, request: HttpRequest) -> bool:
    """True when this client has used up its allowance for the current hour."""
    count: int = cache.get(_key(scope, request), 0)
    return count >= limit(scope)


def count(scope: str, request: HttpRequest) -> None:
    """Count one use; the hour starts with the first use."""
    key = _key(scope, request)
    if not cache.add(key, 1, PERIOD_SECONDS):
        try:
            cache.incr(key)
        except ValueError:  # expired between add() and incr()
            cache.add(key, 1, PERIOD_SECONDS)
