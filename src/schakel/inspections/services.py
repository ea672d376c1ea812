"""Every write to inspections: the entry guard, the change and the audit entry in one
transaction; notices mailed after commit; steps of an inspection of a case are recorded on its
timeline through the cases service."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from schakel.audit.choices import AuditAction
from schakel.audit.services import audit_record
from schakel.cases.choices import CaseEventKind
from schakel.cases.models import Case
from schakel.cases.policies import CaseAction, case_policy
from schakel.cases.services import timeline_record
from schakel.core.context import AccessContext
from schakel.core.policies import NotFound
from schakel.core.text import reason_text
from schakel.organisations.models import Municipality, Organisation

from . import rules
from .choices import InspectionKind, InspectionStatus, NoticeKind
from .models import Inspection, InspectionNotice
from .policies import InspectionAction, inspection_access, inspection_policy
from .workflow import INSPECTION_TRANSITIONS, check, guard_findings

# --------------------------------------------------------------------------------


def _inspection_posted(
    context: AccessContext, inspection: Inspection, step: str, **parameters: object
) -> None:
    """The audit entry of the step, and on the case's timeline when the inspection belongs to a
    case the actor works on (rendered there by inspections/events.py)."""
    audit_record(
        context=context,
        action=AuditAction.CHANGE,
        objects=[inspection],
        purpose=f"inspection {step}",
    )
    # On the case's timeline when the actor works on the case; otherwise with the inspection only.
    if inspection.case is not None and case_policy.can(
        context.actor, CaseAction.POST, inspection.case
    ):
        timeline_record(
            context=context,
            case=inspection.case,
            kind=CaseEventKind.INSPECTION,
            text=inspection.premises,
            parameters={"inspection": inspection.pk, "step": step, **parameters},
        )


def _unacknowledged(inspection: Inspection) -> list[str]:
    """Each kind of notice that nobody acknowledged beforehand (or that went to nobody)."""
    acknowledged = {n.kind for n in inspection.notices.all() if n.acknowledged_at is not None}
    return [kind for kind in NoticeKind.values if kind not in acknowledged]


@transaction.atomic
def inspection_plan(
    *,
    context: AccessContext,
    kind: str,
    planned_for: datetime,
    premises: str,
    purpose: str,
    participants: Iterable[Organisation] = (),
    avim: Organisation | None = None,
    zorgcoordination: Organisation | None = None,
    case: Case | None = None,
) -> Inspection:
    """Plan an inspection of the planner's municipality with the organisations that take part.
    AVIM is informed and the zorgcoördinatie asked to stand by, each by a notice that its staff
    acknowledge; they are mailed after commit (DOMAIN.md §4)."""
    municipality_id = inspection_policy.planning_municipality(context.actor)
    if municipality_id is None:
        raise PermissionDenied
    municipality = Municipality.objects.get(pk=municipality_id)
    if kind not in InspectionKind.values:
        raise ValidationError(_("Choose the kind of inspection."))
    missing = _("Give the premises and the purpose of the inspection.")
    premises = reason_text(premises, message=missing)
    purpose = reason_text(purpose, message=missing)
    if len(premises) > 200:  # the model's max_length
        raise ValidationError(_("Write the premises in at most 200 characters."))
    if timezone.localdate(planned_for) < timezone.localdate():
        raise ValidationError(_("Plan the inspection for today or later."))
    if case is not None and not case_policy.can(context.actor, CaseAction.VIEW, case):
        raise NotFound
    if case is not None and case.municipality_id != municipality.pk:
        raise ValidationError(_("The case belongs to another municipality."))
    organisations = rules.taking_part(
        kind=kind,
        municipality=municipality,
        planner=Organisation.objects.get(pk=context.organisation_id()),
        chosen=participants,
    )
    notices = rules.notices_to_send(
        region_id=municipality.region_id,
        chosen={NoticeKind.AVIM_INFORMED: avim, NoticeKind.ZC_STANDBY: zorgcoordination},
    )
    inspection = Inspection.objects.create(
        municipality=municipality,
        case=case,
        kind=kind,
        planned_for=planned_for,
        premises=premises,
        purpose=purpose,
        planned_by_id=context.user_id(),
    )
    inspection.participants.set(organisations)
    for notice_kind, organisation in notices.items():
        InspectionNotice.objects.create(
            inspection=inspection, organisation=organisation, kind=notice_kind
        )
    _inspection_posted(context, inspection, "planned", planned_for=timezone.localdate(planned_for))
    transaction.on_commit(
        lambda: rules.announce(inspection_id=inspection.pk, actor_user_id=context.actor.user_id)
    )
    return inspection


@transaction.atomic
def inspection_acknowledge_notice(
    *, context: AccessContext, inspection: Inspection | int
) -> InspectionNotice:
    """AVIM or the zorgcoördinatie says: we know of it, we stand by."""
    inspection = inspection_access(
        context, inspection, InspectionAction.ACKNOWLEDGE_NOTICE, lock=True
    )
    notice = inspection_policy.notice_for(context.actor, inspection)
    if notice is None:  # the guard found it a moment ago, under the same lock
        raise PermissionDenied
    notice.acknowledged_by_id = context.user_id()
    notice.acknowledged_at = timezone.now()
    notice.save(update_fields=["acknowledged_by", "acknowledged_at"])
    _inspection_posted(context, inspection, "notice_acknowledged", notice=notice.kind)
    return notice


@transaction.atomic
def inspection_record_findings(
    *,
    context: AccessContext,
    inspection: Inspection | int,
    indicator_codes: Iterable[str],
    findings: str,
) -> Inspection:
    """What was seen, from the planned date on; the indicators from the checklist of findings.
    Notices nobody acknowledged do not hold it back (the inspection happened), but stay open
    for good and are named on the timeline and in the evaluation."""
    inspection = inspection_access(context, inspection, InspectionAction.RECORD_FINDINGS, lock=True)
    guard_findings(
        planned_on=timezone.localdate(inspection.planned_for), today=timezone.localdate()
    )
    text = reason_text(findings, message=_("Describe the findings."))
    indicators = rules.checklist_indicators(indicator_codes)
    check(INSPECTION_TRANSITIONS, inspection.status, InspectionStatus.HELD)
    inspection.status = InspectionStatus.HELD
    inspection.findings = text
    inspection.held_at = timezone.now()
    inspection.save(update_fields=["status", "findings", "held_at"])
    inspection.indicators_seen.set(indicators)
    _inspection_posted(context, inspection, "findings", unacknowledged=_unacknowledged(inspection))
    return inspection


@transaction.atomic
def inspection_evaluate(
    *, context: AccessContext, inspection: Inspection | int, evaluation: str
) -> Inspection:
    """The evaluation afterwards; then the inspection is final."""
    inspection = inspection_access(context, inspection, InspectionAction.EVALUATE, lock=True)
    text = reason_text(evaluation, message=_("Write the evaluation."))
    check(INSPECTION_TRANSITIONS, inspection.status, InspectionStatus.EVALUATED)
    inspection.status = InspectionStatus.EVALUATED
    inspection.evaluation = text
    inspection.save(update_fields=["status", "evaluation"])
    _inspection_posted(context, inspection, "evaluated", unacknowledged=_unacknowledged(inspection))
    return inspection
