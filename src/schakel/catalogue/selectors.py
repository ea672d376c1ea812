"""Reads of the catalogue. Reference data without personal data: readable by everyone who may
report a signal, so these selectors take no acting user."""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import QuerySet

from .choices import ExploitationFormCode
from .interchange import IndicatorRow, dump_rows
from .models import ExploitationForm, Indicator


def exploitation_forms() -> QuerySet[ExploitationForm]:
    """Reference data, readable by everyone who may report a signal."""
    return ExploitationForm.objects.all()


def indicators_for(
    *, forms: Iterable[str] | None = None, categories: Iterable[str] | None = None
) -> QuerySet[Indicator]:
    """Active indicators, in catalogue order, optionally for some exploitation forms (by code)
    and categories. A form "unknown" means the form is not known yet: no filter on forms."""
    indicators = Indicator.objects.filter(is_active=True)
    if forms is not None:
        codes = set(forms)
        if ExploitationFormCode.UNKNOWN not in codes:
            indicators = indicators.filter(
                pk__in=Indicator.objects.filter(exploitation_forms__code__in=codes).values("pk")
            )
    if categories is not None:
        indicators = indicators.filter(category__in=list(categories))
    return indicators.prefetch_related("exploitation_forms")


def catalogue_rows(indicators: QuerySet[Indicator] | None = None) -> list[IndicatorRow]:
    """The catalogue (active and inactive) as rows for export."""
    queryset = Indicator.objects.all() if indicators is None else indicators
    return [
        IndicatorRow(
            code=indicator.code,
            text_nl=indicator.text_nl,
            text_en=indicator.text_en,
            category=indicator.category,
            kind=indicator.kind,
            subject=indicator.subject,
            strength=indicator.strength,
            ilo_grade=indicator.ilo_grade,
            ilo_indicator=indicator.ilo_indicator,
            forms=tuple(form.code for form in indicator.exploitation_forms.all()),
            sources=tuple(str(source) for source in indicator.sources),
            source_note=indicator.source_note,
            counts_as=indicator.counts_as.code if indicator.counts_as else "",
            is_active=indicator.is_active,
            position=indicator.position,
        )
        for indicator in queryset.order_by("position", "code")
        .select_related("counts_as")
        .prefetch_related("exploitation_forms")
    ]


def catalogue_export(*, fmt: str = "yaml", indicators: QuerySet[Indicator] | None = None) -> str:
    """The catalogue as a YAML or CSV text that `catalogue_import` reads back unchanged."""
    return dump_rows(catalogue_rows(indicators), fmt=fmt)
