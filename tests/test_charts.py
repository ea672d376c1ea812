"""The figures' charts: an inline SVG a screen reader can name, that never draws a withheld
count, the same for the same table, and quick enough for a dashboard of twenty."""

import re
import xml.etree.ElementTree as ET

from django.template.loader import render_to_string
from django.utils import translation

from schakel.monitoring import charts
from schakel.monitoring.charts import chart_img, chart_svg, chart_text
from schakel.monitoring.figures import Cell, ChartKind, Row, Table

SVG = "{http://www.w3.org/2000/svg}"


def shown(count):
    return Cell(str(count), count) if count == 0 or count >= 5 else Cell("< 5", None, True)


def entry_points(previous=True):
    return Table(
        key="entry_points",
        title="Signals by entry point",
        unit="signals",
        rows=[
            Row("municipality", "Municipality", shown(21), shown(18) if previous else None),
            Row("police", "Police", shown(12), shown(3) if previous else None),
            Row("care", "Care <partners> & $", shown(2), shown(7) if previous else None),
        ],
        total=Row("total", "Total", shown(35)),
    )


def months():
    values = [5, 8, 2, 9, 12, 0, 6, 7, 3, 10, 11, 9]
    return Table(
        key="per_month",
        title="Signals per month",
        unit="signals",
        rows=[Row(str(i), f"m{i}", shown(v), shown(v + 1)) for i, v in enumerate(values)],
        chart=ChartKind.MONTHS,
    )


def parse(svg):
    return ET.fromstring(str(svg))  # noqa: S314  # our own output


def test_chart_is_an_image_with_a_title_and_a_text_alternative():
    svg = chart_svg(entry_points(), current_label="2026", previous_label="2025")
    root = parse(svg)
    assert root.get("role") == "img"
    title, desc = root.find(f"{SVG}title"), root.find(f"{SVG}desc")
    assert title.text == "Signals by entry point"
    assert "2026: Municipality 21, Police 12, Care <partners> & $ < 5" in desc.text
    assert "2025: Municipality 18, Police < 5" in desc.text
    assert root.get("aria-labelledby") == f"{title.get('id')} {desc.get('id')}"


def test_chart_is_safe_to_inline():
    svg = str(chart_svg(entry_points(), current_label="2026", previous_label="2025"))
    assert svg.startswith("<svg")
    assert "<?xml" not in svg and "<!DOCTYPE" not in svg
    assert "<script" not in svg.lower() and "<style" not in svg
    ids = re.findall(r'\bid="([^"]+)"', svg)
    assert ids and all(i.startswith("chart-entry_points-") for i in ids)
    assert len(ids) == len(set(ids))
    # every reference points at an id of this chart
    for ref in re.findall(r"url\(#([^)]+)\)", svg):
        assert ref in ids


def test_chart_text_stays_text():
    svg = parse(chart_svg(entry_points(), current_label="2026", previous_label="2025"))
    texts = {"".join(t.itertext()) for t in svg.iter(f"{SVG}text")}
    assert {"Municipality", "Police", "21", "12", "2026", "2025"} <= texts


def test_suppressed_cell_draws_no_bar_but_its_text():
    alone = Table("alone", "One row", "signals", [Row("a", "Only", Cell("< 5", None, True))])
    svg = parse(chart_svg(alone, current_label="2026"))
    texts = ["".join(t.itertext()) for t in svg.iter(f"{SVG}text")]
    assert "< 5" in texts
    assert not [g for g in svg.iter(f"{SVG}g") if "bar-" in (g.get("id") or "")]
    # with a count, the bar is drawn
    drawn = Table("drawn", "One row", "signals", [Row("a", "Only", Cell("7", 7))])
    svg = parse(chart_svg(drawn, current_label="2026"))
    bars = [g.get("id") for g in svg.iter(f"{SVG}g") if "bar-" in (g.get("id") or "")]
    assert bars == ["chart-drawn-bar-current-0"]


def test_withheld_number_appears_nowhere_in_the_chart():
    table = Table("t", "Victims", "victims", [Row("a", "Sheltered", Cell("< 5", None, True))])
    svg = str(chart_svg(table, current_label="2026"))
    assert ">3<" not in svg and "< 5" in chart_text(table, current_label="2026")


def test_same_table_same_svg():
    first = chart_svg(months(), current_label="2026", previous_label="2025")
    assert first == chart_svg(months(), current_label="2026", previous_label="2025")


def test_months_chart_dashes_the_previous_period():
    svg = str(chart_svg(months(), current_label="2026", previous_label="2025"))
    assert "stroke-dasharray" in svg
    parse(svg)


def test_empty_table_draws_a_message():
    empty = Table("empty", "Nothing", "signals", [])
    assert "Nothing" in chart_text(empty, current_label="2026")
    parse(chart_svg(empty, current_label="2026"))


def test_a_kept_chart_is_the_one_its_cells_draw():
    charts._cache.clear()
    first = chart_svg(entry_points(), current_label="2026", previous_label="2025")
    assert chart_svg(entry_points(), current_label="2026", previous_label="2025") == first
    # another cell, another chart; another language, another text alternative
    changed = entry_points()
    changed.rows[0] = Row("municipality", "Municipality", shown(22), shown(18))
    assert chart_svg(changed, current_label="2026", previous_label="2025") != first
    with translation.override("en"):
        english = charts._cache_key(entry_points(), "2026", "2025")
    with translation.override("nl"):
        assert charts._cache_key(entry_points(), "2026", "2025") != english


def test_partials_render_chart_and_accessible_table():
    table = Table(
        "forms",
        "Signals by form",
        "signals",
        [Row("labour", "Labour", shown(9), shown(2)), Row("sexual", "Sexual", shown(6), None)],
        total=Row("total", "Total", shown(14), shown(8)),
        additive=False,
    )
    context = {"table": table, "current_label": "2026", "previous_label": "2025"}
    chart = render_to_string("monitoring/partials/chart.html", context)
    assert "<figure" in chart and 'role="img"' in chart and "<figcaption>" in chart
    with translation.override("nl"):
        html = render_to_string("monitoring/partials/table.html", context)
    assert "<caption>" in html and 'scope="col"' in html and 'scope="row"' in html
    assert "2025" in html and "&lt; 5" in html and "14" in html
    assert "meer dan één rij" in html  # the note that the rows do not add up


def test_chart_as_image_for_the_pdf_carries_the_svg_and_its_text_alternative():
    import base64
    import html

    table = entry_points()
    img = str(chart_img(table, current_label="2026", previous_label="2025"))
    src = re.search(r'src="data:image/svg\+xml;base64,([^"]+)"', img).group(1)
    assert base64.b64decode(src).decode() == str(
        chart_svg(table, current_label="2026", previous_label="2025")
    )
    alt = html.unescape(re.search(r'alt="([^"]*)"', img).group(1))
    assert alt == chart_text(table, current_label="2026", previous_label="2025")


def test_a_chart_needs_no_inline_style_the_content_security_policy_would_block():
    table = Table(
        key="k", title="T", unit="u", rows=[Row("a", "A", Cell("3", 3), Cell("< 5", None, True))]
    )
    svg = str(chart_svg(table, current_label="2026", previous_label="2025"))
    assert " style=" not in svg and "<style" not in svg
    assert 'fill="#1f4e79"' in svg or "fill=" in svg
