"""The privacy officer's legal hold, over every kind of record under retention (signals and
cases): a record under a hold is kept past its term (see the apps' own retention modules)."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import TypeVar

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from schakel.audit.choices import AuditAction
from schakel.audit.services import audit_record
from schakel.cases.models import Case
from schakel.core.context import AccessContext
from schakel.core.drafts import drafts_older_than
from schakel.core.text import clean_text, has_reason
from schakel.intake.models import Signal
from schakel.organisations.roles import Capability, capable

R = TypeVar("R", bound=models.Model)


@transaction.atomic
def legal_hold_set(
    *, context: AccessContext, model: type[R], reference: str, hold: bool, reason: str = ""
) -> R:
    """Keep a record (a signal, a case) from retention, e.g. for a court case, with a reason; or
    release it. Set by reference: it reveals nothing of the record's content. The model has the
    fields `reference`, `legal_hold` and `legal_hold_reason`."""
    if not capable(context.actor, Capability.OVERSEE_PRIVACY):
        raise PermissionDenied
    if hold and not has_reason(reason):
        raise ValidationError(_("Give the reason for the legal hold."))
    record = model._default_manager.select_for_update().get(reference=reference)
    reason = clean_text(reason)
    record.legal_hold, record.legal_hold_reason = hold, reason[:300]  # type: ignore[attr-defined]
    record.save(update_fields=["legal_hold", "legal_hold_reason", "updated_at"])
    audit_record(
        context=context,
        action=AuditAction.CHANGE,
        objects=[record],
        fields=("legal_hold",),
        purpose=f"legal hold {'set' if hold else 'released'}: {reason}"[:200],
    )
    return record


def legal_hold_by_reference(
    *, context: AccessContext, reference: str, hold: bool, reason: str = ""
) -> Signal | Case:
    """A case number starts with ZK-, a signal's reference with MH-."""
    model: type[Signal] | type[Case] = Case if reference.startswith("ZK-") else Signal
    return legal_hold_set(
        context=context, model=model, reference=reference, hold=hold, reason=reason
    )


def drafts_past_retention(today: date) -> int:
    """Remove the drafts nobody finished within SCHAKEL_RETENTION_DAYS["draft"] days: they may
    name people and nobody else ever sees them."""
    days = settings.SCHAKEL_RETENTION_DAYS["draft"]
    cutoff = timezone.make_aware(datetime.combine(today - timedelta(days=days), time.min))
    return drafts_older_than(cutoff)
