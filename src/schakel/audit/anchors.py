"""Checkpoints kept outside the database: one signed JSON file per day in
SCHAKEL_AUDIT_CHECKPOINT_DIR, holding that day's last checkpoint.

Someone who can rewrite the database cannot reach these files, and cannot sign a checkpoint
without the audit key; `verify_audit_log` compares each file with the database, which reveals
newest entries that were cut off, a truncated log, or a log rolled back to an earlier state.
"""

from __future__ import annotations

import json
import os
import tempfile
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from django.conf import settings

from .chain import checkpoint_mac, matches
from .models import AuditCheckpoint

PREFIX = "audit-checkpoint-"


@dataclass(frozen=True)
class Anchor:
    sequence: int
    chain_hash: str
    count: int
    created_at: datetime
    mac: str
    source: str = field(default="", compare=False)  # the file it was read from

    @classmethod
    def of(cls, checkpoint: AuditCheckpoint) -> Anchor:
        return cls(
            checkpoint.sequence,
            checkpoint.chain_hash,
            checkpoint.count,
            checkpoint.created_at,
            checkpoint.mac,
        )

    def is_signed(self) -> bool:
        expected = checkpoint_mac(
            sequence=self.sequence,
            chain_hash=self.chain_hash,
            count=self.count,
            created_at=self.created_at,
        )
        return matches(expected, self.mac)

    def same_as(self, checkpoint: AuditCheckpoint) -> bool:
        return (self.sequence, self.chain_hash, self.count, self.created_at, self.mac) == (
            checkpoint.sequence,
            checkpoint.chain_hash,
            checkpoint.count,
            checkpoint.created_at,
            checkpoint.mac,
        )

    def as_json(self) -> str:
        return json.dumps(
            {
                "sequence": self.sequence,
                "chain_hash": self.chain_hash,
                "count": self.count,
                "created_at": self.created_at.isoformat(timespec="microseconds"),
                "mac": self.mac,
            },
            indent=2,
        )


def anchor_directory() -> Path:
    return Path(settings.SCHAKEL_AUDIT_CHECKPOINT_DIR)


def _read(path: Path) -> Anchor:
    data = json.loads(path.read_text(encoding="utf-8"))
    return Anchor(
        sequence=int(data["sequence"]),
        chain_hash=str(data["chain_hash"]),
        count=int(data["count"]),
        created_at=datetime.fromisoformat(data["created_at"]),
        mac=str(data["mac"]),
        source=path.name,
    )


def anchors_read() -> tuple[list[Anchor], list[str]]:
    """Every checkpoint file, oldest first, and the names of files that cannot be read."""
    anchors, unreadable = [], []
    for path in sorted(anchor_directory().glob(f"{PREFIX}*.json")):
        try:
            anchors.append(_read(path))
        except (OSError, ValueError, KeyError, TypeError):
            unreadable.append(path.name)
    anchors.sort(key=lambda anchor: anchor.sequence)
    return anchors, unreadable


def anchor_write(checkpoint: AuditCheckpoint) -> Path:
    """Write the checkpoint as its day's file (UTC), replacing an older checkpoint of that day
    atomically; a newer one already there is kept, and an unreadable one is left for whoever
    investigates (an error)."""
    directory = anchor_directory()
    directory.mkdir(parents=True, exist_ok=True)
    day = checkpoint.created_at.astimezone(UTC).date()
    path = directory / f"{PREFIX}{day.isoformat()}.json"
    if path.exists() and _read(path).sequence >= checkpoint.sequence:
        return path
    handle, temporary = tempfile.mkstemp(dir=directory, prefix=".checkpoint-", suffix=".json")
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as file:
            file.write(Anchor.of(checkpoint).as_json() + "\n")
            file.flush()
            os.fsync(file.fileno())
        os.chmod(temporary, 0o640)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return path
