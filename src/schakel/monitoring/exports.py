"""The annual report's tables as files: one CSV of every table, one workbook with a sheet per
section. A cell is exported as the reader sees it: a withheld count as its text ("< 5", "x"),
never as the number behind it (the figures reach this module already protected)."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Iterator, Sequence

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from schakel.core.export import spreadsheet_cell

from .figures import Cell, Row, Section, Table

NOT_ADDITIVE = gettext_lazy(
    "One item can count in more than one row, so the rows do not add up to the total."
)


def _rows(table: Table) -> Iterator[Row]:
    yield from table.rows
    if table.total is not None:
        yield table.total


def _header(current_label: str, previous_label: str) -> list[str]:
    return [_("Section"), _("Table"), _("Unit"), _("Row"), current_label, previous_label]


def report_csv(sections: Sequence[Section], *, current_label: str, previous_label: str) -> str:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";")  # what a Dutch spreadsheet opens in columns
    writer.writerow([spreadsheet_cell(v) for v in _header(current_label, previous_label)])
    for section in sections:
        for table in section.tables:
            for row in _rows(table):
                writer.writerow(
                    [
                        spreadsheet_cell(v)
                        for v in (
                            section.title,
                            table.title,
                            table.unit,
                            row.label,
                            row.cell.shown,
                            row.previous.shown if row.previous else "",
                        )
                    ]
                )
    # A byte-order mark so that Excel reads the file as UTF-8 ("coördinatie", "< 5").
    return "\ufeff" + out.getvalue()


def _value(cell: Cell | None) -> str | int | float:
    """A number where the reader sees that number, else the text shown."""
    if cell is None:
        return ""
    if cell.value is not None and not cell.suppressed and cell.shown == str(cell.value):
        return cell.value
    return cell.shown


_SHEET_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")


def _sheet_title(title: str, used: set[str]) -> str:
    base = _SHEET_FORBIDDEN.sub(" ", title).strip()[:28] or _("Figures")
    name, n = base, 2
    while name.casefold() in used:
        name, n = f"{base[:25]} ({n})", n + 1
    used.add(name.casefold())
    return name


def report_xlsx(
    sections: Sequence[Section], *, title: str, current_label: str, previous_label: str
) -> bytes:
    from openpyxl import Workbook  # type: ignore[import-untyped]
    from openpyxl.styles import Font  # type: ignore[import-untyped]

    workbook = Workbook()
    bold = Font(bold=True)
    used: set[str] = set()
    first = True
    for section in sections or [Section("empty", _("Figures"))]:
        sheet = workbook.active if first else workbook.create_sheet()
        first = False
        sheet.title = _sheet_title(str(section.title), used)
        _put(sheet, 1, [title], bold)
        _put(sheet, 2, [str(section.title)], bold)
        line = 4
        for table in section.tables:
            _put(sheet, line, [f"{table.title} ({table.unit})"], bold)
            _put(sheet, line + 1, [_("Row"), current_label, previous_label], bold)
            line += 2
            for row in _rows(table):
                _put(
                    sheet,
                    line,
                    [str(row.label), _value(row.cell), _value(row.previous)],
                    bold if row is table.total else None,
                )
                line += 1
            if not table.additive:
                _put(
                    sheet,
                    line,
                    [str(NOT_ADDITIVE)],
                )
                line += 1
            line += 1
        sheet.column_dimensions["A"].width = 48
        sheet.column_dimensions["B"].width = 16
        sheet.column_dimensions["C"].width = 16
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def _put(sheet: object, line: int, values: Sequence[object], font: object = None) -> None:
    for column, value in enumerate(values, start=1):
        cell = sheet.cell(row=line, column=column, value=value)  # type: ignore[attr-defined]
        if isinstance(value, str):
            cell.data_type = "s"  # never a formula, whatever the label starts with
        if font is not None:
            cell.font = font


# --- A plain table (one header, one line per record): the CoMensha export ----------------------


def table_csv(header: Sequence[object], rows: Iterable[Sequence[object]]) -> str:
    """One table as CSV for a Dutch spreadsheet: ';' between cells, a byte-order mark, and no
    cell that a spreadsheet would read as a formula."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";")
    writer.writerow([spreadsheet_cell(v) for v in header])
    for row in rows:
        writer.writerow([spreadsheet_cell(v) for v in row])
    return "\ufeff" + out.getvalue()


def table_xlsx(title: str, header: Sequence[object], rows: Iterable[Sequence[object]]) -> bytes:
    """One table as a workbook of one sheet: the header in bold, numbers as numbers, every
    text stored as text (never a formula)."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _sheet_title(title, set())
    _put(sheet, 1, [str(v) for v in header], Font(bold=True))
    for line, row in enumerate(rows, start=2):
        _put(sheet, line, [v if isinstance(v, int) else str(v) for v in row])
    sheet.freeze_panes = "A2"
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()
