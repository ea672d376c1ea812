"""Referring a case to another organisation, and its answer."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from schakel.core.context import AccessContext
from schakel.core.text import reason_text
from schakel.organisations.models import Organisation

from .. import notifications
from ..choices import (
    CaseEventKind,
    LegalBasis,
    ReferralStatus,
)
from ..models import (
    Case,
    CaseParticipant,
    Referral,
)
from ..policies import (
    CaseAction,
    case_access,
)
from ..workflow import (
    REFERRAL_TRANSITIONS,
    check,
)
from .steps import _record_step


@transaction.atomic
def referral_make(
    *, context: AccessContext, case: Case, to_organisation: Organisation, reason: str
) -> Referral:
    """Refer the case to another organisation (the ZC, Veilig Thuis, a shelter, the labour
    inspectorate …). It sees the referral at once, pseudonymised, until it gets a basis."""
    case = case_access(context, case, CaseAction.REFER, lock=True)
    reason = reason_text(reason, message=_("Give the reason for the referral."))
    from_id = context.organisation_id()
    if to_organisation.pk == from_id or not to_organisation.is_active:
        raise ValidationError(_("Refer to another, active organisation."))
    if case.referrals.filter(
        to_organisation=to_organisation, status=ReferralStatus.PROPOSED
    ).exists():
        raise ValidationError(_("This organisation has not answered the earlier referral yet."))
    referral = Referral.objects.create(
        case=case,
        from_organisation_id=from_id,
        to_organisation=to_organisation,
        reason=reason,
        made_by_id=context.user_id(),
    )
    _record_step(
        context,
        case,
        CaseEventKind.REFERRAL_PROPOSED,
        reason,
        parameters={"referral": referral.pk, "to_organisation": to_organisation.pk},
    )
    referral_id, actor = referral.pk, context.actor.user_id
    transaction.on_commit(
        lambda: notifications.referral_made(referral_id=referral_id, actor_user_id=actor)
    )
    return referral


def _answer_referral(context: AccessContext, referral: Referral, target: str, answer: str) -> None:
    check(REFERRAL_TRANSITIONS, referral.status, target)
    referral.status = target
    referral.answer = answer.strip()
    referral.answered_by_id = context.user_id()
    referral.answered_at = timezone.now()
    referral.save(update_fields=["status", "answer", "answered_by", "answered_at"])


@transaction.atomic
def referral_answer(
    *, context: AccessContext, referral: Referral, accept: bool, answer: str = ""
) -> Referral:
    """The receiving organisation accepts (it then takes part, pseudonymised until the
    netwerkregisseur reveals personal data with a basis) or rejects with a reason."""
    case = case_access(
        context, referral.case, CaseAction.ANSWER_REFERRAL, lock=True, target=referral
    )
    referral = Referral.objects.select_for_update().get(pk=referral.pk, case=case)
    if not accept:
        answer = reason_text(answer, message=_("Give the reason for rejecting the referral."))
    target = ReferralStatus.ACCEPTED if accept else ReferralStatus.REJECTED
    _answer_referral(context, referral, target, answer)
    if accept and not case.participants.filter(organisation=referral.to_organisation).exists():
        CaseParticipant.objects.create(
            case=case,
            organisation=referral.to_organisation,
            legal_basis=LegalBasis.PSEUDONYMS_ONLY,
            justification=_("Referral accepted: %(reason)s") % {"reason": referral.reason[:400]},
            added_by_id=context.user_id(),
        )
    _record_step(
        context,
        case,
        f"referral_{target}",
        answer.strip(),
        parameters={"referral": referral.pk, "to_organisation": referral.to_organisation_id},
    )
    return referral


@transaction.atomic
def referral_revoke(*, context: AccessContext, referral: Referral, reason: str) -> Referral:
    """The referring side (or the netwerkregisseur) takes the referral back, with a reason."""
    case = case_access(
        context, referral.case, CaseAction.REVOKE_REFERRAL, lock=True, target=referral
    )
    referral = Referral.objects.select_for_update().get(pk=referral.pk, case=case)
    reason = reason_text(reason, message=_("Give the reason for revoking the referral."))
    _answer_referral(context, referral, ReferralStatus.REVOKED, reason)
    _record_step(
        context,
        case,
        CaseEventKind.REFERRAL_REVOKED,
        reason,
        parameters={"referral": referral.pk, "to_organisation": referral.to_organisation_id},
    )
    return referral
