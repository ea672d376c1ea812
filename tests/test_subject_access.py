"""Requests of the people in Schakel (AVG art. 15 and 16): the privacy officer finds everything
about a person, sees who accessed it, exports it and corrects it, with a trail."""

import json

import pytest
from django.urls import reverse

from schakel.audit.models import AuditEvent
from schakel.intake.models import SignalPerson
from schakel.organisations.choices import Role

from .factories import SignalFactory, user_with_role

pytestmark = pytest.mark.django_db


@pytest.fixture
def privacy_officer(municipality):
    return user_with_role(Role.PRIVACY_OFFICER, municipality=municipality)


@pytest.fixture
def person(municipality):
    from schakel.core.crypto import blind_index

    signal = SignalFactory(municipality=municipality)
    return SignalPerson.objects.create(
        signal=signal,
        role="victim",
        name="Irina Kowalczyk",
        name_index=blind_index("Irina Kowalczyk", purpose="person-name"),
        date_of_birth="1999",
    )


def test_the_privacy_officer_finds_a_person_by_name_in_any_spelling_case(
    client, privacy_officer, person
):
    client.force_login(privacy_officer)
    response = client.post(reverse("privacy:subjects"), {"name": "irina  KOWALCZYK"})
    assert list(response.context["persons"]) == [person]
    search = AuditEvent.objects.get(
        action="search", user=privacy_officer, purpose="subject access: search by name"
    )
    assert search.subjects == [f"intake.SignalPerson:{person.pk}"]
    in_cases = AuditEvent.objects.get(action="search", purpose__endswith="in cases")
    assert in_cases.subjects == []  # searched, nobody found in a case


def test_the_subject_search_is_sent_by_post_so_names_stay_out_of_urls(
    client, privacy_officer, person
):
    client.force_login(privacy_officer)
    page = client.get(reverse("privacy:subjects")).content.decode()
    assert '<form method="post"' in page and 'autocomplete="off"' in page
    response = client.post(reverse("privacy:subjects"), {"name": "Irina Kowalczyk"})
    assert response.status_code == 200  # the results themselves, no redirect to a URL
    assert person.signal.reference in response.content.decode()
    assert AuditEvent.objects.filter(purpose="subject access: search by name").count() == 1


def test_a_name_in_the_query_string_searches_nothing(client, privacy_officer, person):
    client.force_login(privacy_officer)
    response = client.get(reverse("privacy:subjects"), {"name": "Irina Kowalczyk"})
    assert response.status_code == 200
    assert response.context["persons"] is None and response.context["case_persons"] is None
    assert person.signal.reference not in response.content.decode()
    assert not AuditEvent.objects.filter(action="search").exists()


def test_every_read_of_the_person_shows_up_in_their_access_overview(
    client, privacy_officer, person, af_oov
):
    client.force_login(af_oov)
    client.get(reverse("intake:detail", args=[person.signal.reference]))
    client.force_login(privacy_officer)
    record = client.get(reverse("privacy:subject", args=[person.pk])).context["record"]
    assert [(e.user_label, e.purpose) for e in record.accesses] == [
        (af_oov.username, "read signal")
    ]


def test_the_export_holds_the_data_and_who_accessed_it(client, privacy_officer, person, af_oov):
    client.force_login(af_oov)
    client.get(reverse("intake:detail", args=[person.signal.reference]))
    client.force_login(privacy_officer)
    response = client.get(reverse("privacy:subject_export", args=[person.pk]))
    export = json.loads(response.content)
    assert export["person"]["name"] == "Irina Kowalczyk"
    assert export["signal"]["reference"] == person.signal.reference
    assert export["accessed_by"][0]["user"] == af_oov.username


def test_a_correction_changes_the_record_and_keeps_the_reason(client, privacy_officer, person):
    client.force_login(privacy_officer)
    response = client.post(
        reverse("privacy:subject_correct", args=[person.pk]),
        {
            "name": "Irena Kowalczyk",
            "date_of_birth": "1998",
            "reason": "Verzoek betrokkene 3 maart",
        },
    )
    assert response.status_code == 302
    person.refresh_from_db()
    assert (person.name, person.date_of_birth) == ("Irena Kowalczyk", "1998")
    change = AuditEvent.objects.get(action="change", user=privacy_officer)
    assert sorted(change.fields) == ["date_of_birth", "name"]
    assert "Verzoek betrokkene 3 maart" in change.purpose
    found = client.post(reverse("privacy:subjects"), {"name": "Irena Kowalczyk"}).context["persons"]
    assert list(found) == [person]


def test_a_correction_needs_a_reason(client, privacy_officer, person):
    client.force_login(privacy_officer)
    response = client.post(reverse("privacy:subject_correct", args=[person.pk]), {"name": "X"})
    assert response.status_code == 400
    person.refresh_from_db()
    assert person.name == "Irina Kowalczyk"


@pytest.mark.parametrize("role", [r for r in Role if r != Role.PRIVACY_OFFICER])
def test_no_other_role_handles_requests_of_persons(client, municipality, person, role):
    client.force_login(user_with_role(role, municipality=municipality))
    assert client.post(reverse("privacy:subjects"), {"name": "Irina Kowalczyk"}).status_code == 403
    assert client.get(reverse("privacy:subject", args=[person.pk])).status_code == 403
    assert client.get(reverse("privacy:subject_export", args=[person.pk])).status_code == 403
    response = client.post(
        reverse("privacy:subject_correct", args=[person.pk]), {"name": "X", "reason": "r"}
    )
    assert response.status_code == 403


def test_reporting_handling_and_downloading_are_all_in_the_persons_overview(
    client, privacy_officer, person, af_oov
):
    from schakel.intake import services

    from .conftest import context_for

    services.signal_enrich(
        context=context_for(af_oov), signal=person.signal, kind="note", text="Gebeld met AVIM"
    )
    client.force_login(privacy_officer)
    record = client.get(reverse("privacy:subject", args=[person.pk])).context["record"]
    assert {"signal picked_up", "signal enriched"} <= {e.purpose for e in record.accesses}


# --- Persons in cases ---------------------------------------------------------------------------


@pytest.fixture
def case_person(municipality, af_oov, person):
    """The person of the signal, carried into a case opened from it."""
    from schakel.cases import services as case_services

    from .conftest import context_for

    case = case_services.case_open(
        context=context_for(af_oov),
        signals=[person.signal],
    )
    return case.persons.get()


def test_the_search_finds_the_person_in_signals_and_in_cases(
    client, privacy_officer, person, case_person
):
    client.force_login(privacy_officer)
    found = client.post(reverse("privacy:subjects"), {"name": "Irina Kowalczyk"}).context
    assert list(found["persons"]) == [person]
    assert list(found["case_persons"]) == [case_person]
    page = client.get(reverse("privacy:case_subject", args=[case_person.pk])).content.decode()
    assert "Irina Kowalczyk" in page and case_person.case.reference in page
    # Opening the case as the netwerkregisseur is among the accesses shown.
    assert "verzoek van een betrokkene" in page  # the purpose "subject access", in words


def test_the_export_of_a_case_person_holds_the_case_and_its_accesses(
    client, privacy_officer, case_person
):
    client.force_login(privacy_officer)
    response = client.get(reverse("privacy:case_subject_export", args=[case_person.pk]))
    data = json.loads(response.content)
    assert data["person"]["name"] == "Irina Kowalczyk"
    assert data["case"]["reference"] == case_person.case.reference
    assert data["accessed_by"]  # at least the case being opened with this person


def test_correcting_a_case_person_keeps_a_trail_but_not_the_old_value(
    client, privacy_officer, case_person
):
    from schakel.matching.models import Involvement

    before = set(Involvement.objects.filter(case_person=case_person).values_list("pk", flat=True))
    client.force_login(privacy_officer)
    response = client.post(
        reverse("privacy:case_subject_correct", args=[case_person.pk]),
        {
            "name": "Irina Kowalczyk-Nowak",
            "date_of_birth": "1999",
            "sex": "f",
            "nationality": "",
            "reason": "Verzoek betrokkene van 3 maart",
        },
    )
    assert response.status_code == 302
    case_person.refresh_from_db()
    assert case_person.name == "Irina Kowalczyk-Nowak"
    entry = case_person.case.timeline.get(kind="corrected")
    assert "Kowalczyk" not in entry.text  # the timeline says that, not what
    event = AuditEvent.objects.filter(purpose__startswith="correction").latest("id")
    assert "Verzoek betrokkene" in event.purpose and "name" in event.fields
    # The hit/no-hit registrations were made again from the corrected name.
    after = set(Involvement.objects.filter(case_person=case_person).values_list("pk", flat=True))
    assert after and not after & before


def test_nobody_but_the_privacy_officer_reads_a_case_person_this_way(client, af_oov, case_person):
    client.force_login(af_oov)
    assert client.get(reverse("privacy:case_subject", args=[case_person.pk])).status_code == 403
