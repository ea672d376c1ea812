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
    response = client.get(reverse("intake:subjects"), {"name": "irina  KOWALCZYK"})
    assert list(response.context["persons"]) == [person]
    search = AuditEvent.objects.get(action="search", user=privacy_officer)
    assert search.subjects == [f"intake.SignalPerson:{person.pk}"]


def test_every_read_of_the_person_shows_up_in_their_access_overview(
    client, privacy_officer, person, af_oov
):
    client.force_login(af_oov)
    client.get(reverse("intake:detail", args=[person.signal.reference]))
    client.force_login(privacy_officer)
    record = client.get(reverse("intake:subject", args=[person.pk])).context["record"]
    assert [(e.user_label, e.purpose) for e in record.accesses] == [
        (af_oov.username, "read signal")
    ]


def test_the_export_holds_the_data_and_who_accessed_it(client, privacy_officer, person, af_oov):
    client.force_login(af_oov)
    client.get(reverse("intake:detail", args=[person.signal.reference]))
    client.force_login(privacy_officer)
    response = client.get(reverse("intake:subject_export", args=[person.pk]))
    export = json.loads(response.content)
    assert export["person"]["name"] == "Irina Kowalczyk"
    assert export["signal"]["reference"] == person.signal.reference
    assert export["accessed_by"][0]["user"] == af_oov.username


def test_a_correction_changes_the_record_and_keeps_the_reason(client, privacy_officer, person):
    client.force_login(privacy_officer)
    response = client.post(
        reverse("intake:subject_correct", args=[person.pk]),
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
    found = client.get(reverse("intake:subjects"), {"name": "Irena Kowalczyk"}).context["persons"]
    assert list(found) == [person]


def test_a_correction_needs_a_reason(client, privacy_officer, person):
    client.force_login(privacy_officer)
    response = client.post(reverse("intake:subject_correct", args=[person.pk]), {"name": "X"})
    assert response.status_code == 400
    person.refresh_from_db()
    assert person.name == "Irina Kowalczyk"


@pytest.mark.parametrize("role", [r for r in Role if r != Role.PRIVACY_OFFICER])
def test_no_other_role_handles_requests_of_persons(client, municipality, person, role):
    client.force_login(user_with_role(role, municipality=municipality))
    assert client.get(reverse("intake:subjects"), {"name": "Irina Kowalczyk"}).status_code == 403
    assert client.get(reverse("intake:subject", args=[person.pk])).status_code == 403
    assert client.get(reverse("intake:subject_export", args=[person.pk])).status_code == 403
    response = client.post(
        reverse("intake:subject_correct", args=[person.pk]), {"name": "X", "reason": "r"}
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
    record = client.get(reverse("intake:subject", args=[person.pk])).context["record"]
    assert {"signal picked_up", "signal enriched"} <= {e.purpose for e in record.accesses}
