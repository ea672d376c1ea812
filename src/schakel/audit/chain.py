"""The hash chain that makes the audit log tamper-evident.

Each entry's hash is an HMAC-SHA256, keyed with SCHAKEL_AUDIT_KEY (kept outside the database),
over the entry's content and the previous entry's hash. Someone who edits or deletes a row
cannot repair the chain without the key; `manage.py verify_audit_log` finds the first broken link.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.conf import settings

from .models import AuditEvent

CHAINED_FIELDS = (
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


def _key() -> bytes:
    return str(settings.SCHAKEL_AUDIT_KEY).encode()


def entry_hash(values: dict[str, Any]) -> str:
    content = {name: values[name] for name in CHAINED_FIELDS}
    content["occurred_at"] = content["occurred_at"].isoformat(timespec="microseconds")
    payload = json.dumps(content, sort_keys=True, separators=(",", ":"), default=str)
    return hmac.new(_key(), payload.encode(), hashlib.sha256).hexdigest()


@dataclass(frozen=True)
class ChainReport:
    checked: int
    broken_at: int | None = None
    reason: str = ""

    @property
    def intact(self) -> bool:
        return self.broken_at is None


def verify(events: Iterable[AuditEvent]) -> ChainReport:
    """Walk the entries in sequence order; stop at the first one that does not fit."""
    checked = 0
    previous: AuditEvent | None = None
    for event in events:
        if previous is not None and event.sequence != previous.sequence + 1:
            return ChainReport(checked, previous.sequence + 1, "entry missing")
        if previous is not None and event.previous_hash != previous.entry_hash:
            return ChainReport(checked, event.sequence, "link to the previous entry broken")
        values = {name: getattr(event, name) for name in CHAINED_FIELDS}
        if not hmac.compare_digest(entry_hash(values), event.entry_hash):
            return ChainReport(checked, event.sequence, "content changed")
        previous = event
        checked += 1
    return ChainReport(checked)
