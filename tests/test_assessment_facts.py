"""The facts Schakel shows beside a question: counted from the municipality's own data, with
their source and date, a suggested level that is never an answer, and kept with a final
assessment as they stood when it was finalised."""

from datetime import timedelta

import pytest
from django.utils import timezone, translation

from schakel.assessment import facts, selectors, services
from schakel.assessment.models import Answer
from schakel.meetings.choices import MeetingStatus
from schakel.organisations.choices import MeetingType

from .factories import SignalFactory, case_meeting
from .factories_assessment import fill, load_v1
from .world import build_world

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


@pytest.fixture
def world():
    return build_world()


def test_an_active_af_oov_is_a_fact_suggesting_level_two(world):
    fact = facts.af_oov_active(world.municipality, timezone.localdate())
    assert fact.value == "yes" and fact.suggested_level == 2
    assert fact.source and fact.as_of == timezone.localdate().isoformat()
    assert facts.af_oov_active(world.other_municipality, timezone.localdate()).suggested_level == 2


def test_meetings_held_in_the_last_twelve_months_are_counted_per_type(world):
    case_meeting(organiser=world.users["af"], invited=[])
    case_meeting(
        organiser=world.users["af"],
        invited=[],
        scheduled_for=timezone.now() - timedelta(days=400),
    )
    case_meeting(organiser=world.users["af"], invited=[], status=MeetingStatus.PLANNED)
    fact = facts.meetings_held(world.municipality, timezone.localdate())
    assert fact.value == "1 / 0" and fact.suggested_level == 1
    case_meeting(organiser=world.users["af"], invited=[], meeting_type=MeetingType.RIEC_MEETING)
    assert facts.meetings_held(world.municipality, timezone.localdate()).value == "1 / 1"


def test_covenants_in_force_are_those_the_municipalitys_organisations_signed(world):
    fact = facts.covenants_in_force(world.municipality, timezone.localdate())
    assert fact.value == "1" and fact.suggested_level == 2
    assert facts.covenants_in_force(world.other_municipality, timezone.localdate()).value == "0"


def test_feedback_on_time_is_the_share_of_signals_past_their_term(world, settings):
    settings.SCHAKEL_FEEDBACK_DAYS = 14
    now = timezone.now()
    for reported, feedback in (
        (now - timedelta(days=30), now - timedelta(days=25)),  # on time
        (now - timedelta(days=60), now - timedelta(days=20)),  # late
        (now - timedelta(days=40), None),  # overdue, none given
        (now - timedelta(days=2), None),  # term not passed yet: not counted
    ):
        SignalFactory(municipality=world.municipality, reported_at=reported, feedback_at=feedback)
    # world.signal was reported now: not due yet either
    fact = facts.feedback_on_time(world.municipality, timezone.localdate())
    assert fact.value == "33%"
    assert fact.suggested_level == 1


def test_trainings_given_count_the_last_twelve_months_and_suggest_a_level(world):
    from .factories_network import hotel, session

    today = timezone.localdate()
    fact = facts.trainings_given(world.municipality, today)
    assert fact.value == "0" and fact.suggested_level == 0
    hotel_staff = [(hotel(world.municipality, staff=10), 6)]
    too_old = today - timedelta(days=400)
    session(world.municipality, too_old, hotel_staff, reporting_route_presented=True)
    session(world.municipality, today - timedelta(days=30), hotel_staff)
    fact = facts.trainings_given(world.municipality, today)
    assert fact.params["sessions"] == 1 and fact.suggested_level == 1
    session(world.municipality, today - timedelta(days=3), reporting_route_presented=True)
    fact = facts.trainings_given(world.municipality, today)
    assert fact.params["sessions"] == 2 and fact.params["route_presented"] == 1
    assert fact.suggested_level == 2 and fact.source == "Trainings (network)"


def test_a_kept_fact_is_written_in_the_readers_language(world):
    kept = facts.from_snapshot(
        {
            "covenants_in_force": facts.covenants_in_force(
                world.municipality, timezone.localdate()
            ).as_dict()
        }
    )["covenants_in_force"]
    assert "in force today" in kept.text
    with translation.override("nl"):
        assert "van kracht" in kept.text


def test_a_suggested_level_is_never_an_answer_and_a_final_keeps_its_facts(world):
    load_v1()
    af = world.context("af")
    assessment = services.assessment_start(context=af, year=2025)
    page = selectors.questionnaire(af, assessment, "network")
    direction = next(q for q in page.questions if q.condition.code == "network-direction")
    assert [f.key for f in direction.facts] == ["af_oov_active"]
    assert direction.level is None and not Answer.objects.filter(assessment=assessment).exists()
    fill(af, assessment, {}, default=1)
    services.assessment_finalise(context=af, assessment=assessment)
    # the AF leaves: the final assessment still shows the fact as it was
    world.users["af"].memberships.update(is_active=False)
    assert facts.af_oov_active(world.municipality, timezone.localdate()).value == "no"
    board = world.context("board")
    page = selectors.questionnaire(
        board, selectors.assessment_get_for(board, assessment.pk), "network"
    )
    direction = next(q for q in page.questions if q.condition.code == "network-direction")
    assert direction.facts[0].value == "yes" and direction.facts[0].suggested_level == 2
