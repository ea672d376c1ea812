"""Retention of the audit log: sealed entries older than the term are removed from the start of
the chain, and the removal is recorded (`AuditRetentionCut`: numbers, the hash of the last one
removed, when, signed), so the rest still verifies from the cut and a removal by anyone else is
still found. This is the only path past the triggers that refuse DELETE (audit/gate.py).

Entries that are not sealed yet stay, whatever their age; they go on a later run, once sealed.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import transaction
from django.utils import timezone

from .chain import cut_mac
from .gate import removal_gate
from .models import AuditEvent, AuditObject, AuditRetentionCut, AuditSeal, AuditSubject
from .sealing import chain_tip, sealer_lock

MINIMUM_DAYS = 5 * 365 + 1  # NEN 7513: at least five years


def _cutoff(today: date) -> datetime:
    days = settings.SCHAKEL_RETENTION_DAYS["audit_event"]
    if days < MINIMUM_DAYS:
        raise ImproperlyConfigured("Audit entries must be kept for at least five years")
    return timezone.make_aware(datetime.combine(today - timedelta(days=days), time.min))


def _range_past_retention(today: date) -> tuple[int, int]:
    """(first, last) of the sealed entries that may go; last < first when none may."""
    cutoff = _cutoff(today)
    previous_cut = AuditRetentionCut.objects.order_by("-last").first()
    first = previous_cut.last + 1 if previous_cut else 1
    kept = (
        AuditSeal.objects.filter(event__occurred_at__gte=cutoff)
        .order_by("sequence")
        .values_list("sequence", flat=True)
        .first()
    )
    last = kept - 1 if kept is not None else chain_tip()[0]
    return first, last


def audit_entries_past_retention(today: date) -> int:
    first, last = _range_past_retention(today)
    return max(last - first + 1, 0)


def audit_prune(today: date) -> int:
    """Remove the sealed entries older than the term, with their seals and index rows, and
    record the cut. Holds the sealer's lock, so no sealing run sees half a cut."""
    with transaction.atomic():
        sealer_lock()
        first, last = _range_past_retention(today)
        if last < first:
            return 0
        removed_at = timezone.now()
        last_hash = AuditSeal.objects.get(sequence=last).chain_hash
        AuditRetentionCut.objects.create(
            first=first,
            last=last,
            last_hash=last_hash,
            removed_at=removed_at,
            mac=cut_mac(first=first, last=last, last_hash=last_hash, removed_at=removed_at),
        )
        doomed = AuditSeal.objects.filter(sequence__lte=last).values("event_id")
        with removal_gate():
            AuditSubject.objects.filter(event_id__in=doomed).delete()
            AuditObject.objects.filter(event_id__in=doomed).delete()
            removed, _ = AuditEvent.objects.filter(id__in=doomed).delete()
            AuditSeal.objects.filter(sequence__lte=last).delete()
    return removed
