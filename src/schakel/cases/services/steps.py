"""The one way a step reaches the case's timeline: the entry, the case's last activity and
the audit entry, in the acting membership's name."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date
from typing import Any

from schakel.audit.choices import AuditAction
from schakel.audit.services import audit_record
from schakel.core.context import AccessContext

from ..models import (
    Case,
    CasePerson,
    TimelineEntry,
)


def _record_step(
    context: AccessContext,
    case: Case,
    kind: str,
    text: str = "",
    *,
    parameters: Mapping[str, Any] | None = None,
    happened_on: date | None = None,
    corrects: TimelineEntry | None = None,
    subjects: Iterable[CasePerson] = (),
) -> TimelineEntry:
    """A timeline entry for this step, in the name of the acting membership's organisation: its
    kind and parameters (ids and codes, rendered when read by cases/events.py), and as `text`
    only what a person typed. Also the case's last activity and the audit entry."""
    entry = TimelineEntry.objects.create(
        case=case,
        kind=kind,
        parameters=dict(parameters or {}),
        text=text,
        happened_on=happened_on,
        corrects=corrects,
        actor_id=context.actor.user_id,
        organisation_id=context.actor.organisation_id,
    )
    Case.objects.filter(pk=case.pk).update(last_activity_at=entry.occurred_at)
    audit_record(
        context=context,
        action=AuditAction.CHANGE,
        objects=[case],
        purpose=f"case {kind}",
        subjects=subjects,
    )
    return entry
