"""The annual report as it is read: its goals and texts, the year's figures beside the previous
year's (counted now, protected for the reader, or for everyone when the report is public), the
reference figures if asked for; and its PDF."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from django.contrib.staticfiles import finders
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _

from schakel.audit.choices import AuditAction
from schakel.audit.services import audit_record
from schakel.core.context import AccessContext
from schakel.core.pdf import render_pdf
from schakel.core.policies import NotFound
from schakel.organisations.models import Municipality

from . import selectors
from .disclosure import Disclosure
from .figures import Section
from .models import AnnualReport, GoalYear, ReportGoal, ReportSection
from .periods import Period
from .policies import Area, figures_policy
from .reference import ESTIMATE_NOTE, REFERENCE_GROUPS, SOURCES, ReferenceGroup
from .report_policy import keeping_municipalities, reading_municipalities
from .services import FIRST_YEAR

PRINT_STYLESHEET = "monitoring/report-print.css"


@dataclass(frozen=True)
class ReportView:
    municipality: Municipality
    year: int
    period: Period
    report: AnnualReport | None
    figures: list[Section]
    protected: bool  # small counts hidden in the figures shown
    can_edit: bool
    goals_this: list[ReportGoal] = field(default_factory=list)
    goals_next: list[ReportGoal] = field(default_factory=list)
    sections: list[ReportSection] = field(default_factory=list)
    reference: tuple[ReferenceGroup, ...] = ()

    @property
    def current_label(self) -> str:
        return self.period.label

    @property
    def previous_label(self) -> str:
        return self.period.previous().label

    @property
    def is_public(self) -> bool:
        return self.report is not None and self.report.is_public

    @property
    def table_count(self) -> int:
        return sum(len(section.tables) for section in self.figures)

    @property
    def estimate_note(self) -> str:
        return str(ESTIMATE_NOTE)

    @property
    def reference_sources(self) -> list[tuple[str, str]]:
        return [(str(short), str(full)) for short, full in SOURCES]


def report_municipality_id(context: AccessContext) -> int:
    """The municipality whose reports the actor reads (an actor acts for one membership)."""
    readers = reading_municipalities(context.actor)
    if not readers:
        raise NotFound
    return min(readers)


def area_of(municipality: Municipality) -> Area:
    return Area(
        name=municipality.name,
        municipality_ids=(municipality.pk,),
        thresholds=((municipality.pk, municipality.disclosure_threshold),),
    )


def report_disclosure(report: AnnualReport | None, area: Area) -> Disclosure | None:
    """A public report is read by whoever gets the PDF: protected whoever renders it. Otherwise
    None: the reader's own disclosure (the AF sees counts as they are, the board does not)."""
    if report is not None and report.is_public:
        return Disclosure(protect=True, threshold=area.threshold)
    return None


def annual_report_for(context: AccessContext, *, municipality_id: int, year: int) -> ReportView:
    """The report of the year for the reader; NotFound for a municipality they do not read, a
    year outside the reports' range, or a report not yet begun (unless they may begin it)."""
    actor = context.actor
    if municipality_id not in reading_municipalities(actor):
        raise NotFound
    if not FIRST_YEAR <= year <= timezone.localdate().year:
        raise NotFound
    municipality = Municipality.objects.get(pk=municipality_id)
    report = (
        AnnualReport.objects.filter(municipality=municipality, year=year)
        .prefetch_related("goals", "sections")
        .first()
    )
    can_edit = municipality_id in keeping_municipalities(actor)
    if report is None and not can_edit:
        raise NotFound
    area = area_of(municipality)
    disclosure = report_disclosure(report, area)
    period = Period.year(year)
    goals = list(report.goals.all()) if report else []
    return ReportView(
        municipality=municipality,
        year=year,
        period=period,
        report=report,
        figures=report_figures(context, area, period, disclosure),
        protected=(disclosure or figures_policy.disclosure(actor, area)).protect,
        can_edit=can_edit,
        goals_this=[g for g in goals if g.year_kind == GoalYear.THIS],
        goals_next=[g for g in goals if g.year_kind == GoalYear.NEXT],
        sections=list(report.sections.all()) if report else [],
        reference=REFERENCE_GROUPS if report and report.show_reference_figures else (),
    )


def report_figures(
    context: AccessContext, area: Area, period: Period, disclosure: Disclosure | None
) -> list[Section]:
    """The dashboard's sections for the report's year; `disclosure` overrides the reader's (a
    public report is protected whoever reads it)."""
    return selectors.dashboard(context, area, period, disclosure=disclosure)


def record_export(context: AccessContext, view: ReportView, kind: str) -> None:
    """A download of the report's figures is an export: on the audit log."""
    audit_record(
        context=context,
        action=AuditAction.EXPORT,
        objects=[view.report or view.municipality],
        purpose=f"annual report {view.year} {kind}",
    )


def _stylesheet() -> str:
    found = finders.find(PRINT_STYLESHEET)
    path = found if isinstance(found, str) else None
    return path or str(Path(__file__).parent / "static" / PRINT_STYLESHEET)


def render_report_pdf(view: ReportView) -> bytes:
    html = render_to_string(
        "monitoring/report_pdf.html",
        {"view": view, "period": view.period, "chart_as_image": True},
    )
    return render_pdf(html, base_url=str(Path(__file__).parent), stylesheet=_stylesheet())


def annual_report_pdf(context: AccessContext, municipality_id: int, year: int) -> bytes:
    """The annual report of a municipality's year as PDF, for the reader (audited as export)."""
    view = annual_report_for(context, municipality_id=municipality_id, year=year)
    record_export(context, view, "pdf")
    return render_report_pdf(view)


def report_filename(view: ReportView, extension: str) -> str:
    from django.utils.text import slugify

    return (
        f"{slugify(_('annual report'))}-{slugify(view.municipality.name)}-{view.year}.{extension}"
    )
