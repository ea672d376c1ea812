"""An assessment filled in by hand: its scores, the Basisniveau verdict, the order of the gap
list, the comparison with last year and a reference profile; and a new model version that
leaves an assessment made on the old one as it was."""

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from schakel.assessment import services
from schakel.assessment.choices import Direction, GapGroup
from schakel.assessment.models import Assessment
from schakel.assessment.results import results_for
from schakel.assessment.workflow import TransitionRefused
from schakel.organisations.choices import Role

from .conftest import context_for
from .factories import MunicipalityFactory, user_with_role
from .factories_assessment import fill, load_v1, load_v2

pytestmark = pytest.mark.django_db

# v1's priority order (1 = put in place first).
PRIORITY = [
    "network-direction",
    "prevention-reporting-route",
    "network-clarity",
    "care-accessible",
    "prevention-signalling-capacity",
    "network-meetings",
    "perpetrator-chain",
    "care-sufficient",
    "perpetrator-powers",
    "care-safety-connection",
    "network-sharing",
    "perpetrator-follow-up",
    "prevention-barriers",
    "network-funding",
    "network-learning",
]


@pytest.fixture(autouse=True)
def english():
    """The services' refusals are read in English here (the screens speak Dutch)."""
    with translation.override("en"):
        yield


@pytest.fixture
def af():
    municipality = MunicipalityFactory(name="Brakelveen")
    return context_for(user_with_role(Role.AF_OOV, municipality=municipality))


@pytest.fixture
def v1():
    return load_v1()


LEVELS = {
    # network: 3, 2, 1, 0, 2, 3 → mean 11/6
    "network-clarity": 3,
    "network-funding": 2,
    "network-meetings": 1,
    "network-sharing": 0,
    "network-direction": 2,
    "network-learning": 3,
    # prevention: 2, 1, 3 → mean 2
    "prevention-signalling-capacity": 2,
    "prevention-barriers": 1,
    "prevention-reporting-route": 3,
    # care: 2, 2, 0 → mean 4/3
    "care-sufficient": 2,
    "care-accessible": 2,
    "care-safety-connection": 0,
    # perpetrator: 1, 3, 3 → mean 7/3
    "perpetrator-powers": 1,
    "perpetrator-chain": 3,
    "perpetrator-follow-up": 3,
}


def test_scores_per_condition_element_and_overall(af, v1):
    assessment = fill(af, services.assessment_start(context=af, year=2025), LEVELS)
    results = results_for(assessment)
    assert {c.condition.code: c.level for c in results.conditions} == LEVELS
    means = {e.element.code: e.mean for e in results.elements}
    assert means == pytest.approx(
        {"network": 11 / 6, "prevention": 2.0, "care": 4 / 3, "perpetrator": 7 / 3}
    )
    assert results.elements[1].share == pytest.approx(2 / 3)
    assert results.overall_mean == pytest.approx(sum(LEVELS.values()) / 15)


def test_a_basisniveau_criterion_is_met_only_when_every_requirement_is_reached(af, v1):
    assessment = fill(af, services.assessment_start(context=af, year=2025), LEVELS)
    verdicts = {v.criterion.code: v.met for v in results_for(assessment).basis}
    # signalling 2 and route 3 ≥ 2; direction 2 ≥ 2; clarity 3 but powers 1 < 2; care 2 and 2.
    assert verdicts == {
        "active-signalling": True,
        "contact-person": True,
        "policy": False,
        "victim-care": True,
    }
    assert results_for(assessment).basis_met == 3


def test_the_gap_list_puts_what_is_below_2_first_then_what_is_at_2_each_by_priority(af, v1):
    assessment = fill(af, services.assessment_start(context=af, year=2025), LEVELS)
    results = results_for(assessment)
    below_two = [c for c in PRIORITY if LEVELS[c] < 2]
    at_two = [c for c in PRIORITY if LEVELS[c] == 2]
    assert [g.condition.code for g in results.gaps] == below_two + at_two
    assert {g.group for g in results.put_in_place} == {GapGroup.PUT_IN_PLACE}
    assert [g.condition.code for g in results.embed] == at_two
    assert all(g.level < 3 for g in results.gaps)
    signalling = next(
        g for g in results.gaps if g.condition.code == "prevention-signalling-capacity"
    )
    assert [i.code for i in signalling.instruments] == ["prevention-signalling-capacity-instrument"]
    assert signalling.best_practices[0].total == 3


def test_an_open_condition_is_no_gap_and_is_named_as_open(af, v1):
    assessment = fill(af, services.assessment_start(context=af, year=2025), {"network-clarity": 1})
    results = results_for(assessment)
    assert [g.condition.code for g in results.gaps] == ["network-clarity"]
    assert len(results.unanswered) == 14


def test_this_year_beside_last_years_final_assessment(af, v1):
    last = fill(af, services.assessment_start(context=af, year=2025), LEVELS)
    services.assessment_finalise(context=af, assessment=last)
    now = fill(
        af,
        services.assessment_start(context=af, year=2026),
        {"network-clarity": 3, "network-meetings": 2, "care-accessible": 1},
    )
    comparison = results_for(now).previous
    assert comparison is not None and comparison.label == "2025"
    by_code = {c.code: c.direction for c in comparison.conditions}
    assert by_code["network-clarity"] is Direction.SAME
    assert by_code["network-meetings"] is Direction.UP
    assert by_code["care-accessible"] is Direction.DOWN
    assert by_code["network-sharing"] is Direction.UNKNOWN  # open this year
    elements = {e.code: e for e in comparison.elements}
    assert elements["network"].other == pytest.approx(11 / 6)
    assert elements["network"].level == pytest.approx(2.5)
    assert elements["network"].direction is Direction.UP


def test_a_draft_of_last_year_is_not_compared(af, v1):
    fill(af, services.assessment_start(context=af, year=2025), LEVELS)
    now = services.assessment_start(context=af, year=2026)
    assert results_for(now).previous is None


def test_a_reference_profile_is_compared_and_marked_as_derived(af, v1):
    assessment = fill(af, services.assessment_start(context=af, year=2025), LEVELS)
    results = results_for(assessment, reference="breda")
    assert results.reference is not None and results.reference.is_reference
    with translation.override("en"):
        assert "study, 2021" in results_for(assessment, reference="breda").reference.label
    assert results.reference.derivation
    assert len(results.reference.conditions) == 15
    assert results_for(assessment, reference="nowhere").reference is None


def test_a_new_model_version_leaves_an_old_assessment_as_it_was(af, v1):
    old = fill(af, services.assessment_start(context=af, year=2025), LEVELS)
    services.assessment_finalise(context=af, assessment=old)
    with translation.override("en"):
        before = results_for(old)
        texts = [c.condition.name for c in before.conditions]
        criteria = [[k.text for k in c.condition.criteria.all()] for c in before.conditions]
        gaps = [g.condition.code for g in before.gaps]
        basis = [v.met for v in before.basis]
    v2 = load_v2()  # new texts, reversed priorities, a stricter Basisniveau
    old = Assessment.objects.get(pk=old.pk)
    assert old.model_version_id == v1.pk
    with translation.override("en"):
        after = results_for(old)
        assert [c.condition.name for c in after.conditions] == texts
        assert [[k.text for k in c.condition.criteria.all()] for c in after.conditions] == criteria
        assert [g.condition.code for g in after.gaps] == gaps
        assert [v.met for v in after.basis] == basis
        assert [c.level for c in after.conditions] == [c.level for c in before.conditions]
    new = services.assessment_start(context=af, year=2026)
    assert new.model_version_id == v2.pk
    new = fill(af, new, LEVELS)
    with translation.override("en"):
        fresh = results_for(new)
        assert all(c.condition.name.endswith("(v2)") for c in fresh.conditions)
    # v2 reverses the priorities: the gap list of the same levels comes in another order.
    assert [g.condition.code for g in fresh.gaps] != gaps
    # and compares with last year's v1 assessment by condition code
    assert fresh.previous is not None
    assert {c.direction for c in fresh.previous.conditions} == {Direction.SAME}


def test_one_assessment_per_municipality_per_year(af, v1):
    services.assessment_start(context=af, year=2025)
    with pytest.raises(ValidationError, match="already"):
        services.assessment_start(context=af, year=2025)


def test_finalising_needs_every_condition_answered(af, v1):
    assessment = fill(af, services.assessment_start(context=af, year=2025), {"network-clarity": 2})
    with pytest.raises(TransitionRefused, match="14"):
        services.assessment_finalise(context=af, assessment=assessment)
    fill(af, assessment, {}, default=1)
    final = services.assessment_finalise(context=af, assessment=assessment)
    assert final.is_final and final.finalised_at is not None
    assert set(final.facts) >= {"af_oov_active", "trainings_given"}


def test_a_final_assessment_refuses_every_write(af, v1):
    assessment = fill(af, services.assessment_start(context=af, year=2025), {}, default=2)
    evidence = services.evidence_add(
        context=af,
        assessment=assessment,
        condition="network-clarity",
        kind="document",
        title="Beleidsplan 2025",
    )
    services.assessment_finalise(context=af, assessment=assessment)
    for write in (
        lambda: services.answer_record(
            context=af, assessment=assessment, condition="network-clarity", level=3
        ),
        lambda: services.evidence_add(
            context=af,
            assessment=assessment,
            condition="network-clarity",
            kind="link",
            title="Site",
            url="https://example.org",
        ),
        lambda: services.evidence_remove(context=af, assessment=assessment, evidence=evidence),
        lambda: services.assessment_finalise(context=af, assessment=assessment),
    ):
        with pytest.raises(TransitionRefused):
            write()


def test_a_condition_of_another_model_version_is_refused(af, v1):
    assessment = services.assessment_start(context=af, year=2025)
    v2 = load_v2()
    other = v2.conditions.get(code="network-clarity")
    with pytest.raises(ValidationError):
        services.answer_record(context=af, assessment=assessment, condition=other, level=2)


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"kind": "link", "title": "Site"}, "link"),
        ({"kind": "date", "title": "Evaluatie"}, "date"),
        ({"kind": "link", "title": "Site", "url": "javascript:alert(1)"}, "URL"),
        ({"kind": "document", "title": "   "}, "evidence"),
        ({"kind": "photo", "title": "X"}, "kind"),
    ],
)
def test_evidence_needs_what_its_kind_says(af, v1, fields, message):
    assessment = services.assessment_start(context=af, year=2025)
    with pytest.raises(ValidationError, match=message):
        services.evidence_add(
            context=af, assessment=assessment, condition="network-clarity", **fields
        )
