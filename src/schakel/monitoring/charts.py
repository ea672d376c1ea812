"""Server-side charts of the figures' tables: SVG drawn with matplotlib, inlined into the page and
the PDF, with a text alternative and the table beside it (the table is the record; the chart
only helps the eye).

A suppressed cell (`cell.value is None`) draws no bar: its text ("< 5", "x") stands where the bar
would be, so a chart never shows a number the disclosure rule withheld."""

from __future__ import annotations

import base64
import math
import re
import textwrap
import threading
from collections import OrderedDict
from collections.abc import Sequence
from typing import Any

from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from .figures import Cell, ChartKind, Table

WIDTH_PX = 640
HEIGHT_PX = 260
ROW_PX = 26  # bar charts with many rows grow downwards instead of squeezing the bars
DPI = 72  # matplotlib's SVG unit is the point: at 72 dpi one inch of figure is 72 units

# Contrast against white: CURRENT 10.4:1, PREVIOUS 5.6:1, TEXT 12.6:1 (WCAG non-text needs 3:1).
CURRENT = "#1f4e79"
PREVIOUS = "#4d6a8f"
TEXT = "#222222"
GRID = "#d0d0d0"
HATCH = "////"  # the previous period is hatched (bars) or dashed (lines): not told by colour

RC: dict[Any, Any] = {
    "svg.fonttype": "none",  # text stays text: selectable, searchable, read by screen readers
    "svg.hashsalt": "schakel",  # clip-path ids from a fixed salt: the same table, the same SVG
    "font.family": "DejaVu Sans",
    "font.size": 10,
    "text.parse_math": False,  # a "$" in a label is a dollar sign, not mathtext
    "text.color": TEXT,
    "axes.edgecolor": GRID,
    "axes.labelcolor": TEXT,
    "xtick.color": TEXT,
    "ytick.color": TEXT,
    "hatch.linewidth": 1.0,
    "path.simplify": True,
}

_lock = threading.Lock()  # matplotlib's rcParams are process-global


def chart_text(table: Table, *, current_label: str, previous_label: str | None = None) -> str:
    """The chart as one sentence per period: "Signals by entry point, 2026: Municipality 21,
    Police < 5; 2025: Municipality 18, Police 7." The text alternative of the SVG."""
    if not table.rows:
        return f"{table.title}: {_('no figures for this period')}."
    parts = [_period_text(current_label, [(row.label, row.cell) for row in table.rows])]
    if previous_label and table.has_previous:
        parts.append(
            _period_text(
                previous_label,
                [(row.label, row.previous) for row in table.rows if row.previous is not None],
            )
        )
    text = f"{table.title} ({table.unit}), " + "; ".join(parts) + "."
    if table.total is not None:
        text += " " + _("Total: %(total)s.") % {"total": table.total.cell.shown}
    return text


def _period_text(label: str, cells: Sequence[tuple[Any, Cell]]) -> str:
    return f"{label}: " + ", ".join(f"{name} {cell.shown}" for name, cell in cells)


def chart_svg(table: Table, *, current_label: str, previous_label: str | None = None) -> SafeString:
    """The table as an inline SVG (role="img", a <title> and a <desc>, no script, ids prefixed
    with the table's key). The SVG is a pure function of what the reader sees of the table, so
    it is kept (per process, the last CACHE_SIZE charts): a dashboard shown again is not drawn
    again, and two readers who see the same cells get the same drawing."""
    key = _cache_key(table, current_label, previous_label)
    with _lock:
        cached = _cache.get(key)
        if cached is not None:
            _cache.move_to_end(key)
    if cached is None:
        cached = _draw(table, current_label=current_label, previous_label=previous_label)
        with _lock:
            _cache[key] = cached
            while len(_cache) > CACHE_SIZE:
                _cache.popitem(last=False)
    return mark_safe(cached)  # noqa: S308  # matplotlib escapes the labels; we add escaped text


CACHE_SIZE = 256
_cache: OrderedDict[tuple[object, ...], str] = OrderedDict()


def _cache_key(table: Table, current: str, previous: str | None) -> tuple[object, ...]:
    def cell(c: Cell | None) -> tuple[object, ...]:
        return () if c is None else (c.shown, c.value, c.suppressed)

    return (
        get_language(),  # the drawing holds translated words ("Total", "No figures …")
        table.key,
        str(table.title),
        str(table.unit),
        str(table.chart),
        table.scale_max,
        cell(table.total.cell) if table.total is not None else (),
        current,
        previous,
        tuple((str(row.label), cell(row.cell), cell(row.previous)) for row in table.rows),
    )


def _draw(table: Table, *, current_label: str, previous_label: str | None) -> str:
    from io import StringIO

    from matplotlib import rc_context
    from matplotlib.backends.backend_svg import FigureCanvasSVG
    from matplotlib.figure import Figure

    show_previous = previous_label is not None and table.has_previous
    height = HEIGHT_PX
    if table.chart is ChartKind.BARS:
        height = max(HEIGHT_PX, 60 + ROW_PX * len(table.rows) * (2 if show_previous else 1))
    with _lock, rc_context(RC):
        figure = Figure(figsize=(WIDTH_PX / DPI, height / DPI), dpi=DPI)
        FigureCanvasSVG(figure)
        axes = figure.add_subplot()
        if not table.rows:
            axes.set_axis_off()
            axes.text(0.5, 0.5, _("No figures for this period."), ha="center", va="center")
        elif table.chart is ChartKind.MONTHS:
            _months(axes, table, current_label, previous_label if show_previous else None)
        else:
            _bars(axes, table, current_label, previous_label if show_previous else None)
        _layout(figure, table, height)
        out = StringIO()
        figure.savefig(out, format="svg", metadata={"Date": None, "Creator": None})
    text = chart_text(table, current_label=current_label, previous_label=previous_label)
    return _inline(out.getvalue(), table, text)


def chart_img(table: Table, *, current_label: str, previous_label: str | None = None) -> SafeString:
    """The chart as an <img> of a data: URL, for the PDF: WeasyPrint draws an SVG image with its
    SVG renderer (text kept as text) without running the page's CSS over every SVG attribute
    (which, inlined, costs seconds and a warning per attribute). The alt text is the text
    alternative."""
    svg = str(chart_svg(table, current_label=current_label, previous_label=previous_label))
    size = re.search(r'width="([\d.]+)" height="([\d.]+)"', svg[: svg.index(">")])
    width, height = size.groups() if size else (str(WIDTH_PX), str(HEIGHT_PX))
    data = base64.b64encode(svg.encode()).decode("ascii")
    text = chart_text(table, current_label=current_label, previous_label=previous_label)
    return format_html(
        '<img class="chart" src="data:image/svg+xml;base64,{}" width="{}" height="{}" alt="{}">',
        data,
        width,
        height,
        text,
    )


LABEL_CHARS = 36  # a longer row label is wrapped (two lines fit a bar's row), not cut off


def _label(value: Any) -> str:
    return textwrap.fill(str(value), LABEL_CHARS, max_lines=2, placeholder=" …")


def _bars(axes: Any, table: Table, current: str, previous: str | None) -> None:
    from matplotlib.ticker import MaxNLocator

    rows = table.rows
    count = len(rows)
    # The first row on top: matplotlib counts y upwards.
    positions = [count - 1 - index for index in range(count)]
    height = 0.38 if previous else 0.7
    offset = height / 2 if previous else 0.0
    current_cells = [row.cell for row in rows]
    peak = _peak([row.cell for row in rows] + [row.previous for row in rows if row.previous])
    _draw_bars(axes, [p + offset for p in positions], current_cells, height, peak, current=True)
    if previous:
        previous_cells = [row.previous or Cell("", None) for row in rows]
        _draw_bars(
            axes, [p - offset for p in positions], previous_cells, height, peak, current=False
        )
    # Row labels as plain texts, not ticks: a tick is a dozen artists, and this is the hot path.
    axes.set_yticks([])
    labels = axes.get_yaxis_transform()
    for position, row in zip(positions, rows, strict=True):
        axes.text(-0.01, position, _label(row.label), transform=labels, ha="right", va="center")
    axes.set_ylim(-0.6, count - 0.4)
    axes.set_xlim(0, (table.scale_max or peak) * 1.15)
    axes.xaxis.set_major_locator(MaxNLocator(nbins=5, integer=True))
    axes.grid(axis="x", color=GRID, linewidth=0.6)
    axes.set_axisbelow(True)
    for side in ("top", "right"):
        axes.spines[side].set_visible(False)
    if previous:
        _legend(axes, current, previous, bars=True)


def _draw_bars(
    axes: Any, ys: list[float], cells: list[Cell], height: float, peak: float, *, current: bool
) -> None:
    style: dict[str, Any] = (
        {"color": CURRENT}
        if current
        else {"facecolor": "white", "edgecolor": PREVIOUS, "hatch": HATCH, "linewidth": 1.0}
    )
    drawn = [(y, cell) for y, cell in zip(ys, cells, strict=True) if cell.value is not None]
    if drawn:
        bars = axes.barh(
            [y for y, _ in drawn], [float(cell.value or 0) for _, cell in drawn], height, **style
        )
        for index, bar in enumerate(bars):  # named, so a test can count what was drawn
            bar.set_gid(f"bar-{'current' if current else 'previous'}-{index}")
    for y, cell in zip(ys, cells, strict=True):
        if not cell.shown:
            continue
        x = float(cell.value) if cell.value is not None else 0.0
        axes.text(
            x + peak * 0.01,
            y,
            cell.shown,
            va="center",
            ha="left",
            fontsize=9,
            fontstyle="normal" if cell.value is not None else "italic",
        )


def _months(axes: Any, table: Table, current: str, previous: str | None) -> None:
    from matplotlib.ticker import MaxNLocator

    rows = table.rows
    xs = list(range(len(rows)))
    peak = _peak([row.cell for row in rows] + [row.previous for row in rows if row.previous])
    if previous:
        _line(axes, xs, [row.previous for row in rows], peak, current=False)
    _line(axes, xs, [row.cell for row in rows], peak, current=True)
    labels = [_label(row.label) for row in rows]
    axes.set_xticks(xs, labels=labels)
    if _crowded(labels):  # "Jan 2026" … "Dec 2026" side by side would overlap
        axes.tick_params(axis="x", labelrotation=35, labelsize=8)
        for label in axes.get_xticklabels():
            label.set_horizontalalignment("right")
    axes.set_xlim(-0.5, len(rows) - 0.5)
    axes.set_ylim(0, peak * 1.2)
    axes.yaxis.set_major_locator(MaxNLocator(nbins=5, integer=True))
    axes.grid(axis="y", color=GRID, linewidth=0.6)
    axes.set_axisbelow(True)
    for side in ("top", "right"):
        axes.spines[side].set_visible(False)
    if previous:
        _legend(axes, current, previous, bars=False)


def _line(
    axes: Any, xs: list[int], cells: list[Cell | None], peak: float, *, current: bool
) -> None:
    # A withheld month breaks the line (NaN), it is not drawn as zero.
    ys = [math.nan if c is None or c.value is None else float(c.value) for c in cells]
    axes.plot(
        xs,
        ys,
        color=CURRENT if current else PREVIOUS,
        linestyle="-" if current else (0, (5, 3)),
        linewidth=2.2 if current else 1.6,
        marker="o" if current else "s",
        markersize=5 if current else 4,
        markerfacecolor=CURRENT if current else "white",
    )
    for x, cell in zip(xs, cells, strict=True):
        if cell is not None and cell.value is None and cell.shown:
            axes.text(
                x,
                peak * (0.03 if current else 0.12),
                cell.shown,
                ha="center",
                va="bottom",
                fontsize=8,
                fontstyle="italic",
                color=CURRENT if current else PREVIOUS,
            )


def _legend(axes: Any, current: str, previous: str, *, bars: bool) -> None:
    from matplotlib.lines import Line2D
    from matplotlib.patches import Patch

    handles: list[Any]
    if bars:
        handles = [
            Patch(color=CURRENT, label=current),
            Patch(facecolor="white", edgecolor=PREVIOUS, hatch=HATCH, label=previous),
        ]
    else:
        handles = [
            Line2D([], [], color=CURRENT, marker="o", linewidth=2.2, label=current),
            Line2D(
                [],
                [],
                color=PREVIOUS,
                marker="s",
                markerfacecolor="white",
                linestyle=(0, (5, 3)),
                linewidth=1.6,
                label=previous,
            ),
        ]
    axes.legend(
        handles=handles,
        loc="lower right",
        frameon=False,
        fontsize=9,
        bbox_to_anchor=(1.0, 1.0),
        ncols=2,
        borderaxespad=0.2,
    )


def _crowded(labels: Sequence[str]) -> bool:
    """Whether the month labels need more room than the axis gives them side by side."""
    return sum(len(label) + 2 for label in labels) * 6.2 > WIDTH_PX * 0.85


def _peak(cells: Sequence[Cell | None]) -> float:
    values = [float(c.value) for c in cells if c is not None and c.value is not None]
    return max([*values, 1.0])


def _layout(figure: Any, table: Table, height: int) -> None:
    """Fixed margins (tight_layout measures every text and costs more than the drawing): room on
    the left for row labels of bar charts, above for the legend, below for month labels."""
    labels = [_label(row.label) for row in table.rows]
    longest = max((len(line) for label in labels for line in label.split("\n")), default=0)
    months = table.chart is ChartKind.MONTHS
    left = 0.06 if months else min(0.45, 0.03 + longest * 6.2 / WIDTH_PX)
    bottom = 24
    if months:
        bottom = 34 + (longest * 4 if _crowded(labels) else 0)
    figure.subplots_adjust(left=left, right=0.97, top=1 - 34 / height, bottom=bottom / height)


_ID = re.compile(r'\bid="([^"]+)"')
_REF = re.compile(r'(url\(#|href="#)([^")]+)')


_STYLE = re.compile(r'\sstyle="([^"]*)"')


def _presentation(match: re.Match[str]) -> str:
    pairs = (part.split(":", 1) for part in match.group(1).split(";") if ":" in part)
    return "".join(f' {name.strip()}="{value.strip()}"' for name, value in pairs)


def _inline(svg: str, table: Table, text: str) -> str:
    """Matplotlib's file made fit to sit inside HTML: no prolog, doctype, metadata or global
    <style>; ids prefixed with the table's key; role, title and description on the root."""
    svg = svg[svg.index("<svg") :]
    svg = re.sub(r"<metadata>.*?</metadata>\s*", "", svg, flags=re.S)
    svg = re.sub(r"<style[^>]*>.*?</style>\s*", "", svg, flags=re.S)
    svg = re.sub(r"<script.*?</script>", "", svg, flags=re.S | re.I)
    # The site's CSP allows no inline style: each style attribute becomes the SVG presentation
    # attributes it sets (matplotlib writes only properties that exist as such).
    svg = _STYLE.sub(_presentation, svg)
    prefix = "chart-" + re.sub(r"[^A-Za-z0-9_-]", "-", table.key) + "-"
    svg = _ID.sub(lambda m: f'id="{prefix}{m.group(1)}"', svg)
    svg = _REF.sub(lambda m: f"{m.group(1)}{prefix}{m.group(2)}", svg)
    root_end = svg.index(">")
    root = svg[:root_end]
    # Pixel sizes (matplotlib writes points, the same numbers at 72 dpi); CSS may scale down.
    root = re.sub(r'\swidth="([\d.]+)pt"', r' width="\1"', root, count=1)
    root = re.sub(r'\sheight="([\d.]+)pt"', r' height="\1"', root, count=1)
    head = (
        f'{root} role="img" class="chart" aria-labelledby="{prefix}title {prefix}desc"'
        ' focusable="false">'
        f'<title id="{prefix}title">{escape(str(table.title))}</title>'
        f'<desc id="{prefix}desc">{escape(text)}</desc>'
    )
    return head + svg[root_end + 1 :].strip()
