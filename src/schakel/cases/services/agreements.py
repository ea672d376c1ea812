"""Who does what by when."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from schakel.core.context import AccessContext
from schakel.core.text import clean_text
from schakel.organisations.models import Organisation

from ..choices import CaseEventKind
from ..models import (
    Agreement,
    Case,
)
from ..policies import (
    CaseAction,
    case_access,
)
from ..workflow import (
    AGREEMENT_TRANSITIONS,
    check,
)
from .steps import _record_step


@transaction.atomic
def agreement_make(
    *, context: AccessContext, case: Case, text: str, owner: Organisation, due_on: date
) -> Agreement:
    """Who does what by when; the owner is one of the participating organisations."""
    case = case_access(context, case, CaseAction.MAKE_AGREEMENT, lock=True)
    if not text.strip():
        raise ValidationError(_("Describe the agreement."))
    if not case.participants.filter(organisation=owner).exists():
        raise ValidationError(_("The owner must be an organisation that takes part in the case."))
    agreement = Agreement.objects.create(
        case=case, text=text.strip()[:500], owner=owner, due_on=due_on, made_by_id=context.user_id()
    )
    _record_step(
        context,
        case,
        CaseEventKind.AGREEMENT,
        agreement.text,
        parameters={"agreement": agreement.pk, "owner_organisation": owner.pk, "due_on": due_on},
    )
    return agreement


@transaction.atomic
def agreement_settle(
    *, context: AccessContext, agreement: Agreement, status: str, note: str = ""
) -> Agreement:
    """The owner (or the netwerkregisseur) marks the agreement done or cancelled."""
    case = case_access(
        context, agreement.case, CaseAction.SETTLE_AGREEMENT, lock=True, target=agreement
    )
    agreement = Agreement.objects.select_for_update().get(pk=agreement.pk, case=case)
    check(AGREEMENT_TRANSITIONS, agreement.status, status)
    agreement.status = status
    agreement.settled_at = timezone.now()
    agreement.save(update_fields=["status", "settled_at"])
    _record_step(
        context,
        case,
        f"agreement_{status}",
        clean_text(note),
        parameters={"agreement": agreement.pk},
    )
    return agreement
