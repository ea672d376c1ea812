"""Big decisions, taken in consultation by the case meeting."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from schakel.core.context import AccessContext
from schakel.core.text import clean_text, reason_text

from .. import hooks, notifications
from ..choices import (
    CaseEventKind,
    ProposalStatus,
)
from ..decisions import decision_from_code
from ..models import (
    Case,
    Proposal,
)
from ..policies import (
    CaseAction,
    case_access,
)
from ..workflow import (
    PROPOSAL_TRANSITIONS,
    check,
)
from .steps import _record_step


def _decision_parameters(proposal: Proposal) -> dict[str, object]:
    """The decision proposed: its kind's code, or the municipality's own decision by name."""
    if proposal.municipal_decision_id is not None and proposal.municipal_decision is not None:
        return {"municipal_decision": proposal.municipal_decision.name}
    return {"decision_kind": proposal.kind}


@transaction.atomic
def proposal_create(*, context: AccessContext, case: Case, kind: str, text: str) -> Proposal:
    """A participant wants to take a big decision: it becomes a proposal for the case meeting
    and takes no effect until the meeting approves it. `kind` is a DecisionKind or one of the
    municipality's own ("municipal:<id>"). The proposer's organisation, the zorgcoördinator,
    Veilig Thuis (with a minor or a high safety risk) and the netwerkregisseur are told at once,
    and the case goes on the agenda of the next case meeting."""
    case = case_access(context, case, CaseAction.PROPOSE_DECISION, lock=True)
    decision = decision_from_code(kind, case.municipality_id)
    if decision is None or not clean_text(text):
        raise ValidationError(_("Choose the decision and describe it."))
    proposal = Proposal.objects.create(
        case=case,
        kind=decision.kind,
        municipal_decision=decision.municipal,
        text=text.strip(),
        proposed_by_id=context.user_id(),
        proposed_by_organisation_id=context.actor.organisation_id,
    )
    _record_step(
        context,
        case,
        CaseEventKind.PROPOSAL,
        proposal.text,
        parameters={"proposal": proposal.pk, **_decision_parameters(proposal)},
    )
    hooks.waits_for_meeting(case)
    proposal_id, actor = proposal.pk, context.actor.user_id
    transaction.on_commit(
        lambda: notifications.proposal_made(proposal_id=proposal_id, actor_user_id=actor)
    )
    return proposal


@transaction.atomic
def proposal_decide(
    *,
    context: AccessContext,
    proposal: Proposal,
    approve: bool,
    meeting: Any,
    meeting_note: str,
) -> Proposal:
    """The case meeting decides, with its quorum present; the netwerkregisseur records it with
    what was agreed and who was there."""
    case = case_access(context, proposal.case, CaseAction.DECIDE_PROPOSAL, lock=True)
    proposal = Proposal.objects.select_for_update().get(pk=proposal.pk, case=case)
    meeting_note = reason_text(meeting_note, message=_("Record what the case meeting decided."))
    sitting = hooks.forum().sitting(context, meeting, case, "decide_proposal")
    target = ProposalStatus.APPROVED if approve else ProposalStatus.REJECTED
    check(PROPOSAL_TRANSITIONS, proposal.status, target)
    proposal.status = target
    proposal.decided_by_id = context.actor.user_id
    proposal.decided_at = timezone.now()
    proposal.decision_note = meeting_note
    proposal.decided_with = sitting.present
    proposal.save()
    hooks.forum().record(context, sitting, proposal=proposal, intervention=None)
    _record_step(
        context,
        case,
        f"proposal_{target}",
        meeting_note,
        parameters={
            "proposal": proposal.pk,
            **_decision_parameters(proposal),
            **sitting.parameters(),
        },
    )
    return proposal
