"""Rate limits for the public pages and costly look-ups: one atomic counter in the database.

Every worker process and every server counts in the same table (core.RateCount), on SQLite (the
demo) and PostgreSQL (production) alike, by one statement:

    INSERT … VALUES (scope, identity, window, 1)
    ON CONFLICT (scope, identity, window) DO UPDATE SET used = used + 1 WHERE used < limit
    RETURNING used

A row comes back when a slot was free (and it is then taken); none when the limit is reached, and
then nothing is counted. The slot is taken BEFORE the work (`take`), so twenty simultaneous
requests cannot all pass a check that is only counted afterwards; work that then does not happen
(the store refused the report, or it was a resubmission) gives its slot back (`give_back`).

Windows are fixed hours (`window_no` = seconds since the epoch // PERIOD_SECONDS): simple and
exact, at the price that a client can use its allowance at the end of one hour and again at the
start of the next (at most twice the limit within sixty minutes). Rows of past windows are swept
when a new window starts for an identity and by `apply_retention` (`sweep`).

The table holds no address or session in the clear: `identity` is a keyed hash (SECRET_KEY).

Scopes and their settings (uses per hour; the defaults in brackets):

- public-report, per form session: SCHAKEL_PUBLIC_REPORTS_PER_HOUR (5). A form session is a
  random id in a signed cookie of the public form (FORM_SESSION_COOKIE): colleagues behind one
  address (the staff of a hotel or a school) each have their own five.
- public-report-address, per client address: SCHAKEL_PUBLIC_REPORTS_PER_ADDRESS_PER_HOUR (50),
  the cap that bounds a flood from one address whatever sessions it makes up.
- public-feedback, per address: SCHAKEL_PUBLIC_FEEDBACK_ATTEMPTS_PER_HOUR (20).
- card-pdf, per address: SCHAKEL_CARD_PDFS_PER_HOUR (60).
- matching-lookup, per user: SCHAKEL_MATCHING_LOOKUPS_PER_HOUR (30).

The client address is REMOTE_ADDR as core/middleware.py leaves it: behind reverse proxies, set
SCHAKEL_PROXY_COUNT, or every visitor shares the proxy's address (and its cap).
"""

from __future__ import annotations

import time
import uuid
from dataclasses import dataclass

from django.conf import settings
from django.db import connection, transaction
from django.db.models import F
from django.http import HttpRequest, HttpResponse
from django.utils.crypto import salted_hmac

from .models import RateCount

PERIOD_SECONDS = 60 * 60
# (setting, default) per scope: how many per identity per hour.
LIMITS = {
    "public-report": ("SCHAKEL_PUBLIC_REPORTS_PER_HOUR", 5),
    "public-report-address": ("SCHAKEL_PUBLIC_REPORTS_PER_ADDRESS_PER_HOUR", 50),
    "public-feedback": ("SCHAKEL_PUBLIC_FEEDBACK_ATTEMPTS_PER_HOUR", 20),
    # Rendering a PDF costs seconds: a cap keeps the public card endpoint from being a lever.
    "card-pdf": ("SCHAKEL_CARD_PDFS_PER_HOUR", 60),
    # Per user, not per address: hit/no-hit lookups.
    "matching-lookup": ("SCHAKEL_MATCHING_LOOKUPS_PER_HOUR", 30),
}

FORM_SESSION_COOKIE = "schakel_form_session"
FORM_SESSION_SALT = "schakel.core.throttle.form-session"
FORM_SESSION_SECONDS = 24 * 60 * 60


def limit(scope: str) -> int:
    setting, default = LIMITS[scope]
    value: int = getattr(settings, setting, default)
    return value


@dataclass(frozen=True)
class Slot:
    """One use taken in one scope's window; what `give_back` returns."""

    scope: str
    identity: str
    window_no: int


class _Refused(Exception):
    def __init__(self, scope: str) -> None:
        self.scope = scope


def client(request: HttpRequest) -> str:
    """The client's address (after ClientAddressMiddleware)."""
    return str(request.META.get("REMOTE_ADDR", ""))


def _hashed(scope: str, identity: str) -> str:
    keyed = salted_hmac("schakel.core.throttle", f"{scope}:{identity}", algorithm="sha256")
    return keyed.hexdigest()


def window_now() -> int:
    return int(time.time() // PERIOD_SECONDS)


def _claim_sql() -> str:
    """The upsert, with the table's and columns' quoted names (the values are parameters)."""
    q = connection.ops.quote_name
    table, used = q(RateCount._meta.db_table), q("used")
    key = f"{q('scope')}, {q('identity')}, {q('window_no')}"
    return (
        f"INSERT INTO {table} ({key}, {used}) VALUES (%s, %s, %s, 1) "  # noqa: S608 (names only)
        f"ON CONFLICT ({key}) DO UPDATE SET {used} = {table}.{used} + 1 "
        f"WHERE {table}.{used} < %s RETURNING {used}"
    )


def _claim(scope: str, identity: str, window_no: int) -> int | None:
    """Take one use if one is free: the uses of this window after taking it, or None."""
    cap = limit(scope)
    if cap <= 0:
        return None
    with connection.cursor() as cursor:
        cursor.execute(_claim_sql(), [scope, identity, window_no, cap])
        row = cursor.fetchone()
    return None if row is None else int(row[0])


def take(*claims: tuple[str, str]) -> list[Slot] | str:
    """Take one use in each (scope, identity) at once: the slots taken, or the first scope
    whose limit is reached, and then none is taken (all or nothing, in one transaction)."""
    window_no = window_now()
    # One order for every caller, so that two transactions never wait for each other's rows.
    wanted = sorted((scope, _hashed(scope, identity)) for scope, identity in claims)
    started_window = False
    try:
        with transaction.atomic():
            for scope, identity in wanted:
                used = _claim(scope, identity, window_no)
                if used is None:
                    raise _Refused(scope)
                started_window = started_window or used == 1
    except _Refused as refused:
        return refused.scope
    if started_window:
        sweep(window_no)
    return [Slot(scope, identity, window_no) for scope, identity in wanted]


def take_for(scope: str, identity: str) -> bool:
    """Take one use of `scope` by `identity` (an address, "user:<id>"); False when used up."""
    return not isinstance(take((scope, identity)), str)


def take_by_address(scope: str, request: HttpRequest) -> bool:
    return take_for(scope, client(request))


def give_back(slots: list[Slot]) -> None:
    """Return uses taken for work that did not happen (the report was refused or a duplicate)."""
    for slot in slots:
        RateCount.objects.filter(
            scope=slot.scope, identity=slot.identity, window_no=slot.window_no, used__gt=0
        ).update(used=F("used") - 1)


def sweep(window_no: int | None = None) -> int:
    """Remove the counts of past windows; the number removed."""
    current = window_now() if window_no is None else window_no
    removed, _ = RateCount.objects.filter(window_no__lt=current).delete()
    return removed


def form_session(request: HttpRequest) -> str:
    """The public form's session: the id in its signed cookie, or a new one."""
    value = request.get_signed_cookie(
        FORM_SESSION_COOKIE, default="", salt=FORM_SESSION_SALT, max_age=FORM_SESSION_SECONDS
    )
    try:
        return str(uuid.UUID(str(value)))
    except ValueError:
        return str(uuid.uuid4())


def keep_form_session(response: HttpResponse, session: str) -> HttpResponse:
    """Set (or renew) the form session's cookie: a random id, nothing about the reporter."""
    response.set_signed_cookie(
        FORM_SESSION_COOKIE,
        session,
        salt=FORM_SESSION_SALT,
        max_age=FORM_SESSION_SECONDS,
        secure=settings.SESSION_COOKIE_SECURE,
        httponly=True,
        samesite="Lax",
    )
    return response
