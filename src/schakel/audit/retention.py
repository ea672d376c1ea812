"""Retention of the audit log: entries older than the term are removed from the start of the
chain, so the rest still verifies (verify starts at the oldest remaining entry)."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils import timezone

from .models import AuditEvent

MINIMUM_DAYS = 5 * 365 + 1  # NEN 7513: at least five years


def audit_events_past_retention(today: date) -> int:
    """The sequence number below which entries may go (0: none)."""
    days = settings.SCHAKEL_RETENTION_DAYS["audit_event"]
    if days < MINIMUM_DAYS:
        raise ImproperlyConfigured("Audit entries must be kept for at least five years")
    cutoff = timezone.make_aware(datetime.combine(today - timedelta(days=days), time.min))
    first_kept = AuditEvent.objects.filter(occurred_at__gte=cutoff).order_by("sequence").first()
    if first_kept is not None:
        return first_kept.sequence
    # Everything is old: keep the newest entry all the same, it anchors the chain head.
    last = AuditEvent.objects.order_by("-sequence").first()
    return 0 if last is None else last.sequence


def audit_prune(today: date) -> int:
    below = audit_events_past_retention(today)
    deleted, _ = AuditEvent.objects.filter(sequence__lt=below).delete()
    return deleted
