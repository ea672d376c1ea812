"""Sealing: numbering appended audit entries 1, 2, 3 … without gaps, linking them into the hash
chain and writing a checkpoint, off the request path (`manage.py seal_audit_log`).

`audit_record` only inserts rows, each with its own keyed hash; it takes no lock that another
transaction waits for. The sealer runs every few minutes, one at a time: it updates the one
`AuditSealer` row first, which only the sealer and retention touch, so a second sealer waits
for the first to commit and then finds nothing left to do. Running it again is harmless.

Which entries may be sealed. An entry may be numbered only when its transaction is over, and
never after an entry of a transaction that is still running, or that entry would later have to
be numbered out of order (or be skipped). The sealer therefore uses the order it can observe:

- PostgreSQL. Every entry carries the id of the transaction that wrote it (`txid`, a column
  default of `pg_current_xact_id()`). The horizon is the oldest transaction id still running in
  this database (from `pg_current_snapshot()`, leaving out transactions that `pg_stat_activity`
  shows running in another database, which cannot write here), or the next id to be given when
  none is running. Every transaction below the horizon has committed or rolled back and can
  write nothing more; every transaction still to write gets a larger id. So the sealer seals
  exactly the entries with a txid below the horizon, in (txid, id) order, and no entry that is
  still to come can sort before them. The numbering follows the order in which PostgreSQL gave
  the transactions their id (at their first write) and, within a transaction, the order of
  writing. A long writing transaction in this database holds sealing back until it ends: it
  delays sealing, it loses nothing (each entry keeps its own hash meanwhile). Without the right
  to see other roles' sessions (`pg_read_all_stats`), transactions of other databases on the
  server count as running here too, which only delays more. The sealer's own transaction is
  final with it, so entries it wrote itself (when sealing runs inside a larger transaction, as
  the tests do) are sealed as well, and the horizon stops at its own id, so that entries the
  same transaction writes after sealing are not passed over.
- SQLite has one writer at a time: a transaction commits before the next one can write, so id
  order is commit order and every visible entry is final.

A safety margin ("only entries older than five minutes") was not chosen: a transaction that
runs longer than the margin (a retention run, a key rotation) would be sealed past. Commit order
itself is not observable in PostgreSQL without logical decoding or `track_commit_timestamp`.

Each run that seals anything writes one `AuditCheckpoint` (last number, last hash, how many it
sealed, when; signed) and then writes the newest checkpoint outside the database (anchors.py).
The sealer refuses to build on a chain whose end does not match the last checkpoint, in the
database or outside it: it never paves over removed entries.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import connection, transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

from .anchors import anchor_write, anchors_read
from .chain import checkpoint_mac, link_hash
from .models import AuditCheckpoint, AuditEvent, AuditRetentionCut, AuditSeal, AuditSealer

PAGE = 5000
# The next transaction id, the oldest one still running that may be in this database, and the
# sealer's own (see the module's docstring).
HORIZON = """
SELECT
    pg_snapshot_xmax(snapshot)::text::bigint,
    (SELECT min(running::text::bigint) FROM pg_snapshot_xip(snapshot) AS running
      WHERE NOT EXISTS (
          SELECT 1 FROM pg_stat_activity AS other
          WHERE other.backend_xid = running::xid AND other.datname <> current_database()
      )),
    pg_current_xact_id_if_assigned()::text::bigint
FROM pg_current_snapshot() AS snapshot
"""


class SealingRefused(Exception):
    """The chain's end does not match a checkpoint: entries may have been removed."""


@dataclass(frozen=True)
class SealResult:
    sealed: int
    checkpoint: AuditCheckpoint | None  # the newest checkpoint, new or not


def sealer_lock() -> AuditSealer:
    """Take the sealer's lock (the sealer and retention only): an UPDATE of its one row, which
    PostgreSQL holds as a row lock and SQLite as its write lock until the transaction ends."""
    locked = AuditSealer.objects.filter(pk=1)
    if not locked.update(locked_at=timezone.now()):
        # The first run (or after the row was lost): make the row, then lock it; when two runs
        # make it at once, one waits for the other's commit in the second update.
        AuditSealer.objects.get_or_create(pk=1)
        locked.update(locked_at=timezone.now())
    return locked.get()


def chain_tip() -> tuple[int, str]:
    """The last number given and its hash: the newest seal, else the newest retention cut."""
    last = AuditSeal.objects.order_by("-sequence").first()
    if last is not None:
        return last.sequence, last.chain_hash
    cut = AuditRetentionCut.objects.order_by("-last").first()
    if cut is not None:
        return cut.last, cut.last_hash
    return 0, ""


def _check_tip(tip: tuple[int, str]) -> None:
    newest = AuditCheckpoint.objects.order_by("-sequence").first()
    if newest is not None and (newest.sequence, newest.chain_hash) != tip:
        raise SealingRefused(
            f"The audit chain ends at #{tip[0]}, but the last checkpoint in the database is "
            f"#{newest.sequence}: entries may have been removed. Nothing was sealed; run "
            "verify_audit_log."
        )
    anchors, _ = anchors_read()
    signed = [anchor for anchor in anchors if anchor.is_signed()]
    if signed and (
        signed[-1].sequence > tip[0]
        or (signed[-1].sequence == tip[0] and signed[-1].chain_hash != tip[1])
    ):
        raise SealingRefused(
            f"The audit chain ends at #{tip[0]}, but the checkpoint outside the database "
            f"({signed[-1].source}) is #{signed[-1].sequence}: entries may have been removed or "
            "the database rolled back. Nothing was sealed; run verify_audit_log."
        )


def _sealable(horizon: int) -> tuple[QuerySet[AuditEvent], int]:
    """The entries that are final and not sealed yet, in sealing order, and the next horizon."""
    unsealed = AuditEvent.objects.filter(seal__isnull=True)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(HORIZON)
            next_id, oldest_running, own = cursor.fetchone()
        until = next_id if oldest_running is None else oldest_running
        final = Q(txid__gte=horizon, txid__lt=until)
        if own is None:
            return unsealed.filter(final).order_by("txid", "id"), until
        # Its own entries are final with it; but the horizon stays at its own id, for entries
        # the same transaction may still write after sealing.
        return unsealed.filter(final | Q(txid=own)).order_by("txid", "id"), min(until, own)
    return unsealed.filter(id__gt=horizon).order_by("id"), horizon


def audit_seal() -> SealResult:
    """Seal every final entry (see the module's docstring) and anchor the newest checkpoint
    outside the database once that is committed."""
    with transaction.atomic():
        sealer = sealer_lock()
        sequence, previous = tip = chain_tip()
        _check_tip(tip)
        candidates, horizon = _sealable(sealer.horizon)
        sealed = 0
        while page := list(candidates.values_list("id", "entry_mac")[:PAGE]):
            seals = []
            for event_id, entry_mac in page:
                sequence += 1
                chain = link_hash(
                    sequence=sequence,
                    event_id=event_id,
                    entry_mac=entry_mac,
                    previous_hash=previous,
                )
                seals.append(
                    AuditSeal(
                        sequence=sequence,
                        event_id=event_id,
                        previous_hash=previous,
                        chain_hash=chain,
                    )
                )
                previous = chain
            AuditSeal.objects.bulk_create(seals)
            sealed += len(seals)
            if connection.vendor != "postgresql":
                horizon = page[-1][0]
        if sealed:
            created_at = timezone.now()
            AuditCheckpoint.objects.create(
                sequence=sequence,
                chain_hash=previous,
                count=sealed,
                created_at=created_at,
                mac=checkpoint_mac(
                    sequence=sequence, chain_hash=previous, count=sealed, created_at=created_at
                ),
            )
        sealer.horizon = horizon
        sealer.save(update_fields=["horizon"])
    newest = AuditCheckpoint.objects.order_by("-sequence").first()
    if newest is not None:
        transaction.on_commit(lambda: anchor_write(newest))
    return SealResult(sealed, newest)
