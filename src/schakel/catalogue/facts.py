"""Counting indicators as the assessment framework does (DOMAIN.md §5): each fact once.

A question to ask is guidance and is never counted; an indicator that records the same fact as a
broader one (`Indicator.counts_as`) counts once with it; a fact is hard when any indicator that
records it is hard. The same indicator ticked on several linked signals is one fact of the group.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from .choices import IndicatorStrength
from .models import Indicator


@dataclass(frozen=True)
class Tally:
    hard: int = 0
    soft: int = 0

    @property
    def total(self) -> int:
        return self.hard + self.soft


def tally(indicators: Iterable[Indicator]) -> Tally:
    """Hard and soft facts among `indicators` (duplicates and questions left out)."""
    facts: dict[int, bool] = {}
    for indicator in indicators:
        if indicator.is_recorded:
            hard = indicator.strength == IndicatorStrength.HARD
            facts[indicator.fact_id] = facts.get(indicator.fact_id, False) or hard
    hard_count = sum(facts.values())
    return Tally(hard=hard_count, soft=len(facts) - hard_count)
