"""The registry's lookup index: a compact in-memory copy of the blocking keys, kept current from the
database, which stays the record of truth (services.registry_matches is its one user).

Why in memory and not a database query: on PostgreSQL the keyed GROUP BY over InvolvementKey took
p50 57 ms / p99 172 ms at 100,000 registrations (8.5 / 57 ms as hand-written SQL), against ~1 ms
here; the measurements are in bench/matching_db.json and docs/matching.md.

It holds nothing in plaintext:

- the ``InvolvementKey`` table as sorted runs of 64-bit integers: the top bits of a blocking key
  (keyed BLAKE2b, so already uniform) with the registration's number in the low ``rid_bits``;
  a key is found with a binary search, its registrations are the run's slice. The random
  padding keys of the database are dropped (only the key holder can tell them, see
  ``encoding.is_padding``): they never match and would triple the size;
- optionally the ``Involvement.sealed`` blobs (the benchmark keeps them here; the app reads the
  candidates' blobs from the database, which so confirms each candidate is still active);
- per registration its database id, organisation and expiry, so own registrations, ended and
  expired ones are never candidates.

About 8 bytes per real blocking key (~14 per registration) and 21 bytes of bookkeeping, with no
Python object per registration. ``LiveIndex`` keeps one per process: built from the database on
first use, then caught up on every lookup (new registrations by id, ended ones by their change
time), with expiry applied at search time; one writer at a time (a lock).
"""

from __future__ import annotations

import math
import threading
from array import array
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import numpy as np

from . import encoding, scoring

RID_BITS = 24  # up to 16.7 million registrations; the key keeps 40 bits (chance collisions of
# two different keys only add a shared key to a ranking, never a hit: scoring decides)
CHUNK = 65_536  # sealed blobs per packed chunk
MAX_RUNS = 4  # sorted runs of keys before they are merged into one


def key_bits(key: str) -> int:
    """The first 64 bits of a (hex) blocking key."""
    return int(key[:16], 16)


@dataclass(frozen=True)
class Found:
    rid: int
    pk: int
    band: str


class CompactIndex:
    def __init__(self, rid_bits: int = RID_BITS) -> None:
        self.rid_bits = rid_bits
        self._mask = (1 << rid_bits) - 1
        self._runs: list[np.ndarray] = []  # sorted uint64 views of array('Q') storage
        self._storage: list[array[int]] = []
        self._pending: array[int] = array("Q")
        self._chunks: list[tuple[bytes, np.ndarray]] = []  # packed blobs and their offsets
        self._open: list[bytes] = []
        self.pks: array[int] = array("Q")
        self.organisations: array[int] = array("I")
        self.expires: array[float] = array("d")
        self.active = bytearray()
        self.last_candidates = 0  # how many the last search compared (for the benchmark)

    def __len__(self) -> int:
        return len(self.pks)

    # --- writing -------------------------------------------------------------------------------

    def add(
        self,
        block_keys: Iterable[str],
        sealed: bytes | None = None,
        *,
        pk: int | None = None,
        organisation: int = 0,
        expires: float = math.inf,
    ) -> int:
        """Add one registration (its real blocking keys, and its sealed blob when the index is to
        keep it); returns its number."""
        rid = len(self.pks)
        if rid > self._mask:
            raise OverflowError("registry larger than the index's rid_bits")
        shift = self.rid_bits
        self._pending.extend(((key_bits(k) >> shift) << shift) | rid for k in set(block_keys))
        self._open.append(bytes(sealed) if sealed else b"")
        if len(self._open) == CHUNK:
            self._close_chunk()
        self.pks.append(rid if pk is None else pk)
        self.organisations.append(organisation)
        self.expires.append(expires)
        self.active.append(1)
        return rid

    def remove(self, rid: int) -> None:
        """Ended or withdrawn: it stays in the arrays but never becomes a candidate again."""
        self.active[rid] = 0

    def rid_of(self, pk: int) -> int | None:
        """The number of a registration by its database id (a scan: ids of late commits may
        come out of order; used only to drop one)."""
        found = np.flatnonzero(np.frombuffer(self.pks, dtype=np.uint64) == np.uint64(pk))
        return int(found[0]) if len(found) else None

    @property
    def nbytes(self) -> int:
        """Memory held by the arrays (keys, blobs, bookkeeping)."""
        keys = sum(run.nbytes for run in self._runs) + len(self._pending) * 8
        meta = len(self.pks) * 8 + len(self.organisations) * 4 + len(self.expires) * 8
        return keys + self.blob_nbytes + meta + len(self.active)

    @property
    def blob_nbytes(self) -> int:
        """Of which the sealed blobs (the benchmark keeps them here; the app reads them from the
        database)."""
        blobs = sum(len(blob) + offsets.nbytes for blob, offsets in self._chunks)
        return blobs + sum(len(b) for b in self._open)

    def freeze(self) -> None:
        """Sort the keys added since the last call into a run (in place: no second copy)."""
        if self._pending:
            storage, self._pending = self._pending, array("Q")
            run = np.frombuffer(storage, dtype=np.uint64)
            run.sort()
            self._storage.append(storage)
            self._runs.append(run)
        if len(self._runs) > MAX_RUNS:
            merged = np.concatenate(self._runs)
            merged.sort()
            self._runs, self._storage = [merged], []

    def _close_chunk(self) -> None:
        offsets = np.zeros(len(self._open) + 1, dtype=np.uint32)
        np.cumsum([len(b) for b in self._open], out=offsets[1:])
        self._chunks.append((b"".join(self._open), offsets))
        self._open = []

    # --- reading -------------------------------------------------------------------------------

    def sealed(self, rid: int) -> bytes:
        chunk, i = divmod(rid, CHUNK)
        if chunk == len(self._chunks):
            return self._open[i]
        blob, offsets = self._chunks[chunk]
        return blob[int(offsets[i]) : int(offsets[i + 1])]

    def candidates(
        self,
        block_keys: Iterable[str],
        *,
        limit: int = encoding.MAX_CANDIDATES,
        exclude_organisation: int | None = None,
        now: float = 0.0,
    ) -> list[int]:
        """Registrations sharing the most keys with a query (ties: the earliest), at most limit."""
        self.freeze()
        shift = self.rid_bits
        low = np.fromiter(
            ((key_bits(k) >> shift) << shift for k in set(block_keys)), dtype=np.uint64
        )
        if not len(low) or not self._runs:
            return []
        high = low | np.uint64(self._mask)
        parts = []
        for run in self._runs:
            starts = np.searchsorted(run, low, side="left")
            ends = np.searchsorted(run, high, side="right")
            parts += [
                run[a:b] for a, b in zip(starts.tolist(), ends.tolist(), strict=True) if b > a
            ]
        if not parts:
            return []
        rids, counts = np.unique(np.concatenate(parts) & np.uint64(self._mask), return_counts=True)
        rids = rids.astype(np.int64)
        keep = np.frombuffer(self.active, dtype=np.uint8)[rids].astype(bool)
        if exclude_organisation is not None:
            keep &= np.frombuffer(self.organisations, dtype=np.uint32)[rids] != exclude_organisation
        if now:
            keep &= np.frombuffer(self.expires, dtype=np.float64)[rids] > now
        rids, counts = rids[keep], counts[keep]
        order = np.lexsort((rids, -counts))[:limit]
        return [int(r) for r in rids[order]]

    def postings(self, key: str) -> int:
        """How many registrations hold a key (ended ones included: an estimate of frequency)."""
        self.freeze()
        low = (key_bits(key) >> self.rid_bits) << self.rid_bits
        high = low | self._mask
        return sum(
            int(np.searchsorted(run, np.uint64(high), side="right"))
            - int(np.searchsorted(run, np.uint64(low), side="left"))
            for run in self._runs
        )

    def namesakes(self, query: encoding.Query) -> int:
        """Registrations with the query's most frequent exact name pair (the penalty's count)."""
        return max((self.postings(key) for key in query.name_keys), default=0)

    def active_count(self, *, exclude_organisation: int | None = None, now: float = 0.0) -> int:
        keep = np.frombuffer(self.active, dtype=np.uint8).astype(bool)
        if exclude_organisation is not None:
            keep &= np.frombuffer(self.organisations, dtype=np.uint32) != exclude_organisation
        if now:
            keep &= np.frombuffer(self.expires, dtype=np.float64) > now
        return int(keep.sum())

    def search(
        self,
        keys: encoding.Keys,
        query: encoding.Query,
        *,
        exclude_organisation: int | None = None,
        now: float = 0.0,
        registrations: int | None = None,
    ) -> list[Found]:
        """The hits of a query: its candidates unsealed and scored as in the database path."""
        if registrations is None:
            registrations = self.active_count(exclude_organisation=exclude_organisation, now=now)
        chosen = self.candidates(
            query.block_keys, exclude_organisation=exclude_organisation, now=now
        )
        self.last_candidates = len(chosen)
        namesakes = self.namesakes(query) if chosen else 0
        decided = decide_all(
            keys, query, [(rid, self.sealed(rid)) for rid in chosen], registrations, namesakes
        )
        return [Found(rid, self.pks[rid], str(d.band)) for rid, d in decided.items()]


def decide_all(
    keys: encoding.Keys,
    query: encoding.Query,
    candidates: list[tuple[int, bytes]],
    registrations: int,
    namesakes: int,
) -> dict[int, scoring.Decision]:
    """The hits among candidates (id, sealed blob), each unsealed and scored: id -> decision.
    The one scoring loop of the app (services.registry_matches) and the benchmark."""
    found: dict[int, scoring.Decision] = {}
    for ident, sealed in candidates:
        decision = scoring.compare(query, encoding.unseal(keys, sealed), registrations, namesakes)
        if decision.band:
            found[ident] = decision
    return found


# --- The process's index, kept current from the database -------------------------------------


class LiveIndex:
    """One CompactIndex per process over the database's registrations.

    Built on first use (padding dropped, id order, so ties fall as in the database). On every
    use it adds the registrations with an id above the newest it has seen (one indexed query).
    At most once a LATE_CHECK it also looks back OVERLAP: registrations created in that window
    that it does not hold yet (a transaction that committed after a later one) are added, and
    registrations ended in it are removed. Expiry is applied at search time. If the newest
    registration it saw is gone (a rolled-back test, a restored backup) it rebuilds. Between
    checks, and for a registration deleted with its case person, the database decides: it
    confirms every candidate, and one it no longer holds as active is dropped here."""

    OVERLAP = timedelta(minutes=5)
    LATE_CHECK = timedelta(minutes=1)

    def __init__(self) -> None:
        self._index: CompactIndex | None = None
        self._newest: tuple[int, datetime] | None = None  # id and created_at of the newest seen
        self._checked: datetime | None = None  # when the last look back started
        self._recent: dict[int, datetime] = {}  # ids added within OVERLAP, by created_at
        self.lock = threading.Lock()

    def current(self, keys: encoding.Keys) -> CompactIndex:
        """The index, caught up with the database. Call with the lock held."""
        from django.utils import timezone

        from .models import Involvement

        now = timezone.now()
        active = Involvement.objects.filter(ended_at__isnull=True)
        if self._index is None or not self._still_there():
            self._index, self._newest, self._recent = CompactIndex(), None, {}
            self._add(keys, self._index, active)
            self._checked = now
        index = self._index
        self._add(keys, index, active.filter(pk__gt=self._newest[0] if self._newest else 0))
        if self._checked is None or now - self._checked >= self.LATE_CHECK:
            cutoff = (self._checked or now) - self.OVERLAP
            self._recent = {pk: at for pk, at in self._recent.items() if at >= cutoff}
            created = active.filter(created_at__gte=cutoff).values_list("pk", flat=True)
            late = set(created) - self._recent.keys()
            if late:
                self._add(keys, index, active.filter(pk__in=late))
            ended = Involvement.objects.filter(updated_at__gte=cutoff, ended_at__isnull=False)
            for pk in ended.values_list("pk", flat=True):
                self.drop(pk)
            self._checked = now
        index.freeze()
        return index

    def drop(self, pk: int) -> None:
        """A registration that is no longer active (ended, expired or deleted)."""
        if self._index is not None:
            rid = self._index.rid_of(pk)
            if rid is not None:
                self._index.remove(rid)

    def reset(self) -> None:
        self._index = None

    def _still_there(self) -> bool:
        from .models import Involvement

        if self._newest is None:
            return True
        pk, created = self._newest
        return Involvement.objects.filter(pk=pk, created_at=created).exists()

    def _add(self, keys: encoding.Keys, index: CompactIndex, rows: Any, batch: int = 2000) -> None:
        from .models import InvolvementKey

        fields = ("pk", "organisation_id", "expires_at", "created_at")
        last = 0
        while True:
            chunk = list(rows.filter(pk__gt=last).order_by("pk").values_list(*fields)[:batch])
            if not chunk:
                return
            block: dict[int, list[str]] = {pk: [] for pk, *_ in chunk}
            pairs = InvolvementKey.objects.filter(involvement_id__in=block)
            for involvement_id, key in pairs.values_list("involvement_id", "key"):
                block[involvement_id].append(key)
            for pk, organisation, expires_at, created in chunk:
                real = [k for k in block[pk] if not encoding.is_padding(keys, k)]
                index.add(real, pk=pk, organisation=organisation, expires=expires_at.timestamp())
                self._recent[pk] = created
                if self._newest is None or pk > self._newest[0]:
                    self._newest = (pk, created)
            last = chunk[-1][0]


LIVE = LiveIndex()  # this process's
