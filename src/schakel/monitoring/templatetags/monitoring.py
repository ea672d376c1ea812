"""`{% chart table %}`: a figures table drawn as an inline SVG (charts.chart_svg)."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.safestring import SafeString

from ..charts import chart_img, chart_svg
from ..figures import Row, Table
from ..periods import Period

register = template.Library()


@register.simple_tag(takes_context=True)
def chart(
    context: template.Context,
    table: Table,
    current_label: str | None = None,
    previous_label: str | None = None,
) -> SafeString:
    """The periods' names come from the arguments, else from `current_label`/`previous_label`
    in the context, else from a `period` (Period) in the context and the year before it. With
    `chart_as_image` in the context (the PDF) an <img> of the SVG instead of the SVG inline."""
    current, previous = period_labels(context, current_label, previous_label)
    if context.get("chart_as_image"):  # the PDF (see charts.chart_img)
        return chart_img(table, current_label=current, previous_label=previous)
    return chart_svg(table, current_label=current, previous_label=previous)


@register.simple_tag(takes_context=True)
def period_label(context: template.Context, which: str = "current") -> str:
    current, previous = period_labels(context)
    return (current if which == "current" else previous) or ""


def period_labels(
    context: template.Context, current: str | None = None, previous: str | None = None
) -> tuple[str, str | None]:
    current = current or context.get("current_label")
    previous = previous or context.get("previous_label")
    period: Any = context.get("period")
    if isinstance(period, Period):
        current = current or period.label
        previous = previous or period.previous().label
    return str(current or ""), (str(previous) if previous else None)


@register.filter
def with_total(table: Table) -> list[Row]:
    """The table's rows followed by its total row (if any)."""
    return [*table.rows, *([table.total] if table.total is not None else [])]
