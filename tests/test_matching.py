"""The hit/no-hit registry: hit or no hit, and on a confirmed hit only whom to contact."""

import re
from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from schakel.audit.models import AuditEvent
from schakel.matching import services
from schakel.matching.choices import HitStatus, Strength, TaskStatus
from schakel.matching.models import Hit, HitTask, Involvement
from schakel.matching.selectors import contact_for, my_hit_tasks
from schakel.organisations.choices import Role

from .conftest import context_for
from .factories import OrganisationFactory, user_with_role

pytestmark = pytest.mark.django_db
DOB = date(1990, 5, 12)


@pytest.fixture(autouse=True)
def clear_cache():
    from django.core.cache import cache

    cache.clear()


@pytest.fixture
def police():
    return user_with_role(Role.AVIM, OrganisationFactory(name="Politie Noord"))


@pytest.fixture
def care():
    return user_with_role(Role.ZORGCOORDINATOR, OrganisationFactory(name="Zorgcoördinatie West"))


def register(user, given="Olena", surname="Shevchenko", dob=DOB, **extra):
    person = services.Person(given, surname, dob, **extra)
    return services.involvement_register(
        context=context_for(user), person=person, contact_person="Anna de Vries"
    )


def lookup(user, given="Olena", surname="Shevchenko", dob=DOB, **extra):
    return services.involvement_lookup(
        context_for(user), given_names=given, surname=surname, date_of_birth=dob, **extra
    )


def test_the_registry_tables_hold_no_plaintext_name_or_date(police):
    register(police, "Олена", "Shevchenko-Kowalczyk", postcode="1234 AB", house_number="5")
    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM matching_involvement")
        columns = [c[0] for c in cursor.description]
        rows = [dict(zip(columns, row, strict=True)) for row in cursor.fetchall()]
        cursor.execute("SELECT key FROM matching_involvementkey")
        keys = [key for (key,) in cursor.fetchall()]
    needles = ("olena", "олена", "shevchenko", "kowalczyk", "1990", "05-12", "12-05", "1234")
    for row in rows:
        sealed = bytes(row.pop("sealed"))
        assert re.fullmatch(r"[0-9a-f]{32}", row.pop("address_key"))
        text = repr(row).casefold()
        for needle in needles:
            assert needle not in text
            assert needle.encode() not in sealed.lower()
    # Blocking keys are keyed hashes, and every registration has the same number of them.
    assert len(keys) == services.PADDED_KEYS
    assert all(re.fullmatch(r"[0-9a-f]{32}", key) for key in keys)


@pytest.mark.parametrize(
    ("registered", "looked_up"),
    [
        (("Olena", "Shevchenko", DOB), ("Олена", "Шевченко", DOB)),
        (("Olena", "Šhevchénko", DOB), ("Olena", "Shevchenko", DOB)),
        (("Jan", "van der Berg", DOB), ("Jan", "Berg", DOB)),
        (("Olena", "Shevchenko", DOB), ("Shevchenko", "Olena", DOB)),
        (("Olena", "Shevchenko", DOB), ("Olena", "Shevchenko", date(1990, 12, 5))),
        (("Olena", "Shevchenko", date(1990, 1, 1)), ("Olena", "Shevchenko", DOB)),
        (("Olena", "Shevchenko", None), ("Olena", "Shevchenko", DOB)),
        (("Olena", "Shevchenko", DOB), ("Olena", "Shevcenko", DOB)),
        (("José", "García López", DOB), ("Jose", "Garcia", DOB)),
    ],
)
def test_the_field_s_name_variants_hit(police, care, registered, looked_up):
    register(police, *registered)
    assert lookup(care, *looked_up).hit


def test_different_people_do_not_hit(police, care):
    register(police, "Olena", "Shevchenko")
    assert not lookup(care, "Olga", "Shevchuk").hit
    assert not lookup(care, "Olena", "Shevchenko", date(1984, 3, 2)).hit


def test_an_exact_match_is_strong_and_a_placeholder_date_only_possible(police, care):
    register(police)
    assert lookup(care).strength == Strength.STRONG
    assert lookup(care, dob=date(1990, 1, 1)).strength == Strength.POSSIBLE


def test_own_organisation_does_not_hit_itself(police):
    register(police)
    assert not lookup(police).hit


def test_expired_and_ended_registrations_never_hit(police, care):
    expired = register(police)
    Involvement.objects.filter(pk=expired.pk).update(expires_at=timezone.now() - timedelta(days=1))
    assert not lookup(care).hit
    ended = register(police)
    services.involvement_end(context=context_for(police), involvement=ended, confirmed=True)
    assert not lookup(care).hit


def test_expiry_defaults_to_two_years(police, settings):
    assert register(police).expires_at.date() == (timezone.now() + timedelta(days=730)).date()
    settings.SCHAKEL_MATCHING_EXPIRY_DAYS = 10
    assert register(police).expires_at.date() == (timezone.now() + timedelta(days=10)).date()


def test_a_hit_reveals_only_contact_data_and_only_after_confirmation(police, care):
    register(police)
    result = lookup(care)
    hit = result.hits[0]
    assert contact_for(context_for(care), hit) is None
    services.hit_decide(context=context_for(care), hit=hit, confirm=True)
    contact = contact_for(context_for(care), hit)
    assert (contact.organisation, contact.contact_person) == ("Politie Noord", "Anna de Vries")
    assert set(vars(contact)) == {"organisation", "contact_person", "since", "direction_holder"}
    assert contact.direction_holder == ""  # not from a case
    # Both sides get a task.
    assert {t.side for t in HitTask.objects.filter(hit=hit)} == {"seeker", "holder"}
    assert [row.counterpart for row in my_hit_tasks(context_for(police)).items] == [
        "Zorgcoördinatie West"
    ]


def test_the_result_page_shows_the_contact_only_after_confirming(client, police, care):
    register(police)
    client.force_login(care)
    response = client.post(
        reverse("matching:lookup"),
        {
            "given_names": "Olena",
            "surname": "Shevchenko",
            "date_of_birth": "1990-05-12",
            "organisation": care.memberships.get().organisation_id,
        },
    )
    assert response.status_code == 302
    page = client.get(response["Location"]).content.decode()
    assert "Anna de Vries" not in page and "Politie Noord" not in page
    hit = Hit.objects.get()
    client.post(reverse("matching:decide", args=[hit.pk]), {"confirm": "yes"})
    page = client.get(response["Location"]).content.decode()
    assert "Anna de Vries" in page and "Politie Noord" in page
    hits_page = client.get(reverse("matching:hits")).content.decode()
    assert "Politie Noord" in hits_page
    task = HitTask.objects.get(organisation=care.memberships.get().organisation)
    client.post(
        reverse("matching:task_status", args=[task.pk]), {f"{task.pk}-status": "contact_made"}
    )
    task.refresh_from_db()
    assert task.status == TaskStatus.CONTACT_MADE


def test_a_dismissed_hit_reveals_nothing(police, care):
    register(police)
    hit = lookup(care).hits[0]
    services.hit_decide(context=context_for(care), hit=hit, confirm=False)
    assert hit.status == HitStatus.DISMISSED
    assert contact_for(context_for(care), hit) is None
    assert not HitTask.objects.exists()


def test_every_lookup_hit_and_reveal_is_audited(police, care):
    register(police)
    lookup(care, "Nobody", "Known")
    result = lookup(care)
    services.hit_decide(context=context_for(care), hit=result.hits[0], confirm=True)
    contact_for(context_for(care), result.hits[0])
    purposes = list(AuditEvent.objects.values_list("purpose", flat=True))
    assert purposes.count("matching: lookup (no hit)") == 1
    assert purposes.count("matching: lookup (hit)") == 1
    assert "matching: pending hit" in purposes
    assert "matching: hit confirmed" in purposes
    assert "matching: reveal contact" in purposes


def test_household_hit_on_the_same_address(police, care):
    register(police, "Olena", "Shevchenko", postcode="1234 AB", house_number="5")
    result = lookup(care, "Ivan", "Petrenko", date(1980, 3, 3), postcode="1234ab", house_number="5")
    assert result.hit and result.household


def test_lookups_are_rate_limited(police, care, settings):
    settings.SCHAKEL_MATCHING_LOOKUPS_PER_HOUR = 3
    for _ in range(3):
        lookup(care)
    with pytest.raises(services.RateLimited):
        lookup(care)


@pytest.mark.parametrize(
    "role",
    [Role.FUNCTIONAL_ADMIN, Role.PRIVACY_OFFICER, Role.BOARD_VIEWER, Role.MUNICIPAL_REPORTER],
)
def test_only_case_roles_register_and_look_up(role):
    user = user_with_role(role)
    with pytest.raises(PermissionDenied):
        lookup(user)
    with pytest.raises(PermissionDenied):
        register(user)


def test_another_organisation_sees_neither_registrations_nor_hits(client, police, care):
    own = register(police)
    result = lookup(care)
    services.hit_decide(context=context_for(care), hit=result.hits[0], confirm=True)
    stranger = user_with_role(Role.AVIM, OrganisationFactory(name="Politie Zuid"))
    client.force_login(stranger)
    assert "Anna de Vries" not in client.get(reverse("matching:registrations")).content.decode()
    assert client.get(reverse("matching:result", args=[result.lookup.token])).status_code == 404
    assert client.post(reverse("matching:end", args=[own.pk])).status_code == 404
    assert client.post(reverse("matching:decide", args=[result.hits[0].pk])).status_code == 404
    task = HitTask.objects.first()
    assert client.post(reverse("matching:task_status", args=[task.pk])).status_code == 404
    assert "Politie Noord" not in client.get(reverse("matching:hits")).content.decode()


# --- Encoding: errors a lookup survives, and what never hits ---------------------------------


def test_soundex_survives_typos_after_the_first_letter():
    from schakel.matching.normalise import soundex

    assert soundex("maxon") == soundex("mason")
    assert soundex("musolino") == soundex("musoilno") == "m245"
    assert soundex("ashcraft") == "a261"


@pytest.mark.parametrize(
    ("registered", "looked_up"),
    [
        (("Michaela", "Neumann", DOB), ("Michaela", "Neumann", date(1990, 5, 13))),  # one digit
        (("Michaela", "Neumann", DOB), ("Michaela", "Neumann", date(1990, 5, 21))),  # transposed
        (("Michaela", "Neumann", DOB), ("Micheala", "Neumann", DOB)),  # given name typo
        (("Michaela", "Neumann", DOB), ("Neumann", "Michaela", date(1990, 12, 5))),  # swapped
        (("Michaela", "Neumann", DOB), ("Michaela", "", DOB)),  # surname missing
    ],
)
def test_a_lookup_survives_one_error_per_field(police, care, registered, looked_up):
    register(police, *registered)
    assert lookup(care, *looked_up).hit


def test_a_date_alone_never_hits(police, care):
    register(police, "Michaela", "Neumann")
    assert not lookup(care, "Courtney", "Painter").hit


def test_the_bar_rises_with_the_size_of_the_registry():
    from schakel.matching import scoring

    found = scoring.Evidence(("exact", "exact"), False, "missing", ())
    assert scoring.decide(found, 300) == scoring.POSSIBLE
    assert scoring.decide(found, 1_000) is None
    one_name = scoring.Evidence(("diff", "exact"), False, "exact", ())
    assert scoring.decide(one_name, 1_000) == scoring.POSSIBLE
    assert scoring.decide(one_name, 2_500) is None
    sizes = [250, 1_000, 10_000, 100_000, 1_000_000]
    bars = [scoring.threshold(n) for n in sizes]
    assert bars == sorted(bars) and bars[0] < bars[-1]


def test_the_bar_keeps_the_expected_false_hit_rate_within_the_target():
    from schakel.matching import scoring

    for n in (250, 2_500, 100_000):
        bar = scoring.threshold(n)
        expected = sum(u for score, u in scoring._patterns() if score >= bar)
        assert n * expected <= scoring.FALSE_HIT_RATE


def test_identical_names_and_date_always_hit_even_in_a_huge_registry():
    from schakel.matching import scoring

    found = scoring.Evidence(("exact", "exact"), False, "exact", (), penalty=6.0)
    assert scoring.decide(found, 5_000_000) is not None


def test_frequent_names_prove_less():
    from schakel.matching import scoring

    assert scoring.namesake_penalty(1, 2_500) == 0.0
    assert scoring.namesake_penalty(40, 100_000) > 3
    assert scoring.namesake_penalty(2, 100_000) == 0.0
    found = scoring.Evidence(("exact", "exact"), False, "year", ())
    frequent = scoring.Evidence(("exact", "exact"), False, "year", (), penalty=4.0)
    assert scoring.decide(found, 10_000) and not scoring.decide(frequent, 10_000)


def test_the_weights_are_versioned_data_and_a_lookup_names_their_version(police, care):
    import json
    from importlib import resources

    from schakel.matching import scoring

    raw = json.loads(resources.files("schakel.matching").joinpath("weights.json").read_text())
    assert scoring.Weights.from_dict(raw) == scoring.WEIGHTS
    assert scoring.Weights.from_dict(scoring.WEIGHTS.as_dict()) == scoring.WEIGHTS
    assert raw["version"] == scoring.WEIGHTS.version and raw["fitted_by"]["dataset"]
    assert scoring.NAME_WEIGHTS["exact"] == raw["name"]["exact"]
    register(police)
    assert lookup(care).weights_version == scoring.WEIGHTS.version


def test_a_weights_file_without_every_level_is_refused():
    from schakel.matching import scoring

    raw = scoring.WEIGHTS.as_dict()
    del raw["dob"]["swapped"]
    with pytest.raises(ValueError, match="dob needs exactly the levels"):
        scoring.Weights.from_dict(raw)


def test_a_lookup_counts_namesakes_on_the_keyed_name_pair(police, care):
    for _ in range(3):
        register(police, "Jan", "de Vries", date(1975, 3, 4))
    from schakel.matching import index

    with index.LIVE.lock:
        live = index.LIVE.current(services.keys())
    assert live.namesakes(encoding_query("Jan", "Vries")) == 3
    assert live.namesakes(encoding_query("Piet", "Vries")) == 0


def encoding_query(given, surname):
    from schakel.matching import encoding, normalise

    return encoding.encode_query(
        services.keys(), given_names=given, surname=surname, dob=normalise.BirthDate()
    )


def test_case_persons_are_registered_for_participants_that_see_them_by_name(
    municipality, af_oov, police, care
):
    """A named person in a case is in the registry for the netwerkregisseur's organisation and
    for every participant with a basis to see names; a pseudonymised participant is not
    registered. A hit on it names the case's direction holder, not its content."""
    from schakel.cases import services as case_services
    from schakel.cases.choices import DirectionHolder, LegalBasis

    from .factories import SignalFactory

    case = case_services.case_open(
        context=context_for(af_oov),
        signals=[SignalFactory(municipality=municipality)],
    )
    police_org = police.memberships.get().organisation
    case_services.case_add_participant(
        context=context_for(af_oov),
        case=case,
        organisation=police_org,
        legal_basis=LegalBasis.PSEUDONYMS_ONLY,
        justification="Alleen op de hoogte houden",
    )
    person = case_services.case_person_add(
        context=context_for(af_oov),
        case=case,
        role="victim",
        name="Olena Shevchenko",
        date_of_birth="12-05-1990",
    )
    assert list(
        Involvement.objects.filter(case_person=person).values_list("organisation", flat=True)
    ) == [af_oov.memberships.get().organisation_id]
    participant = case.participants.get(organisation=police_org)
    case_services.case_reveal_personal_data(
        context=context_for(af_oov),
        participant=participant,
        legal_basis=LegalBasis.AVG_PUBLIC_TASK,
        justification="Aangifte wordt voorbereid",
    )
    assert Involvement.objects.filter(case_person=person).count() == 2
    case_services.case_person_add(
        context=context_for(af_oov), case=case, role="perpetrator", name="Dragan Voskuil"
    )
    assert Involvement.objects.filter(case_person__case=case).count() == 4
    assert services.case_register_involvements(context=context_for(af_oov), case=case) == 0
    # The zorgcoördinator, outside the case, asks and gets the case's direction holder.
    hit = lookup(care).hits[0]
    services.hit_decide(context=context_for(care), hit=hit, confirm=True)
    contact = contact_for(context_for(care), hit)
    assert contact.direction_holder == str(DirectionHolder.NETWORK_DIRECTOR.label)
    assert "Shevchenko" not in contact.contact_person
