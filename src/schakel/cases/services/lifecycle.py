"""A case's life: opened from signals, its details changed, closed with what became of each
person and feedback for the reporters."""

from __future__ import annotations

import secrets
from collections.abc import Collection, Iterable, Mapping

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from schakel.catalogue.models import ExploitationForm
from schakel.core import drafts
from schakel.core.context import AccessContext
from schakel.core.policies import Action
from schakel.intake.choices import SignalStatus
from schakel.intake.models import Signal
from schakel.intake.pii import mentions_a_name, refuse_personal_data
from schakel.intake.services import signal_give_feedback

from .. import hooks
from ..choices import (
    AgreementStatus,
    CaseEventKind,
    CaseStatus,
    InterventionStatus,
    LegalBasis,
    ProposalStatus,
    ReferralStatus,
)
from ..models import (
    Agreement,
    Case,
    CaseParticipant,
    CasePerson,
    Referral,
)
from ..policies import (
    CaseAction,
    case_access,
    case_policy,
)
from ..workflow import (
    CASE_TRANSITIONS,
    check,
    guard_close,
)
from .outcomes import _outcomes_at_close, _write_at_close
from .persons import _next_number
from .steps import _record_step

REFERENCE_ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"


class CaseChanged(Exception):
    """Optimistic concurrency: someone else saved the case after this form was opened."""

    def __init__(self, case: Case) -> None:
        self.case = case
        changed_at = timezone.localtime(case.updated_at)
        super().__init__(
            _(
                "Someone else changed this case at %(time)s, after you opened the form. Your "
                "input is kept below: check the case and save again."
            )
            % {"time": f"{changed_at:%H:%M}"}
        )


@transaction.atomic
def case_open(
    *,
    context: AccessContext,
    signals: list[Signal],
    summary: str = "",
) -> Case:
    """The netwerkregisseur opens a case from signals of their own municipality; their own
    organisation takes part from the start, and the persons named in the signals come along,
    numbered per role ("Slachtoffer 1", "Verdachte A")."""
    if not signals or not case_policy.can(context.actor, Action.CREATE):
        raise PermissionDenied
    municipality_ids = {signal.municipality_id for signal in signals}
    if municipality_ids != {context.actor.municipality_id}:
        raise PermissionDenied
    year = timezone.localdate().year
    case = Case.objects.create(
        reference=f"ZK-{year}-" + "".join(secrets.choice(REFERENCE_ALPHABET) for _ in range(6)),
        municipality_id=municipality_ids.pop(),
        summary=summary.strip(),
    )
    case.signals.set(signals)
    forms = ExploitationForm.objects.filter(signals__in=signals).exclude(code="unknown").distinct()
    case.exploitation_forms.set(forms)
    CaseParticipant.objects.create(
        case=case,
        organisation_id=context.organisation_id(),
        legal_basis=LegalBasis.COVENANT,
        justification="netwerkregisseur",
        added_by_id=context.user_id(),
    )
    persons = []
    for signal in signals:
        for person in signal.persons.all():
            persons.append(
                CasePerson.objects.create(
                    case=case,
                    role=person.role,
                    number=_next_number(case, person.role),
                    name=person.name,
                    name_index=person.name_index,
                    date_of_birth=person.date_of_birth,
                    sex=person.sex,
                    nationality_country=person.nationality_country,
                    nationality=person.nationality,
                    from_signal_person=person,
                )
            )
    _record_step(
        context,
        case,
        CaseEventKind.OPENED,
        parameters={"signals": [s.reference for s in signals]},
        subjects=persons,
    )
    hooks.persons_shown(context, case)
    return case


@transaction.atomic
def case_update(
    *,
    context: AccessContext,
    case: Case,
    version: int,
    summary: str,
    exploitation_forms: Iterable[ExploitationForm],
    safety_risk_high: bool,
) -> Case:
    """Change what the case is about. `version` is the one the form was opened with: when
    someone saved in between, CaseChanged is raised and nothing is overwritten."""
    case = case_access(context, case, CaseAction.UPDATE, lock=True)
    if case.version != version:
        raise CaseChanged(case)
    case.summary = summary.strip()
    case.safety_risk_high = safety_risk_high
    case.version += 1
    case.save(update_fields=["summary", "safety_risk_high", "version", "updated_at"])
    case.exploitation_forms.set(list(exploitation_forms))
    _record_step(
        context,
        case,
        CaseEventKind.UPDATED,
        parameters={
            "exploitation_forms": sorted(f.code for f in case.exploitation_forms.all()),
            "safety_risk_high": safety_risk_high,
        },
    )
    return case


def _refuse_names(text: str, persons: Iterable[CasePerson]) -> None:
    """Feedback to reporters names nobody: not the persons of the case, no contact numbers."""
    refuse_personal_data(
        text,
        _("The feedback seems to contain %(kind)s. Reporters get no personal data."),
    )
    if mentions_a_name(text, (person.name for person in persons)):
        raise ValidationError(
            _("The feedback names a person of the case. Reporters get no personal data.")
        )


@transaction.atomic
def case_close(
    *,
    context: AccessContext,
    case: Case,
    summary: str,
    outcomes: Mapping[int, Collection[str]] | None = None,
    feedback: str = "",
    feedback_withheld_reason: str = "",
) -> Case:
    """Close the case with what became of each person (`outcomes`: CasePerson pk → the
    outcomes chosen now; those recorded before stay). Every person needs at least one. The
    reporters of its signals get `feedback` (without personal data) through the signal's
    feedback step, or the reason it is withheld."""
    case = case_access(context, case, CaseAction.CLOSE, lock=True)
    persons = list(case.persons.prefetch_related("outcomes"))
    chosen, total = _outcomes_at_close(persons, outcomes or {})
    check(CASE_TRANSITIONS, case.status, CaseStatus.CLOSED)
    guard_close(
        pending_proposals=case.proposals.filter(status=ProposalStatus.PENDING).count(),
        interventions_without_outcome=case.interventions.filter(
            status=InterventionStatus.EXECUTED
        ).count(),
        persons_without_outcome=sum(1 for p in persons if not total[p.pk]),
    )
    waiting = list(case.signals.filter(status__in=(SignalStatus.IN_PROGRESS, SignalStatus.ROUTED)))
    if waiting:
        if feedback.strip():
            _refuse_names(feedback, persons)
        for signal in waiting:
            signal_give_feedback(
                context=context,
                signal=signal,
                feedback=feedback,
                withheld_reason=feedback_withheld_reason,
            )
    _write_at_close(context, persons, chosen)
    case.status = CaseStatus.CLOSED
    case.closed_at = timezone.now()
    case.version += 1
    case.save(update_fields=["status", "closed_at", "version", "updated_at"])
    Agreement.objects.filter(case=case, status=AgreementStatus.OPEN).update(
        status=AgreementStatus.CANCELLED, settled_at=case.closed_at
    )
    drafts.drafts_drop(case)  # nobody finishes a form of a closed case
    # An unanswered referral lapses with the case: closed is final for everyone.
    Referral.objects.filter(case=case, status=ReferralStatus.PROPOSED).update(
        status=ReferralStatus.REVOKED,
        answer=_("The case was closed."),
        answered_by_id=context.user_id(),
        answered_at=case.closed_at,
    )
    _record_step(
        context,
        case,
        CaseEventKind.CLOSED,
        summary.strip(),
        parameters={"outcomes": sorted(set().union(*total.values()))},
        subjects=persons,
    )
    return case
