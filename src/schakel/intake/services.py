"""Every write to signals goes through here."""

from __future__ import annotations

import secrets
import uuid
from dataclasses import dataclass
from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from schakel.audit.choices import AuditAction
from schakel.audit.services import audit_record
from schakel.catalogue.choices import ExploitationFormCode
from schakel.catalogue.models import ExploitationForm
from schakel.core.context import AccessContext
from schakel.core.policies import Action
from schakel.organisations.models import Municipality, Organisation

from .choices import ENTRY_POINT_BY_ROLE
from .models import Signal
from .policies import REPORTING_ROLES, signal_policy

# No 0/O or 1/I: reference numbers are read out over the phone.
REFERENCE_ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"


@dataclass(frozen=True)
class SignalReport:
    organisation_id: int
    role: str
    municipality_id: int
    description: str
    place: str
    exploitation_form_codes: tuple[str, ...]
    observed_on: date
    submission_token: uuid.UUID


def new_reference(year: int) -> str:
    """A reference that is short to read out and reveals neither order nor volume."""
    code = "".join(secrets.choice(REFERENCE_ALPHABET) for _ in range(6))
    return f"MH-{year}-{code}"


def reporting_municipalities(organisation: Organisation) -> list[Municipality]:
    """A local organisation reports to its own municipality; a regional one to any in its region."""
    if organisation.municipality_id is not None:
        return [organisation.municipality]  # type: ignore[list-item]
    return list(organisation.region.municipalities.all())


def _check_report(context: AccessContext, report: SignalReport) -> Organisation:
    actor = context.actor
    if report.role not in REPORTING_ROLES or report.organisation_id not in (
        actor.organisations_where(report.role)
    ):
        raise PermissionDenied
    organisation = Organisation.objects.select_related("region").get(pk=report.organisation_id)
    if report.municipality_id not in {m.pk for m in reporting_municipalities(organisation)}:
        raise PermissionDenied
    codes = set(report.exploitation_form_codes)
    if not codes or not codes <= set(ExploitationFormCode.values):
        raise ValidationError(_("Choose at least one form of exploitation, or 'unknown'."))
    if ExploitationFormCode.UNKNOWN in codes and len(codes) > 1:
        raise ValidationError(_("'Unknown' cannot be combined with other forms."))
    if report.observed_on > timezone.localdate():
        raise ValidationError(_("The date observed cannot be in the future."))
    return organisation


def signal_report(*, context: AccessContext, report: SignalReport) -> Signal:
    """Store a new signal. Submitting the same form twice returns the signal stored the first
    time; the signal is committed before this returns, so an acknowledged signal is never lost."""
    if not signal_policy.can(context.actor, Action.CREATE):
        raise PermissionDenied
    existing = _existing_submission(context, report.submission_token)
    if existing is not None:
        return existing
    organisation = _check_report(context, report)
    now = timezone.now()
    for _attempt in range(5):
        try:
            with transaction.atomic():
                signal = Signal.objects.create(
                    reference=new_reference(timezone.localtime(now).year),
                    municipality_id=report.municipality_id,
                    entry_point=ENTRY_POINT_BY_ROLE[report.role],
                    reporter_id=context.actor.user_id,
                    reporter_organisation=organisation,
                    description=report.description,
                    place=report.place,
                    observed_on=report.observed_on,
                    reported_at=now,
                    submission_token=report.submission_token,
                )
                signal.exploitation_forms.set(
                    ExploitationForm.objects.filter(code__in=report.exploitation_form_codes)
                )
                audit_record(
                    context=context,
                    action=AuditAction.CREATE,
                    objects=[signal],
                    fields=signal_policy.fields(context.actor, signal),
                    purpose="report signal",
                )
            return signal
        except IntegrityError:
            # Either the same form was submitted concurrently or the reference collided.
            existing = _existing_submission(context, report.submission_token)
            if existing is not None:
                return existing
    raise RuntimeError("Could not allocate a unique signal reference")


def _existing_submission(context: AccessContext, token: uuid.UUID) -> Signal | None:
    signal = Signal.objects.filter(submission_token=token).first()
    if signal is not None and signal.reporter_id != context.actor.user_id:
        raise PermissionDenied
    return signal
