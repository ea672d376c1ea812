"""The monitoring figures on a small hand-made municipality, each number worked out by hand
(DOMAIN.md §8), for the AF (as they are) and for the board (small counts hidden)."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from schakel.cases.choices import InterventionKind, InterventionStatus
from schakel.cases.models import Case, CasePerson, CasePersonOutcome, Intervention
from schakel.core.calendar import working_days_between
from schakel.core.context import AccessContext
from schakel.core.policies import actor_for
from schakel.intake.choices import EntryPoint, PersonRole, ReporterSector, Routing, SignalStatus
from schakel.intake.models import Signal, SignalPerson
from schakel.meetings.choices import MeetingStatus
from schakel.meetings.models import AgendaItem, Meeting
from schakel.monitoring.figures import Trend
from schakel.monitoring.periods import Period
from schakel.monitoring.policies import figures_policy
from schakel.monitoring.selectors import dashboard, percentile
from schakel.organisations.choices import MeetingType, OrganisationKind, Role

from .factories import MunicipalityFactory, OrganisationFactory, SignalFactory, user_with_role

AMS = ZoneInfo("Europe/Amsterdam")
YEAR = Period(date(2025, 1, 1), date(2025, 12, 31))


def at(y, m, d, hour=10):
    return datetime(y, m, d, hour, tzinfo=AMS)


@pytest.fixture
def town(db):
    """Brakelveen-like: nine signals in 2025 and three in 2024."""
    municipality = MunicipalityFactory()
    org = OrganisationFactory(municipality=municipality)
    housing = OrganisationFactory(
        municipality=municipality, kind=OrganisationKind.HOUSING, name="Woonstichting"
    )
    af = user_with_role(Role.AF_OOV, org)
    board = user_with_role(Role.BOARD_VIEWER, org)

    def signal(when, entry, *, forms=("labour",), sector="", organisation=None, **fields):
        s = SignalFactory(
            municipality=municipality,
            reported_at=when,
            entry_point=entry,
            reporter_sector=sector,
            reporter_organisation=organisation,
            forms=list(forms),
        )
        Signal.objects.filter(pk=s.pk).update(**fields)
        return s

    s1 = signal(
        at(2025, 1, 10),
        EntryPoint.MUNICIPALITY,
        days_to_pickup=0,
        routing=Routing.CASE_MEETING,
        status=SignalStatus.ROUTED,
    )
    s2 = signal(
        at(2025, 1, 20),
        EntryPoint.PUBLIC,
        forms=("sexual", "labour"),
        sector=ReporterSector.HOUSING,
        days_to_pickup=1,
    )
    signal(
        at(2025, 3, 3),
        EntryPoint.PARTNER,
        forms=("sexual",),
        organisation=housing,
        days_to_pickup=2,
    )
    signal(at(2025, 3, 5), EntryPoint.POLICE, forms=("criminal",), days_to_pickup=4)
    s5 = None
    for day, days in zip((2, 9, 16, 23, 30), (3, 3, 5, 8, 10), strict=True):
        last = signal(
            at(2025, 6, day),
            EntryPoint.PUBLIC,
            forms=("sexual",),
            sector=ReporterSector.GENERAL_PUBLIC,
            days_to_pickup=days,
        )
        s5 = s5 or last
    for when, entry in (
        (at(2024, 2, 1), EntryPoint.MUNICIPALITY),
        (at(2024, 2, 8), EntryPoint.MUNICIPALITY),
        (at(2024, 7, 1), EntryPoint.POLICE),
    ):
        signal(when, entry)
    # A signal of another municipality never counts.
    SignalFactory(reported_at=at(2025, 5, 5))

    SignalPerson.objects.create(
        signal=s1,
        role=PersonRole.POSSIBLE_VICTIM,
        sex="f",
        approximate_age=17,
        nationality_country="PL",
    )
    SignalPerson.objects.create(
        signal=s2,
        role=PersonRole.POSSIBLE_VICTIM,
        sex="f",
        approximate_age=25,
        nationality_country="NL",
    )
    SignalPerson.objects.create(signal=s5, role=PersonRole.POSSIBLE_VICTIM, sex="m")
    SignalPerson.objects.create(
        signal=s1,
        role=PersonRole.POSSIBLE_PERPETRATOR,
        sex="m",
        approximate_age=40,
        nationality_country="NG",
    )

    case = Case.objects.create(reference="C-1", municipality=municipality)
    Case.objects.filter(pk=case.pk).update(created_at=at(2025, 2, 1), closed_at=at(2025, 5, 1))
    old = Case.objects.create(reference="C-0", municipality=municipality)
    Case.objects.filter(pk=old.pk).update(created_at=at(2024, 3, 1))
    for kind, when in (
        (InterventionKind.FISCAL, at(2025, 3, 1)),
        (InterventionKind.CLOSURE, at(2025, 4, 1)),
        (InterventionKind.CLOSURE, at(2025, 4, 2)),
        (InterventionKind.CRIMINAL_REPORT, at(2025, 4, 3)),
        (InterventionKind.BIBOB, None),
    ):
        Intervention.objects.create(
            case=case,
            kind=kind,
            description="-",
            proposed_by=af,
            status=InterventionStatus.EXECUTED if when else InterventionStatus.PROPOSED,
            executed_at=when,
        )

    # Outcomes: one victim referred to care, sheltered and registered with CoMensha; one
    # sheltered; one registered the year before; a perpetrator disrupted (not a victim helped).
    def person(role, number, *outcomes):
        p = CasePerson.objects.create(
            case=case, role=role, number=number, name=f"P{number}", name_index=f"k{number}"
        )
        for outcome, when in outcomes:
            CasePersonOutcome.objects.create(person=p, outcome=outcome, recorded_at=when)

    person(
        "victim",
        1,
        ("care", at(2025, 4, 1)),
        ("sheltered", at(2025, 4, 2)),
        ("comensha", at(2025, 4, 3)),
    )
    person("victim", 2, ("sheltered", at(2025, 6, 1)))
    person("victim", 3, ("comensha", at(2024, 6, 1)))
    person("perpetrator", 1, ("disrupted", at(2025, 6, 1)))

    def meeting(kind, when, items):
        m = Meeting.objects.create(
            municipality=municipality,
            meeting_type=kind,
            scheduled_for=when,
            status=MeetingStatus.CLOSED,
            created_by=af,
        )
        for position, item in enumerate(items, 1):
            AgendaItem.objects.create(
                meeting=m,
                position=position,
                **({"signal": item} if isinstance(item, Signal) else {"case": item}),
            )

    meeting(MeetingType.CASE_MEETING, at(2025, 2, 10), [s1, s2, case])
    meeting(MeetingType.CASE_MEETING, at(2025, 3, 10), [s1])
    meeting(MeetingType.RIEC_MEETING, at(2025, 4, 10), [case])
    return municipality, af, board


def _figures(user, period=YEAR):
    context = AccessContext(actor=actor_for(user), access_point="test")
    area = figures_policy.area_for(context.actor)
    return {t.key: t for s in dashboard(context, area, period) for t in s.tables}


def _shown(table, previous=False):
    return {r.key: (r.previous if previous else r.cell).shown for r in table.rows}


def test_the_af_reads_each_breakdown_as_worked_out_by_hand(town):
    _, af, _ = town
    f = _figures(af)
    months = _shown(f["signals_by_month"])
    assert (months["2025-01"], months["2025-03"], months["2025-06"]) == ("2", "2", "5")
    assert sum(int(v) for v in months.values()) == 9
    assert f["signals_by_month"].total.cell.shown == "9"
    assert _shown(f["signals_by_month"], previous=True)["2025-02"] == "2"
    assert f["signals_by_month"].total.previous.shown == "3"
    sources = _shown(f["signals_by_source"])
    assert (sources["own_staff"], sources["housing"], sources["police"], sources["citizen"]) == (
        "1",
        "2",
        "1",
        "5",
    )
    entries = _shown(f["signals_by_entry_point"])
    assert (entries["municipality"], entries["public"], entries["partner"], entries["police"]) == (
        "1",
        "6",
        "1",
        "1",
    )
    forms = _shown(f["signals_by_form"])
    assert (forms["sexual"], forms["labour"], forms["criminal"]) == ("7", "2", "1")
    assert f["signals_by_form"].total.cell.shown == "9"  # signals, not forms
    assert _shown(f["signals_by_routing"])["case_meeting"] == "1"
    assert _shown(f["signals_by_routing"])[""] == "8"


def test_persons_count_by_sex_and_age_band(town):
    _, af, _ = town
    f = _figures(af)
    assert _shown(f["victim_by_sex"]) == {"f": "2", "m": "0", "x": "0", "": "0"} | {"m": "1"}
    assert _shown(f["victim_by_age"])["minor"] == "1"
    assert _shown(f["victim_by_age"])["25_34"] == "1"
    assert _shown(f["victim_by_age"])["unknown"] == "1"
    assert _shown(f["perpetrator_by_age"])["35_49"] == "1"


def test_persons_count_by_nationality_group(town):
    _, af, _ = town
    f = _figures(af)
    assert _shown(f["victim_by_nationality"]) == {
        "nl": "1",
        "eu": "1",
        "non_eu": "0",
        "unknown": "1",
    }
    assert _shown(f["perpetrator_by_nationality"])["non_eu"] == "1"


def test_a_victim_counts_in_every_outcome_and_once_in_the_total(town):
    _, af, board = town
    table = _figures(af)["victims_by_outcome"]
    assert _shown(table) == {"care": "1", "sheltered": "2", "comensha": "1"}
    assert table.total.cell.shown == "2" and table.total.previous.shown == "1"
    assert _shown(table, previous=True) == {"care": "0", "sheltered": "0", "comensha": "1"}
    assert not table.additive
    hidden = _figures(board)["victims_by_outcome"]
    assert set(_shown(hidden).values()) == {"< 5"} and hidden.total.cell.shown == "< 5"


def test_cases_meetings_and_interventions(town):
    _, af, _ = town
    f = _figures(af)
    assert _shown(f["cases"]) == {"opened": "1", "closed": "1"}
    assert _shown(f["cases"], previous=True) == {"opened": "1", "closed": "0"}
    assert _shown(f["discussed"]) == {
        "case_meeting:signal": "2",  # s1 came back: counted once
        "case_meeting:case": "1",
        "riec_meeting:signal": "0",
        "riec_meeting:case": "1",
    }
    assert _shown(f["interventions_by_group"]) == {
        "administrative": "2",
        "fiscal": "1",
        "criminal": "1",
    }
    assert _shown(f["interventions_by_kind"])["bibob"] == "0"  # proposed, not executed


def test_median_and_90th_percentile_in_working_days(town):
    _, af, _ = town
    f = _figures(af)
    # Days to pick-up: 0 1 2 3 3 4 5 8 10 — the 5th of 9 is 3, the 9th (ceil 8.1) is 10.
    assert _shown(f["median_days"])["days_to_pickup"] == "3"
    assert _shown(f["p90_days"])["days_to_pickup"] == "10"
    assert _shown(f["median_days"])["days_to_routing"] == "–"


def test_percentile_is_the_nearest_rank():
    assert percentile({1: 1, 2: 1, 3: 1, 4: 1}, 0.5) == 2
    assert percentile({0: 9, 7: 1}, 0.9) == 0
    assert percentile({0: 9, 7: 1}, 0.91) == 7
    assert percentile({}, 0.5) is None


def test_the_trend_is_good_news_when_more_signals_surface(town):
    _, af, _ = town
    total = _figures(af)["signals_by_month"].total
    assert (total.cell.value, total.previous.value, total.trend) == (9, 3, Trend.UP_GOOD)


def test_the_board_reads_small_counts_as_less_than_five_and_nothing_that_gives_them_away(town):
    _, _, board = town
    f = _figures(board)
    entries = _shown(f["signals_by_entry_point"])
    # 1 + 1 + 1 beside 6 of 9: the three must each be 1, so the 6 is hidden too.
    assert (entries["municipality"], entries["partner"], entries["police"]) == ("< 5", "< 5", "< 5")
    assert entries["public"] == "x"
    assert f["signals_by_entry_point"].total.cell.shown == "9"
    sources = _shown(f["signals_by_source"])
    assert (sources["own_staff"], sources["housing"], sources["citizen"]) == ("< 5", "< 5", "5")
    assert _shown(f["median_days"])["days_to_pickup"] == "3"  # nine signals: enough
    for table in f.values():
        for row in table.rows:
            assert (
                row.cell.suppressed
                or row.cell.value in (None, 0)
                or row.cell.value >= 5
                or table.key in ("median_days", "p90_days")
            )


def test_the_board_of_another_municipality_reads_nothing_of_this_one(town):
    municipality, _, _ = town
    stranger = user_with_role(Role.BOARD_VIEWER, OrganisationFactory())
    area = figures_policy.area_for(actor_for(stranger))
    assert municipality.pk not in area.municipality_ids


def test_working_days_skip_weekends_and_christmas():
    # Thursday 24 December 2026 to Monday 28 December: Christmas, a Saturday, a Sunday.
    assert working_days_between(date(2026, 12, 24), date(2026, 12, 28)) == 1
    assert working_days_between(date(2026, 12, 24), date(2026, 12, 24)) == 0


def test_picking_up_fixes_the_working_days_since_the_report(db):
    from schakel.intake.services import signal_pick_up

    municipality = MunicipalityFactory()
    af = user_with_role(Role.AF_OOV, OrganisationFactory(municipality=municipality))
    reported = timezone.now() - timezone.timedelta(days=10)
    signal = SignalFactory(municipality=municipality, reported_at=reported)
    signal_pick_up(context=AccessContext(actor=actor_for(af), access_point="test"), signal=signal)
    signal.refresh_from_db()
    expected = working_days_between(timezone.localdate(reported), timezone.localdate())
    assert signal.days_to_pickup == expected and 6 <= expected <= 8


def test_the_dashboard_takes_the_same_number_of_queries_whatever_the_data(
    town, django_assert_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    municipality, af, _ = town
    context = AccessContext(actor=actor_for(af), access_point="test")
    area = figures_policy.area_for(context.actor)
    with CaptureQueriesContext(connection) as small:
        dashboard(context, area, YEAR)
    for day in range(1, 29):
        s = SignalFactory(
            municipality=municipality, reported_at=at(2025, 8, day), forms=["sexual", "labour"]
        )
        SignalPerson.objects.create(
            signal=s, role=PersonRole.POSSIBLE_VICTIM, sex="x", nationality_country="UA"
        )
    with CaptureQueriesContext(connection) as larger:
        dashboard(context, area, YEAR)
    assert len(small) == len(larger) <= 36  # six of them count the trainings (network/figures.py)
