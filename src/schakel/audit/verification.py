"""Checking the audit log (`manage.py verify_audit_log`): every finding, not only the first.

1. Retention cuts: each signed, together covering #1 up to where the sealed entries begin.
2. The sealed part, in number order: numbers without gaps from the last cut on, each link
   pointing at the previous one, each link hash fitting its number, row and entry hash, each
   entry's content fitting its own hash and its index rows (persons, object numbers) fitting
   its lists; and each checkpoint in the database signed, following the previous one, and equal
   to the chain at its number.
3. The open tail (not sealed yet): each entry's content and index rows, and none that the
   sealer has already passed (kept out of the chain by changing its txid or the horizon).
4. The checkpoints outside the database: each signed, each equal to the one in the database,
   none beyond the end of the chain; and the last checkpoint of every day found among them (the
   newest one may still be on its way: the sealer writes it just after committing, so its
   absence is a note, not a finding).

It runs in one transaction holding the sealer's lock: no sealing or retention run commits while
it reads, so the chain, the checkpoints and the files it compares stay as they were (appending
goes on; on SQLite, whose write lock this is, appends wait until it is done).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, date

from django.db import connection, transaction

from .anchors import Anchor, anchor_directory, anchors_read
from .chain import EVENT_FIELDS, checkpoint_mac, cut_mac, event_mac, link_hash, matches
from .models import AuditCheckpoint, AuditEvent, AuditRetentionCut, AuditSeal
from .sealing import sealer_lock

CHUNK = 2000


@dataclass(frozen=True)
class Finding:
    where: str
    reason: str

    def __str__(self) -> str:
        return f"{self.where}: {self.reason}"


@dataclass
class VerifyReport:
    sealed: int = 0
    first: int | None = None  # the first sealed number present
    last: int = 0  # the last number given (sealed, or removed by retention)
    removed_up_to: int = 0  # the last number removed by retention
    open: int = 0
    checkpoints: int = 0
    anchors: int = 0
    newest_anchor: Anchor | None = None
    findings: list[Finding] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def intact(self) -> bool:
        return not self.findings

    def add(self, where: str, reason: str) -> None:
        self.findings.append(Finding(where, reason))


def _check_entry(report: VerifyReport, event: AuditEvent, where: str) -> None:
    values = {name: getattr(event, name) for name in EVENT_FIELDS}
    if not matches(event_mac(values), event.entry_mac):
        report.add(where, "content changed")
    persons = {row.subject_key for row in event.subject_rows.all()}
    if persons != set(event.subjects):
        report.add(where, "the index of persons concerned does not match the entry")
    objects = {row.object_id for row in event.object_rows.all()}
    if objects != set(event.object_ids):
        report.add(where, "the index of object numbers does not match the entry")


def _check_cuts(report: VerifyReport) -> dict[int, str]:
    """Walk the retention cuts; the hash at the end of each cut, by its last number."""
    ends: dict[int, str] = {}
    expected = 1
    for cut in AuditRetentionCut.objects.order_by("first"):
        where = f"retention cut #{cut.first}–#{cut.last}"
        signature = cut_mac(
            first=cut.first, last=cut.last, last_hash=cut.last_hash, removed_at=cut.removed_at
        )
        if not matches(signature, cut.mac):
            report.add(where, "signature does not match: not recorded by retention")
        if cut.first != expected:
            report.add(where, f"does not follow on #{expected - 1}")
        ends[cut.last] = cut.last_hash
        expected = cut.last + 1
        report.removed_up_to = report.last = cut.last
    return ends


class _Checkpoints:
    """The checkpoints in the database, walked alongside the chain in number order."""

    def __init__(self, report: VerifyReport, cut_ends: dict[int, str]) -> None:
        self.report = report
        self.cut_ends = cut_ends
        self.rows: Iterator[AuditCheckpoint] = AuditCheckpoint.objects.order_by(
            "sequence"
        ).iterator(chunk_size=CHUNK)
        self.previous = 0
        self.day_ends: dict[date, Anchor] = {}  # the last checkpoint of each day (UTC)
        self.pending = self._next()

    def _next(self) -> AuditCheckpoint | None:
        checkpoint = next(self.rows, None)
        if checkpoint is None:
            return None
        self.report.checkpoints += 1
        where = f"checkpoint #{checkpoint.sequence}"
        signature = checkpoint_mac(
            sequence=checkpoint.sequence,
            chain_hash=checkpoint.chain_hash,
            count=checkpoint.count,
            created_at=checkpoint.created_at,
        )
        if not matches(signature, checkpoint.mac):
            self.report.add(where, "signature does not match: not written by the sealer")
        if checkpoint.sequence - checkpoint.count != self.previous:
            self.report.add(
                where, f"does not follow on checkpoint #{self.previous}: a checkpoint is missing"
            )
        self.previous = checkpoint.sequence
        self.day_ends[checkpoint.created_at.astimezone(UTC).date()] = Anchor.of(checkpoint)
        return checkpoint

    def before(self, sequence: int) -> None:
        """Checkpoints at numbers below `sequence` that the chain did not reach: removed by
        retention (checked where the cut ends), or missing."""
        while self.pending is not None and self.pending.sequence < sequence:
            number = self.pending.sequence
            if number in self.cut_ends:
                if self.cut_ends[number] != self.pending.chain_hash:
                    self.report.add(f"checkpoint #{number}", "differs from the retention cut")
            elif number > self.report.removed_up_to:
                self.report.add(f"checkpoint #{number}", "its entry is missing")
            self.pending = self._next()

    def at(self, seal: AuditSeal) -> None:
        self.before(seal.sequence)
        if self.pending is not None and self.pending.sequence == seal.sequence:
            if self.pending.chain_hash != seal.chain_hash:
                self.report.add(f"checkpoint #{seal.sequence}", "differs from the chain")
            self.pending = self._next()

    def after_the_end(self) -> None:
        self.before(self.report.last + 1)
        while self.pending is not None:
            self.report.add(
                f"checkpoint #{self.pending.sequence}",
                f"the chain ends at #{self.report.last}: the newest entries were removed",
            )
            self.pending = self._next()


def _check_sealed(report: VerifyReport, cut_ends: dict[int, str]) -> list[Anchor]:
    expected = report.removed_up_to + 1
    previous = cut_ends.get(report.removed_up_to, "")
    checkpoints = _Checkpoints(report, cut_ends)
    seals = (
        AuditSeal.objects.select_related("event")
        .prefetch_related("event__subject_rows", "event__object_rows")
        .order_by("sequence")
        .iterator(chunk_size=CHUNK)
    )
    for seal in seals:
        where = f"entry #{seal.sequence}"
        report.first = seal.sequence if report.first is None else report.first
        if seal.sequence < expected:
            report.add(where, "numbered inside a retention cut")
        elif seal.sequence > expected:
            missing = f"#{expected}" + (
                f"–#{seal.sequence - 1}" if seal.sequence > expected + 1 else ""
            )
            report.add(f"entry {missing}", "missing")
        elif seal.previous_hash != previous:
            report.add(where, "link to the previous entry broken")
        expected_link = link_hash(
            sequence=seal.sequence,
            event_id=seal.event_id,
            entry_mac=seal.event.entry_mac,
            previous_hash=seal.previous_hash,
        )
        if not matches(expected_link, seal.chain_hash):
            report.add(where, "link hash does not match: renumbered, reordered or moved")
        _check_entry(report, seal.event, where)
        checkpoints.at(seal)
        previous, expected = seal.chain_hash, seal.sequence + 1
        report.sealed += 1
        report.last = seal.sequence
    checkpoints.after_the_end()
    return [checkpoints.day_ends[day] for day in sorted(checkpoints.day_ends)]


def _left_behind(event: AuditEvent, horizon: int) -> bool:
    """Whether the sealer has passed the entry without sealing it: it never does, so its txid
    (or, on SQLite, its id) was changed, or the sealer's horizon, to keep it out of the chain."""
    if connection.vendor == "postgresql":
        return event.txid is None or event.txid < horizon
    return event.pk <= horizon


def _check_open(report: VerifyReport, horizon: int) -> None:
    events = (
        AuditEvent.objects.filter(seal__isnull=True)
        .prefetch_related("subject_rows", "object_rows")
        .order_by("id")
        .iterator(chunk_size=CHUNK)
    )
    for event in events:
        where = f"entry id {event.pk} (not sealed yet)"
        _check_entry(report, event, where)
        if _left_behind(event, horizon):
            report.add(where, "passed over by the sealer: kept out of the chain")
        report.open += 1


def _check_anchors(
    report: VerifyReport, anchors: list[Anchor], unreadable: list[str], day_ends: list[Anchor]
) -> None:
    for name in unreadable:
        report.add(f"checkpoint file {name}", "unreadable")
    for anchor in anchors:
        where = f"checkpoint #{anchor.sequence} outside the database ({anchor.source})"
        if not anchor.is_signed():
            report.add(where, "signature does not match: not written with the audit key")
            continue
        report.anchors += 1
        report.newest_anchor = anchor
        checkpoint = AuditCheckpoint.objects.filter(sequence=anchor.sequence).first()
        if anchor.sequence > report.last:
            report.add(
                where,
                f"the log ends at #{report.last}: entries were removed, the tables emptied or "
                "the database rolled back",
            )
        elif checkpoint is None:
            report.add(where, "missing from the database")
        elif not anchor.same_as(checkpoint):
            report.add(where, "differs from the checkpoint in the database")
    outside = {anchor.sequence: anchor for anchor in anchors}
    for number, day_end in enumerate(day_ends, start=1):
        if outside.get(day_end.sequence) == day_end:
            continue
        if number < len(day_ends):
            report.add(
                f"checkpoint #{day_end.sequence}",
                f"the last of {day_end.created_at.astimezone(UTC).date()}, not found outside "
                f"the database ({anchor_directory()})",
            )
        else:
            report.notes.append(
                f"The newest checkpoint #{day_end.sequence} is not outside the database yet "
                f"({anchor_directory()}); seal_audit_log writes it."
            )


def audit_log_verify() -> VerifyReport:
    report = VerifyReport()
    with transaction.atomic():
        sealer = sealer_lock()
        anchors, unreadable = anchors_read()
        cut_ends = _check_cuts(report)
        day_ends = _check_sealed(report, cut_ends)
        _check_open(report, sealer.horizon)
        _check_anchors(report, anchors, unreadable, day_ends)
    return report
