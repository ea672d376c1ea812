"""Reading inspections: filtered by the inspection policy, 404 for missing and forbidden alike,
audited."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.http import Http404
from django.utils import timezone

from schakel.audit.choices import AuditAction
from schakel.audit.services import audit_record
from schakel.cases.choices import CaseStatus
from schakel.cases.policies import CaseAction, case_policy
from schakel.core.context import AccessContext
from schakel.organisations.models import Municipality

from . import rules
from .choices import InspectionStatus, NoticeKind
from .models import Inspection, InspectionNotice
from .policies import InspectionAction, inspection_policy
from .workflow import TransitionRefused, guard_findings

# ------------------------------------------------------------------------------


@dataclass(frozen=True)
class NoticeRow:
    """One kind of notice of an inspection: sent to an organisation, or to nobody."""

    kind: str
    label: str
    notice: InspectionNotice | None
    too_late: bool  # the inspection is held: a notice still open now stays unacknowledged

    @property
    def acknowledged(self) -> bool:
        return self.notice is not None and self.notice.acknowledged_at is not None


def notice_rows(inspection: Inspection) -> list[NoticeRow]:
    """Every kind of notice, in order, with the one sent (from the prefetched notices)."""
    sent = {notice.kind: notice for notice in inspection.notices.all()}
    held = inspection.status != InspectionStatus.PLANNED
    return [NoticeRow(kind, str(label), sent.get(kind), held) for kind, label in NoticeKind.choices]


@dataclass(frozen=True)
class InspectionRow:
    inspection: Inspection
    notices: list[NoticeRow]


@dataclass(frozen=True)
class InspectionView:
    """An inspection as the actor may see it, with what they may do now."""

    inspection: Inspection
    actions: frozenset[InspectionAction]
    notices: list[NoticeRow]
    own_notice: InspectionNotice | None
    shows_case: bool
    findings_refused: str  # why findings cannot be recorded yet, when the actor could

    @property
    def sees_findings(self) -> bool:
        return InspectionAction.SEE_FINDINGS in self.actions

    @property
    def unacknowledged(self) -> list[NoticeRow]:
        return [row for row in self.notices if not row.acknowledged]


PLANNED_FIELDS = ("kind", "premises", "purpose", "planned_for", "participants", "notices")


def inspection_plan_choices(context: AccessContext) -> dict[str, Any]:
    """What the planner can choose from: the open cases of the municipality they see, the
    organisations of the region that can take part (their own always does) or be told."""
    municipality_id = inspection_policy.planning_municipality(context.actor) or 0
    municipality = Municipality.objects.filter(pk=municipality_id).first()
    region = municipality.region_id if municipality else 0
    cases = case_policy.visible_to(context.actor).filter(
        municipality_id=municipality_id, status=CaseStatus.OPEN
    )
    return {
        "cases": list(cases.order_by("reference")),
        "partners": rules.partner_organisations(region).exclude(
            pk=context.actor.organisation_id or 0
        ),
        "avim": rules.notice_organisations(NoticeKind.AVIM_INFORMED, region),
        "zorgcoordination": rules.notice_organisations(NoticeKind.ZC_STANDBY, region),
    }


def inspections_for(context: AccessContext) -> list[InspectionRow]:
    inspections = list(
        inspection_policy.visible_to(context.actor)
        .select_related("municipality")
        .prefetch_related("notices")
    )
    if inspections:
        audit_record(
            context=context,
            action=AuditAction.LIST,
            objects=inspections,
            fields=("premises", "planned_for", "status", "notices"),
            purpose="inspections",
        )
    return [InspectionRow(i, notice_rows(i)) for i in inspections]


def inspection_get_for(context: AccessContext, pk: int) -> InspectionView:
    try:
        inspection = (
            inspection_policy.visible_to(context.actor)
            .select_related("municipality", "case")
            .prefetch_related(
                "indicators_seen",
                "participants",
                "notices__organisation",
                "notices__acknowledged_by",
            )
            .get(pk=pk)
        )
    except Inspection.DoesNotExist:
        raise Http404 from None
    actor = context.actor
    actions = inspection_policy.actions_for(actor, inspection)
    findings_refused = ""
    if InspectionAction.RECORD_FINDINGS in actions:
        try:
            guard_findings(
                planned_on=timezone.localdate(inspection.planned_for), today=timezone.localdate()
            )
        except TransitionRefused as refused:
            findings_refused = str(refused)
    sees_findings = InspectionAction.SEE_FINDINGS in actions
    audit_record(
        context=context,
        action=AuditAction.READ,
        objects=[inspection],
        fields=(*PLANNED_FIELDS, "findings", "indicators_seen", "evaluation")
        if sees_findings
        else PLANNED_FIELDS,
        purpose="read inspection",
    )
    case = inspection.case
    return InspectionView(
        inspection=inspection,
        actions=actions,
        notices=notice_rows(inspection),
        own_notice=inspection_policy.notice_for(actor, inspection),
        shows_case=case is not None and case_policy.can(actor, CaseAction.VIEW, case),
        findings_refused=findings_refused,
    )
