"""The assessment framework (toetsingskader, DOMAIN.md §5) in one place.

The rule is advisory: it gives advice from the ticked hard and soft indicators and the
municipality's threshold, a decision that differs from it needs a reason, and it never holds back
what applies at a lower threshold (DOMAIN.md §11). Those lower-threshold steps are listed here as
`warnings_for`, shown on the triage screen whenever their situation is recorded.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from .choices import Advice, TriageDecision

# Which decisions follow each advice; any other decision deviates and needs a reason.
FOLLOWS_ADVICE: dict[Advice, frozenset[TriageDecision]] = {
    Advice.INTERVENE: frozenset({TriageDecision.PERPETRATOR, TriageDecision.BOTH}),
    Advice.MONITOR: frozenset({TriageDecision.MONITOR}),
    Advice.NONE: frozenset(TriageDecision),
}

# Decisions that open a case, and whether the care side takes part from the start.
OPENS_CASE = frozenset({TriageDecision.CARE, TriageDecision.PERPETRATOR, TriageDecision.BOTH})
CARE_TRACK = frozenset({TriageDecision.CARE, TriageDecision.BOTH})
PERPETRATOR_TRACK = frozenset({TriageDecision.PERPETRATOR, TriageDecision.BOTH})


def advise(*, hard: int, soft: int, threshold: int) -> Advice:
    """At least `threshold` hard signals: intervene with the RIEC partners; otherwise, with any
    signal at all, keep watching and re-check; with none, no advice."""
    if hard >= threshold:
        return Advice.INTERVENE
    if hard or soft:
        return Advice.MONITOR
    return Advice.NONE


def deviates(advice: Advice, decision: TriageDecision) -> bool:
    return decision not in FOLLOWS_ADVICE[advice]


@dataclass(frozen=True)
class Warning:
    code: str
    text: str | Promise


ACUTE_DANGER = Warning(
    "acute_danger",
    _("Acute danger: call 112 now. This does not wait for the meeting or for any threshold."),
)
MINOR = Warning(
    "minor",
    _(
        "A minor is involved: the Meldcode applies and Veilig Thuis is consulted or informed, "
        "whatever the advice of the assessment framework."
    ),
)
POLICE_DUTY = Warning(
    "police_duty",
    _(
        "The police act on the slightest indication of trafficking: a possible victim is offered "
        "the reflection period and the residence scheme, whatever the advice here."
    ),
)
COMENSHA = Warning(
    "comensha",
    _("Every possible victim is registered with CoMensha, also when the advice is to wait."),
)


def warnings_for(
    *, acute_danger: bool, minor_involved: bool, possible_victim: bool
) -> list[Warning]:
    """The steps that apply below the framework's threshold, for the situation as recorded."""
    warnings = []
    if acute_danger:
        warnings.append(ACUTE_DANGER)
    if minor_involved:
        warnings.append(MINOR)
    if possible_victim:
        warnings.extend([POLICE_DUTY, COMENSHA])
    return warnings
