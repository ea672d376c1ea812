"""What the monitoring screens, the annual report and its exports show: tables of counts (each
drawn as a chart with the table beside it), already protected for the reader.

A `Table` never carries a raw count for a reader outside the municipality's own AF roles: the
disclosure rule (disclosure.py) turns counts into `Cell`s first, so a template or an export cannot
show what the rule withheld."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


class ChartKind(StrEnum):
    BARS = "bars"  # one bar per row
    MONTHS = "months"  # a line through the months of the period, the previous period beside it


class Trend(StrEnum):
    """Which way a figure moved against the previous period, and whether that is good news."""

    UP_GOOD = "up_good"  # more signals surfaced, more victims identified
    UP = "up"
    DOWN = "down"
    SAME = "same"
    UNKNOWN = "unknown"  # one of the two is not shown

    @property
    def label(self) -> str:
        return str(TREND_LABELS[self])


TREND_LABELS = {
    Trend.UP_GOOD: _("up: more came to light"),
    Trend.UP: _("up"),
    Trend.DOWN: _("down"),
    Trend.SAME: _("the same"),
    Trend.UNKNOWN: _("cannot be compared"),
}


@dataclass(frozen=True)
class Cell:
    """One figure as the reader sees it: `value` is the number a chart may draw (None when the
    disclosure rule withholds it), `shown` the text for the table ("12", "< 5", "x")."""

    shown: str
    value: int | float | None
    suppressed: bool = False


@dataclass(frozen=True)
class Row:
    key: str
    label: str | Promise
    cell: Cell
    previous: Cell | None = None
    trend: Trend = Trend.UNKNOWN


@dataclass(frozen=True)
class Table:
    """A breakdown of one population (signals, possible victims …) by one attribute."""

    key: str
    title: str | Promise
    unit: str | Promise  # what a count counts: "signals", "possible victims", "working days"
    rows: list[Row]
    total: Row | None = None
    # One item counts in exactly one row, so the rows add up to the total. False where an item
    # can count in several rows (a signal with two forms of exploitation, a victim both
    # sheltered and registered with CoMensha): the note under the table says so.
    additive: bool = True
    chart: ChartKind = ChartKind.BARS
    note: str | Promise = ""
    # For statistics (medians, percentiles) rather than counts: the column heading of the values.
    value_heading: str | Promise = ""
    # The table says per row which way the figure moved (the key figures).
    show_trend: bool = False
    # The column heading of the row labels, where "Category" says too little.
    label_heading: str | Promise = ""
    # The top of a fixed scale (the self-assessment's levels 0–3), else the axis fits the data.
    scale_max: float | None = None

    @property
    def has_previous(self) -> bool:
        return any(row.previous is not None for row in self.rows)


@dataclass(frozen=True)
class Section:
    key: str
    title: str | Promise
    tables: list[Table] = field(default_factory=list)
