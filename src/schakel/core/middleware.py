"""The client's address behind reverse proxies, in one place.

The audit log, django-axes' lock-out and the public rate limits read REMOTE_ADDR. Behind
SCHAKEL_PROXY_COUNT trusted proxies, each appending the address it saw to X-Forwarded-For, the
client is the entry that many places from the right: entries further left were sent by the client
and can be forged. With the default 0 the header is ignored."""

from __future__ import annotations

import ipaddress
from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse


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
