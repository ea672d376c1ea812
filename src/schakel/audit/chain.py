"""The keyed hashes that make the audit log tamper-evident.

Every hash is an HMAC-SHA256 under SCHAKEL_AUDIT_KEY, which is kept outside the database, over a
canonical JSON text prefixed with what is hashed ("event", "link", "checkpoint", "cut"), so that
a hash of one kind can never pass for another:

- `event_mac`: an entry's own content, written with the entry (an edited row is found at once);
- `link_hash`: an entry's place in the chain, written by the sealer: its number, its row, its
  own hash and the previous link's hash (a removed, renumbered or reordered entry is found);
- `checkpoint_mac`: where the chain stood after a sealing run (kept outside the database too);
- `cut_mac`: a range of entries that retention removed, so the chain verifies from the cut.

Someone who can write to the database but lacks the key cannot make any of these fit again.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from collections.abc import Mapping
from datetime import datetime
from typing import Any

from django.conf import settings

EVENT_FIELDS = (
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
)


def _key() -> bytes:
    return str(settings.SCHAKEL_AUDIT_KEY).encode()


def _stamp(moment: datetime) -> str:
    return moment.isoformat(timespec="microseconds")


def _mac(kind: str, content: Mapping[str, Any]) -> str:
    payload = json.dumps(content, sort_keys=True, separators=(",", ":"), default=str)
    return hmac.new(_key(), f"{kind}\n{payload}".encode(), hashlib.sha256).hexdigest()


def matches(expected: str, stored: str) -> bool:
    return hmac.compare_digest(expected, stored)


def event_mac(values: Mapping[str, Any]) -> str:
    content = {name: values[name] for name in EVENT_FIELDS}
    content["occurred_at"] = _stamp(content["occurred_at"])
    return _mac("event", content)


def link_hash(*, sequence: int, event_id: int, entry_mac: str, previous_hash: str) -> str:
    return _mac(
        "link",
        {
            "sequence": sequence,
            "event": event_id,
            "entry_mac": entry_mac,
            "previous_hash": previous_hash,
        },
    )


def checkpoint_mac(*, sequence: int, chain_hash: str, count: int, created_at: datetime) -> str:
    return _mac(
        "checkpoint",
        {
            "sequence": sequence,
            "chain_hash": chain_hash,
            "count": count,
            "created_at": _stamp(created_at),
        },
    )


def cut_mac(*, first: int, last: int, last_hash: str, removed_at: datetime) -> str:
    return _mac(
        "cut",
        {"first": first, "last": last, "last_hash": last_hash, "removed_at": _stamp(removed_at)},
    )
