"""The disclosure rule (monitoring/disclosure.py, docs/privacy.md): outside the AF roles a count
from 1 up to the threshold reads "< 5", and no combination of published cells and totals gives
a hidden one away. The attacker here knows the rule and enumerates every filling of the hidden
cells that agrees with what is published; a hidden cell is safe when more than one value fits."""

from __future__ import annotations

import itertools
import random

import pytest

from schakel.monitoring.disclosure import TOTAL, Disclosure

BOARD = Disclosure(protect=True, threshold=5)
AF = Disclosure(protect=False, threshold=5)


def _known(shown: str, threshold: int, ceiling: int) -> range:
    """What a reader who knows the rule learns of a cell from its text."""
    if shown == f"< {threshold}":
        return range(1, threshold)
    if shown == "x":
        return range(0, ceiling + 1)  # the attacker assumes nothing beyond the rule below
    return range(int(shown), int(shown) + 1)


def _feasible(
    cells: dict[str, str], total: str, threshold: int, ceiling: int
) -> dict[str, set[int]]:
    """Every value each cell (and the total) can take given that the rows add up to the total."""
    keys = list(cells)
    options = [_known(cells[k], threshold, ceiling) for k in keys]
    total_options = _known(total, threshold, ceiling)
    # An "x" that is not the whole table withheld is, by the rule, at least the threshold.
    withheld = all(cells[k] == "x" for k in keys)
    if not withheld:
        options = [
            range(threshold, ceiling + 1) if cells[k] == "x" else options[i]
            for i, k in enumerate(keys)
        ]
    seen: dict[str, set[int]] = {k: set() for k in [*keys, TOTAL]}
    for filling in itertools.product(*options):
        if sum(filling) in total_options:
            for k, v in zip(keys, filling, strict=True):
                seen[k].add(v)
            seen[TOTAL].add(sum(filling))
    return seen


def _recoverable(counts: dict[str, int], disclosure: Disclosure) -> list[str]:
    cells, total = disclosure.line(counts, sum(counts.values()), additive=True)
    shown = {k: c.shown for k, c in cells.items()}
    ceiling = sum(counts.values())
    seen = _feasible(shown, total.shown, disclosure.threshold, ceiling)
    hidden = [k for k, c in cells.items() if c.suppressed] + ([TOTAL] if total.suppressed else [])
    assert all(seen[k] for k in hidden), "the published table must be consistent"
    return [k for k in hidden if len(seen[k]) == 1]


def test_the_af_sees_every_count_as_it_is():
    cells, total = AF.line({"police": 1, "public": 6}, 7, additive=True)
    assert [c.shown for c in cells.values()] == ["1", "6"]
    assert total.shown == "7"


def test_a_count_from_one_to_four_reads_less_than_five_and_zero_and_five_are_shown():
    cells, total = BOARD.line({"a": 0, "b": 1, "c": 4, "d": 5, "e": 9}, 19, additive=True)
    assert [c.shown for c in cells.values()] == ["0", "< 5", "< 5", "5", "9"]
    assert total.shown == "19"
    assert cells["b"].value is None and cells["d"].value == 5


def test_one_small_cell_beside_a_total_takes_a_second_cell_with_it():
    # 12 - 11 = 1: with only the 1 hidden, the total gives it away.
    cells, total = BOARD.line({"police": 1, "public": 11}, 12, additive=True)
    assert cells["police"].shown == "< 5"
    assert cells["public"].shown == "x"
    assert total.shown == "12"


def test_three_small_cells_that_must_each_be_one_are_protected():
    # total 9, public 6: the other three add up to 3, so each would be 1.
    counts = {"municipality": 1, "public": 6, "partner": 1, "police": 1}
    cells, _ = BOARD.line(counts, 9, additive=True)
    assert cells["public"].shown == "x"
    assert _recoverable(counts, BOARD) == []


def test_two_cells_of_four_beside_their_total_are_not_both_four_for_the_reader():
    # 4 + 4 = 8 of 8 + 5: "< 5" twice with a known sum of 8 would pin both.
    counts = {"a": 4, "b": 4, "c": 5}
    assert _recoverable(counts, BOARD) == []


def test_a_table_that_cannot_be_protected_is_withheld_whole():
    # five signals, one per entry point: every cell would be 1.
    counts = {k: 1 for k in "abcde"}
    cells, total = BOARD.line(counts, 5, additive=True)
    assert {c.shown for c in cells.values()} == {"x"}
    assert total.shown == "5"
    assert _recoverable(counts, BOARD) == []


def test_rows_that_do_not_add_up_hide_only_the_small_counts():
    cells, total = BOARD.line({"sexual": 3, "labour": 6}, 8, additive=False)
    assert cells["sexual"].shown == "< 5" and cells["labour"].shown == "6"
    assert total.shown == "8"


@pytest.mark.parametrize("seed", range(6))
def test_no_small_table_gives_a_hidden_cell_away(seed):
    """400 random tables of up to five rows: the attacker recovers nothing."""
    rng = random.Random(seed)  # noqa: S311 - reproducible tables, not secrets
    for _ in range(400):
        counts = {
            f"k{i}": rng.choice([0, 0, 1, 1, 2, 3, 4, 5, 6, 7, 9, 12])
            for i in range(rng.randint(1, 5))
        }
        threshold = rng.choice([3, 5])
        disclosure = Disclosure(protect=True, threshold=threshold)
        assert _recoverable(counts, disclosure) == [], counts


def test_a_statistic_over_fewer_than_five_signals_is_withheld():
    assert BOARD.statistic(3, 4, "3").shown == "x"
    assert BOARD.statistic(3, 5, "3").shown == "3"
    assert AF.statistic(3, 1, "3").shown == "3"


# --- The region: a sum of municipalities whose own figures are published too ---------------


def _region_attack(per_municipality, thresholds, region_threshold=5):
    """Recover a municipality's hidden cell from the region's table and the municipalities'
    own tables (what each municipality's board or public annual report shows)."""
    region = Disclosure(protect=True, threshold=region_threshold)
    region_cells, region_total = region.region_line(per_municipality, thresholds, additive=True)
    keys = [k for k in next(iter(per_municipality.values())) if k != TOTAL]
    ceiling = sum(m[TOTAL] for m in per_municipality.values())
    shown_lines = {}
    for m, counts in per_municipality.items():
        own = Disclosure(protect=True, threshold=thresholds[m])
        cells, total = own.line({k: counts[k] for k in keys}, counts[TOTAL], additive=True)
        shown_lines[m] = ({k: c.shown for k, c in cells.items()}, total.shown, own.threshold)
    per_line = {
        m: _options(cells, total, threshold, ceiling)
        for m, (cells, total, threshold) in shown_lines.items()
    }
    fillings = {m: list(opts) for m, opts in per_line.items()}
    seen = {(m, k): set() for m in per_municipality for k in [*keys, TOTAL]}
    for combo in itertools.product(*fillings.values()):
        if not _agrees(combo, keys, region_cells, region_total, region_threshold):
            continue
        for m, filling in zip(fillings, combo, strict=True):
            for k, v in filling.items():
                seen[(m, k)].add(v)
    recovered = []
    for m, (cells, total, _) in shown_lines.items():
        for k, text in [*cells.items(), (TOTAL, total)]:
            if not text.isdigit() and len(seen[(m, k)]) == 1:
                recovered.append((m, k))
    return recovered, region_cells


def _options(cells, total, threshold, ceiling):
    keys = list(cells)
    withheld = all(cells[k] == "x" for k in keys)
    ranges = []
    for k in keys:
        if cells[k] == "x":
            ranges.append(range(0 if withheld else threshold, ceiling + 1))
        else:
            ranges.append(_known(cells[k], threshold, ceiling))
    total_options = _known(total, threshold, ceiling)
    for filling in itertools.product(*ranges):
        if sum(filling) in total_options:
            yield {**dict(zip(keys, filling, strict=True)), TOTAL: sum(filling)}


def _agrees(combo, keys, region_cells, region_total, threshold):
    for k in [*keys, TOTAL]:
        value = sum(filling[k] for filling in combo)
        shown = region_total.shown if k == TOTAL else region_cells[k].shown
        if shown.isdigit() and int(shown) != value:
            return False
        if shown == f"< {threshold}" and not 1 <= value < threshold:
            return False
    return True


def test_a_region_cell_that_would_give_away_a_municipality_cell_is_hidden():
    # Police: 1 in A (its board reads "< 5") and 6 in B: a region figure of 7 gives A's away.
    per_municipality = {
        1: {"police": 1, "public": 9, TOTAL: 10},
        2: {"police": 6, "public": 7, TOTAL: 13},
    }
    recovered, region_cells = _region_attack(per_municipality, {1: 5, 2: 5})
    assert region_cells["police"].shown == "x"
    assert recovered == []


@pytest.mark.parametrize("seed", range(3))
def test_no_small_region_gives_a_municipality_cell_away(seed):
    rng = random.Random(100 + seed)  # noqa: S311
    for _ in range(60):
        per_municipality = {}
        for m in (1, 2):
            counts = {k: rng.choice([0, 1, 2, 4, 5, 6, 8]) for k in ("a", "b", "c")}
            per_municipality[m] = {**counts, TOTAL: sum(counts.values())}
        recovered, _ = _region_attack(per_municipality, {1: 5, 2: 5})
        assert recovered == [], per_municipality
