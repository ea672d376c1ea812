"""Every read of signals goes through here: filtered by the policy in the database, audited."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.db.models import QuerySet
from django.http import Http404

from schakel.audit.choices import AuditAction
from schakel.audit.services import audit_record
from schakel.core.context import AccessContext
from schakel.core.policies import Action

from .choices import STATUS_FOR_REPORTER, SignalStatus
from .codes import feedback_code_matches
from .models import Signal
from .policies import signal_policy


def signals_visible_to(context: AccessContext) -> QuerySet[Signal]:
    return signal_policy.visible_to(context.actor)


def signal_queue(context: AccessContext) -> list[Signal]:
    """'Nieuwe signalen': new signals of the municipalities the actor is reporting point for."""
    if not signal_policy.can(context.actor, Action.LIST):
        return []
    signals = list(
        signals_visible_to(context)
        .filter(
            status=SignalStatus.NEW,
            municipality__in=signal_policy.receiving_municipalities(context.actor),
        )
        .select_related("municipality", "reporter_organisation")
        .prefetch_related("exploitation_forms")
        .order_by("reported_at")
    )
    if signals:
        audit_record(
            context=context,
            action=AuditAction.LIST,
            objects=signals,
            fields=(
                "reference",
                "place",
                "exploitation_forms",
                "reporter_organisation",
                "reporter_sector",
            ),
            purpose="work queue",
        )
    return signals


def signals_reported_by(context: AccessContext) -> list[Signal]:
    """'Mijn meldingen': what the actor reported themselves."""
    signals = list(
        signals_visible_to(context)
        .filter(reporter_id=context.actor.user_id)
        .select_related("municipality")
        .prefetch_related("exploitation_forms")
    )
    if signals:
        audit_record(
            context=context,
            action=AuditAction.LIST,
            objects=signals,
            fields=("reference", "place", "municipality", "reported_at"),
            purpose="own reports",
        )
    return signals


def signal_get_for(context: AccessContext, reference: str) -> Signal:
    """The signal if the actor may read it; 404 for missing and forbidden alike."""
    signal = (
        signals_visible_to(context)
        .select_related("municipality", "reporter", "reporter_organisation")
        .prefetch_related("exploitation_forms")
        .filter(reference=reference)
        .first()
    )
    if signal is None or not signal_policy.can(context.actor, Action.VIEW, signal):
        raise Http404
    audit_record(
        context=context,
        action=AuditAction.READ,
        objects=[signal],
        fields=signal_policy.fields(context.actor, signal),
        purpose="read signal",
    )
    return signal


@dataclass(frozen=True)
class PublicFeedback:
    """What a public reporter may read about their report: no content, no handling details."""

    reference: str
    received_at: datetime
    status: str  # in plain words
    feedback: str  # the reporting point's feedback; "" while there is none


def public_feedback_for(
    context: AccessContext, *, reference: str, code: str
) -> PublicFeedback | None:
    """The feedback on a public report, for whoever holds its reference and feedback code.

    None when either is wrong: the caller cannot tell a wrong code from an unknown reference,
    and the comparison takes as long in both cases.
    """
    signal = Signal.objects.filter(reference=reference.strip().upper()).first()
    matches = feedback_code_matches(code, signal.feedback_code_hash if signal else "")
    if signal is None or not matches:
        return None
    audit_record(
        context=context,
        action=AuditAction.READ,
        objects=[signal],
        fields=("reference", "reported_at", "status"),
        purpose="feedback to public reporter",
    )
    return PublicFeedback(
        reference=signal.reference,
        received_at=signal.reported_at,
        status=str(STATUS_FOR_REPORTER[SignalStatus(signal.status)]),
        # Hook: feedback to the reporter (DOMAIN.md §3 step 5) is planned; it will be read here.
        feedback="",
    )
