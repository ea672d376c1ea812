"""The thinnest slice: a municipal employee reports, the AF of that municipality picks it up."""

import uuid
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from schakel.audit.models import AuditEvent
from schakel.intake.choices import EntryPoint, SignalStatus
from schakel.intake.models import Signal
from schakel.organisations.choices import Role

from .factories import SignalFactory, user_with_role

pytestmark = pytest.mark.django_db


def report_data(user, **overrides):
    membership = user.memberships.get()
    data = {
        "reporting_as": f"{membership.organisation_id}:{membership.role}",
        "municipality": membership.organisation.municipality_id,
        "observed_on": timezone.localdate().isoformat(),
        "place": "Wijk De Heikant",
        "exploitation_forms": ["labour"],
        "description": "Vier mannen, één begeleider die alle paspoorten vasthield.",
        "submission_token": str(uuid.uuid4()),
    }
    data.update(overrides)
    return data


def test_municipal_employee_reports_a_signal_and_gets_a_reference(client, municipal_reporter):
    client.force_login(municipal_reporter)
    response = client.post(reverse("intake:report"), report_data(municipal_reporter))
    signal = Signal.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("intake:received", args=[signal.reference])
    page = client.get(response["Location"])
    assert signal.reference in page.content.decode()
    assert signal.entry_point == EntryPoint.MUNICIPALITY
    assert signal.status == SignalStatus.NEW
    assert signal.reporter == municipal_reporter
    assert [f.code for f in signal.exploitation_forms.all()] == ["labour"]


def test_the_af_of_that_municipality_sees_it_in_new_signals(client, municipal_reporter, af_oov):
    client.force_login(municipal_reporter)
    client.post(reverse("intake:report"), report_data(municipal_reporter))
    signal = Signal.objects.get()
    client.force_login(af_oov)
    queue = client.get(reverse("intake:queue"))
    assert signal.reference in queue.content.decode()
    detail = client.get(reverse("intake:detail", args=[signal.reference]))
    assert detail.status_code == 200
    assert "paspoorten" in detail.content.decode()


@pytest.mark.parametrize("who", ["other_af_oov", "hotel_reporter"])
def test_others_cannot_see_it_in_a_list_or_by_its_address(client, municipal_reporter, who, request):
    signal = SignalFactory(
        municipality=municipal_reporter.memberships.get().organisation.municipality,
        reporter=municipal_reporter,
    )
    client.force_login(request.getfixturevalue(who))
    for name in ("intake:queue", "intake:mine"):
        response = client.get(reverse(name))
        assert signal.reference not in response.content.decode()
    for name in ("intake:detail", "intake:received"):
        assert client.get(reverse(name, args=[signal.reference])).status_code == 404


def test_the_queue_is_for_the_reporting_point_only(client, municipal_reporter):
    client.force_login(municipal_reporter)
    assert client.get(reverse("intake:queue")).status_code == 403


def test_submitting_the_same_form_twice_yields_one_signal(client, municipal_reporter):
    client.force_login(municipal_reporter)
    data = report_data(municipal_reporter)
    first = client.post(reverse("intake:report"), data)
    second = client.post(reverse("intake:report"), data)
    assert Signal.objects.count() == 1
    assert first["Location"] == second["Location"]


def test_invalid_input_is_explained_next_to_the_field_and_kept(client, municipal_reporter):
    client.force_login(municipal_reporter)
    future = (timezone.localdate() + timedelta(days=2)).isoformat()
    data = report_data(
        municipal_reporter, observed_on=future, exploitation_forms=["unknown", "sexual"], place=""
    )
    response = client.post(reverse("intake:report"), data)
    html = response.content.decode()
    assert response.status_code == 200
    assert Signal.objects.count() == 0
    assert "kan niet in de toekomst liggen" in html
    assert "kan niet worden gecombineerd" in html
    assert "Dit veld is verplicht" in html
    assert "alle paspoorten vasthield" in html  # what was typed is still there


def test_a_reporter_cannot_report_for_an_organisation_they_do_not_belong_to(
    client, municipal_reporter, other_municipality
):
    stranger = user_with_role(Role.MUNICIPAL_REPORTER, municipality=other_municipality)
    data = report_data(municipal_reporter)
    client.force_login(stranger)
    response = client.post(reverse("intake:report"), data)
    assert response.status_code == 200
    assert Signal.objects.count() == 0


def test_a_regional_reporter_chooses_the_municipality(client, municipality, other_municipality):
    from .factories import OrganisationFactory

    zc_org = OrganisationFactory(regional=True, region=municipality.region)
    zc = user_with_role(Role.ZORGCOORDINATOR, organisation=zc_org)
    client.force_login(zc)
    response = client.post(
        reverse("intake:report"), report_data(zc, municipality=other_municipality.pk)
    )
    assert response.status_code == 302
    signal = Signal.objects.get()
    assert signal.municipality == other_municipality
    assert signal.entry_point == EntryPoint.CARE


def test_reading_a_signal_is_audited_with_who_what_and_where(client, af_oov, municipality):
    signal = SignalFactory(municipality=municipality)
    client.force_login(af_oov)
    client.get(reverse("intake:detail", args=[signal.reference]))
    event = AuditEvent.objects.get(action="read")
    assert event.user == af_oov
    assert event.object_ids == [str(signal.pk)]
    assert "description" in event.fields
    assert event.access_point == f"GET {reverse('intake:detail', args=[signal.reference])}"
    assert event.ip_address == "127.0.0.1"


def test_listing_the_queue_is_audited(client, af_oov, municipality):
    signals = SignalFactory.create_batch(3, municipality=municipality)
    client.force_login(af_oov)
    client.get(reverse("intake:queue"))
    event = AuditEvent.objects.get(action="list")
    assert sorted(event.object_ids) == sorted(str(s.pk) for s in signals)


def test_the_queue_needs_the_same_number_of_queries_for_2_or_20_signals(
    client, af_oov, municipality
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(af_oov)
    counts = []
    for batch in (2, 18):
        SignalFactory.create_batch(batch, municipality=municipality)
        client.get(reverse("intake:queue"))  # warm up: the first audit entry creates the chain head
        with CaptureQueriesContext(connection) as queries:
            response = client.get(reverse("intake:queue"))
        counts.append(len(queries))
    assert response.content.decode().count('href="/signals/MH-') == 20
    assert counts[0] == counts[1] <= 20


def test_the_queue_shows_new_signals_oldest_first_then_those_in_hand(client, af_oov, municipality):
    old = SignalFactory(municipality=municipality, reported_at=timezone.now() - timedelta(days=6))
    new = SignalFactory(municipality=municipality)
    routed = SignalFactory(municipality=municipality, status=SignalStatus.ROUTED)
    SignalFactory(municipality=municipality, status=SignalStatus.CLOSED, reference="MH-2026-CLOSED")
    client.force_login(af_oov)
    response = client.get(reverse("intake:queue"))
    queue = response.context["queue"]
    assert [item.signal for item in queue.new] == [old, new]
    assert [item.signal for item in queue.in_hand] == [routed]
    assert "MH-2026-CLOSED" not in response.content.decode()
