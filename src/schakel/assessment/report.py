"""The results page's content and its PDF: the results, the charts, the gap list and the
answers, for one reader; downloads are on the audit log as exports."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from django.template.loader import render_to_string
from django.utils.text import slugify
from django.utils.translation import gettext as _

from schakel.audit.choices import AuditAction
from schakel.audit.services import audit_record
from schakel.core.context import AccessContext
from schakel.core.pdf import render_pdf
from schakel.monitoring.figures import Table

from . import facts as system_facts
from .charts import condition_tables, element_table
from .models import Answer, Assessment
from .results import Comparison, Results, results_for

# The annual report's print layout (title page, page numbers, tables kept together); the
# PDF template adds the few rules of its own.
PRINT_STYLESHEET = (
    Path(__file__).parents[1] / "monitoring" / "static" / "monitoring" / "report-print.css"
)


@dataclass(frozen=True)
class ResultsView:
    assessment: Assessment
    results: Results
    comparison: Comparison | None  # the chart's second series: a reference, else last year
    element_table: Table
    condition_tables: list[Table]
    answers: list[Answer]
    facts: dict[str, system_facts.Fact]

    @property
    def current_label(self) -> str:
        return str(self.assessment.year)

    @property
    def previous_label(self) -> str | None:
        return self.comparison.label if self.comparison else None


def results_view(assessment: Assessment, *, reference: str | None = None) -> ResultsView:
    results = results_for(assessment, reference=reference)
    comparison = results.reference or results.previous
    answers = list(
        Answer.objects.filter(assessment=assessment)
        .select_related("condition", "condition__element")
        .prefetch_related("evidence")
    )
    known = (
        system_facts.from_snapshot(assessment.facts)
        if assessment.is_final
        else system_facts.facts_for(assessment.municipality)
    )
    return ResultsView(
        assessment=assessment,
        results=results,
        comparison=comparison,
        element_table=element_table(results, comparison),
        condition_tables=condition_tables(results, comparison),
        answers=answers,
        facts=known,
    )


def record_export(context: AccessContext, assessment: Assessment) -> None:
    audit_record(
        context=context,
        action=AuditAction.EXPORT,
        objects=[assessment],
        purpose=f"self-assessment {assessment.year} pdf",
    )


def render_results_pdf(view: ResultsView) -> bytes:
    html = render_to_string(
        "assessment/results_pdf.html",
        {
            "view": view,
            "results": view.results,
            "chart_as_image": True,
            "current_label": view.current_label,
            "previous_label": view.previous_label,
        },
    )
    return render_pdf(html, base_url=str(Path(__file__).parent), stylesheet=str(PRINT_STYLESHEET))


def pdf_filename(assessment: Assessment) -> str:
    return (
        f"{slugify(_('self-assessment'))}-{slugify(assessment.municipality.name)}-"
        f"{assessment.year}.pdf"
    )
