"""What other apps do when something happens in a case, declared here and registered by those
apps when they are ready: cases imports none of them (docs/architecture.md, layers).

The hit/no-hit registry (matching) keeps a registration for every person of a case that each
participant sees by name; it listens here to keep that true.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from schakel.core.context import AccessContext

    from .models import Case, CasePerson


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
