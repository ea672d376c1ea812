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
    rows = list(response.context["page"])
    assert [(e.user_label, e.object_ids) for e in rows] == [(af_oov.username, [str(target.pk)])]


def test_searching_and_exporting_are_themselves_logged(client, privacy_officer, reads):
    client.force_login(privacy_officer)
    client.get(reverse("audit:log"), {"username": "nobody"})
    client.get(reverse("audit:export"))
    mine = AuditEvent.objects.filter(user=privacy_officer).order_by("id")
    assert [e.action for e in mine] == ["search", "export"]
    assert "username=nobody" in mine[0].purpose


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
