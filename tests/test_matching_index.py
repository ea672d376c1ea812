"""The registry's lookup index (schakel/matching/index.py): candidates, expiry and removal, and the
process's live index kept current from the database, finding what a database query finds."""

from datetime import date

import pytest

from schakel.matching import encoding, index, normalise, services
from schakel.matching.models import Involvement, InvolvementKey
from schakel.organisations.choices import Role

from .conftest import context_for
from .factories import OrganisationFactory, user_with_role

KEYS = encoding.Keys.derive("index-test-key")
DOB_DATE = date(1990, 5, 12)
DOB = normalise.birth_date(DOB_DATE)


def key(n: int) -> str:
    return encoding.block_key(KEYS, f"test|{n}")


def filled(*key_sets: list[int], **kwargs: object) -> index.CompactIndex:
    built = index.CompactIndex(**kwargs)  # type: ignore[arg-type]
    for n, numbers in enumerate(key_sets):
        built.add([key(k) for k in numbers], f"blob {n}".encode())
    return built


def test_candidates_share_most_keys_first_and_ties_fall_to_the_earliest():
    built = filled([1, 2], [1, 2, 3], [9], [1], [3, 1])
    assert built.candidates([key(1), key(2), key(3)]) == [1, 0, 4, 3]
    assert built.candidates([key(1), key(2), key(3)], limit=2) == [1, 0]
    assert built.candidates([key(9)]) == [2]
    assert built.candidates([key(77)]) == []


def test_removed_expired_and_own_registrations_are_never_candidates():
    built = index.CompactIndex()
    built.add([key(1)], b"a", organisation=1)
    built.add([key(1)], b"b", organisation=2, expires=1_000.0)
    built.add([key(1)], b"c", organisation=2)
    built.remove(2)
    assert built.candidates([key(1)]) == [0, 1]
    assert built.candidates([key(1)], exclude_organisation=1) == [1]
    assert built.candidates([key(1)], exclude_organisation=1, now=2_000.0) == []
    assert built.active_count(exclude_organisation=1, now=2_000.0) == 0
    assert built.active_count() == 2


def test_sealed_blobs_survive_packing_into_chunks(monkeypatch):
    monkeypatch.setattr(index, "CHUNK", 3)
    built = filled(*([n] for n in range(10)))
    assert [built.sealed(rid) for rid in range(10)] == [f"blob {n}".encode() for n in range(10)]


def test_adding_after_a_lookup_merges_sorted_runs(monkeypatch):
    monkeypatch.setattr(index, "MAX_RUNS", 2)
    built = index.CompactIndex()
    for n in range(8):
        built.add([key(n % 3), key(100 + n)], b"x")
        assert built.candidates([key(n % 3)]) == list(range(n % 3, n + 1, 3))
    assert len(built._runs) <= 2


def test_a_registry_larger_than_the_rid_bits_is_refused():
    built = index.CompactIndex(rid_bits=2)
    for _ in range(4):
        built.add([key(1)], b"x")
    with pytest.raises(OverflowError):
        built.add([key(1)], b"x")


def test_padding_keys_are_recognised_only_with_the_key():
    padding = encoding.padding_key(KEYS)
    assert len(padding) == encoding.KEY_HEX
    assert encoding.is_padding(KEYS, padding)
    assert not encoding.is_padding(encoding.Keys.derive("another key"), padding)
    assert not encoding.is_padding(KEYS, key(1))


def test_search_scores_as_the_scorer_does():
    built = index.CompactIndex()
    for given, surname in (("Olena", "Shevchenko"), ("Olga", "Shevchuk")):
        person = encoding.encode_person(KEYS, given_names=given, surname=surname, dob=DOB)
        built.add(person.block_keys, encoding.seal(KEYS, person), pk=40 + len(built))
    query = encoding.encode_query(KEYS, given_names="Олена", surname="Шевченко", dob=DOB)
    assert [(f.rid, f.pk, f.band) for f in built.search(KEYS, query)] == [(0, 40, "strong")]


def _database_candidates(query, organisation):
    """The reference: what a GROUP BY over the key table picks (the lookup before the index)."""
    from django.db.models import Count

    return list(
        services._active()
        .exclude(organisation=organisation)
        .filter(keys__key__in=query.block_keys)
        .annotate(shared=Count("keys"))
        .order_by("-shared", "pk")
        .values_list("pk", flat=True)[: encoding.MAX_CANDIDATES]
    )


@pytest.fixture
def two_organisations():
    police = user_with_role(Role.AVIM, OrganisationFactory(name="Politie Noord"))
    care = user_with_role(Role.ZORGCOORDINATOR, OrganisationFactory(name="Zorgcoördinatie West"))
    return police, care


def _register(user, given, surname, dob=date(1990, 5, 12)):
    return services.involvement_register(
        context=context_for(user),
        person=services.Person(given, surname, dob),
        contact_person="Anna de Vries",
    )


def _query(given="Olena", surname="Shevchenko", dob=DOB):
    return encoding.encode_query(services.keys(), given_names=given, surname=surname, dob=dob)


@pytest.mark.django_db
def test_the_live_index_drops_padding_and_picks_the_candidates_the_database_picks(
    two_organisations,
):
    police, care = two_organisations
    names = [("Olena", "Shevchenko"), ("Olga", "Shevchuk"), ("Jan", "de Vries"), ("Olena", "Li")]
    for given, surname in names:
        _register(police, given, surname)
    with index.LIVE.lock:
        live = index.LIVE.current(services.keys())
    assert len(live) == len(names)
    stored = InvolvementKey.objects.count()
    assert stored == len(names) * services.PADDED_KEYS
    assert 0 < sum(len(run) for run in live._runs) < stored  # padding dropped
    care_org = care.memberships.get().organisation
    for given, surname in names:
        query = _query(given, surname)
        rids = live.candidates(query.block_keys, exclude_organisation=care_org.pk)
        assert [live.pks[r] for r in rids] == _database_candidates(query, care_org)
    result = services.involvement_lookup(
        context_for(care), given_names="Olena", surname="Shevchenko", date_of_birth=DOB_DATE
    )
    assert result.hits[0].strength == "strong"  # the same person (a namesake may be possible)


@pytest.mark.django_db
def test_the_live_index_learns_of_new_and_ended_registrations(two_organisations):
    police, care = two_organisations
    context = context_for(care)
    lookup = lambda: services.involvement_lookup(  # noqa: E731
        context, given_names="Olena", surname="Shevchenko", date_of_birth=DOB_DATE
    )
    assert not lookup().hit  # builds the index on an empty registry
    involvement = _register(police, "Olena", "Shevchenko")
    assert lookup().hit  # caught up: added
    services.involvement_end(context=context_for(police), involvement=involvement, confirmed=True)
    assert not lookup().hit  # caught up: ended
    with index.LIVE.lock:
        live = index.LIVE.current(services.keys())
    assert live.active_count() == 0


@pytest.mark.django_db
def test_a_registration_deleted_behind_the_index_s_back_never_hits(two_organisations):
    police, care = two_organisations
    involvement = _register(police, "Olena", "Shevchenko")
    lookup = lambda: services.involvement_lookup(  # noqa: E731
        context_for(care), given_names="Olena", surname="Shevchenko", date_of_birth=DOB_DATE
    )
    assert lookup().hit
    newer = _register(police, "Jan", "de Vries")  # so the newest seen is still there
    involvement.delete()  # as retention deletes it with its case person
    assert not lookup().hit  # the database confirms candidates
    with index.LIVE.lock:
        live = index.LIVE.current(services.keys())
    assert live.active_count() == 1 and live.rid_of(newer.pk) is not None


@pytest.mark.django_db
def test_a_rolled_back_registry_is_noticed_and_the_index_rebuilt(two_organisations):
    police, _care = two_organisations
    first = _register(police, "Olena", "Shevchenko")
    with index.LIVE.lock:
        index.LIVE.current(services.keys())
    Involvement.objects.all().delete()  # as a rolled-back test or a restored backup
    _register(police, "Jan", "de Vries")
    with index.LIVE.lock:
        live = index.LIVE.current(services.keys())
    assert len(live) == 1 and live.rid_of(first.pk) is None


def test_the_index_holds_under_150_bytes_per_registration_without_blobs():
    built = index.CompactIndex()
    for n in range(10_000):
        built.add([key(n * 14 + k) for k in range(14)], pk=n + 1)
    built.freeze()
    # 14 keys x 8 bytes, id 8, organisation 4, expiry 8, active 1 (and 4 per closed blob chunk)
    assert 133 <= built.nbytes / len(built) < 150


@pytest.mark.django_db
def test_a_registration_that_committed_late_is_added_at_the_next_look_back(two_organisations):
    from datetime import timedelta

    police, _care = two_organisations
    _register(police, "Jan", "de Vries")
    with index.LIVE.lock:
        index.LIVE.current(services.keys())
    late = _register(police, "Olena", "Shevchenko")
    newer = _register(police, "Piet", "Bakker")
    # As if the newer one had committed first and been seen before the late one.
    with index.LIVE.lock:
        index.LIVE._newest = (newer.pk, newer.created_at)
        live = index.LIVE.current(services.keys())
        assert live.rid_of(late.pk) is None  # not yet: between look-backs
        index.LIVE._checked -= index.LiveIndex.LATE_CHECK + timedelta(seconds=1)
        live = index.LIVE.current(services.keys())
    assert live.rid_of(late.pk) is not None
