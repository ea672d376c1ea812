"""Who takes part in a case and on what basis, and who keeps direction."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from schakel.core.context import AccessContext
from schakel.core.text import reason_text
from schakel.organisations.choices import MeetingType
from schakel.organisations.models import Organisation
from schakel.organisations.selectors import covered_organisations

from .. import hooks, notifications
from ..choices import (
    REVEALING_BASES,
    AgreementStatus,
    CaseEventKind,
    DirectionHolder,
    LegalBasis,
)
from ..models import (
    Case,
    CaseParticipant,
)
from ..policies import (
    CaseAction,
    case_access,
    case_policy,
)
from .steps import _record_step


def _covenant_covers(organisation: Organisation, case: Case) -> bool:
    """The organisation is party to a covenant of the region that covers case meetings and is in
    force today: the same rule as for personal data in a meeting."""
    return bool(
        covered_organisations(
            organisation_ids=[organisation.pk],
            region_id=case.municipality.region_id,
            meeting_type=MeetingType.CASE_MEETING,
            on=timezone.localdate(),
        )
    )


def _check_basis(
    context: AccessContext, case: Case, organisation: Organisation, basis: str, reason: str
) -> str:
    """A basis from the list and a reason; a covenant only when it covers case meetings and the
    organisation is a party; an override only for whom the policy allows it. Returns the reason
    as it is recorded."""
    message = _("Record the legal basis and the reason for sharing.")
    if basis not in LegalBasis.values:
        raise ValidationError(message)
    reason = reason_text(reason, message=message)
    if basis == LegalBasis.COVENANT and not _covenant_covers(organisation, case):
        raise ValidationError(
            _("%(organisation)s is not a party to a covenant that covers case meetings.")
            % {"organisation": organisation}
        )
    if basis == LegalBasis.OVERRIDE:
        case_policy.check(context.actor, CaseAction.SHARE_OVERRIDE, case)
    return reason


@transaction.atomic
def case_add_participant(
    *,
    context: AccessContext,
    case: Case,
    organisation: Organisation,
    legal_basis: str,
    justification: str,
) -> CaseParticipant:
    """Share the case with another organisation: only with a legal basis (a covenant that covers
    case meetings and includes it, an AVG ground, or consent) and a reason, or pseudonymised
    (still with a reason). Without a basis it is an override: recorded on the timeline, and the
    privacy officers are told at once."""
    case = case_access(context, case, CaseAction.SHARE, lock=True)
    justification = _check_basis(context, case, organisation, legal_basis, justification)
    if case.participants.filter(organisation=organisation).exists():
        raise ValidationError(
            _("%(organisation)s already takes part.") % {"organisation": organisation}
        )
    participant = CaseParticipant.objects.create(
        case=case,
        organisation=organisation,
        legal_basis=legal_basis,
        justification=justification[:500],
        added_by_id=context.user_id(),
    )
    _record_step(
        context,
        case,
        CaseEventKind.SHARED,
        justification,
        parameters={"organisation": organisation.pk, "basis": legal_basis},
        # Who now sees the persons by name is part of their access trail.
        subjects=case.persons.all() if legal_basis in REVEALING_BASES else (),
    )
    case_id, organisation_id, actor = case.pk, organisation.pk, context.actor.user_id
    transaction.on_commit(
        lambda: notifications.new_participant(
            case_id=case_id, organisation_id=organisation_id, actor_user_id=actor
        )
    )
    if legal_basis == LegalBasis.OVERRIDE:
        reference = case.reference
        name = str(organisation)
        transaction.on_commit(
            lambda: notifications.privacy_officers_of_override(
                reference=reference, organisation=name
            )
        )
    hooks.persons_shown(context, case)
    return participant


@transaction.atomic
def case_reveal_personal_data(
    *,
    context: AccessContext,
    participant: CaseParticipant,
    legal_basis: str,
    justification: str,
) -> CaseParticipant:
    """A participant that saw the case pseudonymised gets to see the persons by name: a
    separate step, again with a basis and a reason (DOMAIN.md §7: share pseudonymously first,
    more when it rings a bell and can be justified)."""
    case = case_access(context, participant.case, CaseAction.REVEAL, lock=True)
    participant = CaseParticipant.objects.select_for_update().get(pk=participant.pk, case=case)
    if legal_basis == LegalBasis.PSEUDONYMS_ONLY:
        raise ValidationError(_("Choose the basis on which the personal data are shared."))
    justification = _check_basis(
        context, case, participant.organisation, legal_basis, justification
    )
    if participant.legal_basis != LegalBasis.PSEUDONYMS_ONLY:
        raise ValidationError(_("This participant already sees personal data."))
    participant.legal_basis = legal_basis
    participant.justification = justification[:500]
    participant.save(update_fields=["legal_basis", "justification"])
    _record_step(
        context,
        case,
        CaseEventKind.REVEALED,
        justification,
        parameters={"organisation": participant.organisation_id, "basis": legal_basis},
        subjects=case.persons.all(),
    )
    if legal_basis == LegalBasis.OVERRIDE:
        reference, name = case.reference, str(participant.organisation)
        transaction.on_commit(
            lambda: notifications.privacy_officers_of_override(
                reference=reference, organisation=name
            )
        )
    hooks.persons_shown(context, case)
    return participant


@transaction.atomic
def case_remove_participant(
    *, context: AccessContext, participant: CaseParticipant, reason: str
) -> None:
    """Stop sharing the case with an organisation that no longer needs it (purpose limitation):
    it no longer sees the case, and its hit/no-hit registrations of the case's persons go. Not
    the remover's own organisation, and not while it owns open agreements."""
    case = case_access(context, participant.case, CaseAction.UNSHARE, lock=True)
    participant = CaseParticipant.objects.get(pk=participant.pk, case=case)
    organisation = participant.organisation
    reason = reason_text(reason, message=_("Say why the organisation no longer takes part."))
    if organisation.pk == context.actor.organisation_id:
        raise ValidationError(_("You cannot take your own organisation out of the case."))
    if case.agreements.filter(owner=organisation, status=AgreementStatus.OPEN).exists():
        raise ValidationError(
            _("%(organisation)s still owns open agreements: settle them first.")
            % {"organisation": organisation}
        )
    hooks.organisation_left(case, organisation.pk)
    participant.delete()
    _record_step(
        context,
        case,
        CaseEventKind.UNSHARED,
        reason,
        parameters={"organisation": organisation.pk},
        subjects=case.persons.all(),
    )


@transaction.atomic
def case_set_direction(*, context: AccessContext, case: Case, holder: str, reason: str) -> Case:
    """Change who keeps direction; Veilig Thuis at high risk, the ZVH when the process stalls."""
    case = case_access(context, case, CaseAction.SET_DIRECTION, lock=True)
    message = _("Choose the direction holder and give the reason.")
    if holder not in DirectionHolder.values:
        raise ValidationError(message)
    reason = reason_text(reason, message=message)
    case.direction_holder = holder
    case.version += 1
    case.save(update_fields=["direction_holder", "version", "updated_at"])
    _record_step(context, case, CaseEventKind.DIRECTION, reason, parameters={"holder": holder})
    return case
