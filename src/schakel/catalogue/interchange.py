"""Reading and writing the indicator catalogue as YAML or CSV.

Pure functions with no database access: `parse_rows` turns a file into validated rows (or raises
one ValidationError listing every problem, naming the row and the field), `dump_rows` turns rows
into a file. The import service and the export selector are built on these, so a file exported
here is always accepted by the import.

Fields of a row (YAML keys, CSV columns): code, text_nl, text_en, category, kind, subject,
strength, ilo_grade, ilo_indicator, forms, sources, source_note, counts_as, is_active, position.
`counts_as` is the code of the broader indicator that records the same fact (counted once with
it), or empty; it must name another indicator of the file or of the catalogue. In CSV,
`forms` and `sources` are separated by semicolons. `forms: all` means the four exploitation forms;
`strength` may be left empty when `ilo_grade` is set (it is then derived from the grade).
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass
from typing import Any

import yaml
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from .choices import (
    INDICATOR_FORM_CODES,
    IloGrade,
    IndicatorCategory,
    IndicatorKind,
    IndicatorStrength,
    IndicatorSubject,
    strength_for_ilo_grade,
)

FORMATS = ("yaml", "csv")
FORMAT_VERSION = 1
TEXT_MAX_LENGTH = 500
CODE_PATTERN = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
CODE_MAX_LENGTH = 80
ALL_FORMS = "all"
LIST_SEPARATOR = ";"


@dataclass(frozen=True)
class IndicatorRow:
    code: str
    text_nl: str
    text_en: str
    category: str
    kind: str
    subject: str
    strength: str
    ilo_grade: str
    ilo_indicator: str
    forms: tuple[str, ...]
    sources: tuple[str, ...]
    source_note: str
    counts_as: str
    is_active: bool
    position: int


FIELDS: tuple[str, ...] = tuple(IndicatorRow.__dataclass_fields__)
REQUIRED_CSV_COLUMNS = ("code", "text_nl", "text_en", "category", "forms")


def check_format(fmt: str) -> str:
    if fmt not in FORMATS:
        raise ValidationError(_("Unknown format '%(format)s'; use yaml or csv.") % {"format": fmt})
    return fmt


# --- reading -------------------------------------------------------------------------------


def parse_rows(content: str, *, fmt: str) -> list[IndicatorRow]:
    """Validated rows from a YAML or CSV text; raises ValidationError naming every bad field."""
    check_format(fmt)
    labelled = _yaml_records(content) if fmt == "yaml" else _csv_records(content)
    if not labelled:
        raise ValidationError(_("The file holds no indicators."))
    errors: list[str] = []
    rows: list[IndicatorRow] = []
    seen: set[str] = set()
    for index, (label, record) in enumerate(labelled):
        row = _validate(record, label=label, default_position=(index + 1) * 10, errors=errors)
        if row is None:
            continue
        if row.code in seen:
            errors.append(
                _row_error(label, row.code, "code", _("this code appears more than once"))
            )
        seen.add(row.code)
        rows.append(row)
    if errors:
        raise ValidationError(errors)
    return rows


def _yaml_records(content: str) -> list[tuple[str, Any]]:
    try:
        data = yaml.safe_load(content)
    except yaml.YAMLError as error:
        raise ValidationError(
            _("The file is not valid YAML: %(error)s") % {"error": error}
        ) from None
    if isinstance(data, Mapping):
        data = data.get("indicators")
    if data is None:
        return []
    if not isinstance(data, list):
        raise ValidationError(_("Expected a list of indicators."))
    return [(_("Indicator %(number)s") % {"number": n}, r) for n, r in enumerate(data, start=1)]


def _csv_records(content: str) -> list[tuple[str, Any]]:
    reader = csv.DictReader(io.StringIO(content.lstrip("\ufeff")))
    missing = [c for c in REQUIRED_CSV_COLUMNS if c not in (reader.fieldnames or [])]
    if missing:
        raise ValidationError(
            _("The CSV file lacks the columns: %(columns)s") % {"columns": ", ".join(missing)}
        )
    return [
        (_("Line %(number)s") % {"number": reader.line_num}, record)
        for record in reader
        if any((value or "").strip() for value in record.values() if isinstance(value, str))
    ]


def _row_error(label: str, code: str, field: str, problem: str) -> str:
    return _("%(row)s (%(code)s), field '%(field)s': %(problem)s") % {
        "row": label,
        "code": code or "?",
        "field": field,
        "problem": problem,
    }


def _validate(
    record: Any, *, label: str, default_position: int, errors: list[str]
) -> IndicatorRow | None:
    if not isinstance(record, Mapping):
        errors.append(_row_error(label, "", "-", _("expected a set of fields")))
        return None
    code = _text(record.get("code"))
    problems: list[tuple[str, str]] = []

    def require_choice(field: str, allowed: Iterable[str], default: str | None = None) -> str:
        value = _text(record.get(field))
        if not value and default is not None:
            return default
        allowed = list(allowed)
        if value not in allowed:
            problem = (
                _("this field is required")
                if not value
                else _("unknown value '%(value)s'; allowed: %(allowed)s")
                % {"value": value, "allowed": ", ".join(a for a in allowed if a)}
            )
            problems.append((field, problem))
        return value

    unknown = sorted(str(key) for key in record if key not in FIELDS)
    for key in unknown:
        problems.append((key, _("unknown field")))
    if not code:
        problems.append(("code", _("this field is required")))
    elif len(code) > CODE_MAX_LENGTH or not CODE_PATTERN.match(code):
        problems.append(
            ("code", _("use lower-case letters, digits and hyphens (at most 80 characters)"))
        )
    texts = {}
    for field in ("text_nl", "text_en"):
        texts[field] = _text(record.get(field))
        if not texts[field]:
            problems.append((field, _("this field is required")))
        elif len(texts[field]) > TEXT_MAX_LENGTH:
            problems.append((field, _("longer than %(max)s characters") % {"max": TEXT_MAX_LENGTH}))
    category = require_choice("category", IndicatorCategory.values)
    kind = require_choice("kind", IndicatorKind.values, default=IndicatorKind.SIGNAL)
    subject = require_choice("subject", IndicatorSubject.values, default=IndicatorSubject.PERSON)
    ilo_grade = require_choice("ilo_grade", IloGrade.values, default=IloGrade.NONE)
    strength = _text(record.get("strength"))
    if strength:
        strength = require_choice("strength", IndicatorStrength.values)
    else:
        strength = strength_for_ilo_grade(ilo_grade) or ""
        if not strength:
            problems.append(("strength", _("required when there is no ILO grade")))
    forms = _forms(record.get("forms"), problems)
    counts_as = _text(record.get("counts_as"))
    if counts_as and (counts_as == code or not CODE_PATTERN.match(counts_as)):
        problems.append(("counts_as", _("give the code of another indicator, or leave it empty")))
    is_active = _boolean(record.get("is_active"), problems)
    position = _position(record.get("position"), default_position, problems)
    if problems:
        errors.extend(_row_error(label, code, field, problem) for field, problem in problems)
        return None
    return IndicatorRow(
        code=code,
        text_nl=texts["text_nl"],
        text_en=texts["text_en"],
        category=category,
        kind=kind,
        subject=subject,
        strength=strength,
        ilo_grade=ilo_grade,
        ilo_indicator=_text(record.get("ilo_indicator")),
        forms=forms,
        sources=_list(record.get("sources")),
        source_note=_text(record.get("source_note")),
        counts_as=counts_as,
        is_active=is_active,
        position=position,
    )


def _text(value: Any) -> str:
    return "" if value is None else str(value).strip()


def _list(value: Any) -> tuple[str, ...]:
    if value is None:
        return ()
    items = value if isinstance(value, list | tuple) else str(value).split(LIST_SEPARATOR)
    return tuple(text for text in (_text(item) for item in items) if text)


def _forms(value: Any, problems: list[tuple[str, str]]) -> tuple[str, ...]:
    codes = _list(value)
    if codes == (ALL_FORMS,):
        return INDICATOR_FORM_CODES
    if not codes:
        problems.append(("forms", _("choose at least one exploitation form")))
        return ()
    for code in codes:
        if code not in INDICATOR_FORM_CODES:
            problems.append(
                (
                    "forms",
                    _("unknown value '%(value)s'; allowed: %(allowed)s")
                    % {"value": code, "allowed": ", ".join((*INDICATOR_FORM_CODES, ALL_FORMS))},
                )
            )
    return tuple(code for code in INDICATOR_FORM_CODES if code in codes)


def _boolean(value: Any, problems: list[tuple[str, str]]) -> bool:
    if value is None or value == "":
        return True
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if text in ("true", "yes", "1"):
        return True
    if text in ("false", "no", "0"):
        return False
    problems.append(("is_active", _("expected true or false, not '%(value)s'") % {"value": value}))
    return True


def _position(value: Any, default: int, problems: list[tuple[str, str]]) -> int:
    if value is None or value == "":
        return default
    try:
        number = int(str(value).strip())
    except ValueError:
        number = -1
    if number < 0:
        problems.append(
            ("position", _("expected a whole number, not '%(value)s'") % {"value": value})
        )
        return default
    return number


# --- writing -------------------------------------------------------------------------------


def dump_rows(rows: Iterable[IndicatorRow], *, fmt: str) -> str:
    check_format(fmt)
    records = [asdict(row) for row in rows]
    if fmt == "yaml":
        for record in records:
            record["forms"] = list(record["forms"])
            record["sources"] = list(record["sources"])
        return yaml.safe_dump(
            {"format_version": FORMAT_VERSION, "indicators": records},
            allow_unicode=True,
            sort_keys=False,
            width=100,
        )
    output = io.StringIO()
    writer = csv.DictWriter(output, fieldnames=FIELDS, lineterminator="\n")
    writer.writeheader()
    for record in records:
        record["forms"] = LIST_SEPARATOR.join(record["forms"])
        record["sources"] = LIST_SEPARATOR.join(record["sources"])
        record["is_active"] = "true" if record["is_active"] else "false"
        writer.writerow(record)
    return output.getvalue()
