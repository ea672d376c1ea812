"""The results of an assessment, computed from its own rows (its model version's texts,
levels and priorities, its answers): scores per condition and element, the Basisniveau verdict,
the gap list, and the comparison with last year and with a reference profile. Pure functions:
nothing here writes, and nothing depends on any other version of the model."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from .choices import TOP_LEVEL, Direction, GapGroup
from .models import (
    Assessment,
    BasisCriterion,
    BestPractice,
    Condition,
    Element,
    Instrument,
    MaturityLevel,
    ReferenceProfile,
)


@dataclass(frozen=True)
class ConditionScore:
    condition: Condition
    level: int | None  # None: not answered yet
    notes: str = ""

    @property
    def answered(self) -> bool:
        return self.level is not None


@dataclass(frozen=True)
class ElementScore:
    element: Element
    conditions: list[ConditionScore]

    @property
    def mean(self) -> float | None:
        """The mean level of the answered conditions (None when none is answered)."""
        levels = [c.level for c in self.conditions if c.level is not None]
        return sum(levels) / len(levels) if levels else None

    @property
    def share(self) -> float | None:
        """The mean as a share of the top level (0–1)."""
        return None if self.mean is None else self.mean / TOP_LEVEL


@dataclass(frozen=True)
class Requirement:
    condition: Condition
    needed: int
    reached: int | None

    @property
    def met(self) -> bool:
        return self.reached is not None and self.reached >= self.needed


@dataclass(frozen=True)
class BasisVerdict:
    criterion: BasisCriterion
    requirements: list[Requirement]

    @property
    def met(self) -> bool:
        return all(r.met for r in self.requirements)


@dataclass(frozen=True)
class Gap:
    condition: Condition
    level: int
    group: GapGroup
    instruments: list[Instrument]
    best_practices: list[BestPractice]


@dataclass(frozen=True)
class Compared:
    """One condition or element beside another assessment's or a reference profile's."""

    code: str
    label: str
    level: float | None
    other: float | None
    basis: str = ""  # for a reference profile: what the study reports that the level rests on

    @property
    def direction(self) -> Direction:
        if self.level is None or self.other is None:
            return Direction.UNKNOWN
        if self.level > self.other:
            return Direction.UP
        if self.level < self.other:
            return Direction.DOWN
        return Direction.SAME


@dataclass(frozen=True)
class Comparison:
    label: str  # "2025", or the reference profile's name
    conditions: list[Compared]
    elements: list[Compared]
    is_reference: bool = False
    derivation: str = ""


@dataclass(frozen=True)
class Results:
    assessment: Assessment
    levels: list[MaturityLevel]
    elements: list[ElementScore]
    basis: list[BasisVerdict]
    gaps: list[Gap]
    unanswered: list[Condition]
    previous: Comparison | None = None
    reference: Comparison | None = None
    references: list[ReferenceProfile] = field(default_factory=list)

    @property
    def conditions(self) -> list[ConditionScore]:
        return [c for e in self.elements for c in e.conditions]

    @property
    def overall_mean(self) -> float | None:
        levels = [c.level for c in self.conditions if c.level is not None]
        return sum(levels) / len(levels) if levels else None

    @property
    def basis_met(self) -> int:
        return sum(1 for verdict in self.basis if verdict.met)

    @property
    def level_names(self) -> dict[int, str]:
        return {level.level: level.name for level in self.levels}

    def gaps_in(self, group: GapGroup) -> list[Gap]:
        return [gap for gap in self.gaps if gap.group == group]

    @property
    def put_in_place(self) -> list[Gap]:
        return self.gaps_in(GapGroup.PUT_IN_PLACE)

    @property
    def embed(self) -> list[Gap]:
        return self.gaps_in(GapGroup.EMBED)


def _conditions(assessment: Assessment) -> list[Condition]:
    return list(
        Condition.objects.filter(model_version_id=assessment.model_version_id)
        .select_related("element")
        .prefetch_related("instruments", "best_practices", "criteria")
        .order_by("element__position", "position")
    )


def condition_levels(assessment: Assessment) -> dict[str, int | None]:
    """Per condition code the level answered (None: open)."""
    answers = {a.condition_id: a.level for a in assessment.answers.all()}
    return {c.code: answers.get(c.pk) for c in _conditions(assessment)}


def element_scores(
    assessment: Assessment, conditions: Sequence[Condition] | None = None
) -> list[ElementScore]:
    conditions = list(conditions) if conditions is not None else _conditions(assessment)
    answers = {a.condition_id: a for a in assessment.answers.all()}
    elements = list(Element.objects.filter(model_version_id=assessment.model_version_id))
    return [
        ElementScore(
            element=element,
            conditions=[
                ConditionScore(
                    c,
                    answers[c.pk].level if c.pk in answers else None,
                    answers[c.pk].notes if c.pk in answers else "",
                )
                for c in conditions
                if c.element_id == element.pk
            ],
        )
        for element in elements
    ]


def basis_verdicts(assessment: Assessment, levels: dict[str, int | None]) -> list[BasisVerdict]:
    criteria = BasisCriterion.objects.filter(
        model_version_id=assessment.model_version_id
    ).prefetch_related("requirements__condition")
    return [
        BasisVerdict(
            criterion,
            [
                Requirement(r.condition, r.level, levels.get(r.condition.code))
                for r in criterion.requirements.all()
            ],
        )
        for criterion in criteria
    ]


def gap_list(scores: Iterable[ConditionScore]) -> list[Gap]:
    """Every answered condition below the top level: those below 2 first (put them in place),
    then those at 2 (embed and evaluate them), each group in the model's priority order."""
    gaps = [
        Gap(
            condition=score.condition,
            level=score.level,
            group=GapGroup.PUT_IN_PLACE if score.level < 2 else GapGroup.EMBED,
            instruments=list(score.condition.instruments.all()),
            best_practices=list(score.condition.best_practices.all()),
        )
        for score in scores
        if score.level is not None and score.level < TOP_LEVEL
    ]
    order = {GapGroup.PUT_IN_PLACE: 0, GapGroup.EMBED: 1}
    return sorted(gaps, key=lambda gap: (order[gap.group], gap.condition.priority))


def _mean(values: Iterable[float | None]) -> float | None:
    known = [v for v in values if v is not None]
    return sum(known) / len(known) if known else None


def compare(
    elements: list[ElementScore],
    other: dict[str, int | None],
    *,
    label: str,
    is_reference: bool = False,
    derivation: str = "",
    bases: dict[str, str] | None = None,
) -> Comparison:
    """This assessment beside other levels per condition code (another year's assessment, which
    may use another model version, or a reference profile): per condition and per element."""
    return Comparison(
        label=label,
        conditions=[
            Compared(
                c.condition.code,
                c.condition.name,
                c.level,
                other.get(c.condition.code),
                (bases or {}).get(c.condition.code, ""),
            )
            for e in elements
            for c in e.conditions
        ],
        elements=[
            Compared(
                e.element.code,
                e.element.name,
                e.mean,
                _mean(other.get(c.condition.code) for c in e.conditions),
            )
            for e in elements
        ],
        is_reference=is_reference,
        derivation=derivation,
    )


def previous_assessment(assessment: Assessment) -> Assessment | None:
    """The municipality's final assessment of the year before (none: no comparison)."""
    return (
        Assessment.objects.filter(
            municipality_id=assessment.municipality_id,
            year=assessment.year - 1,
            status="final",
        )
        .select_related("model_version")
        .first()
    )


def reference_levels(profile: ReferenceProfile) -> tuple[dict[str, int | None], dict[str, str]]:
    """The profile's level per condition code, and what the study reports that each rests on."""
    entries = list(profile.levels.select_related("condition"))
    return (
        {entry.condition.code: entry.level for entry in entries},
        {entry.condition.code: entry.basis for entry in entries},
    )


def results_for(assessment: Assessment, *, reference: str | None = None) -> Results:
    conditions = _conditions(assessment)
    elements = element_scores(assessment, conditions)
    scores = [c for e in elements for c in e.conditions]
    levels = {c.condition.code: c.level for c in scores}
    previous = previous_assessment(assessment)
    profiles = list(ReferenceProfile.objects.filter(model_version_id=assessment.model_version_id))
    profile = next((p for p in profiles if p.code == reference), None) if reference else None
    profile_levels, bases = reference_levels(profile) if profile is not None else ({}, {})
    return Results(
        assessment=assessment,
        levels=list(MaturityLevel.objects.filter(model_version_id=assessment.model_version_id)),
        elements=elements,
        basis=basis_verdicts(assessment, levels),
        gaps=gap_list(scores),
        unanswered=[c.condition for c in scores if c.level is None],
        previous=(
            compare(elements, condition_levels(previous), label=str(previous.year))
            if previous is not None
            else None
        ),
        reference=(
            compare(
                elements,
                profile_levels,
                label=profile.name,
                is_reference=True,
                derivation=profile.derivation,
                bases=bases,
            )
            if profile is not None
            else None
        ),
        references=profiles,
    )
