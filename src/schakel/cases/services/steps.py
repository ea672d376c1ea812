"""The one way a step reaches the case's timeline: the entry, the case's last activity and
the audit entry, in the acting membership's name."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

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
    text: str,
    *,
    happened_on: date | None = None,
    corrects: TimelineEntry | None = None,
    subjects: Iterable[CasePerson] = (),
) -> TimelineEntry:
    """A timeline entry for this step, in the name of the acting membership's organisation, the
    case's last activity, and the audit entry."""
    entry = TimelineEntry.objects.create(
        case=case,
        kind=kind,
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
