"""Searching the audit log. Every search and export is itself written to the log."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.db import models
from django.db.models import Q, QuerySet
from django.utils import timezone

from schakel.core.context import AccessContext

from .choices import AuditAction
from .models import AuditEvent, AuditObject, AuditSubject
from .policies import audit_event_policy
from .services import audit_record, subject_key


@dataclass(frozen=True)
class AuditQuery:
    person: str = ""
    organisation: str = ""
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
    if query.person:
        events = events.filter(
            Q(user_label__iexact=query.person)
            | Q(user__first_name__icontains=query.person)
            | Q(user__last_name__icontains=query.person)
        )
    if query.organisation:
        # The roles column names each organisation as "<name> (<role>)".
        events = events.filter(roles__contains=f"{query.organisation} (")
    if query.action:
        events = events.filter(action=query.action)
    if query.object_type:
        events = events.filter(object_type=query.object_type)
    if query.object_id:
        # Through the index of object numbers, not by scanning the JSON lists.
        found = AuditObject.objects.filter(object_id=query.object_id).values("event_id")
        events = events.filter(id__in=found)
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


def audit_events_concerning(subject: models.Model) -> list[AuditEvent]:
    """Every entry that names the person as concerned, oldest first, through the index of
    persons concerned. For a subject-access request: the caller has checked that the actor may
    answer one (`subject_access_policy`) and records its own read."""
    found = AuditSubject.objects.filter(subject_key=subject_key(subject)).values("event_id")
    return list(AuditEvent.objects.filter(id__in=found).order_by("id"))
