"""Writes to the catalogue: exploitation forms and indicators.

Reference data, loaded by trusted callers (migrations, management commands, the demo loader) or
by the functional administrator through the administration screens, which check the policy
before calling in here.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TextIO

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from .choices import INDICATOR_FORM_CODES, ExploitationFormCode
from .interchange import IndicatorRow, parse_rows
from .models import ExploitationForm, Indicator

DEFAULT_CATALOGUE = Path(__file__).resolve().parent / "data" / "indicators.yaml"


@dataclass(frozen=True)
class ImportResult:
    created: int
    updated: int
    deactivated: int


def exploitation_forms_ensure() -> None:
    """Make sure every exploitation form exists (the migration creates them; this repairs a
    database that was flushed, e.g. between end-to-end tests)."""
    for position, code in enumerate(ExploitationFormCode.values):
        ExploitationForm.objects.update_or_create(code=code, defaults={"position": position})


def catalogue_import(
    source: str | TextIO, *, fmt: str = "yaml", replace: bool = False
) -> ImportResult:
    """Upsert the indicators of a YAML or CSV file by code.

    Every row is validated before anything is written, and the write is one transaction: a file
    with a bad row changes nothing. With `replace`, indicators missing from the file are
    deactivated rather than deleted (signals and cards may refer to them).
    """
    content = source if isinstance(source, str) else source.read()
    rows = parse_rows(content, fmt=fmt)
    with transaction.atomic():
        exploitation_forms_ensure()
        forms = {f.code: f for f in ExploitationForm.objects.filter(code__in=INDICATOR_FORM_CODES)}
        created = updated = 0
        for row in rows:
            indicator, was_created = Indicator.objects.update_or_create(
                code=row.code, defaults=_fields(row)
            )
            indicator.exploitation_forms.set([forms[code] for code in row.forms])
            created += was_created
            updated += not was_created
        _link_same_facts(rows)
        deactivated = 0
        if replace:
            deactivated = (
                Indicator.objects.filter(is_active=True)
                .exclude(code__in=[row.code for row in rows])
                .update(is_active=False)
            )
    return ImportResult(created=created, updated=updated, deactivated=deactivated)


def _link_same_facts(rows: list[IndicatorRow]) -> None:
    """Point each row's `counts_as` at its indicator (a second pass: it may come later in the
    file). A code that names no indicator fails the whole import, naming the row."""
    targets = {row.counts_as for row in rows if row.counts_as}
    ids = dict(Indicator.objects.filter(code__in=targets).values_list("code", "pk"))
    missing = sorted(
        _("%(code)s: counts_as names no indicator '%(target)s'")
        % {"code": row.code, "target": row.counts_as}
        for row in rows
        if row.counts_as and row.counts_as not in ids
    )
    if missing:
        raise ValidationError(missing)
    for row in rows:
        Indicator.objects.filter(code=row.code).update(counts_as_id=ids.get(row.counts_as))
    chained = Indicator.objects.filter(counts_as__counts_as__isnull=False).values_list(
        "code", "counts_as__code"
    )
    if chained:
        raise ValidationError(
            [
                _("%(code)s: counts_as names '%(target)s', which itself counts as another")
                % {"code": code, "target": target}
                for code, target in chained
            ]
        )


def catalogue_load_defaults() -> ImportResult:
    """Load (or refresh) the default catalogue shipped with Schakel, keeping local additions."""
    return catalogue_import(DEFAULT_CATALOGUE.read_text(encoding="utf-8"), fmt="yaml")


def _fields(row: IndicatorRow) -> dict[str, object]:
    return {
        "text_nl": row.text_nl,
        "text_en": row.text_en,
        "category": row.category,
        "kind": row.kind,
        "subject": row.subject,
        "strength": row.strength,
        "ilo_grade": row.ilo_grade,
        "ilo_indicator": row.ilo_indicator,
        "sources": list(row.sources),
        "source_note": row.source_note,
        "is_active": row.is_active,
        "position": row.position,
    }
