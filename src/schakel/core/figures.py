"""The shape in which the owning apps hand counts to monitoring: one GROUP BY per breakdown,
covering the period and the one it is compared with, per municipality.

An aggregate selector filters on `Window.q(field)`, tags each row with `Window.tag(field)` and
returns a `Tally`: (period tag, municipality id, key, count) per group. Counts only: no row of
case data leaves the database, so nothing is decrypted or audited for a figure."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db.models import Case, CharField, Q, Value, When

CURRENT = "current"
PREVIOUS = "previous"

Tally = list[tuple[str, int, str, int]]


@dataclass(frozen=True)
class Window:
    """The municipalities and the two periods ([start, end) as aware datetimes) of a figure."""

    municipality_ids: tuple[int, ...]
    current: tuple[datetime, datetime]
    previous: tuple[datetime, datetime]

    def q(self, field: str) -> Q:
        """`field` (a timestamp) falls in either period."""
        return self._in(field, self.current) | self._in(field, self.previous)

    def tag(self, field: str) -> Case:
        """Which of the two periods `field` falls in (use with `q`)."""
        return Case(
            When(self._in(field, self.current), then=Value(CURRENT)),
            default=Value(PREVIOUS),
            output_field=CharField(),
        )

    @staticmethod
    def _in(field: str, bounds: tuple[datetime, datetime]) -> Q:
        return Q(**{f"{field}__gte": bounds[0], f"{field}__lt": bounds[1]})


def tally(rows: Iterable[Mapping[str, Any]], key: str = "key") -> Tally:
    """The rows of `.values("period", "municipality_id", key).annotate(n=...)` as a Tally."""
    return [
        (
            str(r["period"]),
            int(r["municipality_id"]),
            "" if r[key] is None else str(r[key]),
            int(r["n"]),
        )
        for r in rows
    ]


def regroup(counts: Tally, group: Callable[[str], str]) -> Tally:
    """The tally with its keys mapped to coarser ones (a country to its nationality group),
    counts of keys that fall together summed. Over groups, never rows."""
    summed: dict[tuple[str, int, str], int] = {}
    for period, municipality, key, n in counts:
        target = (period, municipality, group(key))
        summed[target] = summed.get(target, 0) + n
    return [(p, m, k, n) for (p, m, k), n in summed.items()]
