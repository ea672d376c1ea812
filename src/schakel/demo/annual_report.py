"""Last year's annual report of the demo municipality, as its AF OOV would begin it: an
introduction, the year's goals (two met, one not), next year's goals and one section of its
own. Invented text; loading twice leaves one report with these parts."""

from __future__ import annotations

from django.utils import timezone

from schakel.core.context import AccessContext
from schakel.monitoring import services as reports
from schakel.monitoring.models import GoalYear
from schakel.organisations.models import Municipality

INTRODUCTION = (
    "In het afgelopen jaar kwamen meer signalen binnen dan het jaar ervoor, vooral via de eigen "
    "medewerkers en de woningcorporaties. Dit verslag laat zien wat er met die signalen gebeurde."
)
GOALS = [
    (GoalYear.THIS, "Alle medewerkers van Burgerzaken volgen de training signalering.", True, ""),
    (GoalYear.THIS, "Elke melder krijgt binnen tien werkdagen terugkoppeling.", True, ""),
    (
        GoalYear.THIS,
        "Twee bestuurlijke interventies per kwartaal.",
        False,
        "In het tweede kwartaal was er geen casus die om een interventie vroeg.",
    ),
    (GoalYear.NEXT, "De hotels en vakantieparken in de gemeente gecertificeerd.", None, ""),
    (GoalYear.NEXT, "Een vast aanspreekpunt bij het sociaal wijkteam.", None, ""),
]
SECTION = (
    "Samenwerking in de regio",
    "Het casusoverleg kwam elke maand bijeen, met de zorgcoördinator, Veilig Thuis, de AVIM en "
    "de Arbeidsinspectie aan tafel. Zaken met daders gingen naar het RIEC-overleg.",
)


def load_annual_report(context: AccessContext, municipality: Municipality) -> None:
    year = timezone.localdate().year - 1
    report = reports.annual_report_get_or_create(
        context=context, municipality=municipality, year=year
    )
    if report.goals.exists() or report.sections.exists():
        return
    reports.annual_report_update(
        context=context,
        report=report,
        introduction=INTRODUCTION,
        is_public=False,
        show_reference_figures=True,
    )
    for year_kind, text, met, explanation in GOALS:
        reports.report_goal_add(
            context=context,
            report=report,
            year_kind=year_kind,
            text=text,
            met=met,
            explanation=explanation,
        )
    title, body = SECTION
    reports.report_section_add(context=context, report=report, title=title, body=body)
