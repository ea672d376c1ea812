"""The figures screen: who opens it, for which area, and what a reader outside the AF sees."""

from __future__ import annotations

import pytest
from django.utils import timezone

from schakel.organisations.choices import OrganisationKind, Role

from .factories import MunicipalityFactory, OrganisationFactory, SignalFactory, user_with_role


@pytest.fixture
def town(db):
    municipality = MunicipalityFactory(name="Brakelveen")
    org = OrganisationFactory(municipality=municipality)
    last_year = timezone.now().replace(year=timezone.now().year - 1, month=6, day=1)
    signals = [SignalFactory(municipality=municipality, reported_at=last_year) for _ in range(7)]
    return municipality, org, signals


def _get(client, user, query=""):
    client.force_login(user)
    return client.get(f"/figures/{query}")


def test_the_af_reads_every_count_of_its_municipality(client, town):
    _, org, signals = town
    response = _get(
        client, user_with_role(Role.AF_OOV, org), f"?year={signals[0].reported_at.year}"
    )
    text = response.content.decode()
    assert response.status_code == 200
    assert "Brakelveen" in text and 'data-testid="figure-signals_by_month"' in text
    assert "<svg" in text and 'data-testid="disclosure-note"' not in text
    assert signals[0].reference not in text


def test_the_board_reads_small_counts_hidden_and_no_signal(client, town):
    _, org, signals = town
    response = _get(
        client, user_with_role(Role.BOARD_VIEWER, org), f"?year={signals[0].reported_at.year}"
    )
    text = response.content.decode()
    assert response.status_code == 200
    assert 'data-testid="disclosure-note"' in text and "&lt; 5" in text
    assert 'name="from_month"' not in text  # whole years only
    for signal in signals:
        assert signal.reference not in text and signal.place not in text


def test_the_regional_adviser_reads_the_region_pooled(client, town):
    municipality, _, signals = town
    MunicipalityFactory(name="Wolderzijl", region=municipality.region)
    adviser = user_with_role(
        Role.REGIONAL_ADVISER,
        OrganisationFactory(
            municipality=None, region=municipality.region, kind=OrganisationKind.OTHER_SIGNALLER
        ),
    )
    response = _get(client, adviser, f"?year={signals[0].reported_at.year}")
    text = response.content.decode()
    assert response.status_code == 200
    assert municipality.region.name in text and 'data-testid="disclosure-note"' in text


@pytest.mark.parametrize(
    "role",
    [
        Role.PARTNER_REPORTER,
        Role.AVIM,
        Role.ZORGCOORDINATOR,
        Role.PRIVACY_OFFICER,
        Role.FUNCTIONAL_ADMIN,
    ],
)
def test_roles_without_figures_cannot_open_them(client, town, role):
    _, org, _ = town
    assert _get(client, user_with_role(role, org)).status_code == 403


@pytest.mark.parametrize(
    "query",
    [
        "?year=abc",
        "?year=1900",
        "?year=2025&from_month=5",
        "?year=2025&from_month=9&to_month=3",
    ],
)
def test_a_bad_period_is_refused_in_words(client, town, query):
    _, org, _ = town
    response = _get(client, user_with_role(Role.AF_OOV, org), query)
    assert response.status_code == 400
    assert "Er is een probleem" in response.content.decode()


def test_a_null_byte_in_the_period_gets_the_plain_400_page(client, town):
    _, org, _ = town
    assert _get(client, user_with_role(Role.AF_OOV, org), "?year=2025%00").status_code == 400
