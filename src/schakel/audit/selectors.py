"""Searching the audit log. Every search and export is itself written to the log."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.db.models import QuerySet
from django.utils import timezone

from schakel.core.context import AccessContext

from .choices import AuditAction
from .models import AuditEvent
from .policies import audit_event_policy
from .services import audit_record


@dataclass(frozen=True)
class AuditQuery:
    username: str = ""
    action: str = ""
    object_type: str = ""
    object_id: str = ""
    date_from: date | None = None
    date_to: date | None = None

    def describe(self) -> str:
        parts = [f"{name}={value}" for name, value in vars(self).items() if value]
        return "audit search: " + (", ".join(parts) or "all")


def _start_of(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def audit_events_search(
    context: AccessContext, query: AuditQuery, *, export: bool = False
) -> QuerySet[AuditEvent]:
    events = audit_event_policy.visible_to(context.actor).select_related("seal")
    if query.username:
        events = events.filter(user_label__iexact=query.username)
    if query.action:
        events = events.filter(action=query.action)
    if query.object_type:
        events = events.filter(object_type=query.object_type)
    if query.object_id:
        # object_ids is a JSON list; matching its text keeps this portable across databases.
        events = events.filter(object_ids__icontains=f'"{query.object_id}"')
    if query.date_from:
        events = events.filter(occurred_at__gte=_start_of(query.date_from))
    if query.date_to:
        events = events.filter(occurred_at__lt=_start_of(query.date_to + timedelta(days=1)))
    audit_record(
        context=context,
        action=AuditAction.EXPORT if export else AuditAction.SEARCH,
        objects=[],
        purpose=query.describe()[:200],
    )
    return events.order_by("-id")


def audited_object_types(context: AccessContext) -> list[str]:
    return list(
        audit_event_policy.visible_to(context.actor)
        .exclude(object_type="")
        .order_by("object_type")
        .values_list("object_type", flat=True)
        .distinct()
    )
