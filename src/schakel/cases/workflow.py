"""The two safety interlocks of the field (DOMAIN.md §4), as tables and guards:

- a perpetrator intervention is put before the care side (zorgcoördinator or Veilig Thuis)
  before it is executed, unless an urgent danger override with a reason is recorded;
- big decisions (withdrawing a police report, moving a victim, …) are proposals that only take
  effect when a case meeting approves them.
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from schakel.core.workflow import TransitionRefused, check

from .choices import CaseStatus, InterventionStatus, ProposalStatus

__all__ = [
    "CASE_TRANSITIONS",
    "INTERVENTION_TRANSITIONS",
    "PROPOSAL_TRANSITIONS",
    "TransitionRefused",
    "check",
    "guard_execute",
]

CASE_TRANSITIONS: dict[CaseStatus, frozenset[CaseStatus]] = {
    CaseStatus.OPEN: frozenset({CaseStatus.CLOSED}),
    CaseStatus.CLOSED: frozenset(),
}

INTERVENTION_TRANSITIONS: dict[InterventionStatus, frozenset[InterventionStatus]] = {
    InterventionStatus.PROPOSED: frozenset(
        {InterventionStatus.ACKNOWLEDGED, InterventionStatus.EXECUTED, InterventionStatus.WITHDRAWN}
    ),
    InterventionStatus.ACKNOWLEDGED: frozenset(
        {InterventionStatus.EXECUTED, InterventionStatus.WITHDRAWN}
    ),
    InterventionStatus.EXECUTED: frozenset({InterventionStatus.OUTCOME}),
    InterventionStatus.OUTCOME: frozenset(),
    InterventionStatus.WITHDRAWN: frozenset(),
}

PROPOSAL_TRANSITIONS: dict[ProposalStatus, frozenset[ProposalStatus]] = {
    ProposalStatus.PENDING: frozenset({ProposalStatus.APPROVED, ProposalStatus.REJECTED}),
    ProposalStatus.APPROVED: frozenset(),
    ProposalStatus.REJECTED: frozenset(),
}


def guard_execute(*, status: str, urgent_reason: str) -> None:
    """Executing before the care side acknowledged is only possible in urgent danger."""
    if status == InterventionStatus.PROPOSED and not urgent_reason.strip():
        raise TransitionRefused(
            _(
                "The zorgcoördinator or Veilig Thuis must acknowledge this intervention in a case "
                "meeting before it is executed: acting on a perpetrator can endanger the victim. "
                "Only in urgent danger can it go ahead now, with the reason recorded."
            )
        )
