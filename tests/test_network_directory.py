"""The partner directory (sociale kaart): every partner in the region reads it, the functional
administrator edits it; the printable "who does what" per sub-network (the study's Tabel 6)."""

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import translation

from schakel.audit.models import AuditEvent
from schakel.core.policies import NotFound
from schakel.network import selectors, services
from schakel.network.models import PartnerProfile
from schakel.network.services import ProfileInput
from schakel.organisations.choices import OrganisationKind, Ring, Role, SubNetwork
from schakel.organisations.models import Covenant
from schakel.organisations.services import covenant_ensure

from .conftest import context_for
from .factories import OrganisationFactory, user_with_role


@pytest.fixture(autouse=True)
def english():
    """The services' refusals are read in English here (the screens speak Dutch)."""
    with translation.override("en"):
        yield


@pytest.fixture
def admin(municipality):
    return user_with_role(Role.FUNCTIONAL_ADMIN, municipality=municipality)


@pytest.fixture
def care(municipality):
    organisation = OrganisationFactory(
        municipality=None,
        region=municipality.region,
        name="Fier Opvang",
        kind=OrganisationKind.CARE_PROVIDER,
        sub_network=SubNetwork.VICTIM_CARE,
        ring=Ring.FIRST,
    )
    PartnerProfile.objects.create(
        organisation=organisation,
        contact_name="Sanne Opvang",
        role_in_approach="Biedt categorale opvang aan slachtoffers",
    )
    return organisation


def test_every_partner_reads_the_directory_of_the_region_with_search_and_filters(
    municipality, care, hotel_reporter
):
    elsewhere = OrganisationFactory(name="Ver Weg")
    context = context_for(hotel_reporter)
    names = {r.organisation.name for r in selectors.directory_for(context)}
    assert "Fier Opvang" in names and elsewhere.name not in names
    assert [r.organisation for r in selectors.directory_for(context, search="categorale")] == [care]
    assert [r.organisation for r in selectors.directory_for(context, search="sanne")] == [care]
    assert (
        selectors.directory_for(context, sub_network=SubNetwork.VICTIM_CARE)[0].organisation == care
    )
    assert not selectors.directory_for(
        context, ring=Ring.SECOND, kind=OrganisationKind.CARE_PROVIDER
    )
    with pytest.raises(NotFound):
        selectors.directory_entry(context, elsewhere.pk)


def test_the_directory_names_the_covenants_in_force(municipality, care, af_oov):
    covenant_ensure(
        name="Convenant Zorg",
        region=municipality.region,
        legal_basis="-",
        valid_from=date(2024, 1, 1),
        parties=[care],
        meeting_types=[],
    )
    expired = Covenant.objects.create(
        name="Verlopen",
        region=municipality.region,
        valid_from=date(2020, 1, 1),
        valid_until=date(2021, 1, 1),
    )
    expired.parties.add(care)
    row = selectors.directory_entry(context_for(af_oov), care.pk)
    assert [name for name, _ in row.covenants] == ["Convenant Zorg"]


def test_the_functional_administrator_edits_a_profile_with_an_audit_entry(care, admin):
    profile = services.partner_profile_update(
        context=context_for(admin),
        organisation_id=care.pk,
        data=ProfileInput(af_name="Anna Aandacht", route_place="receives", staff_count=12),
    )
    assert profile.has_own_af and profile.route_place == "receives"
    assert AuditEvent.objects.filter(purpose="partner profile written").exists()
    with pytest.raises(ValidationError):
        services.partner_profile_update(
            context=context_for(admin), organisation_id=care.pk, data=ProfileInput(route_place="x")
        )


@pytest.mark.parametrize(
    "role", [Role.AF_OOV, Role.AF_ZORG, Role.PRIVACY_OFFICER, Role.BOARD_VIEWER]
)
def test_only_the_functional_administrator_edits_the_directory(municipality, care, role):
    user = user_with_role(role, municipality=municipality)
    with pytest.raises(PermissionDenied):
        services.partner_profile_update(
            context=context_for(user), organisation_id=care.pk, data=ProfileInput()
        )


def test_who_does_what_groups_the_organisations_by_sub_network(
    municipality, other_municipality, care, af_oov
):
    OrganisationFactory(municipality=municipality, name="OOV", sub_network=SubNetwork.PERPETRATOR)
    OrganisationFactory(municipality=other_municipality, name="OOV elders")
    groups = selectors.who_does_what(context_for(af_oov), municipality_id=municipality.pk)
    by_key = {g.key: [r.organisation.name for r in g.rows] for g in groups}
    assert by_key[SubNetwork.VICTIM_CARE] == ["Fier Opvang"]
    assert "OOV" in by_key[SubNetwork.PERPETRATOR]
    assert all("OOV elders" not in names for names in by_key.values())


def test_the_directory_pages_open_and_keep_their_queries(
    client, municipality, care, hotel_reporter, django_assert_max_num_queries
):
    for n in range(8):
        OrganisationFactory(municipality=municipality, name=f"Partner {n}")
    client.force_login(hotel_reporter)
    with django_assert_max_num_queries(14):
        response = client.get(reverse("network:directory"), {"q": "opvang"})
    assert response.status_code == 200 and "Fier Opvang" in response.content.decode()
    with django_assert_max_num_queries(14):
        assert client.get(reverse("network:who_does_what")).status_code == 200
    assert client.get(reverse("network:organisation", args=[care.pk])).status_code == 200
    assert client.get(reverse("network:profile_edit", args=[care.pk])).status_code == 403


def test_the_profile_form_refuses_bad_input_and_saves_good(client, care, admin):
    client.force_login(admin)
    url = reverse("network:profile_edit", args=[care.pk])
    assert client.post(url, {}).status_code == 400
    assert client.post(url, {"route_place": "advises", "staff_count": "0"}).status_code == 400
    response = client.post(url, {"route_place": "advises", "contact_email": "x@y.example"})
    assert response.status_code == 302
    assert PartnerProfile.objects.get(organisation=care).route_place == "advises"


def test_the_wrong_role_cannot_post_a_profile(client, care, af_oov):
    client.force_login(af_oov)
    url = reverse("network:profile_edit", args=[care.pk])
    assert client.post(url, {"route_place": "advises"}).status_code == 403
    assert PartnerProfile.objects.get(organisation=care).route_place == "none"
