"""Trainings (DOMAIN.md §10): who is trained and when a repeat is due, the certification of
hotels and holiday parks at 60% of their staff, the quality framework of subsidised care
partners, and who may record them."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone, translation

from schakel.audit.models import AuditEvent
from schakel.network import certification as rules
from schakel.network import selectors, services
from schakel.network.models import PartnerProfile, TrainingSession, TrainingSetting
from schakel.network.services import SessionInput
from schakel.organisations.choices import OrganisationKind, Role

from .conftest import context_for
from .factories import OrganisationFactory, user_with_role
from .factories_network import hotel, session

TODAY = date(2026, 6, 15)


# --- The rules, exactly -----------------------------------------------------------------------


@pytest.fixture(autouse=True)
def english():
    """The services' refusals are read in English here (the screens speak Dutch)."""
    with translation.override("en"):
        yield


def test_a_repeat_is_due_the_interval_after_the_last_training():
    state = rules.training_state([date(2024, 3, 1), date(2025, 1, 10)], 24, TODAY)
    assert state.last_held_on == date(2025, 1, 10)
    assert state.due_on == date(2027, 1, 10)
    assert state.trained and not state.overdue


def test_a_repeat_is_overdue_the_day_after_it_was_due():
    assert not rules.training_state([date(2024, 6, 15)], 24, TODAY).overdue
    late = rules.training_state([date(2024, 6, 14)], 24, TODAY)
    assert late.overdue and not late.trained


def test_an_organisation_never_trained_is_not_overdue_but_not_trained():
    state = rules.training_state([], 24, TODAY)
    assert state.never_trained and not state.trained and not state.overdue


def test_months_are_added_to_the_last_day_of_a_shorter_month():
    assert rules.add_months(date(2024, 1, 31), 1) == date(2024, 2, 29)
    assert rules.add_months(date(2024, 8, 31), 18) == date(2026, 2, 28)


@pytest.mark.parametrize(("trained", "certified"), [(59, False), (60, True), (61, True)])
def test_hotel_is_certified_from_sixty_percent_of_staff(trained, certified):
    result = rules.certification([(date(2026, 1, 5), trained)], 100, 24, TODAY)
    assert result.trained == trained
    assert result.certified is certified
    assert (result.lapses_on is not None) is certified


def test_sixty_percent_is_counted_in_whole_numbers_not_rounded():
    # 3 of 5 is exactly 60%; 5 of 9 is 55.5% and 6 of 11 is 54.5%: not certified.
    assert rules.certification([(TODAY, 3)], 5, 24, TODAY).certified
    assert not rules.certification([(TODAY, 5)], 9, 24, TODAY).certified
    assert rules.reaches(6, 10) and not rules.reaches(599, 1000)


def test_a_hotel_without_a_staff_count_cannot_be_assessed():
    result = rules.certification([(TODAY, 40)], None, 24, TODAY)
    assert not result.assessable and not result.certified and result.percent is None


def test_the_certification_lapses_when_the_older_trainings_no_longer_reach_sixty_percent():
    """30 trained in 2025 and 40 in 2026 of 100 staff: 70%. When the 2025 training lapses, 40
    are left: the certification lapses the day after that training's repeat was due."""
    attended = [(date(2025, 3, 1), 30), (date(2026, 2, 1), 40)]
    result = rules.certification(attended, 100, 24, TODAY)
    assert result.certified and result.trained == 70
    assert result.lapses_on == date(2027, 3, 2)
    assert not rules.certification(attended, 100, 24, date(2027, 3, 2)).certified
    assert rules.certification(attended, 100, 24, date(2027, 3, 1)).certified


def test_a_certification_that_survives_the_older_trainings_lapses_with_the_newest():
    attended = [(date(2025, 3, 1), 10), (date(2026, 2, 1), 65)]
    assert rules.certification(attended, 100, 24, TODAY).lapses_on == date(2028, 2, 2)


def test_trainings_that_lapsed_do_not_count():
    result = rules.certification([(date(2023, 1, 1), 90)], 100, 24, TODAY)
    assert result.trained == 0 and not result.certified


def test_the_quality_framework_is_met_only_when_all_three_are():
    assert rules.QualityFramework(True, True, True).met
    for parts in ((False, True, True), (True, False, True), (True, True, False)):
        assert not rules.QualityFramework(*parts).met


# --- The status page's selector ---------------------------------------------------------------


@pytest.fixture
def keeper(municipality):
    return user_with_role(Role.AF_ZORG, municipality=municipality)


def test_the_status_shows_certification_repeat_and_quality_framework(municipality, keeper):
    today = timezone.localdate()
    certified = hotel(municipality, staff=10, name="Hotel De Brink")
    short = hotel(municipality, staff=10, name="Vakantiepark Heide")
    hotel(municipality, name="Pension Zonder")
    care = OrganisationFactory(
        municipality=municipality, kind=OrganisationKind.CARE_PROVIDER, name="Zorg Een"
    )
    PartnerProfile.objects.create(
        organisation=care, is_subsidised=True, af_name="A. F.", expertgroep_member=False
    )
    session(municipality, today - timedelta(days=30), [(certified, 6), (short, 5), (care, 2)])
    status = selectors.training_status(context_for(keeper), today=today)
    by_name = {row.organisation.name: row for row in status.rows}
    assert by_name["Hotel De Brink"].certification.certified
    assert not by_name["Vakantiepark Heide"].certification.certified
    assert not by_name["Pension Zonder"].certification.assessable
    framework = by_name["Zorg Een"].framework
    assert framework.basic_training and framework.own_af and not framework.expertgroep
    assert not framework.met
    assert by_name["Zorg Een"].state.due_on == rules.add_months(today - timedelta(days=30), 24)
    assert {r.organisation.name for r in status.hotels} == {
        "Hotel De Brink",
        "Vakantiepark Heide",
        "Pension Zonder",
    }


def test_the_municipality_sets_its_repeat_interval(municipality, keeper):
    services.training_interval_set(context=context_for(keeper), months=12)
    assert selectors.repeat_months(municipality.pk) == 12
    for months in (5, 61):
        with pytest.raises(ValidationError):
            services.training_interval_set(context=context_for(keeper), months=months)
    assert TrainingSetting.objects.get().repeat_after_months == 12


# --- Recording trainings ----------------------------------------------------------------------


def _input(organisation, **changes):
    values = {
        "held_on": timezone.localdate() - timedelta(days=3),
        "title": "Basistraining mensenhandel",
        "audience": "professionals",
        "sector": "care",
        "trainer_name": "CoMensha",
        "attendances": [(organisation.pk, 12)],
        "reporting_route_presented": True,
    }
    return SessionInput(**(values | changes))


def test_a_keeper_records_a_training_with_its_attendances_and_an_audit_entry(municipality, keeper):
    organisation = OrganisationFactory(municipality=municipality)
    made = services.training_session_record(context=context_for(keeper), data=_input(organisation))
    assert made.municipality == municipality
    assert made.attendances.get().participants == 12
    assert AuditEvent.objects.filter(purpose="training recorded").count() == 1


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"held_on": date.today() + timedelta(days=2)}, "future"),
        ({"attendances": []}, "at least one organisation"),
        ({"title": " \u200b "}, "title"),
        ({"trainer_name": ""}, "who gave the training"),
    ],
)
def test_a_training_is_refused_with_a_clear_message(municipality, keeper, changes, message):
    organisation = OrganisationFactory(municipality=municipality)
    with pytest.raises(ValidationError) as refused:
        services.training_session_record(
            context=context_for(keeper), data=_input(organisation, **changes)
        )
    assert any(message in m for m in refused.value.messages)
    assert not TrainingSession.objects.exists()


def test_zero_participants_and_an_organisation_outside_the_region_are_refused(municipality, keeper):
    own = OrganisationFactory(municipality=municipality)
    elsewhere = OrganisationFactory()  # another region
    for attendances, message in (
        ([(own.pk, 0)], "at least 1 participant"),
        ([(elsewhere.pk, 3)], "organisations of the region"),
        ([(own.pk, 2), (own.pk, 3)], "each organisation once"),
    ):
        with pytest.raises(ValidationError) as refused:
            services.training_session_record(
                context=context_for(keeper), data=_input(own, attendances=attendances)
            )
        assert any(message in m for m in refused.value.messages)
    assert not TrainingSession.objects.exists()


@pytest.mark.parametrize(
    "role",
    [Role.BOARD_VIEWER, Role.ZORGCOORDINATOR, Role.FUNCTIONAL_ADMIN, Role.MUNICIPAL_REPORTER],
)
def test_only_the_af_roles_record_trainings(municipality, role):
    user = user_with_role(role, municipality=municipality)
    organisation = OrganisationFactory(municipality=municipality)
    with pytest.raises(PermissionDenied):
        services.training_session_record(context=context_for(user), data=_input(organisation))
    with pytest.raises(PermissionDenied):
        services.training_interval_set(context=context_for(user), months=12)


def test_a_keeper_cannot_change_another_municipalitys_training(
    municipality, other_municipality, keeper
):
    from schakel.core.policies import NotFound

    organisation = OrganisationFactory(municipality=municipality)
    theirs = session(other_municipality, timezone.localdate(), [(organisation, 2)])
    with pytest.raises(NotFound):
        services.training_session_update(
            context=context_for(keeper), session_id=theirs.pk, data=_input(organisation)
        )


def test_the_training_summary_counts_sessions_people_organisations_and_the_route(
    municipality, other_municipality
):
    a, b = (
        OrganisationFactory(municipality=municipality),
        OrganisationFactory(municipality=municipality),
    )
    session(municipality, date(2025, 3, 1), [(a, 4), (b, 6)], reporting_route_presented=True)
    session(municipality, date(2025, 9, 1), [(a, 3)])
    session(municipality, date(2024, 9, 1), [(a, 30)])  # before the stretch
    session(other_municipality, date(2025, 5, 1), [(a, 30)])  # elsewhere
    summary = selectors.training_summary(
        municipality_id=municipality.pk, since=date(2025, 1, 1), until=date(2025, 12, 31)
    )
    assert summary == selectors.TrainingSummary(2, 13, 2, 1, date(2025, 9, 1))


# --- The screens ------------------------------------------------------------------------------


def _post_body(organisation, **changes):
    body = {
        "held_on": (timezone.localdate() - timedelta(days=1)).isoformat(),
        "title": "Training hotelpersoneel",
        "audience": "sector_staff",
        "sector": "hospitality",
        "trainer_organisation": "",
        "trainer_name": "Politie",
        "reporting_route_presented": "on",
        "notes": "",
        "rows-TOTAL_FORMS": "2",
        "rows-INITIAL_FORMS": "0",
        "rows-MIN_NUM_FORMS": "0",
        "rows-MAX_NUM_FORMS": "1000",
        "rows-0-organisation": str(organisation.pk),
        "rows-0-participants": "8",
        "rows-1-organisation": "",
        "rows-1-participants": "",
    }
    return body | changes


def test_a_keeper_records_a_training_on_the_screen(client, municipality, keeper):
    organisation = hotel(municipality, staff=10)
    client.force_login(keeper)
    response = client.post(reverse("network:training_new"), _post_body(organisation))
    assert response.status_code == 302
    assert TrainingSession.objects.get().attendances.get().participants == 8


@pytest.mark.parametrize(
    "changes",
    [
        {},  # replaced by an empty body below
        {"rows-0-participants": "0"},
        {"held_on": "2999-01-01"},
        {"rows-0-organisation": "999999"},
    ],
)
def test_bad_training_input_shows_the_form_again(client, municipality, keeper, changes):
    organisation = hotel(municipality, staff=10)
    client.force_login(keeper)
    body = _post_body(organisation, **changes) if changes else {}
    response = client.post(reverse("network:training_new"), body)
    assert response.status_code == 400
    assert not TrainingSession.objects.exists()


def test_the_wrong_role_cannot_post_a_training(client, municipality):
    organisation = hotel(municipality, staff=10)
    client.force_login(user_with_role(Role.BOARD_VIEWER, municipality=municipality))
    response = client.post(reverse("network:training_new"), _post_body(organisation))
    assert response.status_code == 403
    assert not TrainingSession.objects.exists()


def test_the_board_reads_the_status_page_but_not_the_sessions(client, municipality):
    client.force_login(user_with_role(Role.BOARD_VIEWER, municipality=municipality))
    assert client.get(reverse("network:training_status")).status_code == 200
    assert client.get(reverse("network:trainings")).status_code == 403


def test_the_training_list_and_status_pages_keep_their_queries(
    client, municipality, keeper, django_assert_max_num_queries
):
    for n in range(6):
        organisation = hotel(municipality, staff=10)
        session(municipality, timezone.localdate() - timedelta(days=n), [(organisation, 3)])
    client.force_login(keeper)
    with django_assert_max_num_queries(14):
        assert client.get(reverse("network:trainings")).status_code == 200
    with django_assert_max_num_queries(14):
        assert client.get(reverse("network:training_status")).status_code == 200


# --- The figures ------------------------------------------------------------------------------


def test_the_dashboard_shows_the_trainings_beside_the_previous_period(municipality):
    """Counted as they are, even for the board: training counts are not about persons at risk."""
    from schakel.monitoring.periods import Period
    from schakel.monitoring.policies import Area
    from schakel.monitoring.selectors import dashboard

    a, b = (
        OrganisationFactory(municipality=municipality),
        OrganisationFactory(municipality=municipality),
    )
    session(municipality, date(2025, 3, 1), [(a, 2), (b, 1)], reporting_route_presented=True)
    session(municipality, date(2025, 9, 1), [(a, 3)], audience="municipal_staff", sector="brp")
    session(municipality, date(2024, 4, 1), [(a, 4)])
    board = user_with_role(Role.BOARD_VIEWER, municipality=municipality)
    area = Area(municipality.name, (municipality.pk,), thresholds=((municipality.pk, 5),))
    sections = dashboard(context_for(board), area, Period.year(2025, today=date(2026, 2, 1)))
    trainings = next(s for s in sections if s.key == "trainings")
    summary = {r.key: (r.cell.shown, r.previous.shown) for r in trainings.tables[0].rows}
    assert summary == {
        "sessions": ("2", "1"),
        "participants": ("6", "4"),
        "organisations": ("2", "1"),
        "route_presented": ("1", "0"),
    }
    by_sector = {r.key: r.cell.shown for r in trainings.tables[2].rows}
    assert by_sector["hospitality"] == "1" and by_sector["brp"] == "1"
    assert trainings.tables[2].total.cell.shown == "2"
    people = {r.key: r.cell.shown for r in trainings.tables[3].rows}
    assert people["sector_staff"] == "3" and people["municipal_staff"] == "3"


def test_the_demo_region_shows_a_certified_hotel_an_uncertified_park_and_both_frameworks(
    db,
    demo_settings,
):
    from django.core.management import call_command

    from schakel.network.care_map import Combination
    from schakel.organisations.models import User

    call_command("load_demo")
    status = selectors.training_status(context_for(User.objects.get(username="af.zorg")))
    hotels = {r.organisation.name: r.certification for r in status.hotels}
    assert hotels["Hotel De Zilveren Reiger"].certified
    assert hotels["Hotel De Zilveren Reiger"].lapses_on is not None
    assert not hotels["Vakantiepark De Heidebloem"].certified
    frameworks = {r.organisation.name: r.framework.met for r in status.subsidised}
    assert frameworks == {
        "Stichting Schuilhaven (opvang)": True,
        "Stichting Kompasroos (ambulante hulp)": False,
    }
    board = selectors.training_status(context_for(User.objects.get(username="bestuur")))
    assert board.municipality == status.municipality
    care_map = selectors.care_map_for(context_for(User.objects.get(username="hotel")))
    assert Combination("shelter", "minor", "non_eu", "labour") in care_map.gaps
    assert Combination("shelter", "minor", "eu", "labour") not in care_map.gaps
    assert TrainingSession.objects.filter(reporting_route_presented=False).exists()
    assert TrainingSession.objects.values("municipality").distinct().count() == 2
