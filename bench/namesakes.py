"""Namesakes: how often a lookup of one person hits a *different* person with the same name.

python bench/namesakes.py -> the "namesakes" part of bench/matching.json (the rest of that file is
left as it is). Per origin (the origins of schakel/matching/names.json) a synthetic registry of
people whose names are drawn with realistic frequencies: the listed names with their published
shares, the remaining share spread over invented names each as common as the table's tail (an
unlisted name is at most that common). Dates of birth as in the registry's practice: 80 % full,
15 % only the year, 5 % none. Then as many lookups of *other* people of the same origin, drawn
the same way: every hit is a false hit, except a namesake born on the same day, which no method
can tell apart (counted apart). Each run twice: with the common-name rule (the app) and without
it (every name taken as average, as before the rule), in the same run.
"""

from __future__ import annotations

import json
import random
import sys
from contextlib import contextmanager
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import matching as bench  # bench/matching.py: the registry and the keys of the benchmark

from schakel.matching import encoding as enc
from schakel.matching import normalise as norm

SEED = 20261206
SIZES = (200, 2_000)  # a municipality's first year; a regional registry of some years
LOOKUPS = 2_000
OUT = Path(__file__).with_name("matching.json")


def _invented(rng: random.Random, taken: set[str]) -> str:
    syllables = [c + v for c in "bdfghjklmnprstvz" for v in "aeiou"]
    while True:
        name = "".join(rng.choice(syllables) for _ in range(rng.randint(2, 3))).capitalize()
        if name.casefold() not in taken:
            taken.add(name.casefold())
            return name


class Names:
    """Draws names of one origin: listed names by their share, else an invented tail name."""

    def __init__(self, rng: random.Random, table: dict[str, float], tail: float) -> None:
        self.rng = rng
        listed = sum(table.values())
        taken = {name.casefold() for name in table}
        count = max(1, round((1 - listed) / tail))  # each invented name as common as the tail
        self.names = list(table) + [_invented(rng, taken) for _ in range(count)]
        self.weights = list(table.values()) + [(1 - listed) / count] * count

    def draw(self) -> str:
        return self.rng.choices(self.names, self.weights)[0]


def _person(rng: random.Random, given: Names, surname: Names) -> dict:
    dob = bench.random_birth_date(rng, 1960, 2008)
    return {"given_names": given.draw(), "surname": surname.draw(), "dob": dob}


def _same_person(a: dict, b: dict) -> bool:
    """Same name and the same full date: a namesake no method can tell apart."""
    return (
        norm.name_tokens(a["given_names"]) == norm.name_tokens(b["given_names"])
        and norm.name_tokens(a["surname"]) == norm.name_tokens(b["surname"])
        and a["dob"].precision == "full"
        and a["dob"] == b["dob"]
    )


@contextmanager
def without_the_rule():
    """Every name as common as the weights assume (share 0: no penalty, never 'too common')."""
    original = enc.name_pair_share
    enc.name_pair_share = lambda given, surname: 0.0
    try:
        yield
    finally:
        enc.name_pair_share = original


def run_origin(origin: str, size: int) -> dict:
    shares = json.loads((Path(norm.__file__).with_name(norm.NAMES_FILE)).read_text())
    table = shares["origins"][origin]
    rng = random.Random(f"{SEED}-{origin}-{size}")
    given = Names(rng, table["given"], shares["tail"]["given"])
    surname = Names(rng, table["surname"], shares["tail"]["surname"])
    registered = [_person(rng, given, surname) for _ in range(size)]
    lookups = [_person(rng, given, surname) for _ in range(LOOKUPS)]
    out: dict = {"label": table["label"], "registrations": size, "lookups": LOOKUPS}
    for variant in ("with_rule", "without_rule"):
        registry = bench.Registry()
        for p in registered:
            registry.add(p)
        registry.index.freeze()
        by_precision: dict[str, list[int]] = {}  # precision -> [lookups, false hits]
        indistinguishable = 0
        for p in lookups:
            if variant == "with_rule":
                hit, rids = registry.lookup(p)
            else:
                with without_the_rule():
                    hit, rids = registry.lookup(p)
            twins = [r for r in rids if _same_person(p, registered[r])]
            indistinguishable += bool(twins)
            false = hit and len(twins) < len(rids)
            row = by_precision.setdefault(p["dob"].precision, [0, 0])
            row[0] += 1
            row[1] += bool(false)
        total = sum(row[1] for row in by_precision.values())
        out[variant] = {
            "false_hit_rate": round(total / LOOKUPS, 4),
            "by_date": {
                precision: {"lookups": n, "false_hit_rate": round(false / n, 4) if n else 0.0}
                for precision, (n, false) in sorted(by_precision.items())
            },
            "same_name_and_date": indistinguishable,
        }
    return out


def main() -> None:
    origins = list(norm.NAME_SHARES.given)
    results: dict = {"seed": SEED, "sizes": {}}
    for size in SIZES:
        per_origin = results["sizes"][str(size)] = {}
        for origin in origins:
            row = per_origin[origin] = run_origin(origin, size)
            print(
                f"namesakes {size} {origin}: false-hit rate"
                f" {row['with_rule']['false_hit_rate']:.4f} with the rule,"
                f" {row['without_rule']['false_hit_rate']:.4f} without",
                flush=True,
            )
    data = json.loads(OUT.read_text()) if OUT.exists() else {}
    data["namesakes"] = results
    OUT.write_text(json.dumps(data, indent=2) + "\n")


if __name__ == "__main__":
    main()
