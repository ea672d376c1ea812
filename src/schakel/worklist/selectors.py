"""'Mijn acties': what waits for the actor or their organisation, gathered from every app that
has work (signals, cases, meetings, hit/no-hit) through their own selectors. The overview shows
at most LIMIT rows of each kind, the earliest deadline first, with "and N more" leading to that
kind alone, paged on the server."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from schakel.cases.selectors import CaseRowsShown
from schakel.core.context import AccessContext
from schakel.intake.selectors import QueueItem
from schakel.matching.selectors import TaskRow

from .sources import SOURCES, Kind, Source

LIMIT = 10


@dataclass(frozen=True)
class Section:
    source: Source
    rows: Sequence[Any]
    total: int  # of this kind in all, of which `rows` are the first

    @property
    def kind(self) -> Kind:
        return self.source.kind

    @property
    def more(self) -> int:
        return max(0, self.total - len(self.rows))

    @property
    def url(self) -> str:
        return f"?soort={self.kind}"


@dataclass(frozen=True)
class MyActions:
    sections: list[Section]  # only the kinds with something waiting

    def rows(self, kind: Kind) -> list[Any]:
        return next((list(s.rows) for s in self.sections if s.kind == kind), [])

    @property
    def empty(self) -> bool:
        return not self.sections

    @property
    def signals(self) -> list[QueueItem]:
        return self.rows(Kind.SIGNALS)

    @property
    def overdue_signals(self) -> list[QueueItem]:
        """The new signals past their first-action deadline."""
        return [i for i in self.signals if i.state.first_action_overdue]

    @property
    def cases(self) -> CaseRowsShown:
        return CaseRowsShown(
            agreements=self.rows(Kind.AGREEMENTS),
            overdue_directed=self.rows(Kind.DIRECTED),
            proposals=self.rows(Kind.PROPOSALS),
            referrals=self.rows(Kind.REFERRALS),
            interventions=self.rows(Kind.INTERVENTIONS),
            inactive=self.rows(Kind.INACTIVE),
        )

    @property
    def hit_tasks(self) -> list[TaskRow]:
        return self.rows(Kind.HITS)

    @property
    def rechecks(self) -> list[Any]:
        return self.rows(Kind.RECHECKS)


def section_for(context: AccessContext, source: Source, *, limit: int = LIMIT) -> Section:
    """The first `limit` rows of one kind and how many there are: counted only when the slice
    is full, so a short list costs one query."""
    queryset = source.queryset(context)
    found = list(queryset[:limit])
    total = len(found) if len(found) < limit else queryset.order_by().count()
    return Section(source, source.shown(context, found) if found else [], total)


def my_actions(context: AccessContext, *, limit: int | None = None) -> MyActions:
    """Every kind of work, bounded: a constant number of queries whatever the amount."""
    bound = limit or LIMIT
    sections = [section_for(context, source, limit=bound) for source in SOURCES.values()]
    return MyActions([s for s in sections if s.total])
