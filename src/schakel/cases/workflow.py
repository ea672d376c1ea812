"""The two safety interlocks of the field (DOMAIN.md §4), as tables and guards:

- a perpetrator intervention is put before the care side (zorgcoördinator or Veilig Thuis)
  before it is executed, unless an urgent danger override with a reason is recorded;
- big decisions (withdrawing a police report, moving a victim, …) are proposals that only take
  effect when a case meeting approves them.
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from schakel.core.text import has_reason
from schakel.core.workflow import TransitionRefused, check

from .choices import (
    AgreementStatus,
    CaseStatus,
    InterventionStatus,
    ProposalStatus,
    ReferralStatus,
)

__all__ = [
    "AGREEMENT_TRANSITIONS",
    "CASE_TRANSITIONS",
    "INTERVENTION_TRANSITIONS",
    "PROPOSAL_TRANSITIONS",
    "REFERRAL_TRANSITIONS",
    "TransitionRefused",
    "check",
    "guard_close",
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
    if status == InterventionStatus.PROPOSED and not has_reason(urgent_reason):
        raise TransitionRefused(
            _(
                "The zorgcoördinator or Veilig Thuis must acknowledge this intervention in a case "
                "meeting before it is executed: acting on a perpetrator can endanger the victim. "
                "Only in urgent danger can it go ahead now, with the reason recorded."
            )
        )


AGREEMENT_TRANSITIONS: dict[AgreementStatus, frozenset[AgreementStatus]] = {
    AgreementStatus.OPEN: frozenset({AgreementStatus.DONE, AgreementStatus.CANCELLED}),
    AgreementStatus.DONE: frozenset(),
    AgreementStatus.CANCELLED: frozenset(),
}

REFERRAL_TRANSITIONS: dict[ReferralStatus, frozenset[ReferralStatus]] = {
    ReferralStatus.PROPOSED: frozenset(
        {ReferralStatus.ACCEPTED, ReferralStatus.REJECTED, ReferralStatus.REVOKED}
    ),
    ReferralStatus.ACCEPTED: frozenset({ReferralStatus.REVOKED}),
    ReferralStatus.REJECTED: frozenset(),
    ReferralStatus.REVOKED: frozenset(),
}


def guard_close(
    *, pending_proposals: int, interventions_without_outcome: int, persons_without_outcome: int
) -> None:
    """A case closes when nothing is left hanging: what the case meeting must still decide,
    what an executed intervention led to (the care side and the annual figures need it), and
    what became of every person."""
    if pending_proposals:
        raise TransitionRefused(_("Decide the pending proposals in a case meeting first."))
    if interventions_without_outcome:
        raise TransitionRefused(
            _(
                "Record the outcome of every executed intervention first: the care side must "
                "know what happened to the perpetrator, and the figures count it."
            )
        )
    if persons_without_outcome:
        raise TransitionRefused(_("Record what became of every person in the case."))
