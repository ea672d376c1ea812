"""The kinds of work 'Mijn acties' gathers, each read from its own app's selectors: a queryset
in the order of its deadlines (filtered by the app's access policy) and the function that shows
a slice of it to the viewer (redacted and audited by that app)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from django.db.models import QuerySet
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from schakel.cases.selectors import case_rows_shown, case_work_sets
from schakel.core.context import AccessContext
from schakel.intake.selectors import signals_waiting, waiting_signals_shown
from schakel.matching.selectors import hit_task_rows, open_hit_tasks
from schakel.meetings.selectors import rechecks_due_set


class Kind(StrEnum):
    """The URL's words for each kind (`?soort=afspraken`), Dutch like the other filters."""

    SIGNALS = "signalen"
    AGREEMENTS = "afspraken"
    DIRECTED = "regie"
    PROPOSALS = "besluiten"
    INTERVENTIONS = "instemming"
    REFERRALS = "verwijzingen"
    HITS = "hits"
    RECHECKS = "hercontrole"
    INACTIVE = "stil"


@dataclass(frozen=True)
class Source:
    kind: Kind
    heading: Promise
    queryset: Callable[[AccessContext], QuerySet[Any]]
    shown: Callable[[AccessContext, list[Any]], list[Any]]

    @property
    def template(self) -> str:
        return f"worklist/partials/{self.kind}.html"


SOURCES: dict[Kind, Source] = {
    source.kind: source
    for source in (
        Source(
            Kind.SIGNALS,
            _("Signals waiting for a first action or feedback"),
            signals_waiting,
            waiting_signals_shown,
        ),
        Source(
            Kind.AGREEMENTS,
            _("Agreements of my organisation"),
            lambda c: case_work_sets(c).agreements,
            lambda c, rows: case_rows_shown(c, agreements=rows).agreements,
        ),
        Source(
            Kind.DIRECTED,
            _("Overdue agreements in cases I direct"),
            lambda c: case_work_sets(c).overdue_directed,
            lambda c, rows: case_rows_shown(c, overdue_directed=rows).overdue_directed,
        ),
        Source(
            Kind.RECHECKS,
            _("Signals to re-check in the case meeting"),
            rechecks_due_set,
            lambda c, rows: rows,
        ),
        Source(
            Kind.PROPOSALS,
            _("Proposals waiting for the case meeting"),
            lambda c: case_work_sets(c).proposals,
            lambda c, rows: case_rows_shown(c, proposals=rows).proposals,
        ),
        Source(
            Kind.INTERVENTIONS,
            _("Interventions waiting for my acknowledgement in the case meeting"),
            lambda c: case_work_sets(c).interventions,
            lambda c, rows: case_rows_shown(c, interventions=rows).interventions,
        ),
        Source(
            Kind.REFERRALS,
            _("Referrals waiting for my organisation's answer"),
            lambda c: case_work_sets(c).referrals,
            lambda c, rows: case_rows_shown(c, referrals=rows).referrals,
        ),
        Source(Kind.HITS, _("Hits to follow up"), open_hit_tasks, hit_task_rows),
        Source(
            Kind.INACTIVE,
            _("My cases without recent activity"),
            lambda c: case_work_sets(c).inactive,
            lambda c, rows: case_rows_shown(c, inactive=rows).inactive,
        ),
    )
}
