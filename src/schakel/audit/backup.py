"""The audit log's part of a backup (core/backup.py): where the chain stood in the dumped state,
and after a restore whether the log still verifies and can go on being sealed."""

from __future__ import annotations

from typing import Any

from django.db import connection

from .models import AuditCheckpoint, AuditEvent, AuditSeal, AuditSealer
from .sealing import chain_tip
from .verification import VerifyReport, audit_log_verify


def _row(cursor: Any, model: type[Any], select: str, tail: str = "") -> Any:
    table = '"' + model._meta.db_table + '"'
    cursor.execute(f"SELECT {select} FROM {table} {tail}")  # noqa: S608 (names only)
    return cursor.fetchone()


def audit_backup_facts(cursor: Any) -> dict[str, Any]:
    """Read with the cursor of the dumped state (the copy, or pg_dump's snapshot)."""
    newest = "ORDER BY sequence DESC LIMIT 1"
    seal = _row(cursor, AuditSeal, "sequence, chain_hash", newest)
    checkpoint = _row(cursor, AuditCheckpoint, "sequence, chain_hash", newest)
    entries = int(_row(cursor, AuditEvent, "COUNT(*)")[0])
    sealed = int(_row(cursor, AuditSeal, "COUNT(*)")[0])
    horizon = _row(cursor, AuditSealer, "MAX(horizon)")[0]
    newest_txid = _row(cursor, AuditEvent, "MAX(txid)")[0]
    return {
        "audit": {
            "last_sealed": {"sequence": seal[0], "chain_hash": seal[1]} if seal else None,
            "last_checkpoint": (
                {"sequence": checkpoint[0], "chain_hash": checkpoint[1]} if checkpoint else None
            ),
            "entries": entries,
            "not_sealed": entries - sealed,
            "sealer_horizon": int(horizon or 0),
            "newest_txid": int(newest_txid) if newest_txid is not None else None,
        }
    }


def _next_transaction_id() -> int:
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_snapshot_xmax(pg_current_snapshot())::text::bigint")
        return int(cursor.fetchone()[0])


def audit_restore_check(manifest: dict[str, Any]) -> tuple[VerifyReport, list[str]]:
    """verify_audit_log on the restored database, and what else keeps the log going."""
    problems = []
    report = audit_log_verify()
    problems += [f"audit log: {finding}" for finding in report.findings]
    facts = manifest.get("audit") or {}
    expected = facts.get("last_sealed")
    sequence, chain_hash = chain_tip()
    if expected and (sequence, chain_hash) != (expected["sequence"], expected["chain_hash"]):
        problems.append(
            f"audit log: the chain ends at #{sequence}, the archive's at #{expected['sequence']}"
        )
    if connection.vendor == "postgresql":
        # The sealer orders by transaction id (audit/sealing.py): on a server whose counter is
        # behind the restored one, every new entry would be passed over and never sealed.
        floor = max(facts.get("sealer_horizon") or 0, facts.get("newest_txid") or 0)
        following = _next_transaction_id()
        if following <= floor:
            problems.append(
                f"audit log: this PostgreSQL server's next transaction id ({following}) is not "
                f"past the restored log's ({floor}): new entries would never be sealed. Restore "
                "into a server whose counter is ahead (a new cluster: stop it and raise its "
                "epoch with pg_resetwal --epoch, see docs/operations.md), then restore again"
            )
    return report, problems
