"""Lists that scale: the AF's queue, My reports, the case list, Shared with me and the meetings
page on the server, filter and sort in the URL, cost as many queries for forty rows as for three,
and a filter never shows anyone more than the list does without it."""

from __future__ import annotations

import re
from datetime import date, datetime, time, timedelta
from itertools import cycle

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from schakel.cases.choices import AgreementStatus, CaseStatus, DirectionHolder, LegalBasis
from schakel.cases.models import Agreement, Case, CaseParticipant
from schakel.intake.choices import EntryPoint, SignalStatus
from schakel.intake.deadlines import deadline_state, deadlines_for, due_this_week_q, overdue_q
from schakel.intake.models import Signal
from schakel.meetings.choices import MeetingStatus
from schakel.meetings.models import Meeting
from schakel.organisations.choices import MeetingType

from .factories import OrganisationFactory, SignalFactory
from .world import World, build_world

pytestmark = pytest.mark.django_db

SIGNAL_REF = re.compile(r'href="/signals/(MH-[^/"]+)/"')
CASE_REF = re.compile(r'href="/cases/(CA-[^/"]+)/"')
MEETING_REF = re.compile(r'href="/meetings/(\d+)/"')


@pytest.fixture
def world() -> World:
    return build_world()


def days_ago(days: int) -> datetime:
    return timezone.make_aware(datetime.combine(timezone.localdate() - timedelta(days), time(12)))


STATUSES = cycle(
    [SignalStatus.NEW, SignalStatus.IN_PROGRESS, SignalStatus.ROUTED, SignalStatus.NEW]
)
ENTRY_POINTS = cycle([EntryPoint.MUNICIPALITY, EntryPoint.POLICE, EntryPoint.CARE])
FORMS = cycle([["labour"], ["sexual"], ["labour", "criminal"]])
HOLDERS = cycle(DirectionHolder.values)
TYPES = cycle([MeetingType.CASE_MEETING, MeetingType.RIEC_MEETING])


def add_signals(world: World, number: int, *, start: int = 0) -> list[Signal]:
    """Signals of the world's municipality, reported by its reporter through several
    organisations, over the past weeks, in every open status."""
    organisations = [world.orgs["municipality"], world.orgs["avim"], world.orgs["zc"]]
    return [
        SignalFactory(
            municipality=world.municipality,
            reporter=world.users["reporter"],
            reporter_organisation=organisations[n % 3],
            status=next(STATUSES),
            entry_point=next(ENTRY_POINTS),
            forms=next(FORMS),
            reported_at=days_ago((start + n) % 30),
            feedback_at=timezone.now() if n % 5 == 0 else None,
        )
        for n in range(number)
    ]


_cases = iter(range(1, 100_000))


def add_cases(world: World, number: int) -> list[Case]:
    """Open cases of the world's municipality, each shared with the zorgcoördinator, some with
    an overdue agreement, every third one closed."""
    af = world.users["af"]
    cases = []
    for n in range(number):
        case = Case.objects.create(
            reference=f"CA-T{next(_cases):05d}",
            municipality=world.municipality,
            direction_holder=next(HOLDERS),
            status=CaseStatus.CLOSED if n % 3 == 2 else CaseStatus.OPEN,
        )
        case.exploitation_forms.set(world_forms(next(FORMS)))
        CaseParticipant.objects.create(
            case=case,
            organisation=world.orgs["zc"],
            legal_basis=LegalBasis.COVENANT,
            justification="Besproken in het casusoverleg",
            added_by=af,
        )
        for due, status in ((-3, AgreementStatus.OPEN), (-1, AgreementStatus.DONE), (5, "open")):
            if n % 2 == 0 or due > 0:
                Agreement.objects.create(
                    case=case,
                    text="Huisbezoek",
                    owner=world.orgs["zc"],
                    due_on=timezone.localdate() + timedelta(days=due),
                    status=status,
                    made_by=af,
                )
        cases.append(case)
    return cases


def world_forms(codes):
    from schakel.catalogue.models import ExploitationForm

    return ExploitationForm.objects.filter(code__in=codes)


def add_meetings(world: World, number: int) -> list[Meeting]:
    af = world.users["af"]
    meetings = []
    for n in range(number):
        meeting = Meeting.objects.create(
            municipality=world.municipality,
            meeting_type=next(TYPES),
            scheduled_for=timezone.now() + timedelta(days=n - number // 2),
            status=MeetingStatus.PLANNED if n >= number // 2 else MeetingStatus.CLOSED,
            created_by=af,
        )
        meeting.invited.set([world.orgs["municipality"], world.orgs["zc"]])
        meetings.append(meeting)
    return meetings


# name, who looks, what fills it, how its rows are found in the page
LISTS = {
    "intake:queue": ("af", add_signals, SIGNAL_REF),
    "intake:mine": ("reporter", add_signals, SIGNAL_REF),
    "cases:list": ("af", add_cases, CASE_REF),
    "cases:shared": ("zc", add_cases, CASE_REF),
    "meetings:list": ("af", add_meetings, MEETING_REF),
}


def shown(client, name: str, query: str = "") -> list[str]:
    response = client.get(f"{reverse(name)}?{query}")
    assert response.status_code == 200, (name, query)
    return LISTS[name][2].findall(response.content.decode())


# --- Constant query count ---------------------------------------------------------------------


@pytest.mark.parametrize("name", LISTS)
def test_a_list_costs_as_many_queries_for_forty_rows_as_for_three(client, world, name):
    who, add, pattern = LISTS[name]
    client.force_login(world.users[who])
    counts, rows = [], []
    for total in (3, 40):
        add(world, total - sum(rows))
        client.get(reverse(name))  # warm up: the first audit entry starts the chain
        with CaptureQueriesContext(connection) as queries:
            response = client.get(reverse(name))
        counts.append(len(queries))
        rows.append(len(pattern.findall(response.content.decode())) - sum(rows))
    assert rows[0] >= 2 and sum(rows) >= 26  # the page grew: the larger list was really shown
    assert counts[0] == counts[1], counts
    print(f"{name}: {counts[0]} queries for {rows[0]} and for {sum(rows)} rows")


def test_a_full_page_costs_one_query_more_the_bounded_count(client, world):
    client.force_login(world.users["af"])
    add_meetings(world, 10)
    client.get(reverse("meetings:list"))
    with CaptureQueriesContext(connection) as short:
        client.get(reverse("meetings:list"))
    add_meetings(world, 60)
    with CaptureQueriesContext(connection) as full:
        response = client.get(reverse("meetings:list"))
    assert len(full) == len(short) + 1
    assert len(MEETING_REF.findall(response.content.decode())) == 50
    page = response.context["meetings"]
    assert (page.count, page.has_next) == (70, True)


# --- Pages ------------------------------------------------------------------------------------


def test_the_queue_shows_new_signals_above_those_in_hand_each_paging_on_its_own(client, world):
    add_signals(world, 130)
    client.force_login(world.users["af"])
    response = client.get(reverse("intake:queue"), {"pagina_in_behandeling": "2"})
    queue = response.context["queue"]
    assert {i.signal.status for i in queue.new} == {SignalStatus.NEW}
    assert {i.signal.status for i in queue.in_hand} <= {
        SignalStatus.IN_PROGRESS,
        SignalStatus.ROUTED,
    }
    assert (queue.new.number, queue.in_hand.number) == (1, 2)
    assert len(queue.new) == 50 and len(queue.in_hand) == 16  # 65 new, 65 + 1 in hand
    assert (queue.new.count, queue.in_hand.count) == (65, 66)
    html = response.content.decode()
    assert html.index('data-testid="pagination"') < html.index("<h2>")
    # The new signals' next page keeps the in-hand list on its second page.
    assert 'href="?pagina_in_behandeling=2&amp;pagina=2"' in html


def test_only_the_rows_shown_are_audited(client, world):
    from schakel.audit.models import AuditEvent

    add_signals(world, 130)
    client.force_login(world.users["af"])
    response = client.get(reverse("intake:queue"))
    queue = response.context["queue"]
    event = AuditEvent.objects.filter(purpose="work queue").latest("id")
    expected = {str(i.signal.pk) for i in [*queue.new, *queue.in_hand]}
    assert set(event.object_ids) == expected and len(expected) == 100


# --- Filters ----------------------------------------------------------------------------------


def test_the_queue_filters_by_status_entry_point_and_form(client, world):
    add_signals(world, 24)
    client.force_login(world.users["af"])
    queue = client.get(reverse("intake:queue"), {"status": "new"}).context["queue"]
    assert len(queue.new) == 12 and len(queue.in_hand) == 0
    police = client.get(reverse("intake:queue"), {"entry_point": "police"}).context["queue"]
    signals = [i.signal for i in [*police.new, *police.in_hand]]
    assert len(signals) == 8 and {s.entry_point for s in signals} == {EntryPoint.POLICE}
    sexual = client.get(reverse("intake:queue"), {"exploitation_form": "sexual"}).context["queue"]
    signals = [i.signal for i in [*sexual.new, *sexual.in_hand]]
    assert len(signals) == 8
    assert all("sexual" in {f.code for f in s.exploitation_forms.all()} for s in signals)


def test_the_queue_filters_by_deadline_as_the_signal_page_judges_it(client, world):
    signals = add_signals(world, 30)
    client.force_login(world.users["af"])
    queue = client.get(reverse("intake:queue"), {"deadline": "overdue"}).context["queue"]
    shown_overdue = {i.signal.reference for i in [*queue.new, *queue.in_hand]}
    expected = {s.reference for s in signals if deadline_state(s).overdue}
    assert shown_overdue == expected and expected
    assert all(i.overdue for i in [*queue.new, *queue.in_hand])


def _due_this_week(signal: Signal, today: date) -> bool:
    sunday = today + timedelta(days=6 - today.weekday())
    due = deadlines_for(signal.reported_at)
    first = signal.status == SignalStatus.NEW and today <= due.first_action_due <= sunday
    feedback = (
        signal.status != SignalStatus.CLOSED
        and signal.feedback_at is None
        and today <= due.feedback_due <= sunday
    )
    return first or feedback


# Around Easter and King's Day, Christmas, a Monday, a Friday and a Sunday.
TODAYS = [
    date(2026, 4, 7),
    date(2026, 4, 28),
    date(2026, 12, 28),
    date(2026, 6, 8),
    date(2026, 6, 12),
]
TODAYS.append(date(2026, 6, 14))


@pytest.mark.parametrize("today", TODAYS)
@pytest.mark.parametrize("working_days", [2, 5])
def test_the_deadline_filters_agree_with_the_deadline_rules_every_day(
    settings, world, today, working_days
):
    settings.SCHAKEL_FIRST_ACTION_WORKING_DAYS = working_days
    signals = []
    for age in range(0, 40):
        reported = timezone.make_aware(datetime.combine(today - timedelta(age), time(23, 30)))
        for status, feedback in ((SignalStatus.NEW, None), (SignalStatus.ROUTED, None)):
            signals.append(
                SignalFactory(
                    municipality=world.municipality,
                    status=status,
                    reported_at=reported,
                    feedback_at=feedback,
                )
            )
    base = Signal.objects.filter(pk__in=[s.pk for s in signals])
    overdue = set(base.filter(overdue_q(today)).values_list("reference", flat=True))
    assert overdue == {s.reference for s in signals if deadline_state(s, today).overdue}
    this_week = set(base.filter(due_this_week_q(today)).values_list("reference", flat=True))
    assert this_week == {s.reference for s in signals if _due_this_week(s, today)}
    assert this_week  # something falls due in every week of the year


def test_my_reports_filter_by_status(client, world):
    add_signals(world, 12)
    client.force_login(world.users["reporter"])
    routed = client.get(reverse("intake:mine"), {"status": "routed"}).context["signals"]
    assert len(routed) == 4 and {s.status for s in routed} == {SignalStatus.ROUTED}


def test_the_case_list_shows_open_cases_unless_asked_and_filters_by_holder_form_and_agreements(
    client, world
):
    cases = add_cases(world, 12)
    client.force_login(world.users["af"])
    open_cases = {c.reference for c in cases if c.status == CaseStatus.OPEN}
    assert set(shown(client, "cases:list")) == open_cases
    assert set(shown(client, "cases:list", "status=")) == {c.reference for c in cases}
    holder = DirectionHolder.VEILIG_THUIS
    assert set(shown(client, "cases:list", f"holder={holder}")) == {
        c.reference for c in cases if c.direction_holder == holder and c.status == "open"
    }
    overdue = set(shown(client, "cases:list", "overdue_agreements=on&status="))
    assert overdue == {c.reference for c in cases[::2]}
    sexual = set(shown(client, "cases:list", "exploitation_form=sexual&status="))
    assert sexual == {c.reference for c in cases if c.exploitation_forms.filter(code="sexual")}


def test_the_case_list_counts_the_overdue_agreements_of_each_case(client, world):
    cases = add_cases(world, 2)
    client.force_login(world.users["af"])
    rows = {
        r.case.reference: r.overdue_agreements
        for r in client.get(reverse("cases:list")).context["rows"]
    }
    assert rows == {cases[0].reference: 1, cases[1].reference: 0}


def test_meetings_filter_by_type_and_period(client, world):
    meetings = add_meetings(world, 10)
    client.force_login(world.users["af"])
    riec = set(shown(client, "meetings:list", "meeting_type=riec_meeting"))
    assert riec == {str(m.pk) for m in meetings if m.meeting_type == MeetingType.RIEC_MEETING}
    today = timezone.localdate()
    upcoming = set(shown(client, "meetings:list", "period=upcoming"))
    assert upcoming == {str(m.pk) for m in meetings if timezone.localdate(m.scheduled_for) >= today}
    past = set(shown(client, "meetings:list", "period=past"))
    assert past == {str(m.pk) for m in meetings} - upcoming


# --- Sort -------------------------------------------------------------------------------------


def test_the_queue_sorts_by_received_both_ways_and_says_so_in_the_header(client, world):
    add_signals(world, 8)
    client.force_login(world.users["af"])
    oldest = client.get(reverse("intake:queue"))
    dates = [i.signal.reported_at for i in oldest.context["queue"].new]
    assert dates == sorted(dates)
    newest = client.get(reverse("intake:queue"), {"sort": "-received", "status": "new"})
    dates = [i.signal.reported_at for i in newest.context["queue"].new]
    assert dates == sorted(dates, reverse=True)
    html = newest.content.decode()
    assert '<th scope="col" aria-sort="descending"><a href="?sort=received&amp;status=new">' in html
    assert html.count("aria-sort=") == 1  # the in-hand table is empty: one sorted header


def test_the_case_list_sorts_by_reference_and_status(client, world):
    add_cases(world, 6)
    client.force_login(world.users["af"])
    refs = shown(client, "cases:list", "sort=reference&status=")
    assert refs == sorted(refs)
    rows = client.get(reverse("cases:list"), {"sort": "-status", "status": ""}).context["rows"]
    statuses = [r.case.status for r in rows]
    assert statuses == sorted(statuses, reverse=True)


def test_meetings_sort_by_status_in_the_order_of_their_workflow(client, world):
    add_meetings(world, 6)
    client.force_login(world.users["af"])
    meetings = client.get(reverse("meetings:list"), {"sort": "status"}).context["meetings"]
    order = [MeetingStatus.values.index(m.status) for m in meetings]
    assert order == sorted(order)


@pytest.mark.parametrize("name", LISTS)
@pytest.mark.parametrize(
    "query",
    [
        "sort=nonsense",
        "sort=-",
        "status=bogus&holder=x&deadline=someday&entry_point=moon&exploitation_form=nothing",
        "meeting_type=party&period=1999&municipality=abc",
        "pagina=abc&pagina_in_behandeling=-1",
        "sort=reported_at&sort=reference",
        "municipality=99999999999999999999999",
    ],
)
def test_a_bad_value_in_the_url_shows_the_list_as_without_it(client, world, name, query):
    who, add, _pattern = LISTS[name]
    add(world, 5)
    client.force_login(world.users[who])
    assert shown(client, name, query) == shown(client, name) or "sort=reference" in query


# --- A filter is never a way around the policy ------------------------------------------------

FILTERS = {
    "intake:queue": [
        "status=new",
        "status=closed",
        "deadline=overdue",
        "deadline=this_week",
        "entry_point=police",
        "exploitation_form=labour",
    ],
    "intake:mine": [
        "status=routed",
        "status=closed",
        "entry_point=police",
        "exploitation_form=sexual",
    ],
    "cases:list": [
        "status=closed",
        "holder=veilig_thuis",
        "overdue_agreements=on",
        "exploitation_form=labour",
    ],
    "cases:shared": [
        "status=closed",
        "holder=zvh",
        "overdue_agreements=on",
        "exploitation_form=labour",
    ],
    "meetings:list": [
        "meeting_type=riec_meeting",
        "period=upcoming",
        "period=past",
        "period=this_week",
    ],
}
# Without a filter: every status (the case list shows open cases unless asked).
UNFILTERED = {"cases:list": "status=", "cases:shared": "status="}


def _other_municipality_data(world: World) -> None:
    """Signals, cases and meetings of the neighbouring municipality: no one of Brakelveen sees
    them, whatever the URL asks."""
    other = world.other_municipality
    for n in range(3):
        SignalFactory(municipality=other, reporter=world.other_af, status=SignalStatus.NEW)
        case = Case.objects.create(reference=f"CA-W{n:04d}", municipality=other)
        Meeting.objects.create(
            municipality=other,
            meeting_type=MeetingType.RIEC_MEETING,
            scheduled_for=timezone.now(),
            created_by=world.other_af,
        )
        # A Wolderzijl case with the Brakelveen zorgcoördinator's organisation would be shared:
        # this one is shared with an organisation nobody of the world works for.
        CaseParticipant.objects.create(
            case=case,
            organisation=OrganisationFactory(name=f"Elders {n}", municipality=other),
            legal_basis=LegalBasis.COVENANT,
            justification="Elders besproken",
            added_by=world.other_af,
        )


@pytest.mark.parametrize("name", LISTS)
def test_no_role_sees_more_through_a_filter_than_without_it(client, world, name):
    _who, add, _pattern = LISTS[name]
    add(world, 12)
    _other_municipality_data(world)
    looked, narrowed_some = set(), False
    for key, user in [*world.users.items(), ("other_af", world.other_af)]:
        client.force_login(user)
        response = client.get(reverse(name))
        if response.status_code != 200:
            # Refused without a filter, refused with one.
            for query in FILTERS[name]:
                assert client.get(f"{reverse(name)}?{query}").status_code == response.status_code
            continue
        everything = set(shown(client, name, UNFILTERED.get(name, "")))
        for query in FILTERS[name]:
            narrowed = set(shown(client, name, f"{UNFILTERED.get(name, '')}&{query}"))
            assert narrowed <= everything, (key, query)
            narrowed_some |= bool(everything - narrowed)
        if everything:
            looked.add(key)
    assert looked and narrowed_some  # someone saw the list, and some filter left rows out


def test_the_municipality_filter_offers_only_the_reporting_points_own_municipalities(client, world):
    add_signals(world, 3)
    _other_municipality_data(world)
    client.force_login(world.users["af"])
    theirs = Signal.objects.filter(municipality=world.other_municipality)
    refs = shown(client, "intake:queue", f"municipality={world.other_municipality.pk}")
    assert refs and not set(refs) & {s.reference for s in theirs}
    assert 'name="municipality"' not in client.get(reverse("intake:queue")).content.decode()
