"""The gaps of the care map (zorgkaart): every combination of domain, age group, origin and form
of exploitation that no active offer of the region covers. An offer covers a combination when it
is of that domain and takes in that age group, that origin and that form."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from schakel.catalogue.choices import INDICATOR_FORM_CODES

from .choices import AgeGroup, CareDomain, Origin

# The forms a victim's care is for: "unknown" describes a signal, not a need.
CARE_FORMS: tuple[str, ...] = INDICATOR_FORM_CODES


@dataclass(frozen=True)
class Combination:
    domain: str
    age: str
    origin: str
    form: str


@dataclass(frozen=True)
class Coverage:
    """What one offer takes in, as plain values (from `CareOffer` or a test)."""

    domain: str
    ages: frozenset[str]
    origins: frozenset[str]
    forms: frozenset[str]

    def covers(self, combination: Combination) -> bool:
        return (
            combination.domain == self.domain
            and combination.age in self.ages
            and combination.origin in self.origins
            and combination.form in self.forms
        )


def every_combination() -> list[Combination]:
    return [
        Combination(domain, age, origin, form)
        for domain in CareDomain.values
        for age in AgeGroup.values
        for origin in Origin.values
        for form in CARE_FORMS
    ]


def gaps(offers: Iterable[Coverage]) -> list[Combination]:
    """The combinations no offer covers, in the order of `every_combination`."""
    covered = set()
    offers = list(offers)
    for combination in every_combination():
        if any(offer.covers(combination) for offer in offers):
            covered.add(combination)
    return [c for c in every_combination() if c not in covered]
