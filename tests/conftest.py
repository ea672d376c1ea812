import pytest

from schakel.core.context import AccessContext
from schakel.core.policies import actor_for
from schakel.organisations.choices import Role

from .factories import MunicipalityFactory, OrganisationFactory, user_with_role


def context_for(user) -> AccessContext:
    return AccessContext(actor=actor_for(user), access_point="test")


@pytest.fixture
def municipality(db):
    return MunicipalityFactory(name="Brakelveen")


@pytest.fixture
def other_municipality(db, municipality):
    return MunicipalityFactory(name="Wolderzijl", region=municipality.region)


@pytest.fixture
def af_oov(municipality):
    return user_with_role(Role.AF_OOV, municipality=municipality)


@pytest.fixture
def other_af_oov(other_municipality):
    return user_with_role(Role.AF_OOV, municipality=other_municipality)


@pytest.fixture
def municipal_reporter(municipality):
    return user_with_role(Role.MUNICIPAL_REPORTER, municipality=municipality)


@pytest.fixture
def hotel_reporter(municipality):
    hotel = OrganisationFactory(secondary=True, municipality=municipality, name="Hotel")
    return user_with_role(Role.PARTNER_REPORTER, organisation=hotel)
