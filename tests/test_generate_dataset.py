"""generate_dataset: a fictional region at a small scale, consistent with itself, with an audit
chain that verifies and figures on the dashboard."""

from collections import Counter

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from schakel.audit.models import AuditEvent
from schakel.audit.verification import audit_log_verify
from schakel.cases.models import Case, CasePersonOutcome, Intervention, TimelineEntry
from schakel.core.context import AccessContext
from schakel.core.policies import actor_for
from schakel.demo.dataset import REGION_PREFIX, working_days_after
from schakel.intake.choices import EntryPoint
from schakel.intake.models import Signal, SignalPerson
from schakel.meetings.models import AgendaItem, Meeting
from schakel.monitoring.periods import Period
from schakel.monitoring.policies import figures_policy
from schakel.monitoring.selectors import dashboard
from schakel.organisations.choices import Role
from schakel.organisations.models import Membership, Municipality, Organisation, Region, User

SMALL = {
    "signals": 300,
    "cases": 40,
    "timeline": 1000,
    "organisations": 40,
    "users": 60,
    "months": 24,
    "seed": 3,
    "verbosity": 0,
}


@pytest.fixture
def generated(db):
    call_command("generate_dataset", **SMALL)
    return Region.objects.get(name=f"{REGION_PREFIX} 1")


def test_the_region_has_the_asked_numbers(generated):
    municipalities = Municipality.objects.filter(region=generated)
    assert municipalities.count() == 2
    assert Organisation.objects.filter(region=generated).count() == 40
    assert User.objects.count() == 60 and Membership.objects.count() == 60
    assert Signal.objects.count() == 300
    assert 0 < Case.objects.count() <= 40
    assert TimelineEntry.objects.count() >= 500
    assert SignalPerson.objects.exists() and CasePersonOutcome.objects.exists()
    assert Meeting.objects.filter(meeting_type="riec_meeting").exists()
    assert Meeting.objects.filter(meeting_type="case_meeting").exists()
    assert AgendaItem.objects.exclude(signal=None).exists()
    assert Intervention.objects.exists()
    # Every case and signal belongs to the generated municipalities.
    assert not Case.objects.exclude(municipality__in=municipalities).exists()
    assert not Signal.objects.exclude(municipality__in=municipalities).exists()
    for case in Case.objects.prefetch_related("signals")[:20]:
        assert {s.municipality_id for s in case.signals.all()} == {case.municipality_id}


def test_the_signals_spread_over_entry_points_and_months(generated):
    entry_points = Counter(Signal.objects.values_list("entry_point", flat=True))
    assert set(entry_points) == set(EntryPoint.values)
    assert max(entry_points.values()) < 0.4 * 300
    months = {
        timezone.localtime(at).strftime("%Y-%m")
        for at in Signal.objects.values_list("reported_at", flat=True)
    }
    assert len(months) >= 20
    nationalities = set(SignalPerson.objects.values_list("nationality_country", flat=True))
    assert {"NL", ""} <= nationalities and nationalities & {"PL", "RO", "BG"}
    assert nationalities & {"UA", "NG", "MA", "CN"}


def test_the_working_days_follow_the_timestamps(generated):
    for signal in Signal.objects.all():
        for field, at in (
            ("days_to_pickup", signal.picked_up_at),
            ("days_to_routing", signal.routed_at),
            ("days_to_feedback", signal.feedback_at),
        ):
            if at is None:
                assert getattr(signal, field) is None, (signal, field)
            else:
                assert at >= signal.reported_at
                assert getattr(signal, field) == working_days_after(signal.reported_at, at)


def test_the_personal_fields_are_encrypted(generated):
    person = SignalPerson.objects.exclude(name_index="").first()
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT name FROM intake_signalperson WHERE id = %s", [person.pk])
        stored = cursor.fetchone()[0]
    assert stored != person.name and person.name_index


def test_the_audit_chain_verifies_after_generation(generated):
    assert AuditEvent.objects.count() >= 300
    report = audit_log_verify()
    assert report.intact, report.findings
    assert report.sealed == AuditEvent.objects.count()


def test_the_dashboard_has_figures_for_the_biggest_municipality(generated):
    municipality = Municipality.objects.filter(region=generated).order_by("pk").first()
    af = Membership.objects.get(role=Role.AF_OOV, organisation__municipality=municipality).user
    context = AccessContext.system(actor_for(af), "test")
    area = figures_policy.area_for(context.actor)
    sections = dashboard(context, area, Period.year(timezone.localdate().year))
    tables = {t.key: t for s in sections for t in s.tables}
    for key in (
        "signals_by_month",
        "signals_by_entry_point",
        "victims_by_outcome",
        "cases",
        "interventions_by_group",
    ):
        assert tables[key].total is None or tables[key].total.cell.value, key
        assert any(r.cell.value for r in tables[key].rows), key


def test_a_second_run_makes_a_new_region(generated):
    call_command("generate_dataset", **{**SMALL, "signals": 20, "cases": 2, "timeline": 10})
    assert Region.objects.filter(name=f"{REGION_PREFIX} 2").exists()
    assert Municipality.objects.count() == 4
    assert audit_log_verify().intact


def test_it_refuses_outside_the_demo_and_test_settings(db, settings):
    settings.SCHAKEL_DATASET = False
    with pytest.raises(CommandError, match="only under the demo"):
        call_command("generate_dataset", **SMALL)
    assert not Region.objects.exists()


def test_the_benchmark_generates_at_the_default_scale():
    from dataclasses import asdict

    from bench.monitoring import SCALE

    from schakel.demo.dataset import Scale

    assert asdict(Scale()) == SCALE


@pytest.mark.django_db
def test_the_demo_has_a_history_the_board_reads_with_small_counts_hidden(demo_settings):
    call_command("load_demo")
    brakelveen = Municipality.objects.get(name="Brakelveen")
    first = (Signal.objects.count(), Case.objects.count(), AuditEvent.objects.count())
    assert Signal.objects.filter(municipality=brakelveen).count() > 200
    call_command("load_demo")
    assert (Signal.objects.count(), Case.objects.count(), AuditEvent.objects.count()) == first
    today = timezone.localdate()
    assert Signal.objects.filter(reported_at__year=today.year - 1).count() > 100
    assert (
        not Signal.objects.filter(submission_token__isnull=False, status="new")
        .exclude(reported_at__gte=timezone.now() - timezone.timedelta(days=30))
        .exists()
    )
    bestuur = User.objects.get(username="bestuur")
    context = AccessContext.system(actor_for(bestuur), "test")
    area = figures_policy.area_for(context.actor)
    for period in (Period.published_year(today.year), Period.year(today.year - 1)):
        if period is None:  # January: no full month of this year yet
            continue
        cells = [r.cell for s in dashboard(context, area, period) for t in s.tables for r in t.rows]
        assert any(c.suppressed for c in cells)
        assert any(c.value is not None and c.value >= 5 for c in cells)
    assert audit_log_verify().intact
