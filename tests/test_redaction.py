"""The one redaction service (schakel.core.redaction), called directly."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from django.db.models import Model

from schakel.core.redaction import PARTICLES, Redactor, fold
from schakel.organisations.models import Organisation


@contextmanager
def field_writes(*models: type[Model]) -> Iterator[list[tuple[str, Any, str]]]:
    """Records every change of a field's value on an instance of `models` that already had one
    (not the loading of an instance): display must never rewrite what a model holds."""
    writes: list[tuple[str, Any, str]] = []

    def watched(self: Model, name: str, value: Any) -> None:
        held = self.__dict__
        if (
            isinstance(self, models)
            and "_state" in held
            and name in held
            and held[name] != value
            and name in {f.attname for f in self._meta.concrete_fields}
        ):
            writes.append((type(self).__name__, self.pk, name))
        object.__setattr__(self, name, value)

    Model.__setattr__ = watched  # type: ignore[method-assign,assignment]
    try:
        yield writes
    finally:
        del Model.__setattr__  # type: ignore[misc]


ANA = Redactor.for_persons(
    [("Ana Maria de Vries", "Slachtoffer 1"), ("Piet Bakker", "Verdachte A")]
)


def test_none_is_the_identity():
    redact = Redactor.none()
    assert not redact.redacts
    assert redact("Ana Maria de Vries zag Piet") == "Ana Maria de Vries zag Piet"
    assert redact("") == ""


def test_persons_without_a_name_redact_nothing():
    redact = Redactor.for_persons([("", "Slachtoffer 1"), ("  ", "Slachtoffer 2")])
    assert not redact.redacts
    assert redact("Niemand") == "Niemand"


def test_the_full_name_is_replaced_as_one():
    assert ANA("Ana Maria de Vries belde.") == "Slachtoffer 1 belde."
    assert ANA("Gesprek met Piet Bakker.") == "Gesprek met Verdachte A."


def test_each_part_of_three_letters_or_more_is_replaced():
    assert (
        ANA("Ana en Maria, mevrouw Vries")
        == "Slachtoffer 1 en Slachtoffer 1, mevrouw Slachtoffer 1"
    )
    assert ANA("Bakker sprak met Piet") == "Verdachte A sprak met Verdachte A"


def test_particles_are_not_replaced_on_their_own():
    assert {"van", "de", "der"} <= PARTICLES
    assert ANA("de buurman van de Vries") == "de buurman van Slachtoffer 1"
    assert ANA("Maria de buurvrouw") == "Slachtoffer 1 de buurvrouw"
    redact = Redactor.for_persons([("Jan van der Berg", "Verdachte B")])
    assert redact("van der Berg, van der Berg.") == "Verdachte B, Verdachte B."
    assert redact("Het huis van de buren") == "Het huis van de buren"


def test_short_parts_are_not_replaced_on_their_own():
    redact = Redactor.for_persons([("Li Wei", "Slachtoffer 2")])
    assert redact("Li Wei werkt hier") == "Slachtoffer 2 werkt hier"
    assert redact("Li is kort, Wei niet") == "Li is kort, Slachtoffer 2 niet"


def test_only_whole_words_are_replaced():
    assert ANA("Pieter en Bakkerij") == "Pieter en Bakkerij"
    assert ANA("Anatomie") == "Anatomie"


def test_case_does_not_matter():
    assert ANA("ANA MARIA DE VRIES en piet bakker") == "Slachtoffer 1 en Verdachte A"


def test_a_zero_width_character_inside_a_name_does_not_defeat_redaction():
    assert ANA("Ana\u200bMaria kwam") == "Slachtoffer 1 kwam"
    assert ANA("Ba\u200bkker en Pi\u2060et") == "Verdachte A en Verdachte A"
    assert ANA("Ba\u00adkker\u200d gezien") == "Verdachte A gezien"


def test_names_written_together_or_with_a_hyphen_are_replaced_as_one():
    assert ANA("AnaMaria en Ana-Maria") == "Slachtoffer 1 en Slachtoffer 1"
    redact = Redactor.for_persons([("Anne-Marie Jansen", "Slachtoffer 3")])
    assert redact("Anne-Marie belde, Anne ook, Marie ook") == (
        "Slachtoffer 3 belde, Slachtoffer 3 ook, Slachtoffer 3 ook"
    )


def test_full_width_letters_and_compatibility_forms_are_folded():
    assert ANA("Ｐｉｅｔ Ｂａｋｋｅｒ kwam") == "Verdachte A kwam"
    assert ANA("Piet\u00a0Bakker") == "Verdachte A"


def test_accents_and_their_decomposed_forms():
    redact = Redactor.for_persons([("José Müller", "Verdachte C")])
    assert redact("José kwam") == "Verdachte C kwam"
    assert redact("Jose\u0301 kwam") == "Verdachte C kwam"  # e + combining acute
    assert redact("Jose en MULLER") == "Verdachte C en Verdachte C"
    assert redact("Müllers") == "Müllers"


def test_casefold_beyond_lower():
    redact = Redactor.for_persons([("Anna Strauß", "Slachtoffer 4")])
    assert (
        redact("STRAUSS en Strauss en Strauß") == "Slachtoffer 4 en Slachtoffer 4 en Slachtoffer 4"
    )
    assert redact("Straußenei") == "Straußenei"


def test_non_latin_names():
    redact = Redactor.for_persons([("Олена Коваль", "Slachtoffer 5")])
    assert redact("Олена Коваль і ОЛЕНА") == "Slachtoffer 5 і Slachtoffer 5"


def test_text_around_the_name_is_kept_as_written():
    assert ANA("Ｘ Piet\u200b, ’t is laat\n") == "Ｘ Verdachte A, ’t is laat\n"
    assert ANA("Geen namen hier: ﬁets") == "Geen namen hier: ﬁets"


def test_a_shared_surname_goes_to_the_full_name_first():
    redact = Redactor.for_persons([("Eva Jansen", "Slachtoffer 1"), ("Tom Jansen", "Verdachte A")])
    assert redact("Tom Jansen en Eva Jansen") == "Verdachte A en Slachtoffer 1"
    assert redact("Tom en Eva") == "Verdachte A en Slachtoffer 1"


def test_the_redactor_is_frozen():
    with pytest.raises(dataclasses.FrozenInstanceError):
        ANA.pattern = None  # type: ignore[misc]


def test_fold():
    assert fold("Ａｎａ\u200bMARÍA") == "anamaria"


def test_field_writes_sees_a_field_rewritten_on_an_instance():
    organisation = Organisation(name="Opvang")
    with field_writes(Organisation) as writes:
        same = Organisation(name="Nieuw")  # loading or creating is no write
        organisation.name = "Opvang"  # nor is setting the same value
        organisation.name = "Andere naam"
    assert same.name == "Nieuw"
    assert writes == [("Organisation", None, "name")]
    organisation.name = "weer"  # the watch is gone
    assert not hasattr(Model, "__setattr__") or Model.__setattr__ is object.__setattr__
