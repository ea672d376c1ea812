"""The care map (zorgkaart): offers per domain and target group, and the gaps where no active
offer of the region covers a combination of domain, age group, origin and form of exploitation."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import translation

from schakel.audit.models import AuditEvent
from schakel.core.policies import NotFound
from schakel.network import selectors, services
from schakel.network.care_map import Combination, Coverage, every_combination, gaps
from schakel.network.models import CareOffer
from schakel.network.services import CareOfferInput
from schakel.organisations.choices import Role

from .conftest import context_for
from .factories import MunicipalityFactory, user_with_role

FORMS = ("sexual", "labour", "criminal", "organ_removal")


@pytest.fixture(autouse=True)
def english():
    """The services' refusals are read in English here (the screens speak Dutch)."""
    with translation.override("en"):
        yield


def test_the_map_has_every_domain_age_origin_and_form():
    assert len(every_combination()) == 7 * 2 * 3 * 4


def test_a_region_without_offers_has_every_combination_as_a_gap():
    assert gaps([]) == every_combination()


def test_an_offer_closes_exactly_the_combinations_it_takes_in():
    shelter = Coverage(
        "shelter", frozenset({"adult"}), frozenset({"dutch", "eu"}), frozenset({"sexual", "labour"})
    )
    left = gaps([shelter])
    assert len(left) == len(every_combination()) - 4
    assert Combination("shelter", "adult", "eu", "labour") not in left
    assert Combination("shelter", "minor", "eu", "labour") in left
    assert Combination("shelter", "adult", "non_eu", "labour") in left
    assert Combination("medical", "adult", "eu", "labour") in left


@pytest.fixture
def keeper(municipality):
    return user_with_role(Role.ZORGCOORDINATOR, municipality=None, region=municipality.region)


def _offer(**changes):
    values = {
        "title": "Categorale opvang",
        "domain": "shelter",
        "form_codes": list(FORMS),
        "provider_name": "Opvang Heidemeer",
        "for_adults": True,
        "for_minors": True,
        "for_dutch": True,
        "for_eu": True,
        "for_non_eu": True,
    }
    return CareOfferInput(**(values | changes))


def test_the_gap_of_the_region_shows_on_the_map(municipality, keeper, af_oov):
    services.care_offer_add(context=context_for(keeper), data=_offer(for_non_eu=False))
    services.care_offer_add(
        context=context_for(keeper),
        data=_offer(
            title="Opvang AMV",
            for_adults=False,
            for_dutch=False,
            for_eu=False,
            form_codes=["sexual"],
        ),
    )
    care_map = selectors.care_map_for(context_for(af_oov))
    shelter = next(d for d in care_map.domains if d.domain == "shelter")
    assert Combination("shelter", "minor", "non_eu", "labour") in care_map.gaps
    assert Combination("shelter", "minor", "non_eu", "sexual") not in care_map.gaps
    assert shelter.gap_count == 4 - 1 + 4  # adults non-EU (4 forms), minors non-EU but sexual
    assert len(care_map.gaps) == len(every_combination()) - (2 * 3 * 4 - shelter.gap_count)


def test_a_deactivated_offer_no_longer_covers(municipality, keeper):
    offer = services.care_offer_add(context=context_for(keeper), data=_offer())
    assert not [
        g for g in selectors.care_map_for(context_for(keeper)).gaps if g.domain == "shelter"
    ]
    services.care_offer_update(
        context=context_for(keeper), offer_id=offer.pk, data=_offer(is_active=False)
    )
    care_map = selectors.care_map_for(context_for(keeper))
    assert len([g for g in care_map.gaps if g.domain == "shelter"]) == 24
    assert care_map.inactive == [offer]
    assert AuditEvent.objects.filter(purpose="care offer deactivated").count() == 1


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"for_adults": False, "for_minors": False}, "adults, minors"),
        ({"for_dutch": False, "for_eu": False, "for_non_eu": False}, "nationalities"),
        ({"form_codes": []}, "forms of exploitation"),
        ({"form_codes": ["unknown"]}, "forms of exploitation"),
        ({"provider_name": ""}, "who offers it"),
        ({"domain": "x"}, "domain"),
    ],
)
def test_an_offer_is_refused_with_a_clear_message(keeper, changes, message):
    with pytest.raises(ValidationError) as refused:
        services.care_offer_add(context=context_for(keeper), data=_offer(**changes))
    assert any(message in m for m in refused.value.messages)
    assert not CareOffer.objects.exists()


@pytest.mark.parametrize("role", [Role.AF_OOV, Role.AF_SWT, Role.BOARD_VIEWER, Role.AVIM])
def test_only_the_care_side_and_the_administrator_keep_the_care_map(municipality, role):
    user = user_with_role(role, municipality=municipality)
    with pytest.raises(PermissionDenied):
        services.care_offer_add(context=context_for(user), data=_offer())


def test_the_administrator_keeps_the_care_map_but_not_another_regions(municipality, keeper):
    admin = user_with_role(Role.FUNCTIONAL_ADMIN, municipality=municipality)
    services.care_offer_add(context=context_for(admin), data=_offer())
    elsewhere = user_with_role(Role.AF_ZORG, municipality=MunicipalityFactory())
    theirs = services.care_offer_add(context=context_for(elsewhere), data=_offer())
    with pytest.raises(NotFound):
        services.care_offer_update(context=context_for(keeper), offer_id=theirs.pk, data=_offer())


def test_the_care_map_page_keeps_its_queries(
    client, keeper, hotel_reporter, django_assert_max_num_queries
):
    for n in range(6):
        services.care_offer_add(context=context_for(keeper), data=_offer(title=f"Aanbod {n}"))
    client.force_login(hotel_reporter)
    with django_assert_max_num_queries(14):
        response = client.get(reverse("network:care_map"))
    assert response.status_code == 200
    assert client.get(reverse("network:care_offer_new")).status_code == 403


def test_the_offer_form_refuses_bad_input_and_the_wrong_role(client, keeper, af_oov):
    client.force_login(keeper)
    url = reverse("network:care_offer_new")
    assert client.post(url, {}).status_code == 400
    body = {
        "title": "Traumabehandeling",
        "domain": "psychological",
        "provider_name": "GGZ",
        "for_adults": "on",
        "for_dutch": "on",
        "forms_of_exploitation": ["sexual"],
        "is_active": "on",
    }
    assert client.post(url, body | {"forms_of_exploitation": []}).status_code == 400
    assert client.post(url, body).status_code == 302
    client.force_login(af_oov)
    assert client.post(url, body).status_code == 403
    assert CareOffer.objects.count() == 1
