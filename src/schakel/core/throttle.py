"""Rate limits for the public pages, counted per client IP address in Django's cache.

No extra service: the default cache (per process) is enough for one server. A deployment with
several processes configures a shared cache; behind a proxy, set SCHAKEL_PROXY_COUNT (see
core/middleware.py), or every visitor shares one count.
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
    # Per user, not per address: hit/no-hit lookups.
    "matching-lookup": ("SCHAKEL_MATCHING_LOOKUPS_PER_HOUR", 30),
}


def limit(scope: str) -> int:
    setting, default = LIMITS[scope]
    value: int = getattr(settings, setting, default)
    return value


def _client(request: HttpRequest) -> str:
    return str(request.META.get("REMOTE_ADDR", ""))


def exhausted(scope: str, request: HttpRequest) -> bool:
    """True when this client has used up its allowance for the current hour."""
    used: int = cache.get(_key(scope, _client(request)), 0)
    return used >= limit(scope)


def count(scope: str, request: HttpRequest) -> None:
    """Count one use by this client; the hour starts with the first use."""
    count_for(scope, _client(request))


def _key(scope: str, identity: str) -> str:
    return f"schakel:throttle:{scope}:{identity}"


def count_for(scope: str, identity: str) -> int:
    """Count one use by `identity` (an address, a user id) and return the uses this hour."""
    key = _key(scope, identity)
    if cache.add(key, 1, PERIOD_SECONDS):
        return 1
    try:
        used: int = cache.incr(key)
    except ValueError:  # expired between add() and incr()
        cache.add(key, 1, PERIOD_SECONDS)
        return 1
    return used
