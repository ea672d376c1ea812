"""Work overviews: every role's start page says what waits for it, in figures that link to the
list they count and that come through the access policies; 'Mijn acties' shows every kind of
work, the earliest deadline first, bounded, with "and N more" leading to that kind alone; and
neither costs more queries with more data."""

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from schakel.cases import services as case_services
from schakel.cases.choices import LegalBasis
from schakel.cases.models import Case
from schakel.cases.policies import case_policy
from schakel.core.policies import actor_for
from schakel.intake.choices import Routing, SignalStatus
from schakel.intake.deadlines import (
    deadlines_for,
    feedback_overdue,
    feedback_overdue_before,
    first_action_due_by,
    first_action_overdue,
    first_action_overdue_before,
)
from schakel.organisations.choices import Role
from schakel.organisations.models import User
from schakel.worklist import selectors as worklist
from schakel.worklist.sources import Kind

from .factories import OrganisationFactory, SignalFactory, UserFactory, user_with_role
from .world import build_world

AMSTERDAM = ZoneInfo("Europe/Amsterdam")
NO_ROLE = "geen actieve rol"
NOTHING_WAITS = "Er wacht niets op u"


def days_ago(days: int) -> datetime:
    return timezone.now() - timedelta(days=days)


@pytest.fixture
def world(db):
    return build_world()


def home(client, user):
    client.force_login(user)
    response = client.get(reverse("home"))
    assert response.status_code == 200
    return response


def figures_of(response) -> dict[str, list]:
    return {item.url_name: figures for item, figures in response.context["tiles"]}


# --- Every role's start page says something true ----------------------------------------------


@pytest.mark.parametrize("role", list(Role))
def test_no_start_page_says_no_active_role_to_an_account_that_has_one(client, municipality, role):
    user = user_with_role(role, organisation=OrganisationFactory(municipality=municipality))
    response = home(client, user)
    text = response.content.decode()
    assert NO_ROLE not in text
    # Something to go to or to read: a group of tiles or a panel of its own.
    assert response.context["sections"] or response.context["panels"], role


def test_an_account_without_any_role_is_told_so(client, db):
    assert NO_ROLE in home(client, UserFactory()).content.decode()


def test_an_account_with_two_roles_is_asked_to_choose_not_told_it_has_none(client, municipality):
    user = user_with_role(Role.AF_OOV, organisation=OrganisationFactory(municipality=municipality))
    user.memberships.create(organisation=OrganisationFactory(), role=Role.BOARD_VIEWER)
    text = home(client, user).content.decode()
    assert NO_ROLE not in text and 'data-testid="choose-role"' in text


def test_the_board_viewer_finds_its_municipalitys_figures_on_its_start_page(client, world):
    response = home(client, world.users["board"])
    text = response.content.decode()
    assert NO_ROLE not in text
    assert 'data-testid="tile-monitoringdashboard"' in text
    assert world.signal.reference not in text


def test_every_demo_account_finds_its_work_on_its_start_page(client, db, demo_settings):
    from schakel.demo.loader import ACCOUNTS

    call_command("load_demo")
    for username, *_ in ACCOUNTS:
        response = home(client, User.objects.get(username=username))
        assert NO_ROLE not in response.content.decode(), username
        assert response.context["sections"] or response.context["panels"], username
    # Something due this week for the netwerkregisseur, the zorgcoördinator and the inspectorate.
    for username in ("af.oov", "zorgcoordinator", "iszw"):
        actions = figures_of(home(client, User.objects.get(username=username)))["worklist:actions"]
        assert [f.url.rsplit("=", 1)[1] for f in actions] == ["afspraken"], username


def test_the_start_page_reads_like_the_menu(client, world):
    response = home(client, world.users["af"])
    groups = [section.group for section in response.context["sections"]]
    menu = [section.group for section in response.context["menu"]]
    assert groups == menu


# --- The figures come through the access policies ---------------------------------------------


def shared_case(world):
    case = world.open_case(share=("zc", "avim", "vt"))
    af, zc, avim = world.context("af"), world.context("zc"), world.context("avim")
    today = timezone.localdate()
    case_services.agreement_make(
        context=af, case=case, text="Opvang", owner=world.orgs["zc"], due_on=today - timedelta(1)
    )
    case_services.agreement_make(
        context=af, case=case, text="Intake", owner=world.orgs["zc"], due_on=today + timedelta(3)
    )
    case_services.proposal_create(context=zc, case=case, kind="move_victim", text="Verhuizen")
    case_services.intervention_propose(context=avim, case=case, kind="closure", description="Pand")
    return case


def test_my_actions_counts_what_waits_for_each_role_and_links_to_that_kind(client, world):
    shared_case(world)
    zc = figures_of(home(client, world.users["zc"]))["worklist:actions"]
    assert [(f.number, f.urgent, f.url.rsplit("=", 1)[1]) for f in zc] == [
        (1, True, "afspraken"),  # overdue
        (1, False, "afspraken"),  # due within a week
        (1, False, "besluiten"),  # the decision for the case meeting
        (1, False, "instemming"),  # the intervention waiting for the care side
    ]
    af = figures_of(home(client, world.users["af"]))["worklist:actions"]
    # The netwerkregisseur: the care side's overdue agreement in the case it directs.
    assert [(f.number, f.url.rsplit("=", 1)[1]) for f in af] == [(1, "regie"), (1, "besluiten")]
    avim = figures_of(home(client, world.users["avim"]))["worklist:actions"]
    assert avim == []  # not its agreements, not its acknowledgement: nothing counted
    assert figures_of(home(client, world.other_af))["worklist:actions"] == []


def test_meetings_this_week_count_only_for_the_invited(client, world):
    world.case_meeting(invited=("zc",))
    world.case_meeting(invited=("zc",), scheduled_for=timezone.now() + timedelta(days=15))
    assert [f.number for f in figures_of(home(client, world.users["zc"]))["meetings:list"]] == [1]
    assert [f.number for f in figures_of(home(client, world.users["avim"]))["meetings:list"]] == [0]


def test_figures_show_no_case_data(client, world):
    shared_case(world)
    text = home(client, world.users["zc"]).content.decode()
    assert "Opvang" not in text and world.cases[0].reference not in text


# --- Mijn acties ------------------------------------------------------------------------------


def test_my_actions_never_says_nothing_waits_while_a_new_signal_waits(client, af_oov, municipality):
    signal = SignalFactory(municipality=municipality)  # new, its deadline not yet passed
    client.force_login(af_oov)
    text = client.get(reverse("worklist:actions")).content.decode()
    assert NOTHING_WAITS not in text
    assert signal.reference in text


def test_my_actions_says_nothing_waits_when_nothing_does(client, other_af_oov, municipality):
    SignalFactory(municipality=municipality)  # another municipality's
    client.force_login(other_af_oov)
    assert NOTHING_WAITS in client.get(reverse("worklist:actions")).content.decode()


def test_my_actions_shows_the_earliest_deadlines_and_leads_to_the_rest_paged(
    client, af_oov, municipality, monkeypatch
):
    monkeypatch.setattr(worklist, "LIMIT", 2)
    signals = [SignalFactory(municipality=municipality, reported_at=days_ago(d)) for d in (1, 9, 4)]
    oldest_first = sorted(signals, key=lambda s: s.reported_at)
    client.force_login(af_oov)
    response = client.get(reverse("worklist:actions"))
    (section,) = response.context["actions"].sections
    assert [i.signal for i in section.rows] == oldest_first[:2]
    assert (section.total, section.more) == (3, 1)
    text = response.content.decode()
    assert 'data-testid="more-signalen"' in text and "en 1 meer" in text

    alone = client.get(reverse("worklist:actions"), {"soort": "signalen"})
    assert [i.signal for i in alone.context["rows"]] == oldest_first
    assert alone.context["page"].count == 3


def test_my_actions_of_one_kind_is_empty_for_a_role_it_is_not_for(client, world):
    shared_case(world)
    client.force_login(world.users["avim"])
    response = client.get(reverse("worklist:actions"), {"soort": "afspraken"})
    assert response.status_code == 200 and response.context["rows"] == []
    assert "Opvang" not in response.content.decode()


# --- A constant number of queries -------------------------------------------------------------


def add_work(world, n: int) -> None:
    """n more of every kind of work: new and late signals, cases with agreements, decisions,
    interventions and referrals, meetings this week, reports of the reporter."""
    af, zc = world.context("af"), world.context("zc")
    today = timezone.localdate()
    for i in range(n):
        SignalFactory(municipality=world.municipality, reporter=world.users["reporter"])
        SignalFactory(municipality=world.municipality, reported_at=days_ago(20 + i))
        signal = SignalFactory(
            municipality=world.municipality,
            status=SignalStatus.ROUTED,
            routing=Routing.CASE_MEETING,
            routed_at=timezone.now(),
        )
        case = case_services.case_open(context=af, signals=[signal])
        for key in ("zc", "avim", "vt"):
            case_services.case_add_participant(
                context=af,
                case=case,
                organisation=world.orgs[key],
                legal_basis=LegalBasis.COVENANT if key != "vt" else LegalBasis.PSEUDONYMS_ONLY,
                justification="Casusoverleg",
            )
        for owner, due in (("zc", -2), ("avim", 2), ("vt", -1)):
            case_services.agreement_make(
                context=af,
                case=case,
                text=f"Afspraak {i}",
                owner=world.orgs[owner],
                due_on=today + timedelta(due),
            )
        case_services.proposal_create(context=zc, case=case, kind="move_victim", text="Verhuizen")
        case_services.intervention_propose(
            context=world.context("avim"), case=case, kind="closure", description="Sluiten"
        )
        case_services.referral_make(
            context=zc, case=case, to_organisation=world.orgs["vt"], reason="Opvang"
        )
        world.case_meeting(invited=("zc", "avim"))


def queries(client, user, url) -> int:
    client.force_login(user)
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


ROLES_TO_COUNT = ("af", "zc", "vt", "avim", "iszw", "reporter", "school", "board", "privacy")


def test_the_start_page_costs_the_same_queries_at_two_sizes(client, world):
    add_work(world, 1)
    small = {key: queries(client, world.users[key], reverse("home")) for key in ROLES_TO_COUNT}
    add_work(world, 4)
    large = {key: queries(client, world.users[key], reverse("home")) for key in ROLES_TO_COUNT}
    assert large == small


def test_my_actions_costs_the_same_queries_at_two_sizes(client, world, monkeypatch):
    monkeypatch.setattr(worklist, "LIMIT", 2)  # both sizes fill every kind past the limit
    add_work(world, 3)
    url = reverse("worklist:actions")
    small = {key: queries(client, world.users[key], url) for key in ("af", "zc", "vt", "avim")}
    add_work(world, 3)
    large = {key: queries(client, world.users[key], url) for key in ("af", "zc", "vt", "avim")}
    assert large == small
    client.force_login(world.users["af"])
    shown = client.get(url).context["actions"]
    assert all(len(section.rows) <= 2 for section in shown.sections)
    assert any(section.more for section in shown.sections)


# --- The database bounds decide as the one place does -----------------------------------------


@pytest.mark.parametrize("working_days", [0, 1, 5, 20])
@pytest.mark.parametrize(
    "today",
    [date(2026, 12, 28), date(2027, 1, 4), date(2026, 4, 7), date(2026, 5, 15), date(2026, 6, 1)],
)
def test_the_bound_on_the_report_time_agrees_with_the_deadlines(settings, working_days, today):
    """Around Christmas, Easter, Ascension and Whitsun: a report before the bound is overdue,
    one at or after it is not, at every hour of the day it was made."""
    settings.SCHAKEL_FIRST_ACTION_WORKING_DAYS = working_days
    overdue_before = first_action_overdue_before(today)
    due_by_today = first_action_due_by(today)
    feedback_before = feedback_overdue_before(today)
    for days in range(0, 45):
        for hour in (0, 12, 23):
            reported = datetime.combine(today - timedelta(days), time(hour, 59), AMSTERDAM)
            overdue = first_action_overdue(status="new", reported_at=reported, today=today)
            assert (reported < overdue_before) is overdue, (days, hour)
            due_today = deadlines_for(reported).first_action_due <= today
            assert (reported < due_by_today) is due_today, (days, hour)
            late = feedback_overdue(
                status="in_progress", reported_at=reported, feedback_at=None, today=today
            )
            assert (reported < feedback_before) is late, (days, hour)


def test_the_redaction_filter_reveals_the_persons_to_exactly_whom_the_policy_does(world):
    named = world.open_case(share=("zc",))
    world.signal = SignalFactory(
        municipality=world.municipality,
        status=SignalStatus.ROUTED,
        routing=Routing.CASE_MEETING,
        routed_at=timezone.now(),
    )
    pseudonymised = world.open_case(share=("avim",), basis=LegalBasis.PSEUDONYMS_ONLY)
    for key, user in [*world.users.items(), ("other", world.other_af)]:
        actor = actor_for(user)
        by_filter = set(
            Case.objects.filter(case_policy.reveals_personal_data_q(actor)).values_list(
                "pk", flat=True
            )
        )
        for case in (named, pseudonymised):
            assert (case.pk in by_filter) is case_policy.reveals_personal_data(actor, case), key


@pytest.mark.parametrize("key", ["af", "zc", "vt", "avim", "reporter"])
def test_every_figure_links_to_a_page_its_role_may_open(client, world, key):
    add_work(world, 1)
    figures = [f for fs in figures_of(home(client, world.users[key])).values() for f in fs]
    assert figures and all(f.url for f in figures)
    for figure in figures:
        assert client.get(figure.url).status_code == 200, figure.url


@pytest.mark.parametrize("key", ["af", "zc", "avim", "ovj", "basisteam"])
def test_every_kind_of_my_actions_opens_alone_for_every_case_role(client, world, key):
    shared_case(world)
    client.force_login(world.users[key])
    for kind in Kind:
        response = client.get(reverse("worklist:actions"), {"soort": kind.value})
        assert response.status_code == 200, kind
    assert client.get(reverse("worklist:actions"), {"soort": "onzin"}).status_code == 200
