"""Comparing two encodings of the hit/no-hit registry and deciding: hit (strong / possible) or not.

A Fellegi-Sunter style scored sum: each field of a candidate gets a level (names, date of birth,
optional attributes), each level a log-likelihood weight, and a hit needs a score at or above a
bar calibrated on the expected false-hit rate, which rises with the registry's size. The fitted
numbers (weights and u per level) are data, not code: weights.json beside this module, written by
``bench/matching.py --write-weights`` and loaded once at import (see docs/matching.md).
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from types import MappingProxyType
from typing import Any

from .encoding import Encoded, Query, dice, overlap

# --- Comparing --------------------------------------------------------------------------------

STRONG, POSSIBLE = "strong", "possible"


def name_level(similarity: float | None) -> str:
    if similarity is None:
        return "missing"
    if similarity >= 0.99:
        return "exact"
    if similarity >= 0.8:
        return "high"
    if similarity >= 0.7:
        return "mid"
    if similarity >= 0.5:
        return "low"
    return "diff"


def _similarity(a: int, b: int) -> float | None:
    if not a or not b:
        return None
    return max(dice(a, b), 0.95 * overlap(a, b))  # containment: compound names


def name_levels(q: Encoded, r: Encoded) -> tuple[tuple[str, str], bool]:
    """Levels of (given, surname), in the order (straight or swapped) that agrees best."""
    straight = (_similarity(q.given, r.given), _similarity(q.surname, r.surname))
    swapped = (_similarity(q.given, r.surname), _similarity(q.surname, r.given))
    if q.arabic or r.arabic:  # across scripts only the consonants are comparable
        bridge = 0.92 * dice(q.skeleton, r.skeleton)
        straight = tuple(max(x or 0.0, bridge) for x in straight)  # type: ignore[assignment]
    levels = (name_level(straight[0]), name_level(straight[1]))
    other = (name_level(swapped[0]), name_level(swapped[1]))
    if sum(NAME_WEIGHTS[x] for x in other) > sum(NAME_WEIGHTS[x] for x in levels):
        return other, True
    return levels, False


def dob_level(query: Query, r: Encoded) -> str:
    q = query.encoded
    if q.dob_year is None or r.dob_year is None:
        return "missing"  # unknown on one side: neither for nor against
    if q.dob_full and r.dob_full:
        if q.dob_full == r.dob_full:
            return "exact"
        if query.dob_swapped == r.dob_full:
            return "swapped"
        if q.dob_wild & r.dob_wild:
            return "one_digit"
        if r.dob_full in query.dob_transposed:
            return "transposed"
        return "diff"
    if q.dob_year == r.dob_year:
        return "year"  # year only on one side (or a 1 January placeholder)
    return "year_near" if r.dob_year in query.year_near else "diff"


def attribute_level(kind: str, similarity: float) -> str:
    if kind == "exact":
        return "exact_same" if similarity == 1.0 else "exact_diff"
    if similarity >= 0.99:
        return "fuzzy_same"
    if similarity >= 0.6:
        return "fuzzy_near"
    return "fuzzy_diff"


# --- The fitted numbers (weights.json) --------------------------------------------------------

NAME_LEVELS = ("exact", "high", "mid", "low", "diff", "missing")
DOB_LEVELS = ("exact", "swapped", "one_digit", "transposed", "year", "year_near", "diff", "missing")
ATTRIBUTE_LEVELS = ("exact_same", "exact_diff", "fuzzy_same", "fuzzy_near", "fuzzy_diff")
WEIGHTS_FILE = "weights.json"


def _table(raw: Mapping[str, Any], levels: tuple[str, ...], what: str) -> Mapping[str, float]:
    if set(raw) != set(levels):
        raise ValueError(f"{WEIGHTS_FILE}: {what} needs exactly the levels {', '.join(levels)}")
    return MappingProxyType({level: float(raw[level]) for level in levels})


@dataclass(frozen=True)
class Weights:
    """The numbers the decision was fitted with, one reviewed version of weights.json.

    Log-likelihood weights (log2 m/u) per level, estimated on the development split (FEBRL2 +
    FEBRL3, bench/matching.py --develop), never on the FEBRL4 evaluation split; u per level is
    the share of pairs of *different* people at that level (the same split, random pairs). A
    change of these numbers is a change of weights.json with a new version (docs/matching.md)."""

    version: int
    fitted_by: Mapping[str, str]
    name: Mapping[str, float]
    dob: Mapping[str, float]
    # Optional attributes, per name (the full profile: generic names, so the app can pass the
    # same); an attribute without its own weights uses default_attribute (a prior, not fitted:
    # conflicts count, agreement a bit).
    attributes: Mapping[str, Mapping[str, float]]
    default_attribute: Mapping[str, float]
    name_u: Mapping[str, float]
    dob_u: Mapping[str, float]

    @classmethod
    def from_dict(cls, raw: Mapping[str, Any]) -> Weights:
        return cls(
            version=int(raw["version"]),
            fitted_by=MappingProxyType({k: str(v) for k, v in raw["fitted_by"].items()}),
            name=_table(raw["name"], NAME_LEVELS, "name"),
            dob=_table(raw["dob"], DOB_LEVELS, "dob"),
            attributes=MappingProxyType(
                {
                    attribute: _table(table, ATTRIBUTE_LEVELS, f"attributes.{attribute}")
                    for attribute, table in raw["attributes"].items()
                }
            ),
            default_attribute=_table(raw["default_attribute"], ATTRIBUTE_LEVELS, "default"),
            name_u=_table(raw["name_u"], NAME_LEVELS, "name_u"),
            dob_u=_table(raw["dob_u"], DOB_LEVELS, "dob_u"),
        )

    def as_dict(self) -> dict[str, Any]:
        """As weights.json holds it (the benchmark writes it with json.dumps(..., indent=2))."""
        return {
            "version": self.version,
            "fitted_by": dict(self.fitted_by),
            "name": dict(self.name),
            "dob": dict(self.dob),
            "attributes": {name: dict(table) for name, table in self.attributes.items()},
            "default_attribute": dict(self.default_attribute),
            "name_u": dict(self.name_u),
            "dob_u": dict(self.dob_u),
        }


def load_weights() -> Weights:
    """weights.json of this package (read as package data, so also from a wheel or a zip)."""
    text = resources.files("schakel.matching").joinpath(WEIGHTS_FILE).read_text(encoding="utf-8")
    return Weights.from_dict(json.loads(text))


WEIGHTS = load_weights()  # once, at import
NAME_WEIGHTS = WEIGHTS.name
DOB_WEIGHTS = WEIGHTS.dob
ATTRIBUTE_WEIGHTS = WEIGHTS.attributes
DEFAULT_ATTRIBUTE = WEIGHTS.default_attribute
NAME_U = WEIGHTS.name_u
DOB_U = WEIGHTS.dob_u

# --- The rules, fixed in advance (not fitted) --------------------------------------------------

SWAP_PENALTY = 0.5
AGREEING_NAME = ("exact", "high", "mid")  # a hit needs one name at least this close (a date
# alone and two loosely similar names never hit) ...
ATTRIBUTE_MINIMUM = 10.0  # ... unless the optional attributes alone score at least this
STRONG_MARGIN = 14.0  # strong: score at least log2(registrations) + STRONG_MARGIN
MIN_POPULATION = 250  # the prior is never taken as better than 1 in this many

# The bar: calibrated on the expected false-hit rate. Under independence a lookup of an absent
# person in a registry of n others hits with probability about n * sum(u(pattern)) over the
# accepted patterns (NAME_U, DOB_U); the bar is the lowest score that keeps this at most
# FALSE_HIT_RATE, half the 0.1 % (a margin for the model's error). The bar so rises with
# the registry's size.
FALSE_HIT_RATE = 0.0005
# Namesakes: the static weights assume a name pair as frequent as NAME_U["exact"] ** 2. When the
# registry holds more registrations with the query's exact name pair (counted on its order-free
# name-pair blocking key, so without any plaintext), agreeing names prove less: the excess is
# subtracted, log2(observed / expected).
EXPECTED_NAME_PAIR = NAME_U["exact"] ** 2
# Common names. The weights and the bar are averages over all pairs; a pair whose date cannot
# confirm it (only a birth year, or no date on one side) rests on the names alone, and for a
# common name that is not enough: in a registry of n, a different person with the same name
# turns up with probability about n * share(name pair) * chance(date level by coincidence).
# Such a pair hits only when that stays within FALSE_HIT_RATE: a rare name. The name's share is
# the query's (names.json, normalise.name_pair_share); the chance that two different people share
# a birth year is taken as 1 in 50 (birth years of the people concerned spread over ~50 years),
# a year off by one 3 in 50, no date 1. Fixed in advance, not fitted.
DATE_CHANCE = MappingProxyType({"year": 1 / 50, "year_near": 3 / 50, "missing": 1.0})
FULL_DATE_LEVELS = ("exact", "swapped", "one_digit", "transposed")


@lru_cache(maxsize=256)
def _patterns() -> tuple[tuple[float, float], ...]:
    """(score, u) of every acceptable name/name/date pattern, strongest first."""
    out = []
    for g in NAME_WEIGHTS:
        for s in NAME_WEIGHTS:
            if not {g, s} & set(AGREEING_NAME):
                continue
            for d in DOB_WEIGHTS:
                score = NAME_WEIGHTS[g] + NAME_WEIGHTS[s] + DOB_WEIGHTS[d]
                out.append((score, NAME_U[g] * NAME_U[s] * DOB_U[d]))
    return tuple(sorted(out, reverse=True))


@lru_cache(maxsize=4096)
def _threshold(population: int) -> float:
    accepted = 0.0
    for score, u in _patterns():
        if population * (accepted + u) > FALSE_HIT_RATE:
            return score + 0.01  # this pattern and all weaker ones stay below the bar
        accepted += u
    return -math.inf


def threshold(registrations: int) -> float:
    # Rounded to 2 significant digits, so the cache stays small and the bar moves in steps.
    population = max(registrations, MIN_POPULATION)
    return _threshold(int(float(f"{population:.2g}")))


def namesake_penalty(namesakes: int, registrations: int) -> float:
    """Bits subtracted from agreeing names when the name pair is more frequent than assumed
    (namesakes: registrations holding the query's exact name pair, the match included)."""
    expected = 1.0 + max(registrations, 1) * EXPECTED_NAME_PAIR
    return max(0.0, math.log2(namesakes / expected)) if namesakes > expected else 0.0


@dataclass(frozen=True)
class Evidence:
    names: tuple[str, str]
    swapped: bool
    dob: str
    attributes: tuple[tuple[str, str], ...]  # (attribute, level)
    penalty: float = 0.0  # namesakes (see namesake_penalty) or a common name (frequency_penalty)
    share: float = 0.0  # how common the query's name pair is (normalise.name_pair_share)

    @property
    def name_score(self) -> float:
        return (
            sum(NAME_WEIGHTS[x] for x in self.names)
            - (SWAP_PENALTY if self.swapped else 0.0)
            - self.penalty
        )

    @property
    def attribute_score(self) -> float:
        return sum(
            ATTRIBUTE_WEIGHTS.get(name, DEFAULT_ATTRIBUTE)[level] for name, level in self.attributes
        )

    @property
    def score(self) -> float:
        return self.name_score + DOB_WEIGHTS[self.dob] + self.attribute_score

    @property
    def identical(self) -> bool:
        """Both names and the full date exactly the same: the strongest evidence names and a
        date can give. It always hits; it is a false hit only for a namesake born the same day."""
        return self.names == ("exact", "exact") and self.dob == "exact"


def frequency_penalty(share: float, expected: float = EXPECTED_NAME_PAIR) -> float:
    """Bits subtracted from agreeing names when they are more common than the weights assume
    (a term-frequency adjustment from names.json; rare names are not rewarded): the name pair
    against EXPECTED_NAME_PAIR, or one name field against NAME_U["exact"]."""
    return max(0.0, math.log2(share / expected)) if share > expected else 0.0


def common_name_margin(found: Evidence, registrations: int) -> float:
    """For a pair that only its names carry (the date cannot confirm it): how far, in bits, the
    chance of a different person with this name (n x share x DATE_CHANCE) stays below the
    false-hit target; +inf for any other pair. Below 0: the name is too common to hit on."""
    chance = DATE_CHANCE.get(found.dob)
    if chance is None or found.attribute_score >= ATTRIBUTE_MINIMUM or found.share <= 0:
        return math.inf
    expected = max(registrations, MIN_POPULATION) * found.share * chance
    return math.log2(FALSE_HIT_RATE / expected)


def needs_full_date(query: Query, registrations: int) -> bool:
    """The query's own date is not full and its name is too common to hit without one: said on
    the result, whatever the registry holds (it depends on the query and the registry's size)."""
    level = {"year": "year", "none": "missing"}.get(query.dob_precision)
    if level is None:
        return False
    return max(registrations, MIN_POPULATION) * query.name_share * DATE_CHANCE[level] > (
        FALSE_HIT_RATE
    )


def evidence(query: Query, r: Encoded, penalty: float = 0.0) -> Evidence:
    q = query.encoded
    names, swapped = name_levels(q, r)
    attributes = []
    for attribute, value in q.attributes.items():
        other = r.attributes.get(attribute)
        if other is not None:
            level = attribute_level("exact", 1.0 if other == value else 0.0)
            attributes.append((attribute, level))
    for attribute, bits in q.fuzzy.items():
        other_bits = r.fuzzy.get(attribute)
        if other_bits is not None:
            attributes.append((attribute, attribute_level("fuzzy", dice(bits, other_bits))))
    close = ("exact", "high")
    if set(names) <= set(close):  # both agree: the namesake count and share are of the pair
        penalty = max(penalty, frequency_penalty(query.name_share))
    else:  # at most one name agrees: what that one name alone is worth (levels follow the query)
        penalty = 0.0
        for level, share in zip(names, (query.given_share, query.surname_share), strict=True):
            if level in close:
                penalty = frequency_penalty(share, NAME_U["exact"])
    return Evidence(
        names,
        swapped,
        dob_level(query, r),
        tuple(attributes),
        penalty,
        query.name_share,
    )


def margin(found: Evidence, registrations: int) -> float:
    """How far the evidence clears the bar, in bits: >= 0 is a hit. -inf when a rule fixed in
    advance refuses it whatever the score; +inf when it always hits (identical names and date);
    for a pair only its names carry, never more than its common-name margin.
    The benchmark sweeps a threshold over this margin to draw its false-hit curves."""
    agrees = bool(set(found.names) & set(AGREEING_NAME))
    if not (agrees or found.attribute_score >= ATTRIBUTE_MINIMUM):
        return -math.inf
    if found.identical:
        return math.inf
    # Both must clear: the bar, and for a pair only its names carry, the common-name rule.
    return min(found.score - threshold(registrations), common_name_margin(found, registrations))


def decide(found: Evidence, registrations: int, offset: float = 0.0) -> str | None:
    """The band, the rules fixed in advance (not fitted on the benchmark): None is no hit.
    The bar rises with the number of registrations (see threshold); `offset` moves it (the
    benchmark's curves; the app always decides at 0)."""
    if margin(found, registrations) < offset:
        return None
    strong = math.log2(max(registrations, 1000)) + STRONG_MARGIN  # as before the calibration
    bar = threshold(registrations) + offset
    return STRONG if found.score >= max(bar, strong) else POSSIBLE


# Why a pair hits, in the words of the result screen (choices.HitBasis).
IDENTICAL, NAMES_AND_DATE, NAMES_AND_YEAR, RARE_NAME, ATTRIBUTES = (
    "identical",
    "names_date",
    "names_year",
    "rare_name",
    "attributes",
)


def basis(found: Evidence) -> str:
    """What carried a hit: identical names and date; names and a (nearly) equal full date;
    names and the birth year of a rare name; the names of a rare name without a date; or the
    optional attributes (identifier, address)."""
    if found.identical:
        return IDENTICAL
    if found.attribute_score >= ATTRIBUTE_MINIMUM and found.dob not in FULL_DATE_LEVELS:
        return ATTRIBUTES
    if found.dob in FULL_DATE_LEVELS:
        return NAMES_AND_DATE
    if found.dob in ("year", "year_near"):
        return NAMES_AND_YEAR
    return RARE_NAME if found.dob == "missing" else ATTRIBUTES


@dataclass(frozen=True)
class Decision:
    band: str | None  # None: no hit
    score: float
    basis: str


def compare(query: Query, r: Encoded, registrations: int, namesakes: int = 0) -> Decision:
    """The band, the score (for ranking) and what carried the decision."""
    found = evidence(query, r, namesake_penalty(namesakes, registrations))
    return Decision(decide(found, registrations), found.score, basis(found))
