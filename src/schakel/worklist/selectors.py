"""'Mijn acties': what waits for the actor or their organisation, gathered from every app that
has work (cases, meetings, hit/no-hit) through their own selectors, without personal data."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from schakel.cases.selectors import CaseWork, case_work
from schakel.core.context import AccessContext
from schakel.intake.selectors import QueueItem, overdue_new_signals
from schakel.matching.choices import TaskStatus
from schakel.matching.selectors import TaskRow, my_hit_tasks
from schakel.meetings.selectors import rechecks_due


@dataclass(frozen=True)
class MyActions:
    overdue_signals: list[QueueItem]  # new signals of my reporting point, first action late
    cases: CaseWork
    hit_tasks: list[TaskRow]
    rechecks: list[Any]  # monitored signals due for the case meeting's re-check

    @property
    def empty(self) -> bool:
        work = self.cases
        return not any(
            (
                self.overdue_signals,
                self.rechecks,
                self.hit_tasks,
                work.agreements,
                work.overdue_directed,
                work.proposals,
                work.referrals,
                work.interventions,
                work.inactive,
            )
        )


def my_actions(context: AccessContext) -> MyActions:
    return MyActions(
        overdue_signals=overdue_new_signals(context),
        cases=case_work(context),
        hit_tasks=[r for r in my_hit_tasks(context) if r.task.status != TaskStatus.COORDINATED],
        rechecks=rechecks_due(context),
    )
