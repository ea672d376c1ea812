"""The results as figures tables, drawn by monitoring's chart helpers (matplotlib SVG with a
text alternative; the table beside every chart): the mean level per element, and per element
the level of each condition. The comparison (last year, or a reference profile) is the second,
hatched series."""

from __future__ import annotations

from django.utils.translation import gettext as _

from schakel.monitoring.figures import Cell, Row, Table

from .results import Comparison, Results


def _cell(value: float | None, *, mean: bool = False) -> Cell:
    if value is None:
        return Cell("–", None)
    shown = f"{value:.1f}".replace(".", ",") if mean else str(int(value))
    return Cell(shown, value)


def element_table(results: Results, comparison: Comparison | None) -> Table:
    other = {c.code: c.other for c in comparison.elements} if comparison else {}
    return Table(
        key=f"assessment-{results.assessment.pk}-elements",
        title=_("Mean level per element"),
        unit=_("level 0–3"),
        rows=[
            Row(
                e.element.code,
                e.element.name,
                _cell(e.mean, mean=True),
                _cell(other.get(e.element.code), mean=True) if comparison else None,
            )
            for e in results.elements
        ],
        value_heading=_("Level"),
        label_heading=_("Element"),
        scale_max=3,
    )


def condition_tables(results: Results, comparison: Comparison | None) -> list[Table]:
    other = {c.code: c.other for c in comparison.conditions} if comparison else {}
    return [
        Table(
            key=f"assessment-{results.assessment.pk}-{e.element.code}",
            title=e.element.name,
            unit=_("level 0–3"),
            rows=[
                Row(
                    c.condition.code,
                    c.condition.name,
                    _cell(c.level),
                    _cell(other.get(c.condition.code)) if comparison else None,
                )
                for c in e.conditions
            ],
            value_heading=_("Level"),
            label_heading=_("Condition"),
            scale_max=3,
        )
        for e in results.elements
    ]
