"""Disclosure control: what a reader outside the municipality's own AF roles may see of a count.

The rule (docs/privacy.md, "Figures outside the AF roles"):
1. Primary suppression: a count from 1 up to the threshold (default 5, set per municipality) is
   shown as "< 5". Zero is shown: it says nothing about a person.
2. Secondary suppression: a table whose rows add up to a published total (one item in one row)
   is a line equation. While any hidden cell of the line (or its total) can be worked out from
   the equation and what the reader knows of each cell (a "< 5" is 1 to 4, an "x" is at least
   5, a number is itself), the smallest published cell of at least the threshold is hidden too,
   as "x". When no such cell is left, the whole table is withheld (every row "x", zeros too).
3. Region figures are sums of municipality figures that other readers see (each municipality's
   board and public annual report). A region cell is published only when every municipality
   publishes its own cell of that row, so it is a sum of published numbers and adds nothing a
   reader could subtract; otherwise it reads "x". The region therefore needs no threshold of
   its own, and no rule 2: what it shows follows from what its municipalities show.

The check of rule 2 is exact for one line: with box bounds on every term and the sum known (or
bounded), each term's range is an interval (`_ranges`), and a cell is safe when its interval
holds more than one value. tests/test_disclosure.py attacks the tables by enumeration."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from django.utils.translation import gettext as _

from .figures import Cell

UNBOUNDED = 10**9  # "at least the threshold, no upper bound" in the interval arithmetic

SECONDARY = "x"


@dataclass(frozen=True)
class Disclosure:
    """How figures are shown to one reader: `protect` is False for the municipality's own AF
    roles, who see every count as it is."""

    protect: bool
    threshold: int = 5

    def small(self) -> str:
        return _("< %(threshold)s") % {"threshold": self.threshold}

    def cell(self, count: int) -> Cell:
        """A count on its own (no line it adds up in)."""
        if self.protect and 0 < count < self.threshold:
            return Cell(self.small(), None, suppressed=True)
        return Cell(str(count), count)

    def statistic(self, value: float | None, items: int, text: str) -> Cell:
        """A median or percentile over `items` items: withheld when fewer than the threshold
        (the median of two signals says too much about each) or when there are none."""
        if value is None or items == 0:
            return Cell("–", None, suppressed=False)
        if self.protect and items < self.threshold:
            return Cell(SECONDARY, None, suppressed=True)
        return Cell(text, value)

    def line(
        self, counts: Mapping[str, int], total: int, *, additive: bool
    ) -> tuple[dict[str, Cell], Cell]:
        """The cells of a table's rows and of its total. With `additive` the rows add up to the
        total, which the reader also sees in the headline figures."""
        hidden = self._hidden(counts, total, additive=additive)
        return self._cells(counts, total, hidden)

    def _hidden(
        self,
        counts: Mapping[str, int],
        total: int,
        *,
        additive: bool,
        also: frozenset[str] = frozenset(),
    ) -> dict[str, str] | None:
        """Which keys ("total" included) are hidden, and how ("small" or "x"); None when the
        whole table must be withheld."""
        if not self.protect:
            return {}
        t = self.threshold
        hidden: dict[str, str] = {
            key: "small" for key, count in {**counts, TOTAL: total}.items() if 0 < count < t
        }
        for key in also:
            hidden.setdefault(key, SECONDARY)
        if not additive:
            return hidden
        while _pinned(self._bounds(counts, total, hidden)):
            candidates = sorted(
                (count, key) for key, count in counts.items() if key not in hidden and count >= t
            )
            if not candidates:
                return None
            hidden[candidates[0][1]] = SECONDARY
        return hidden

    def _bounds(
        self, counts: Mapping[str, int], total: int, hidden: Mapping[str, str]
    ) -> tuple[list[tuple[int, int]], tuple[int, int], list[bool]]:
        return (
            [self._bound(count, hidden.get(key)) for key, count in counts.items()],
            self._bound(total, hidden.get(TOTAL)),
            [key in hidden for key in counts] + [TOTAL in hidden],
        )

    def _bound(self, count: int, how: str | None) -> tuple[int, int]:
        """What the reader knows of a cell from how it is shown."""
        if how is None:
            return (count, count)
        if how == "small":
            return (1, self.threshold - 1)
        return (self.threshold, UNBOUNDED)

    def _cells(
        self, counts: Mapping[str, int], total: int, hidden: Mapping[str, str] | None
    ) -> tuple[dict[str, Cell], Cell]:
        if hidden is None:
            withheld = Cell(SECONDARY, None, suppressed=True)
            return {key: withheld for key in counts}, self.cell(total)
        return (
            {key: self._shown(count, hidden.get(key)) for key, count in counts.items()},
            self._shown(total, hidden.get(TOTAL)),
        )

    def _shown(self, count: int, how: str | None) -> Cell:
        if how is None:
            return Cell(str(count), count)
        if how == "small":
            return Cell(self.small(), None, suppressed=True)
        return Cell(SECONDARY, None, suppressed=True)

    def region_line(
        self,
        per_municipality: Mapping[int, Mapping[str, int]],
        thresholds: Mapping[int, int],
        *,
        additive: bool,
    ) -> tuple[dict[str, Cell], Cell]:
        """The region's table as the sum of its municipalities' (each a mapping with the same
        keys plus "total"). Protected, a region cell is published only when every
        municipality publishes its own cell of that row (rule 3): then it is the sum of
        published numbers and tells nobody anything new; otherwise it reads "x"."""
        keys = _keys(per_municipality)
        region = {key: sum(m.get(key, 0) for m in per_municipality.values()) for key in keys}
        region_total = sum(m.get(TOTAL, 0) for m in per_municipality.values())
        if not self.protect:
            return self._cells(region, region_total, {})
        hidden: dict[str, str] = {}
        for municipality, counts in per_municipality.items():
            own = Disclosure(True, thresholds.get(municipality, self.threshold))
            row = {key: counts.get(key, 0) for key in keys}
            theirs = own._hidden(row, counts.get(TOTAL, 0), additive=additive)
            for key in [*keys, TOTAL] if theirs is None else theirs:
                hidden[key] = SECONDARY
        return self._cells(region, region_total, hidden)


TOTAL = "total"


def _keys(per_municipality: Mapping[int, Mapping[str, int]]) -> list[str]:
    seen: dict[str, None] = {}
    for counts in per_municipality.values():
        for key in counts:
            if key != TOTAL:
                seen.setdefault(key, None)
    return list(seen)


def _ranges(terms: Sequence[tuple[int, int]], total: tuple[int, int]) -> list[tuple[int, int]]:
    """Each term's feasible range given every term's bounds and that they sum to a value within
    `total`; the last entry is the range of the sum itself."""
    low = sum(lo for lo, _ in terms)
    high = sum(hi for _, hi in terms)
    ranges = [(max(lo, total[0] - (high - hi)), min(hi, total[1] - (low - lo))) for lo, hi in terms]
    ranges.append((max(total[0], low), min(total[1], high)))
    return ranges


def _pinned(bounds: tuple[list[tuple[int, int]], tuple[int, int], list[bool]]) -> bool:
    terms, total, hidden = bounds
    return any(
        is_hidden and lo == hi
        for (lo, hi), is_hidden in zip(_ranges(terms, total), hidden, strict=True)
    )
