"""The annual report (jaarverslag): only the municipality's own AF roles write it, a goal can be
met only in its own year, a text is text; the board reads it with small counts hidden, and a
public report hides them for every reader, in the page, the PDF and the spreadsheets."""

from __future__ import annotations

import csv
import io

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from schakel.audit.models import AuditEvent
from schakel.core.context import AccessContext
from schakel.core.policies import NotFound, actor_for
from schakel.intake.choices import EntryPoint
from schakel.monitoring import services
from schakel.monitoring.disclosure import Disclosure
from schakel.monitoring.exports import report_csv, report_xlsx
from schakel.monitoring.figures import ChartKind, Row, Section, Table
from schakel.monitoring.models import AnnualReport, GoalYear, ReportGoal, ReportSection
from schakel.monitoring.report import (
    ReportView,
    annual_report_for,
    annual_report_pdf,
    area_of,
    render_report_pdf,
    report_disclosure,
)
from schakel.organisations.choices import Role

from .factories import SignalFactory, user_with_role
from .test_signal_cards import pdf_pages_and_text
from .world import PEOPLE, build_world

YEAR = timezone.localdate().year
KEEPERS = {"af"}  # the AF OOV of the municipality; the world's AF zorg works for a care provider


@pytest.fixture
def world(db):
    return build_world()


def started(world, **fields):
    report = services.annual_report_get_or_create(
        context=world.context("af"), municipality=world.municipality, year=YEAR
    )
    if fields:
        AnnualReport.objects.filter(pk=report.pk).update(**fields)
        report.refresh_from_db()
    return report


# --- Who writes ---------------------------------------------------------------------------


@pytest.mark.parametrize("key", [*PEOPLE, "other_af", "regional"])
def test_only_the_municipalitys_af_roles_write_its_annual_report(world, key):
    if key == "regional":
        user = user_with_role(Role.REGIONAL_ADVISER, region=world.municipality.region)
        context = AccessContext(actor=actor_for(user), access_point="test")
    else:
        context = world.context(key)
    if key in KEEPERS:
        report = services.annual_report_get_or_create(
            context=context, municipality=world.municipality, year=YEAR
        )
        services.report_goal_add(
            context=context, report=report, year_kind=GoalYear.THIS, text="Twintig meldingen"
        )
        assert report.goals.count() == 1
        return
    with pytest.raises(PermissionDenied):
        services.annual_report_get_or_create(
            context=context, municipality=world.municipality, year=YEAR
        )
    report = started(world)
    for write in (
        lambda: services.report_goal_add(
            context=context, report=report, year_kind=GoalYear.THIS, text="Doel"
        ),
        lambda: services.annual_report_update(
            context=context,
            report=report,
            introduction="",
            is_public=True,
            show_reference_figures=False,
        ),
        lambda: services.report_section_add(
            context=context, report=report, title="Titel", body="Tekst"
        ),
    ):
        with pytest.raises(PermissionDenied):
            write()
    assert not report.goals.exists() and not report.sections.exists()
    assert AnnualReport.objects.get(pk=report.pk).is_public is False


def test_af_roles_of_zorg_and_swt_in_the_municipality_write_it_too(world):
    for role in (Role.AF_ZORG, Role.AF_SWT):
        user = user_with_role(role, organisation=world.orgs["municipality"])
        context = AccessContext(actor=actor_for(user), access_point="test")
        report = services.annual_report_get_or_create(
            context=context, municipality=world.municipality, year=YEAR
        )
        services.report_section_add(context=context, report=report, title="Opvang", body="Tekst")


def test_a_goal_can_be_met_only_in_the_reports_own_year(world):
    report = started(world)
    context = world.context("af")
    with pytest.raises(ValidationError) as refused:
        services.report_goal_add(
            context=context, report=report, year_kind=GoalYear.NEXT, text="Training", met=True
        )
    assert refused.value.code == "met"
    goal = services.report_goal_add(
        context=context, report=report, year_kind=GoalYear.THIS, text="Training", met=False
    )
    with pytest.raises(ValidationError):
        services.report_goal_update(
            context=context,
            goal=goal,
            year_kind=GoalYear.NEXT,
            text="Training",
            met=False,
            explanation="",
        )
    goal.refresh_from_db()
    assert goal.year_kind == GoalYear.THIS and goal.met is False


def test_a_goal_of_invisible_characters_is_refused_and_text_is_cleaned(world):
    report = started(world)
    context = world.context("af")
    with pytest.raises(ValidationError) as refused:
        services.report_goal_add(
            context=context, report=report, year_kind=GoalYear.THIS, text="\u200b\u00a0\u200d "
        )
    assert refused.value.code == "empty"
    with pytest.raises(ValidationError):
        services.report_section_add(context=context, report=report, title="\u200b", body="Tekst")
    goal = services.report_goal_add(
        context=context, report=report, year_kind=GoalYear.THIS, text="Tien\u200b trainingen\x07"
    )
    assert goal.text == "Tien trainingen"
    assert not ReportSection.objects.exists()


def test_a_report_covers_a_year_that_has_begun(world):
    with pytest.raises(ValidationError):
        services.annual_report_get_or_create(
            context=world.context("af"), municipality=world.municipality, year=YEAR + 1
        )


def test_every_write_is_on_the_audit_log(world):
    before = AuditEvent.objects.count()
    report = started(world)
    goal = services.report_goal_add(
        context=world.context("af"), report=report, year_kind=GoalYear.THIS, text="Doel"
    )
    services.report_goal_remove(context=world.context("af"), goal=goal)
    purposes = list(AuditEvent.objects.order_by("pk")[before:].values_list("purpose", flat=True))
    assert purposes == [
        "annual report started",
        "annual report goal added",
        "annual report goal removed",
    ]
    report.refresh_from_db()
    assert report.updated_by_id == world.users["af"].pk


def test_another_municipalitys_af_cannot_touch_a_goal(world):
    report = started(world)
    goal = services.report_goal_add(
        context=world.context("af"), report=report, year_kind=GoalYear.THIS, text="Doel"
    )
    with pytest.raises(PermissionDenied):
        services.report_goal_remove(context=world.context("other_af"), goal=goal)
    assert ReportGoal.objects.filter(pk=goal.pk).exists()


# --- Who reads, and how protected ------------------------------------------------------------


def test_public_report_protects_figures_even_for_the_af(world):
    area = area_of(world.municipality)
    report = started(world)
    assert report_disclosure(report, area) is None
    assert not annual_report_for(
        world.context("af"), municipality_id=world.municipality.pk, year=YEAR
    ).protected
    report.is_public = True
    report.save()
    assert report_disclosure(report, area) == Disclosure(protect=True, threshold=area.threshold)
    view = annual_report_for(world.context("af"), municipality_id=world.municipality.pk, year=YEAR)
    assert view.protected and view.is_public


def test_board_reads_the_report_protected_and_not_before_it_is_begun(world):
    with pytest.raises(NotFound):
        annual_report_for(world.context("board"), municipality_id=world.municipality.pk, year=YEAR)
    started(world)
    view = annual_report_for(
        world.context("board"), municipality_id=world.municipality.pk, year=YEAR
    )
    assert view.protected and not view.can_edit
    with pytest.raises(NotFound):
        annual_report_for(
            world.context("board"), municipality_id=world.other_municipality.pk, year=YEAR
        )
    with pytest.raises(NotFound):
        annual_report_for(world.context("avim"), municipality_id=world.municipality.pk, year=YEAR)


@pytest.mark.parametrize(
    ("key", "status"),
    [("af", 200), ("board", 200), ("reporter", 403), ("avim", 403), ("privacy", 403)],
)
def test_report_page_and_downloads_by_role(world, client, key, status):
    started(world, is_public=False)
    client.force_login(world.users[key])
    for name in ("monitoring:report", "monitoring:report_csv", "monitoring:report_xlsx"):
        response = client.get(reverse(name, args=[YEAR]))
        assert response.status_code == status, name
        if status == 200 and name != "monitoring:report":
            assert response["Content-Disposition"].startswith("attachment;")
            assert "no-store" in response["Cache-Control"]


def test_report_page_shows_goals_sections_and_reference_box(world, client):
    report = started(world, show_reference_figures=True, introduction="Ons jaar")
    context = world.context("af")
    services.report_goal_add(
        context=context, report=report, year_kind=GoalYear.THIS, text="Vijf trainingen", met=True
    )
    services.report_goal_add(
        context=context, report=report, year_kind=GoalYear.NEXT, text="Horeca-controles"
    )
    services.report_section_add(context=context, report=report, title="Opvang", body="Tekst")
    client.force_login(world.users["board"])
    page = client.get(reverse("monitoring:report", args=[YEAR])).content.decode()
    assert "Vijf trainingen" in page and "Horeca-controles" in page and "Opvang" in page
    assert 'id="reference"' in page and "Amsterdam" in page and "1372" in page
    assert reverse("monitoring:report_edit", args=[YEAR]) not in page  # the board does not edit


# --- The edit page's POSTs -----------------------------------------------------------------


def post(client, data):
    return client.post(reverse("monitoring:report_edit", args=[YEAR]), data)


def test_af_adds_a_goal_by_post(world, client):
    client.force_login(world.users["af"])
    assert client.get(reverse("monitoring:report_edit", args=[YEAR])).status_code == 200
    response = post(
        client,
        {
            "step": "goal_add",
            "goal-year_kind": "this",
            "goal-text": "Twintig meldingen",
            "goal-met": "yes",
            "goal-explanation": "",
        },
    )
    assert response.status_code == 302
    goal = ReportGoal.objects.get()
    assert goal.met is True and goal.report.year == YEAR
    response = post(
        client,
        {
            "step": "goal_update",
            "item": goal.pk,
            f"goal-{goal.pk}-year_kind": "this",
            f"goal-{goal.pk}-text": "Dertig meldingen",
            f"goal-{goal.pk}-met": "no",
        },
    )
    assert response.status_code == 302
    goal.refresh_from_db()
    assert goal.text == "Dertig meldingen" and goal.met is False
    assert post(client, {"step": "goal_remove", "item": goal.pk}).status_code == 302
    assert not ReportGoal.objects.exists()


@pytest.mark.parametrize(
    "data",
    [
        {},
        {"step": "goal_add"},
        {"step": "goal_add", "goal-year_kind": "this", "goal-text": "\u200b\u200b"},
        {"step": "goal_add", "goal-year_kind": "next", "goal-text": "Doel", "goal-met": "yes"},
        {"step": "goal_add", "goal-year_kind": "later", "goal-text": "Doel"},
        {"step": "section_add", "section-title": "Titel", "section-body": "\x00"},
        {"step": "drop_tables"},
    ],
)
def test_empty_or_invalid_posts_write_nothing(world, client, data):
    report = started(world)
    client.force_login(world.users["af"])
    before = AuditEvent.objects.count()
    response = post(client, data)
    assert response.status_code == 400
    assert not report.goals.exists() and not report.sections.exists()
    assert AuditEvent.objects.count() == before


def test_removing_an_item_of_another_report_is_not_found(world, client):
    other = AnnualReport.objects.create(municipality=world.other_municipality, year=YEAR)
    goal = ReportGoal.objects.create(report=other, year_kind="this", text="Hun doel")
    started(world)
    client.force_login(world.users["af"])
    assert post(client, {"step": "goal_remove", "item": goal.pk}).status_code == 404
    assert ReportGoal.objects.filter(pk=goal.pk).exists()


@pytest.mark.parametrize("key", ["board", "reporter", "avim", "other_af"])
def test_posts_of_other_roles_are_refused(world, client, key):
    report = started(world)
    client.force_login(world.users.get(key, world.other_af))
    response = post(
        client,
        {"step": "report", "report-introduction": "Overgenomen", "report-is_public": "on"},
    )
    # Another municipality's AF edits only its own report, which does not hold this one's text.
    assert response.status_code in (403, 302)
    report.refresh_from_db()
    assert report.introduction == "" and report.is_public is False


# --- Files ---------------------------------------------------------------------------------


def protected_sections():
    disclosure = Disclosure(protect=True)
    cells, total = disclosure.line({"police": 3, "municipality": 21, "care": 7}, 31, additive=True)
    labels = {"police": "Politie", "municipality": "Gemeente", "care": "Zorg"}
    previous, _ = disclosure.line({"police": 9, "municipality": 2, "care": 8}, 19, additive=True)
    rows = [Row(key, labels[key], cell, previous[key]) for key, cell in cells.items()]
    table = Table(
        "entry", "Signalen per ingang", "signalen", rows, total=Row("total", "Totaal", total)
    )
    return [Section("signals", "Signalen", [table])]


def test_spreadsheets_of_a_protected_report_show_the_text_never_the_small_number():
    sections = protected_sections()
    text = report_csv(sections, current_label=str(YEAR), previous_label=str(YEAR - 1))
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff")), delimiter=";"))
    values = {cell for row in rows[1:] for cell in row[4:]}
    assert "< 5" in values
    assert not values & {"1", "2", "3", "4"}
    assert "x" in values  # the line equation needs a second cell hidden

    from openpyxl import load_workbook

    book = load_workbook(
        io.BytesIO(report_xlsx(sections, title="T", current_label="a", previous_label="b"))
    )
    cells = {c for sheet in book for row in sheet.iter_rows(values_only=True) for c in row}
    assert "< 5" in cells and not cells & {1, 2, 3, 4, "1", "2", "3", "4"}


def test_spreadsheet_labels_never_start_a_formula():
    table = Table("t", "=HYPERLINK()", "x", [Row("a", "=1+1", Disclosure(False).cell(7))])
    text = report_csv([Section("s", "@s", [table])], current_label="a", previous_label="b")
    assert "'=1+1" in text and "'=HYPERLINK()" in text
    from openpyxl import load_workbook

    book = load_workbook(
        io.BytesIO(
            report_xlsx(
                [Section("s", "s", [table])], title="t", current_label="a", previous_label="b"
            )
        )
    )
    assert all(c.data_type != "f" for sheet in book for row in sheet.iter_rows() for c in row)


def view_with(world, sections, **fields):
    report = started(world, **fields)
    view = annual_report_for(world.context("af"), municipality_id=world.municipality.pk, year=YEAR)
    return ReportView(**{**view.__dict__, "figures": sections, "report": report})


def test_pdf_is_a_real_pdf_with_contents_and_the_tables(world):
    context = world.context("af")
    report = started(world, introduction="Inleiding van het jaar")
    services.report_goal_add(context=context, report=report, year_kind="this", text="Twintig")
    pdf = render_report_pdf(view_with(world, protected_sections()))
    pages, text = pdf_pages_and_text(pdf)
    assert pdf.startswith(b"%PDF") and pages >= 3
    assert "Contents" in text or "Inhoud" in text
    assert "Signalen per ingang" in text and "21" in text and "< 5" in text


def test_annual_report_pdf_through_the_selector(world):
    started(world)
    pdf = annual_report_pdf(world.context("board"), world.municipality.pk, YEAR)
    pages, _ = pdf_pages_and_text(pdf)
    assert pages >= 2
    assert AuditEvent.objects.filter(purpose=f"annual report {YEAR} pdf").exists()
    with pytest.raises(NotFound):
        annual_report_pdf(world.context("avim"), world.municipality.pk, YEAR)


def test_pdf_of_twenty_five_tables_holds_every_table(world):
    # Its speed is measured in make bench (bench/report.json), not here.
    disclosure = Disclosure(protect=False)
    tables = []
    for n in range(25):
        counts = {f"r{i}": (n * 7 + i * 3) % 23 for i in range(6)}
        cells, total = disclosure.line(counts, sum(counts.values()), additive=True)
        kind = ChartKind.MONTHS if n % 5 == 0 else ChartKind.BARS
        rows = [Row(k, f"Rij {k}", c, disclosure.cell(counts[k] + 1)) for k, c in cells.items()]
        tables.append(
            Table(
                f"t{n}", f"Tabel {n}", "signalen", rows, Row("total", "Totaal", total), chart=kind
            )
        )
    sections = [Section(f"s{i}", f"Sectie {i}", tables[i * 5 : i * 5 + 5]) for i in range(5)]
    pdf = render_report_pdf(view_with(world, sections))
    pages, text = pdf_pages_and_text(pdf)
    assert all(f"Tabel {n}" in text for n in range(25)) and pages > 5


def test_public_report_files_hide_a_small_count_from_real_signals_even_for_the_af(world, client):
    for _ in range(3):
        SignalFactory(municipality=world.municipality, entry_point=EntryPoint.POLICE)
    started(world, is_public=True)
    client.force_login(world.users["af"])
    response = client.get(reverse("monitoring:report_csv", args=[YEAR]))
    rows = list(csv.reader(io.StringIO(response.content.decode().lstrip("\ufeff")), delimiter=";"))
    values = {cell for row in rows[1:] for cell in row[4:]}
    assert "< 5" in values and not values & {"1", "2", "3", "4"}
