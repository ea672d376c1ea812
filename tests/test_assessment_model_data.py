"""The assessment model as data (src/schakel/assessment/data/model-2026.1.yaml).

The file is read with yaml.safe_load only, so these tests hold the data to the study and to the
schema before any Django model loads it: the study's four elements and fifteen conditions, the
maturity scale 0..3, the gap list's order 1..15, the Basisniveau's four criteria, VNG's five
themes, Bijlage 3's counts and a reference profile that covers every condition.
"""

from pathlib import Path

import pytest
import yaml

MODEL = Path(__file__).resolve().parent.parent / "src/schakel/assessment/data/model-2026.1.yaml"

ELEMENTS = ["network", "prevention", "care", "perpetrator"]
REFERENCES = ["amsterdam", "breda", "tilburg", "drenthe", "s-hertogenbosch-2021"]
MUNICIPALITIES = {"amsterdam", "breda", "tilburg", "drenthe"}
FACT_KEYS = {
    "af_oov_active",
    "reporting_route",
    "meetings_held",
    "covenants_in_force",
    "feedback_on_time",
    "trainings_given",
}
BASISNIVEAU = {"active-signalling", "contact-person", "policy", "victim-care"}
VNG_THEMES = {
    "policy-basis",
    "signalling-capacity",
    "awareness",
    "chain-cooperation",
    "shelter-help",
}


@pytest.fixture(scope="module")
def model():
    with MODEL.open(encoding="utf-8") as handle:
        return yaml.safe_load(handle)


def conditions_of(model):
    return [condition for element in model["elements"] for condition in element["conditions"]]


def texts_in(node, path="model"):
    """Every (path, stem, nl, en) pair of translated texts anywhere in the tree."""
    if isinstance(node, dict):
        for key, value in node.items():
            if key.endswith("_nl"):
                stem = key[: -len("_nl")]
                yield f"{path}.{stem}", node.get(f"{stem}_nl"), node.get(f"{stem}_en")
            elif key.endswith("_en") and f"{key[: -len('_en')]}_nl" not in node:
                yield f"{path}.{key[: -len('_en')]}", None, value
            else:
                yield from texts_in(value, f"{path}.{key}")
    elif isinstance(node, list):
        for index, item in enumerate(node):
            yield from texts_in(item, f"{path}[{index}]")


def test_the_model_has_a_version_and_says_where_it_comes_from(model):
    assert model["version"] == "2026.1"
    assert "Tabel 1" in model["source_en"] and "Bijlage 3" in model["source_en"]


def test_the_model_has_the_studys_four_elements_in_its_order(model):
    assert [element["code"] for element in model["elements"]] == ELEMENTS


def test_the_four_elements_hold_fifteen_conditions_with_unique_codes(model):
    codes = [condition["code"] for condition in conditions_of(model)]
    assert len(codes) == 15
    assert len(set(codes)) == 15


def test_each_condition_code_starts_with_its_elements_code(model):
    for element in model["elements"]:
        for condition in element["conditions"]:
            assert condition["code"].startswith(element["code"] + "-"), condition["code"]


def test_the_network_has_six_conditions_prevention_three_care_three_perpetrator_three(model):
    sizes = {element["code"]: len(element["conditions"]) for element in model["elements"]}
    assert sizes == {"network": 6, "prevention": 3, "care": 3, "perpetrator": 3}


def test_every_condition_is_structure_or_process(model):
    for condition in conditions_of(model):
        assert condition["tier"] in {"structure", "process"}, condition["code"]


def test_the_study_added_exactly_two_conditions_care_safety_and_proactive_follow_up(model):
    added = {condition["code"] for condition in conditions_of(model) if condition["added"] is True}
    assert added == {"care-safety-connection", "perpetrator-proactive"}
    assert all(condition["added"] in (True, False) for condition in conditions_of(model))


def test_the_gap_list_order_is_exactly_one_to_fifteen(model):
    priorities = sorted(condition["priority"] for condition in conditions_of(model))
    assert priorities == list(range(1, 16))


def test_the_netwerkregisseur_comes_first_and_the_learning_organisation_last(model):
    by_priority = {condition["priority"]: condition["code"] for condition in conditions_of(model)}
    assert by_priority[1] == "network-direction"
    assert by_priority[15] == "network-learning"


def test_every_priority_gives_its_reason_with_a_section_of_the_study(model):
    for condition in conditions_of(model):
        assert "§" in condition["priority_reason_nl"], condition["code"]
        assert "§" in condition["priority_reason_en"], condition["code"]


def test_the_maturity_scale_is_exactly_zero_to_three(model):
    assert [level["level"] for level in model["levels"]] == [0, 1, 2, 3]
    assert [level["name_en"] for level in model["levels"]] == [
        "Absent",
        "Started",
        "In place",
        "Embedded and evaluated",
    ]


def test_every_condition_has_observable_criteria_for_levels_one_to_three(model):
    for condition in conditions_of(model):
        assert [criterion["level"] for criterion in condition["criteria"]] == [1, 2, 3], condition[
            "code"
        ]


def test_every_condition_names_at_least_one_steering_instrument_with_a_unique_code(model):
    codes = []
    for condition in conditions_of(model):
        assert condition["instruments"], condition["code"]
        codes += [instrument["code"] for instrument in condition["instruments"]]
    assert len(codes) == len(set(codes))


def test_every_text_has_a_dutch_and_an_english_version(model):
    missing = [
        path
        for path, nl, en in texts_in(model)
        if not (isinstance(nl, str) and nl.strip() and isinstance(en, str) and en.strip())
    ]
    assert not missing, f"texts without both _nl and _en: {missing}"


def test_the_translated_texts_include_the_ones_the_schema_asks_for(model):
    paths = {path for path, _nl, _en in texts_in(model)}
    assert "model.title" in paths and "model.source" in paths
    for condition in conditions_of(model):
        for stem in ("name", "description", "priority_reason"):
            assert condition.get(f"{stem}_nl") and condition.get(f"{stem}_en"), condition["code"]


def test_every_best_practice_total_is_the_sum_of_its_counts(model):
    for condition in conditions_of(model):
        for practice in condition["best_practices"]:
            assert set(practice["counts"]) <= MUNICIPALITIES, practice["code"]
            assert all(count > 0 for count in practice["counts"].values()), practice["code"]
            assert sum(practice["counts"].values()) == practice["total"], practice["code"]


def test_bijlage_3_is_carried_over_whole_seventeen_practices_with_unique_codes(model):
    practices = [p for condition in conditions_of(model) for p in condition["best_practices"]]
    assert len(practices) == 17
    assert len({practice["code"] for practice in practices}) == 17


def test_joining_regional_and_national_meetings_is_counted_43_times(model):
    practices = {
        p["code"]: p for condition in conditions_of(model) for p in condition["best_practices"]
    }
    assert practices["join-regional-national-meetings"]["counts"] == {
        "amsterdam": 3,
        "breda": 13,
        "tilburg": 14,
        "drenthe": 13,
    }
    assert practices["repeated-training"]["total"] == 16


def test_facts_come_only_from_the_six_system_facts(model):
    for condition in conditions_of(model):
        assert set(condition["facts"]) <= FACT_KEYS, condition["code"]
    used = {fact for condition in conditions_of(model) for fact in condition["facts"]}
    assert used == FACT_KEYS, "every system fact is evidence for at least one condition"


def test_the_basisniveau_has_exactly_its_four_criteria(model):
    assert {criterion["code"] for criterion in model["basisniveau"]} == BASISNIVEAU
    assert len(model["basisniveau"]) == 4


def test_every_basisniveau_criterion_names_existing_conditions_and_valid_levels(model):
    codes = {condition["code"] for condition in conditions_of(model)}
    for criterion in model["basisniveau"]:
        assert criterion["requires"], criterion["code"]
        for requirement in criterion["requires"]:
            assert requirement["condition"] in codes, requirement
            assert requirement["level"] in {1, 2, 3}, requirement


def test_vng_has_exactly_five_themes_on_existing_conditions(model):
    codes = {condition["code"] for condition in conditions_of(model)}
    assert {theme["code"] for theme in model["vng_themes"]} == VNG_THEMES
    assert len(model["vng_themes"]) == 5
    for theme in model["vng_themes"]:
        assert theme["conditions"], theme["code"]
        assert set(theme["conditions"]) <= codes, theme["code"]


def test_every_condition_serves_at_least_one_vng_theme(model):
    served = {code for theme in model["vng_themes"] for code in theme["conditions"]}
    assert served == {condition["code"] for condition in conditions_of(model)}


def test_the_five_reference_profiles_are_there_in_order(model):
    assert [reference["code"] for reference in model["references"]] == REFERENCES


def test_every_reference_profile_covers_all_fifteen_conditions_with_a_level_and_a_basis(model):
    codes = {condition["code"] for condition in conditions_of(model)}
    for reference in model["references"]:
        levels = reference["levels"]
        assert len(levels) == 15, reference["code"]
        assert {entry["condition"] for entry in levels} == codes, reference["code"]
        for entry in levels:
            assert entry["level"] in {0, 1, 2, 3}, (reference["code"], entry["condition"])
            assert entry["basis_nl"].strip() and entry["basis_en"].strip()
            assert "§" in entry["basis_en"] or "Tabel" in entry["basis_en"], (
                reference["code"],
                entry["condition"],
            )


def test_reference_profiles_are_marked_as_derived_from_the_study(model):
    for reference in model["references"]:
        assert "study" in reference["name_en"] and "studie" in reference["name_nl"]
        assert reference["derivation_nl"].strip() and reference["derivation_en"].strip()


def basisniveau_met(model, reference):
    levels = {entry["condition"]: entry["level"] for entry in reference["levels"]}
    return {
        criterion["code"]
        for criterion in model["basisniveau"]
        if all(levels[r["condition"]] >= r["level"] for r in criterion["requires"])
    }


def test_s_hertogenbosch_2021_meets_two_of_four_basisniveau_criteria_as_the_study_says(model):
    """§1.2: the municipality then met two of the four points, an AF and care for victims."""
    reference = next(r for r in model["references"] if r["code"] == "s-hertogenbosch-2021")
    assert basisniveau_met(model, reference) == {"contact-person", "victim-care"}


def test_amsterdam_meets_the_whole_basisniveau(model):
    reference = next(r for r in model["references"] if r["code"] == "amsterdam")
    assert basisniveau_met(model, reference) == BASISNIVEAU
