"""A lock-out per network address beside django-axes' lock-out per account.

Axes locks a (username, IP address) pair after SCHAKEL_LOGIN_FAILURE_LIMIT failures, so one
address can try a few passwords on every account it can guess without ever being locked. This
adds a larger budget per address across all accounts: after SCHAKEL_LOGIN_ADDRESS_FAILURE_LIMIT
failed logins from one address within the lock-out time, no login from that address is tried
until enough of them are older than that. The failures are the ones axes already records
(`AccessAttempt`, shared by every worker process); axes' own `axes_reset_ip` lifts the lock.
"""

from __future__ import annotations

from typing import Any

from axes.helpers import get_client_ip_address, get_cool_off
from axes.models import AccessAttempt
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db.models import Sum
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

ADDRESS_LOCKED = "schakel_address_locked_out"


def address_failures(address: str) -> int:
    """Failed logins from this address, for any username, within the lock-out time."""
    since = timezone.now() - get_cool_off()
    attempts = AccessAttempt.objects.filter(ip_address=address, attempt_time__gte=since)
    failures: int | None = attempts.aggregate(failures=Sum("failures_since_start"))["failures"]
    return failures or 0


def address_locked_out(request: HttpRequest) -> bool:
    limit: int = settings.SCHAKEL_LOGIN_ADDRESS_FAILURE_LIMIT
    if limit <= 0 or not getattr(settings, "AXES_ENABLED", True):
        return False
    address = get_client_ip_address(request)
    return address is not None and address_failures(address) >= limit


class AddressLockoutBackend:
    """Listed after axes' backend and before the password check: refuses every login from a
    locked address, so that the right password of any account does not get through either."""

    def authenticate(self, request: HttpRequest | None, **credentials: Any) -> None:
        if request is None or not address_locked_out(request):
            return None
        # Axes then records no further failure and answers with the lock-out page.
        request.axes_locked_out = True  # type: ignore[attr-defined]
        setattr(request, ADDRESS_LOCKED, True)
        raise PermissionDenied


def lockout_response(
    request: HttpRequest, original_response: HttpResponse | None, credentials: Any
) -> HttpResponse:
    """AXES_LOCKOUT_CALLABLE: the lock-out page, for an account or for the whole address. It
    names no account, so it tells nobody which usernames exist."""
    context = {
        "per_address": getattr(request, ADDRESS_LOCKED, False),
        "failure_limit": settings.AXES_FAILURE_LIMIT,
        "minutes": int(get_cool_off(request).total_seconds() // 60),
    }
    return render(request, "accounts/lockout.html", context, status=429)
