"""Common names in the hit/no-hit registry: a name that many people bear proves little on its own.

Without a full date of birth on both sides a pair rests on its names alone, and for a common name
("Lan Nguyen", "Jan de Jong", "Mehmet Yılmaz") that would often be somebody else: such a lookup
does not hit, and its result says why. A rare name still hits without a date, and the hit says
what carried it. The shares of frequent names are data (schakel/matching/names.json)."""

from datetime import date

import pytest
from django.urls import reverse

from schakel.matching import encoding, scoring, services
from schakel.matching.choices import HitBasis
from schakel.matching.normalise import birth_date, name_pair_share, name_tokens

from .conftest import context_for
from .factories import OrganisationFactory, user_with_role
from .test_matching import care, clear_cache, police  # noqa: F401 - the same fixtures

DOB = date(1990, 5, 12)

# The most frequent given name and surname of each origin the registry sees most (names.json).
COMMON = [
    ("nl", "Jan", "de Jong"),
    ("ma", "Mohamed", "El Idrissi"),
    ("tr", "Mehmet", "Yılmaz"),
    ("pl", "Anna", "Nowak"),
    ("ro", "Maria", "Popa"),
    ("vn", "Lan", "Nguyễn"),
    ("ng", "Mohammed", "Ibrahim"),
]
RARE = ("Zwaantje", "Hoogendoorn")


def register(user, given, surname, dob=None, year=None):
    person = services.Person(given, surname, dob, year)
    return services.involvement_register(
        context=context_for(user), person=person, contact_person="Anna de Vries"
    )


def lookup(user, given, surname, dob=None, year=None):
    return services.involvement_lookup(
        context_for(user), given_names=given, surname=surname, date_of_birth=dob, birth_year=year
    )


# --- The normaliser ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "given, surname",
    [
        ("Lan", "Nguyễn"),
        ("Lan", "Nguyen"),
        ("LAN", "NGUYEN"),
        ("Ｌａｎ", "Ｎｇｕｙｅｎ"),  # full-width
        ("L\u200ban", "Ngu\u200dyen"),  # zero-width space and joiner inside
        ("La\x00n", "Nguyen\x00"),  # null bytes
        ("Nguyen", "Lan"),  # written swapped
    ],
)
def test_every_spelling_of_a_common_name_is_as_common(given, surname):
    assert name_pair_share(given, surname) == pytest.approx(0.38 * 0.01)


def test_invisible_characters_neither_split_nor_hide_a_name():
    assert name_tokens("L\u200ban") == ["lan"]
    assert name_tokens("Ngu\u00adyen\u2060") == ["nguyen"]
    assert name_tokens("Jan\x00") == ["jan"]


def test_particles_and_spellings_meet_in_the_table():
    assert name_pair_share("Jan", "de Jong") == name_pair_share("jan", "Jong")
    assert name_pair_share("Mehmet", "Yilmaz") == name_pair_share("Mehmet", "Yılmaz")
    # Arabic script is compared by its consonants, as the matcher compares it (so Mohamed and
    # Mohammed count together).
    assert name_pair_share("محمد", "Hassan") >= name_pair_share("Mohamed", "Hassan")


@pytest.mark.parametrize("origin, given, surname", COMMON)
def test_the_most_frequent_name_of_each_origin_is_common(origin, given, surname):
    assert name_pair_share(given, surname) > scoring.EXPECTED_NAME_PAIR


def test_a_name_not_in_the_table_has_the_tail_share():
    assert name_pair_share(*RARE) == pytest.approx(0.001 * 0.0005)


# --- The decision rule ------------------------------------------------------------------------


def _query(given, surname, dob=None, year=None):
    return encoding.encode_query(
        encoding.Keys.derive("test"),
        given_names=given,
        surname=surname,
        dob=birth_date(dob, year),
    )


@pytest.mark.parametrize("origin, given, surname", COMMON)
def test_a_common_name_without_a_full_date_needs_one(origin, given, surname):
    assert scoring.needs_full_date(_query(given, surname), registrations=10)
    assert not scoring.needs_full_date(_query(given, surname, DOB), registrations=10)


def test_a_rare_name_without_a_date_does_not_need_one_in_a_small_registry():
    assert not scoring.needs_full_date(_query(*RARE), registrations=250)
    assert not scoring.needs_full_date(_query(*RARE, year=1990), registrations=10_000)
    # ... but in a registry of a million even a rare name needs the year.
    assert scoring.needs_full_date(_query(*RARE), registrations=1_000_000)


def _found(names, dob, share):
    return scoring.Evidence(names, False, dob, (), 0.0, share)


def test_a_pair_only_its_names_carry_is_refused_for_a_common_name():
    common = name_pair_share("Lan", "Nguyen")
    for dob in ("missing", "year", "year_near"):
        assert scoring.margin(_found(("exact", "exact"), dob, common), 10) < 0
    # A full date confirms it: identical names and date always hit.
    assert scoring.margin(_found(("exact", "exact"), "exact", common), 10) == float("inf")


# --- Through the service, as a user looks up --------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("origin, given, surname", COMMON)
def test_a_common_name_without_a_date_does_not_hit(police, care, origin, given, surname):  # noqa: F811
    register(police, given, surname)
    result = lookup(care, given, surname)
    assert not result.hit
    assert result.lookup.needs_full_date
    assert not lookup(care, given, surname, DOB).hit  # the registration holds no date


# The most common names of their origin: with only the birth year still too common to hit, in a
# registry of any size (a share of 1 in 5,000 or more: 250 x share / 50 > 0.05 %).
VERY_COMMON = [c for c in COMMON if c[0] in ("ma", "tr", "ro", "vn", "ng")]


@pytest.mark.django_db
@pytest.mark.parametrize("origin, given, surname", VERY_COMMON)
def test_a_very_common_name_with_only_the_year_does_not_hit(police, care, origin, given, surname):  # noqa: F811
    register(police, given, surname, year=1990)
    assert not lookup(care, given, surname, year=1990).hit
    assert not lookup(care, given, surname, DOB).hit


@pytest.mark.django_db
def test_a_fairly_common_name_with_the_year_hits_only_in_a_small_registry(police, care):  # noqa: F811
    register(police, "Jan", "de Jong", year=1990)
    result = lookup(care, "Jan", "de Jong", year=1990)
    assert result.hit and result.hits[0].basis == HitBasis.NAMES_AND_YEAR
    query = _query("Jan", "de Jong", year=1990)
    found = scoring.evidence(query, encoding.encode_person(
        encoding.Keys.derive("test"), given_names="Jan", surname="de Jong",
        dob=birth_date(None, 1990)))  # fmt: skip
    assert scoring.margin(found, 250) >= 0
    assert scoring.margin(found, 10_000) < 0  # 10,000 x share / 50 > 0.05 %


@pytest.mark.django_db
@pytest.mark.parametrize("origin, given, surname", COMMON)
def test_a_common_name_with_the_same_full_date_hits(police, care, origin, given, surname):  # noqa: F811
    register(police, given, surname, DOB)
    result = lookup(care, given, surname, DOB)
    assert result.hit
    assert result.hits[0].basis == HitBasis.IDENTICAL
    assert not result.lookup.needs_full_date


@pytest.mark.django_db
def test_a_rare_name_hits_without_a_date_and_the_band_says_why(police, care):  # noqa: F811
    register(police, *RARE)
    result = lookup(care, *RARE)
    assert result.hit and result.hits[0].basis == HitBasis.RARE_NAME
    register(police, "Femke", "Brouwer", year=1988)
    result = lookup(care, "Femke", "Brouwer", year=1988)
    assert result.hit and result.hits[0].basis == HitBasis.NAMES_AND_YEAR


@pytest.mark.django_db
def test_the_result_page_says_why_and_when_a_full_date_is_needed(client, police, care):  # noqa: F811
    register(police, *RARE)
    client.force_login(care)
    organisation = care.memberships.get().organisation_id
    for names, expected in ((RARE, "zeldzaam"), (("Lan", "Nguyen"), "Deze naam komt veel voor")):
        response = client.post(
            reverse("matching:lookup"),
            {"given_names": names[0], "surname": names[1], "organisation": organisation},
            HTTP_ACCEPT_LANGUAGE="nl",
        )
        assert response.status_code == 302
        page = client.get(response["Location"], HTTP_ACCEPT_LANGUAGE="nl").content.decode()
        assert expected in page


@pytest.mark.django_db
def test_the_advice_depends_on_the_query_not_on_what_is_registered(care):  # noqa: F811
    """No hit with or without a namesake registered: the advice reveals nothing."""
    other = user_with_role(care.memberships.get().role, OrganisationFactory(name="Elders"))
    first = lookup(care, "Lan", "Nguyen")
    register(other, "Lan", "Nguyen")
    second = lookup(care, "Lan", "Nguyen")
    assert not first.hit and not second.hit
    assert first.lookup.needs_full_date == second.lookup.needs_full_date is True
