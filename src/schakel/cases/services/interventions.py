"""Perpetrator interventions through the RIEC → care interlock."""

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
    InterventionKind,
    InterventionStatus,
)
from ..models import (
    Case,
    Intervention,
)
from ..policies import (
    CaseAction,
    case_access,
)
from ..workflow import (
    INTERVENTION_TRANSITIONS,
    check,
    guard_execute,
)
from .steps import _record_step


def _about(intervention: Intervention) -> dict[str, object]:
    """What a timeline entry keeps of the intervention it concerns."""
    return {"intervention": intervention.pk, "intervention_kind": intervention.kind}


def _move_intervention(intervention: Intervention, target: InterventionStatus) -> None:
    check(INTERVENTION_TRANSITIONS, intervention.status, target)
    intervention.status = target


@transaction.atomic
def intervention_propose(
    *, context: AccessContext, case: Case, kind: str, description: str
) -> Intervention:
    case = case_access(context, case, CaseAction.PROPOSE_INTERVENTION, lock=True)
    if kind not in InterventionKind.values or not description.strip():
        raise ValidationError(_("Choose the kind of intervention and describe it."))
    intervention = Intervention.objects.create(
        case=case, kind=kind, description=description.strip(), proposed_by_id=context.user_id()
    )
    _record_step(
        context,
        case,
        CaseEventKind.INTERVENTION_PROPOSED,
        parameters=_about(intervention),
    )
    hooks.waits_for_meeting(case)
    case_id, actor = case.pk, context.actor.user_id
    transaction.on_commit(
        lambda: notifications.intervention_proposed(case_id=case_id, actor_user_id=actor)
    )
    return intervention


@transaction.atomic
def intervention_acknowledge(
    *, context: AccessContext, intervention: Intervention, meeting: Any, note: str = ""
) -> Intervention:
    """The zorgcoördinator or Veilig Thuis heard of the intervention in the case meeting and can
    prepare the victim's safety: in a case meeting being held with its quorum, the acknowledger
    recorded present (the meeting's rules: cases.hooks.DecisionForum)."""
    case = case_access(context, intervention.case, CaseAction.ACKNOWLEDGE_INTERVENTION, lock=True)
    intervention = Intervention.objects.select_for_update().get(pk=intervention.pk, case=case)
    sitting = hooks.forum().sitting(context, meeting, case, "acknowledge_intervention")
    _move_intervention(intervention, InterventionStatus.ACKNOWLEDGED)
    intervention.acknowledged_by_id = context.actor.user_id
    intervention.acknowledged_at = timezone.now()
    intervention.save()
    hooks.forum().record(context, sitting, proposal=None, intervention=intervention)
    _record_step(
        context,
        case,
        CaseEventKind.INTERVENTION_ACKNOWLEDGED,
        clean_text(note),
        parameters={**_about(intervention), **sitting.parameters()},
    )
    return intervention


@transaction.atomic
def intervention_execute(
    *, context: AccessContext, intervention: Intervention, urgent_reason: str = ""
) -> Intervention:
    """Execute; before the care side acknowledged only in urgent danger, with the reason, and
    then the zorgcoördinator and Veilig Thuis are told at once."""
    case = case_access(context, intervention.case, CaseAction.EXECUTE_INTERVENTION, lock=True)
    intervention = Intervention.objects.select_for_update().get(pk=intervention.pk, case=case)
    guard_execute(status=intervention.status, urgent_reason=urgent_reason)
    urgent = intervention.status == InterventionStatus.PROPOSED
    _move_intervention(intervention, InterventionStatus.EXECUTED)
    intervention.executed_at = timezone.now()
    urgent_reason = clean_text(urgent_reason)
    intervention.urgent_override_reason = urgent_reason if urgent else ""
    intervention.save()
    _record_step(
        context,
        case,
        CaseEventKind.INTERVENTION_EXECUTED,
        urgent_reason if urgent else "",
        parameters={**_about(intervention), "urgent": urgent},
    )
    if urgent:
        case_id, actor = case.pk, context.actor.user_id
        transaction.on_commit(
            lambda: notifications.urgent_execution(case_id=case_id, actor_user_id=actor)
        )
    return intervention


@transaction.atomic
def intervention_record_outcome(
    *, context: AccessContext, intervention: Intervention, outcome: str
) -> Intervention:
    case = case_access(context, intervention.case, CaseAction.RECORD_OUTCOME, lock=True)
    intervention = Intervention.objects.select_for_update().get(pk=intervention.pk, case=case)
    if not outcome.strip():
        raise ValidationError(_("Describe the outcome."))
    _move_intervention(intervention, InterventionStatus.OUTCOME)
    intervention.outcome = outcome.strip()
    intervention.save()
    _record_step(
        context,
        case,
        CaseEventKind.INTERVENTION_OUTCOME,
        outcome.strip(),
        parameters=_about(intervention),
    )
    return intervention


@transaction.atomic
def intervention_withdraw(
    *, context: AccessContext, intervention: Intervention, reason: str
) -> Intervention:
    case = case_access(context, intervention.case, CaseAction.WITHDRAW_INTERVENTION, lock=True)
    intervention = Intervention.objects.select_for_update().get(pk=intervention.pk, case=case)
    reason = reason_text(reason, message=_("Give the reason for withdrawing the intervention."))
    _move_intervention(intervention, InterventionStatus.WITHDRAWN)
    intervention.save()
    _record_step(
        context,
        case,
        CaseEventKind.INTERVENTION_WITHDRAWN,
        reason,
        parameters=_about(intervention),
    )
    return intervention
