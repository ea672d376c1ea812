"""Carry the entries written under the old single chain (0001) over to the new scheme.

First the old chain is checked as `verify_audit_log` used to check it (each entry's hash over
its content and the previous hash, numbers without gaps, the newest entry equal to the chain
head). If it does not verify, the upgrade stops: the new hashes must not launder a change made
before. Then each entry gets its own hash (`entry_mac`) and its index rows, and keeps its number
in a seal linked under the new scheme; a range that retention removed before is recorded as a
retention cut that ends in the old hash the first remaining entry pointed at; and one checkpoint
covers it all (`seal_audit_log` writes it outside the database on its next run).

The hash functions are copied here, frozen, as the rest of a migration must be.
"""

import hashlib
import hmac
import json

from django.conf import settings
from django.db import migrations
from django.db.migrations.exceptions import IrreversibleError
from django.utils import timezone

OLD_CHAINED_FIELDS = (
    "sequence",
    "occurred_at",
    "action",
    "user_id",
    "user_label",
    "roles",
    "access_point",
    "ip_address",
    "object_type",
    "object_ids",
    "subjects",
    "fields",
    "purpose",
    "previous_hash",
)
EVENT_FIELDS = OLD_CHAINED_FIELDS[1:-1]
BATCH = 2000


def _key():
    return str(settings.SCHAKEL_AUDIT_KEY).encode()


def _stamp(moment):
    return moment.isoformat(timespec="microseconds")


def _json(content):
    return json.dumps(content, sort_keys=True, separators=(",", ":"), default=str)


def old_entry_hash(event):
    content = {name: getattr(event, name) for name in OLD_CHAINED_FIELDS}
    content["occurred_at"] = _stamp(content["occurred_at"])
    return hmac.new(_key(), _json(content).encode(), hashlib.sha256).hexdigest()


def _mac(kind, content):
    return hmac.new(_key(), f"{kind}\n{_json(content)}".encode(), hashlib.sha256).hexdigest()


def event_mac(event):
    content = {name: getattr(event, name) for name in EVENT_FIELDS}
    content["occurred_at"] = _stamp(content["occurred_at"])
    return _mac("event", content)


def link_hash(sequence, event_id, entry_mac, previous_hash):
    return _mac(
        "link",
        {
            "sequence": sequence,
            "event": event_id,
            "entry_mac": entry_mac,
            "previous_hash": previous_hash,
        },
    )


class OldChainBroken(Exception):
    pass


def _refuse(sequence, reason):
    raise OldChainBroken(
        f"The audit log's hash chain is broken at entry {sequence} ({reason}). The upgrade stops "
        "so that the new hashes do not cover a change made before: keep a copy of the database "
        "as it is and involve the privacy officer and the security officer."
    )


def seal_existing_entries(apps, schema_editor):
    Event = apps.get_model("audit", "AuditEvent")
    Seal = apps.get_model("audit", "AuditSeal")
    Subject = apps.get_model("audit", "AuditSubject")
    Object = apps.get_model("audit", "AuditObject")
    Cut = apps.get_model("audit", "AuditRetentionCut")
    Checkpoint = apps.get_model("audit", "AuditCheckpoint")
    Head = apps.get_model("audit", "AuditChainHead")

    events = Event.objects.order_by("sequence")
    first = events.first()
    if first is None:
        return
    now = timezone.now()
    if first.sequence > 1:
        # Retention removed #1 … first-1 under the old scheme: record it as a cut.
        content = {
            "first": 1,
            "last": first.sequence - 1,
            "last_hash": first.previous_hash,
            "removed_at": _stamp(now),
        }
        Cut.objects.create(
            first=1,
            last=first.sequence - 1,
            last_hash=first.previous_hash,
            removed_at=now,
            mac=_mac("cut", content),
        )
    old_previous, new_previous, expected = first.previous_hash, first.previous_hash, first.sequence
    for event in events.iterator(chunk_size=BATCH):
        if event.sequence != expected:
            _refuse(expected, "entry missing")
        if event.previous_hash != old_previous:
            _refuse(event.sequence, "link to the previous entry broken")
        if not hmac.compare_digest(old_entry_hash(event), event.entry_hash):
            _refuse(event.sequence, "content changed")
        mac = event_mac(event)
        Event.objects.filter(pk=event.pk).update(entry_mac=mac)
        chain = link_hash(event.sequence, event.pk, mac, new_previous)
        Seal.objects.create(
            sequence=event.sequence, event_id=event.pk, previous_hash=new_previous, chain_hash=chain
        )
        Subject.objects.bulk_create(
            Subject(event_id=event.pk, subject_key=key) for key in sorted(set(event.subjects))
        )
        Object.objects.bulk_create(
            Object(event_id=event.pk, object_id=pk) for pk in sorted(set(event.object_ids))
        )
        old_previous, new_previous, expected = event.entry_hash, chain, event.sequence + 1
    head = Head.objects.filter(pk=1).first()
    if head is not None and (head.sequence, head.entry_hash) != (expected - 1, old_previous):
        _refuse(expected, "newest entries missing")
    content = {
        "sequence": expected - 1,
        "chain_hash": new_previous,
        "count": expected - 1,
        "created_at": _stamp(now),
    }
    Checkpoint.objects.create(
        sequence=expected - 1,
        chain_hash=new_previous,
        count=expected - 1,
        created_at=now,
        mac=_mac("checkpoint", content),
    )


def refuse_to_undo(apps, schema_editor):
    if apps.get_model("audit", "AuditEvent").objects.exists():
        raise IrreversibleError(
            "Audit entries sealed under the new scheme cannot be put back into the old chain."
        )


class Migration(migrations.Migration):
    dependencies = [("audit", "0003_seal_and_index")]

    operations = [migrations.RunPython(seal_existing_entries, refuse_to_undo)]
