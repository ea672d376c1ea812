"""A compact in-memory copy of the registry, for lookups in large registries (a million and more).

Benchmark code (bench/matching.py runs the registry on it), not part of the app: the app looks up
in the database (matching/services.py). It is kept here with its tests
(tests/test_bench_matching_index.py), which check it finds what the database path finds.

It holds exactly what the database holds, packed, and nothing in plaintext:

- the ``InvolvementKey`` table as sorted runs of 64-bit integers: the top bits of a blocking key
  (keyed BLAKE2b, so already uniform) with the registration's number in the low ``rid_bits``;
  a key is found with a binary search, its registrations are the run's slice. The random
  padding keys of the database are dropped (only the key holder can tell them, see
  ``encoding.is_padding``): they never match and would double the size;
- the ``Involvement.sealed`` column as the same AES-GCM blobs, concatenated in chunks with an
  offset array: a candidate is unsealed only when it is compared, as in the database path;
- per registration its database id, organisation and expiry, so own registrations, ended and
  expired ones never hit.

About 8 bytes per blocking key (~14 per registration) plus ~300 bytes of sealed blob, with no
Python object per registration. The database stays the record of truth: the index is rebuilt
from it (``from_database``) and kept current with ``add`` / ``remove``; one writer at a time.
Candidate choice and scoring are those of the database path (most shared keys first, ties by
registration order; ``scoring.compare``).
"""

from __future__ import annotations

import math
from array import array
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

import numpy as np

from schakel.matching import encoding, scoring

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
        sealed: bytes,
        *,
        pk: int | None = None,
        organisation: int = 0,
        expires: float = math.inf,
    ) -> int:
        """Add one registration (its real blocking keys and sealed blob); returns its number."""
        rid = len(self.pks)
        if rid > self._mask:
            raise OverflowError("registry larger than the index's rid_bits")
        shift = self.rid_bits
        self._pending.extend(((key_bits(k) >> shift) << shift) | rid for k in set(block_keys))
        self._open.append(bytes(sealed))
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
        found = []
        chosen = self.candidates(
            query.block_keys, exclude_organisation=exclude_organisation, now=now
        )
        self.last_candidates = len(chosen)
        namesakes = self.namesakes(query) if chosen else 0
        for rid in chosen:
            band = scoring.compare(
                query, encoding.unseal(keys, self.sealed(rid)), registrations, namesakes
            ).band
            if band:
                found.append(Found(rid, self.pks[rid], band))
        return found


def _rows(batch: int = 2000) -> Iterator[tuple[int, int, float, bytes, list[str]]]:
    from django.utils import timezone

    from schakel.matching.models import Involvement, InvolvementKey

    active = Involvement.objects.filter(ended_at__isnull=True, expires_at__gt=timezone.now())
    fields = ("pk", "organisation_id", "expires_at", "sealed")
    last = 0
    while True:
        rows = list(active.filter(pk__gt=last).order_by("pk").values_list(*fields)[:batch])
        if not rows:
            return
        block: dict[int, list[str]] = {pk: [] for pk, *_ in rows}
        pairs = InvolvementKey.objects.filter(involvement_id__in=block)
        for involvement_id, key in pairs.values_list("involvement_id", "key"):
            block[involvement_id].append(key)
        for pk, organisation, expires_at, sealed in rows:
            yield pk, organisation, expires_at.timestamp(), bytes(sealed), block[pk]
        last = rows[-1][0]


def from_database(keys: encoding.Keys) -> CompactIndex:
    """The active registrations of the database, padding keys dropped, in pk order (so ties
    between candidates fall as in the database query)."""
    index = CompactIndex()
    for pk, organisation, expires, sealed, block in _rows():
        real = [k for k in block if not encoding.is_padding(keys, k)]
        index.add(real, sealed, pk=pk, organisation=organisation, expires=expires)
    index.freeze()
    return index
