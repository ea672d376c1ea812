"""A person's nationality is a country, read shyly from the free text recorded before it was a
choice; a person can have several outcomes, within the rules of their role. The migrations
carry the old records over."""

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import translation

from schakel.cases.choices import PersonOutcome
from schakel.cases.models import CasePerson, CasePersonOutcome
from schakel.cases.services.outcomes import check_outcomes
from schakel.intake.models import SignalPerson
from schakel.intake.nationality import (
    NationalityGroup,
    country_from_text,
    group_of,
    nationality_code,
    nationality_shown,
)

from .factories import SignalFactory


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("Poolse", "PL"),
        ("Pools", "PL"),
        ("Romanian", "RO"),
        ("Roemeense", "RO"),
        ("Nederlandse", "NL"),
        ("NL", "NL"),
        ("nl", "NL"),
        ("Oekraïne", "UA"),
        ("oekraine", "UA"),
        ("Vietnamees, spreekt weinig Engels", "VN"),
        ("Nigeriaanse (spreekt Engels)", "NG"),
        ("  POOLSE  ", "PL"),
        # Unicode tricks read as what they look like, or not at all
        ("Pool\u200bse", "PL"),  # a zero-width space inside
        ("\uff30\uff4f\uff4f\uff4c\uff53\uff45", "PL"),  # full-width "Poolse"
        ("Poolse\x00", "PL"),  # a null byte after
        # unsure is unknown
        ("", ""),
        ("onbekend", ""),
        ("spreekt Russisch", ""),  # a language is not a nationality
        ("Pools of Roemeens", ""),  # two countries: do not guess
        ("Congo", ""),  # two countries have that name
        ("Oost-Europees", ""),
        ("XX", ""),
    ],
)
def test_the_free_text_is_read_into_a_country_only_when_sure(text, code):
    assert country_from_text(text) == code


@pytest.mark.parametrize(
    ("code", "group"),
    [
        ("NL", NationalityGroup.DUTCH),
        ("nl", NationalityGroup.DUTCH),
        ("PL", NationalityGroup.EU),
        ("GR", NationalityGroup.EU),
        ("BG", NationalityGroup.EU),
        ("UA", NationalityGroup.NON_EU),
        ("GB", NationalityGroup.NON_EU),  # no longer in the EU
        ("NG", NationalityGroup.NON_EU),
        ("", NationalityGroup.UNKNOWN),
        ("EL", NationalityGroup.UNKNOWN),  # the EU's code for Greece is no ISO country
        ("ZZ", NationalityGroup.UNKNOWN),
    ],
)
def test_each_country_falls_in_one_group(code, group):
    assert group_of(code) == group


@translation.override("en")
def test_a_service_takes_a_country_from_the_list_or_reads_it_from_the_text():
    assert nationality_code("pl") == "PL"
    assert nationality_code("") == ""
    assert nationality_code(None, "Roemeense") == "RO"
    for bad in ("ZZ", "Polen", "P\u200bL", "\x00"):
        with pytest.raises(ValidationError, match="list of countries"):
            nationality_code(bad)


def test_the_nationality_reads_as_country_then_details():
    class Country:
        name = "Polen"

    assert nationality_shown(Country(), "spreekt Duits") == "Polen (spreekt Duits)"
    assert nationality_shown(Country(), "") == "Polen"
    assert nationality_shown("", "spreekt Russisch") == "spreekt Russisch"
    assert nationality_shown("", "") == ""


@translation.override("en")
def test_a_victim_can_have_several_outcomes_but_no_trafficking_stands_alone():
    victim = CasePerson(role="victim", number=1)
    perpetrator = CasePerson(role="perpetrator", number=1)
    helped = {PersonOutcome.REFERRED_TO_CARE, PersonOutcome.SHELTERED}
    assert check_outcomes(victim, helped | {PersonOutcome.REGISTERED_COMENSHA}) == {
        "care",
        "sheltered",
        "comensha",
    }
    assert check_outcomes(victim, "sheltered") == {"sheltered"}  # one code, as before
    assert check_outcomes(victim, {PersonOutcome.OPEN}) == frozenset()
    with pytest.raises(ValidationError, match="cannot be combined"):
        check_outcomes(victim, {PersonOutcome.NO_TRAFFICKING, PersonOutcome.SHELTERED})
    with pytest.raises(ValidationError, match="fit the person's role"):
        check_outcomes(victim, {PersonOutcome.DISRUPTED})
    with pytest.raises(ValidationError, match="fit the person's role"):
        check_outcomes(perpetrator, {PersonOutcome.SHELTERED})
    assert check_outcomes(perpetrator, {"disrupted", "prosecuted"}) == {"disrupted", "prosecuted"}


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


@pytest.mark.django_db(transaction=True)
def test_the_migrations_read_old_nationalities_and_carry_one_outcome_over(municipality):
    signal = SignalFactory(municipality=municipality)
    old = _migrate([("intake", "0004_days_to_steps"), ("cases", "0002_events")])
    OldSignalPerson = old.get_model("intake", "SignalPerson")
    OldCase = old.get_model("cases", "Case")
    OldCasePerson = old.get_model("cases", "CasePerson")
    for text in ("Poolse", "spreekt Russisch", ""):
        OldSignalPerson.objects.create(signal_id=signal.pk, role="victim", nationality=text)
    case = OldCase.objects.create(reference="ZK-2026-OLD777", municipality_id=municipality.pk)
    sheltered = OldCasePerson.objects.create(
        case_id=case.pk, role="victim", number=1, nationality="Roemeens", outcome="sheltered"
    )
    OldCasePerson.objects.create(
        case_id=case.pk, role="perpetrator", number=1, nationality="Brits of Iers", outcome=""
    )
    _migrate([("intake", "0005_nationality_country"), ("cases", "0003_nationality_and_outcomes")])
    _migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())

    read = dict(
        SignalPerson.objects.filter(signal=signal).values_list("nationality", "nationality_country")
    )
    assert read == {"Poolse": "PL", "spreekt Russisch": "", "": ""}
    persons = dict(
        CasePerson.objects.filter(case_id=case.pk).values_list("role", "nationality_country")
    )
    assert persons == {"victim": "RO", "perpetrator": ""}
    assert list(CasePersonOutcome.objects.values_list("person_id", "outcome")) == [
        (sheltered.pk, "sheltered")
    ]
