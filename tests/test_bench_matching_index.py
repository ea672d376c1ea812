"""The benchmark's compact in-memory index (bench/compact_index.py): the same candidates and hits
as the database path, compactly."""

import importlib.util
import sys
from datetime import date
from pathlib import Path

import pytest

from schakel.matching import encoding, normalise, services
from schakel.matching.models import InvolvementKey
from schakel.organisations.choices import Role

from .conftest import context_for
from .factories import OrganisationFactory, user_with_role


def _bench_module(name: str):
    """A module of bench/ (not a package: the benchmark runs its files as scripts)."""
    path = Path(__file__).resolve().parents[1] / "bench" / f"{name}.py"
    spec = importlib.util.spec_from_file_location(f"bench_{name}", path)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up while they are built
    spec.loader.exec_module(module)
    return module


index = _bench_module("compact_index")
KEYS = encoding.Keys.derive("index-test-key")
DOB = normalise.birth_date(date(1990, 5, 12))


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


@pytest.mark.django_db
def test_the_index_built_from_the_database_drops_padding_and_finds_what_the_database_finds():
    police = user_with_role(Role.AVIM, OrganisationFactory(name="Politie Noord"))
    care = user_with_role(Role.ZORGCOORDINATOR, OrganisationFactory(name="Zorgcoördinatie West"))
    for given, surname in (("Olena", "Shevchenko"), ("Jan", "de Vries")):
        services.involvement_register(
            context=context_for(police),
            person=services.Person(given, surname, date(1990, 5, 12)),
            contact_person="Anna de Vries",
        )
    built = index.from_database(services.keys())
    assert len(built) == 2
    stored = InvolvementKey.objects.count()
    assert stored == 2 * services.PADDED_KEYS
    assert 0 < sum(len(run) for run in built._runs) < stored  # padding dropped
    query = encoding.encode_query(
        services.keys(), given_names="Olena", surname="Shevchenko", dob=DOB
    )
    police_org = police.memberships.get().organisation_id
    care_org = care.memberships.get().organisation_id
    found = built.search(services.keys(), query, exclude_organisation=care_org)
    database = services.involvement_lookup(
        context_for(care),
        given_names="Olena",
        surname="Shevchenko",
        date_of_birth=date(1990, 5, 12),
    )
    assert [(f.pk, f.band) for f in found] == [
        (h.involvement_id, h.strength) for h in database.hits
    ]
    assert built.search(services.keys(), query, exclude_organisation=police_org) == []
