"""The privacy officer searches and exports the audit log; nobody else opens it."""

import csv
import io

import pytest
from django.urls import reverse

from schakel.audit.models import AuditEvent
from schakel.organisations.choices import Role

from .factories import SignalFactory, user_with_role

pytestmark = pytest.mark.django_db


@pytest.fixture
def privacy_officer(municipality):
    return user_with_role(Role.PRIVACY_OFFICER, municipality=municipality)


@pytest.fixture
def reads(client, af_oov, municipality):
    signals = SignalFactory.create_batch(3, municipality=municipality)
    client.force_login(af_oov)
    for signal in signals:
        client.get(reverse("intake:detail", args=[signal.reference]))
    client.logout()
    return signals


def test_privacy_officer_finds_who_read_a_signal(client, privacy_officer, reads, af_oov):
    client.force_login(privacy_officer)
    target = reads[1]
    response = client.get(
        reverse("audit:log"), {"object_type": "intake.Signal", "object_id": target.pk}
    )
    assert response.status_code == 200
    rows = [entry.event for entry in response.context["page"]]
    assert [(e.user_label, e.object_ids) for e in rows] == [(af_oov.username, [str(target.pk)])]


def test_searching_and_exporting_are_themselves_logged(client, privacy_officer, reads):
    client.force_login(privacy_officer)
    client.get(reverse("audit:log"), {"person": "nobody"})
    client.get(reverse("audit:export"))
    mine = AuditEvent.objects.filter(user=privacy_officer).order_by("id")
    assert [e.action for e in mine] == ["search", "export"]
    assert "person=nobody" in mine[0].purpose


def test_the_export_is_a_csv_with_the_nen_7513_columns(client, privacy_officer, reads):
    client.force_login(privacy_officer)
    response = client.get(reverse("audit:export"), {"action": "read"})
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert len(rows) == 3
    assert {
        "occurred_at",
        "user_label",
        "roles",
        "access_point",
        "ip_address",
        "object_ids",
        "fields",
        "purpose",
        "entry_mac",
        "chain_hash",
    } <= set(rows[0])


def test_an_end_date_before_the_start_date_is_explained(client, privacy_officer):
    client.force_login(privacy_officer)
    response = client.get(
        reverse("audit:log"), {"date_from": "2026-11-10", "date_to": "2026-11-01"}
    )
    assert response.status_code == 200
    assert response.context["form"].errors["date_to"]


@pytest.mark.parametrize("role", [r for r in Role if r != Role.PRIVACY_OFFICER])
def test_no_other_role_reads_the_audit_log(client, municipality, role):
    client.force_login(user_with_role(role, municipality=municipality))
    assert client.get(reverse("audit:log")).status_code == 403
    assert client.get(reverse("audit:export")).status_code == 403


# --- The trail in words -----------------------------------------------------------------------


def test_the_trail_says_in_words_what_the_log_holds_as_codes(client, privacy_officer, reads):
    client.force_login(privacy_officer)
    page = client.get(reverse("audit:log"), {"action": "read"}).content.decode()
    table = page.split('data-testid="audit-entries"', 1)[1]
    assert "signaal" in table  # the object kind, from the model's verbose name
    assert "Aandachtsfunctionaris OOV" in table  # the role, from the role choices
    assert "signaal geopend" in table  # the purpose "read signal"
    for code in ("intake.Signal", "(af_oov)", "read signal"):
        assert code not in table


def test_the_export_holds_the_same_words_beside_the_codes(client, privacy_officer, reads):
    client.force_login(privacy_officer)
    response = client.get(reverse("audit:export"), {"action": "read"})
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert {row["object_kind"] for row in rows} == {"signaal"}
    assert {row["object_type"] for row in rows} == {"intake.Signal"}
    assert all("Aandachtsfunctionaris OOV" in row["organisation_and_role"] for row in rows)
    assert {row["purpose_in_words"] for row in rows} == {"signaal geopend"}


def test_the_newest_entry_comes_first(client, privacy_officer, reads):
    client.force_login(privacy_officer)
    entries = [e.event for e in client.get(reverse("audit:log")).context["page"]]
    assert [e.pk for e in entries] == sorted((e.pk for e in entries), reverse=True)


def test_filters_by_person_organisation_period_and_kind(
    client, privacy_officer, reads, af_oov, municipality
):
    from django.utils import timezone

    af_oov.first_name, af_oov.last_name = "Floor", "Hagedoorn"
    af_oov.save()
    organisation = af_oov.memberships.get().organisation
    client.force_login(privacy_officer)
    today = timezone.localdate().strftime("%d-%m-%Y")

    def found(**query):
        response = client.get(reverse("audit:log"), query)
        assert response.status_code == 200, response.content
        return [e.event for e in response.context["page"] or []]

    by_name = found(person="hagedoorn", action="read")
    assert len(by_name) == 3 and {e.user_id for e in by_name} == {af_oov.pk}
    assert len(found(organisation=organisation.pk, action="read")) == 3
    assert found(person="niemand-anders", action="read") == []
    assert len(found(date_from=today, date_to=today, action="read")) == 3
    assert found(date_from="01-01-2020", date_to="31-12-2020") == []
    assert len(found(object_type="intake.Signal", action="read")) == 3
    assert found(object_type="cases.Case", action="read") == []


@pytest.mark.parametrize(
    "query",
    [
        {"date_from": "31-02-2026"},
        {"date_from": "gisteren"},
        {"organisation": "999999"},
        {"object_type": "auth.Permission"},
        {"action": "drop table"},
        {"person": "x" * 500},
    ],
)
def test_a_bad_filter_is_explained_on_the_form_and_searches_nothing(
    client, privacy_officer, reads, query
):
    client.force_login(privacy_officer)
    response = client.get(reverse("audit:log"), query)
    assert response.status_code == 200
    assert response.context["form"].errors and response.context["page"] is None
    assert client.get(reverse("audit:export"), query).status_code == 400


def test_the_object_kinds_come_from_the_models_not_from_a_scan_of_the_log(
    client, privacy_officer, django_assert_max_num_queries
):
    from schakel.audit.labels import object_kind_choices

    kinds = dict(object_kind_choices())
    assert kinds["intake.Signal"] == "signaal" and kinds["cases.Case"] == "casus"
    client.force_login(privacy_officer)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        client.get(reverse("audit:log"))
    sql = " ".join(q["sql"] for q in queries.captured_queries).upper()
    assert "DISTINCT" not in sql
    assert "COUNT(*)" not in sql.replace(" ", "") or "LIMIT" in sql


def test_the_page_costs_the_same_queries_at_two_sizes(
    client, privacy_officer, af_oov, municipality
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def queries_with(n):
        client.force_login(af_oov)
        for signal in SignalFactory.create_batch(n, municipality=municipality):
            client.get(reverse("intake:detail", args=[signal.reference]))
        client.force_login(privacy_officer)
        with CaptureQueriesContext(connection) as queries:
            assert client.get(reverse("audit:log"), {"action": "read"}).status_code == 200
        return len(queries)

    assert queries_with(2) == queries_with(30)


def test_the_persons_trail_on_the_subject_page_is_in_words(client, municipality):
    from schakel.audit.labels import purpose_label, roles_label

    assert purpose_label("read case") == "casus geopend"
    assert purpose_label("matching: hit confirmed") == "hit/no-hit: hit bevestigd"
    assert purpose_label("case triage") == "casus: triage"
    assert purpose_label("an unknown purpose") == "an unknown purpose"
    assert roles_label("Gemeente X (af_oov); Politie (avim)") == (
        "Gemeente X (Aandachtsfunctionaris OOV); Politie (AVIM (politie))"
    )
