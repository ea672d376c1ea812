"""Reads of the hit/no-hit registry, filtered by the policy in the database; the reveal of
contact details is audited."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import datetime
from uuid import UUID

from django.db.models import QuerySet
from django.http import Http404

from schakel.audit.choices import AuditAction
from schakel.audit.services import audit_record
from schakel.core.context import AccessContext
from schakel.core.pagination import Page, Pager, first_page
from schakel.core.policies import Action

from .choices import HitStatus, TaskSide, TaskStatus
from .models import Hit, HitTask, Involvement, Lookup
from .policies import hit_policy, involvement_policy


def involvements_visible_to(context: AccessContext) -> QuerySet[Involvement]:
    return involvement_policy.visible_to(context.actor).select_related("organisation")


def involvement_get_for(context: AccessContext, pk: int) -> Involvement:
    try:
        return involvements_visible_to(context).get(pk=pk)
    except Involvement.DoesNotExist:
        raise Http404 from None


def lookup_get_for(context: AccessContext, token: UUID) -> Lookup:
    try:
        return hit_policy.lookups_visible_to(context.actor).get(token=token)
    except Lookup.DoesNotExist:
        raise Http404 from None


def hit_get_for(context: AccessContext, pk: int) -> Hit:
    try:
        return hit_policy.visible_to(context.actor).select_related("lookup").get(pk=pk)
    except Hit.DoesNotExist:
        raise Http404 from None


@dataclass(frozen=True)
class Contact:
    """All a confirmed hit reveals: who to contact, and since when they are involved."""

    organisation: str
    contact_person: str
    since: datetime
    direction_holder: str = ""  # of the case, when the registration comes from one


def contact_for(context: AccessContext, hit: Hit) -> Contact | None:
    if hit.status != HitStatus.CONFIRMED:
        return None
    involvement = hit.involvement
    audit_record(
        context=context,
        action=AuditAction.READ,
        objects=[hit],
        fields=["organisation", "contact_person", "since", "direction_holder"],
        purpose="matching: reveal contact",
    )
    case = involvement.case_person.case if involvement.case_person else None
    return Contact(
        organisation=involvement.organisation.name,
        contact_person=involvement.contact_person,
        since=involvement.created_at,
        direction_holder=str(case.get_direction_holder_display()) if case else "",
    )


@dataclass(frozen=True)
class TaskRow:
    task: HitTask
    counterpart: str
    contact_person: str
    since: datetime
    strength: str
    # Our own reference: of our registration (holder side) or of our lookup (seeker side).
    reference: str


TASK_RELATED = ("hit__lookup__organisation", "hit__lookup__user", "hit__involvement__organisation")


def my_hit_tasks(context: AccessContext, pager: Pager = first_page) -> Page[TaskRow]:
    """A page of the actor's follow-up tasks, the most recently confirmed first."""
    tasks = (
        hit_policy.tasks_visible_to(context.actor)
        .select_related(*TASK_RELATED)
        .order_by("-updated_at", "-pk")
    )
    page = pager(tasks)
    return replace(page, items=hit_task_rows(context, page.items))


def hit_task_rows(context: AccessContext, tasks: Iterable[HitTask]) -> list[TaskRow]:
    """Tasks read from the actor's own (`hit_policy.tasks_visible_to`, with TASK_RELATED
    selected) as rows with the counterpart to contact; audited."""
    rows = []
    for task in tasks:
        hit = task.hit
        if task.side == TaskSide.SEEKER:
            rows.append(
                TaskRow(
                    task,
                    hit.involvement.organisation.name,
                    hit.involvement.contact_person,
                    hit.involvement.created_at,
                    hit.get_strength_display(),
                    hit.lookup.reference,
                )
            )
        else:
            seeker = hit.lookup.user
            rows.append(
                TaskRow(
                    task,
                    hit.lookup.organisation.name,
                    seeker.get_full_name() if seeker else "",
                    hit.lookup.created_at,
                    hit.get_strength_display(),
                    hit.involvement.reference,
                )
            )
    if rows:
        audit_record(
            context=context,
            action=AuditAction.LIST,
            objects=[row.task for row in rows],
            fields=["organisation", "contact_person", "since"],
            purpose="matching: my hits",
        )
    return rows


def hit_task_get_for(context: AccessContext, pk: int) -> HitTask:
    try:
        return hit_policy.tasks_visible_to(context.actor).get(pk=pk)
    except HitTask.DoesNotExist:
        raise Http404 from None


def open_hit_tasks(context: AccessContext) -> QuerySet[HitTask]:
    """The follow-up tasks of the actor's organisation on confirmed hits that are not yet
    coordinated, the oldest first."""
    return (
        hit_policy.tasks_visible_to(context.actor)
        .exclude(status=TaskStatus.COORDINATED)
        .select_related(*TASK_RELATED)
        .order_by("created_at", "pk")
    )


def hit_tasks_to_follow_up(context: AccessContext) -> int:
    """For the start page: a number only (one query, not audited); zero without a query for
    whoever does not use hit/no-hit."""
    if not hit_policy.can(context.actor, Action.LIST):
        return 0
    return open_hit_tasks(context).count()
