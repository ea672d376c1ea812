"""The audit log in words: what the privacy officer reads instead of the codes stored.

One place for the screen and the CSV export alike. Object kinds and field names come from the
models themselves (their verbose names), roles from the role choices, events from the action
choices; a purpose is a short text the service wrote, said in words here where it is known and
shown as written where not (old entries, a new service)."""

from __future__ import annotations

import re
from collections.abc import Iterable

from django.apps import apps
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy

from schakel.organisations.choices import Role

# What the services write as purpose (audit_record(purpose=...)), in words. A purpose with a
# detail after it ("case triage", "matching: hit confirmed") is matched on its beginning.
PURPOSES: dict[str, Promise] = {
    "read case": gettext_lazy("opened a case"),
    "case list": gettext_lazy("list of cases"),
    "case person search before adding": gettext_lazy("searched for a person before adding"),
    "read signal": gettext_lazy("opened a signal"),
    "report signal": gettext_lazy("reported a signal"),
    "public report": gettext_lazy("public report"),
    "own reports": gettext_lazy("own reports"),
    "work queue": gettext_lazy("queue of new signals"),
    "my actions": gettext_lazy("my actions"),
    "signals at the same address": gettext_lazy("signals at the same address"),
    "cumulative picture of linked signals": gettext_lazy("picture of linked signals"),
    "download attachment": gettext_lazy("downloaded an attachment"),
    "feedback to public reporter": gettext_lazy("feedback to a public reporter"),
    "read inspection": gettext_lazy("opened an inspection"),
    "inspections": gettext_lazy("list of inspections"),
    "reminder": gettext_lazy("reminder"),
    "rights review": gettext_lazy("rights review"),
    "subject access: search by name in cases": gettext_lazy("request of a person: searched cases"),
    "subject access: search by name": gettext_lazy("request of a person: searched signals"),
    "subject access": gettext_lazy("request of a person concerned"),
    "two-factor authentication turned off": gettext_lazy("second factor turned off"),
    "two-factor authentication reset": gettext_lazy("second factor reset"),
    "two-factor authentication enrolled": gettext_lazy("second factor set up"),
    "recovery codes renewed": gettext_lazy("recovery codes renewed"),
    "recovery code used to log in": gettext_lazy("logged in with a recovery code"),
    "retention: anonymised": gettext_lazy("anonymised at the end of the retention period"),
    "matching: register involvement": gettext_lazy("hit/no-hit: registered involvement"),
    "matching: end involvement": gettext_lazy("hit/no-hit: ended a registration"),
    "matching: lookup (hit)": gettext_lazy("hit/no-hit: lookup, hit"),
    "matching: lookup (no hit)": gettext_lazy("hit/no-hit: lookup, no hit"),
    "matching: pending hit": gettext_lazy("hit/no-hit: hit awaiting confirmation"),
    "matching: hit confirmed": gettext_lazy("hit/no-hit: hit confirmed"),
    "matching: hit dismissed": gettext_lazy("hit/no-hit: hit dismissed"),
    "matching: reveal contact": gettext_lazy("hit/no-hit: contact details shown"),
    "matching: my hits": gettext_lazy("hit/no-hit: my hits"),
    "matching: task status": gettext_lazy("hit/no-hit: follow-up status"),
    "audit search": gettext_lazy("searched the audit log"),
    "correction (AVG art. 16)": gettext_lazy("correction (GDPR art. 16)"),
    "legal hold set": gettext_lazy("legal hold set"),
    "legal hold released": gettext_lazy("legal hold released"),
    "case": gettext_lazy("case"),
    "meeting": gettext_lazy("meeting"),
    "signal": gettext_lazy("signal"),
    "inspection": gettext_lazy("inspection"),
}
_BY_LENGTH = sorted(PURPOSES, key=len, reverse=True)
_ROLE_IN_BRACKETS = re.compile(r"\(([a-z_]+)\)")


def purpose_label(purpose: str) -> str:
    if not purpose:
        return ""
    for known in _BY_LENGTH:
        if purpose == known:
            return str(PURPOSES[known])
        if purpose.startswith(known) and purpose[len(known)] in " :(":
            rest = purpose[len(known) :].lstrip(" :")
            return f"{PURPOSES[known]}: {rest}" if rest else str(PURPOSES[known])
    return purpose


def _model(object_type: str) -> type[models.Model] | None:
    try:
        return apps.get_model(object_type)
    except (LookupError, ValueError):
        return None


def object_kind_label(object_type: str) -> str:
    model = _model(object_type)
    return str(model._meta.verbose_name) if model else object_type


def field_labels(object_type: str, names: Iterable[str]) -> list[str]:
    model = _model(object_type)
    labels = []
    for name in names:
        try:
            field = model._meta.get_field(name) if model else None
        except FieldDoesNotExist:
            field = None
        label = getattr(field, "verbose_name", None)
        labels.append(str(label) if label else name)
    return labels


def roles_label(roles: str) -> str:
    """ "Gemeente X (af_oov); Politie (avim)" → "Gemeente X (Aandachtsfunctionaris OOV); …"."""

    def role(match: re.Match[str]) -> str:
        code = match.group(1)
        return f"({Role(code).label})" if code in Role.values else match.group(0)

    return _ROLE_IN_BRACKETS.sub(role, roles)


def object_kind_choices() -> list[tuple[str, str]]:
    """Every kind of object Schakel's apps keep, by its name: the filter's choices, from the
    models rather than from a scan of the log."""
    kinds = {
        model._meta.label: str(model._meta.verbose_name)
        for model in apps.get_models()
        if model.__module__.startswith("schakel.")
    }
    return sorted(kinds.items(), key=lambda item: item[1].casefold())
