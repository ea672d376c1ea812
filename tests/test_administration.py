"""The functional administrator manages users and reference data, and reads no case content."""

import pytest
from django.urls import reverse

from schakel.organisations.choices import Role
from schakel.organisations.models import Membership

from .factories import OrganisationFactory, SignalFactory, user_with_role

pytestmark = pytest.mark.django_db


@pytest.fixture
def administrator(municipality):
    return user_with_role(Role.FUNCTIONAL_ADMIN, municipality=municipality)


def test_functional_administrator_manages_users_and_organisations(client, administrator, af_oov):
    client.force_login(administrator)
    assert client.get(reverse("admin:index")).status_code == 200
    assert client.get(reverse("admin:organisations_user_changelist")).status_code == 200
    assert client.get(reverse("admin:organisations_organisation_add")).status_code == 200
    page = client.get(reverse("admin:organisations_user_change", args=[af_oov.pk]))
    assert page.status_code == 200


def test_functional_administrator_reads_no_signals(client, administrator, municipality):
    signal = SignalFactory(municipality=municipality)
    client.force_login(administrator)
    index = client.get(reverse("admin:index")).content.decode()
    assert "signal" not in index.lower()
    # Refused on role before any lookup, so the answer does not reveal whether it exists.
    assert client.get(reverse("intake:detail", args=[signal.reference])).status_code == 403
    assert client.get(reverse("intake:queue")).status_code == 403


def test_functional_administrator_cannot_hand_themselves_a_role(client, administrator):
    client.force_login(administrator)
    own = reverse("admin:organisations_user_change", args=[administrator.pk])
    response = client.get(own)
    # Read-only: Django renders the page without a save form for objects one may not change.
    assert response.status_code == 200
    assert 'name="_save"' not in response.content.decode()
    before = set(Membership.objects.filter(user=administrator).values_list("role", flat=True))
    client.post(
        own,
        {
            "username": administrator.username,
            "is_active": "on",
            "memberships-TOTAL_FORMS": "1",
            "memberships-INITIAL_FORMS": "0",
            "memberships-0-organisation": OrganisationFactory().pk,
            "memberships-0-role": Role.AF_OOV,
            "memberships-0-is_active": "on",
        },
    )
    after = set(Membership.objects.filter(user=administrator).values_list("role", flat=True))
    assert after == before


@pytest.mark.parametrize("role", [r for r in Role if r != Role.FUNCTIONAL_ADMIN])
def test_no_other_role_opens_the_administration(client, municipality, role):
    client.force_login(user_with_role(role, municipality=municipality))
    response = client.get(reverse("admin:index"))
    assert response.status_code == 302
    assert "login" in response["Location"]


def test_the_menu_offers_administration_only_to_the_administrator(client, administrator, af_oov):
    client.force_login(administrator)
    assert reverse("admin:index") in client.get(reverse("home")).content.decode()
    client.force_login(af_oov)
    assert reverse("admin:index") not in client.get(reverse("home")).content.decode()


def test_a_new_installation_gets_its_first_administrator(monkeypatch):
    from django.core.management import call_command

    from schakel.organisations.models import User

    monkeypatch.setattr("getpass.getpass", lambda prompt="": "een-lang-wachtwoord-2026")
    call_command(
        "create_administrator",
        region="Regio Test",
        municipality="Testdorp",
        cbs_code="GM9999",
        reporting_point_email="meldpunt@testdorp.example",
        reporting_point_phone="012 345 6789",
        organisation="Gemeente Testdorp – Informatiebeheer",
        username="beheerder",
        email="beheerder@testdorp.example",
    )
    user = User.objects.get(username="beheerder")
    assert user.check_password("een-lang-wachtwoord-2026")
    assert list(user.memberships.values_list("role", flat=True)) == [Role.FUNCTIONAL_ADMIN]


def test_the_admin_login_page_sends_people_to_the_one_login_page(client):
    response = client.get(reverse("admin:login"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_exploitation_forms_cannot_be_deleted_or_added(client, administrator):
    from schakel.catalogue.models import ExploitationForm

    client.force_login(administrator)
    form = ExploitationForm.objects.first()
    assert client.get(reverse("admin:catalogue_exploitationform_changelist")).status_code == 200
    assert client.get(reverse("admin:catalogue_exploitationform_add")).status_code == 403
    client.post(reverse("admin:catalogue_exploitationform_delete", args=[form.pk]), {"post": "yes"})
    assert ExploitationForm.objects.filter(pk=form.pk).exists()


def test_a_logged_in_non_administrator_is_refused_not_sent_round_in_circles(client, af_oov):
    client.force_login(af_oov)
    response = client.get(reverse("admin:index"), follow=True)
    assert response.status_code == 403
    assert len(response.redirect_chain) == 1


def test_changes_in_the_administration_go_into_the_audit_log(client, administrator, af_oov):
    from schakel.audit.models import AuditEvent

    client.force_login(administrator)
    response = client.post(
        reverse("admin:organisations_user_change", args=[af_oov.pk]),
        {
            "username": af_oov.username,
            "first_name": "Nieuw",
            "last_name": af_oov.last_name,
            "email": "",
            "is_active": "on",
            "memberships-TOTAL_FORMS": "0",
            "memberships-INITIAL_FORMS": "0",
            "date_joined_0": "2026-01-01",
            "date_joined_1": "10:00:00",
        },
    )
    assert response.status_code == 302
    entry = AuditEvent.objects.filter(user=administrator, object_type="organisations.User").last()
    assert entry is not None and entry.purpose.startswith("administration:")
