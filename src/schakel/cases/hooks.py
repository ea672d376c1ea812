"""What other apps do when something happens in a case, declared here and registered by those
apps when they are ready: cases imports none of them (docs/architecture.md, layers).

The hit/no-hit registry (matching) keeps a registration for every person of a case that each
participant sees by name; it listens here to keep that true.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Any, Protocol

from django.utils.translation import gettext as _

from schakel.core.workflow import TransitionRefused

if TYPE_CHECKING:
    from schakel.core.context import AccessContext

    from .models import Case, CasePerson, Intervention, Proposal


@dataclass(frozen=True)
class Sitting:
    """A meeting that may take a decision on a case now, and who is there."""

    meeting_id: int
    held_on: date
    present: list[str]

    def parameters(self) -> dict[str, object]:
        """What a timeline entry keeps of the sitting: the meeting, its day, who was there."""
        return {"meeting": self.meeting_id, "held_on": self.held_on, "present": self.present}


class DecisionForum(Protocol):
    """Where big decisions and the care side's acknowledgements are taken: the case meeting.
    The meetings app registers itself (cases imports no meetings code); without it nothing is
    decided, since no meeting can be held."""

    def sitting(self, context: AccessContext, meeting: Any, case: Case, step: str) -> Sitting:
        """The meeting as it may decide `step` ("decide_proposal" or
        "acknowledge_intervention") on the case now: held, the case on its agenda, the actor
        allowed there, its quorum (and for an acknowledgement the actor) recorded present.
        Raises NotFound, PermissionDenied or TransitionRefused."""
        ...

    def record(
        self,
        context: AccessContext,
        sitting: Sitting,
        *,
        proposal: Proposal | None,
        intervention: Intervention | None,
    ) -> None:
        """Keep, with the meeting, what it decided (and the step in its history)."""
        ...

    def waits_for(self, case: Case) -> None:
        """Something in the case waits for the next case meeting: put it on its agenda."""
        ...


@dataclass
class CaseListeners:
    # The persons of the case, or who sees them by name, changed (opened, shared, revealed,
    # a person added): called inside the step's transaction.
    persons_shown: list[Callable[[AccessContext, Case], None]] = field(default_factory=list)
    # An organisation no longer takes part in the case.
    organisation_left: list[Callable[[Case, int], None]] = field(default_factory=list)
    # A person's data were corrected at their request.
    person_corrected: list[Callable[[AccessContext, CasePerson], None]] = field(
        default_factory=list
    )
    # The case's personal content was removed by retention.
    anonymised: list[Callable[[Case], None]] = field(default_factory=list)
    forum: DecisionForum | None = None


listeners = CaseListeners()


def persons_shown(context: AccessContext, case: Case) -> None:
    for listener in listeners.persons_shown:
        listener(context, case)


def organisation_left(case: Case, organisation_id: int) -> None:
    for listener in listeners.organisation_left:
        listener(case, organisation_id)


def person_corrected(context: AccessContext, person: CasePerson) -> None:
    for listener in listeners.person_corrected:
        listener(context, person)


def anonymised(case: Case) -> None:
    for listener in listeners.anonymised:
        listener(case)


def forum() -> DecisionForum:
    if listeners.forum is None:
        raise TransitionRefused(_("This is decided in a case meeting, and there is none here."))
    return listeners.forum


def waits_for_meeting(case: Case) -> None:
    """Put the case on the next case meeting's agenda, where there are meetings."""
    if listeners.forum is not None:
        listeners.forum.waits_for(case)
