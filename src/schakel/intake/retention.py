"""Retention of signals: once its term has passed, a closed signal loses everything that can
identify a person, and keeps what the annual report counts (dates, entry point, forms,
indicators, routing, outcome). A legal hold stops it."""

from __future__ import annotations

from datetime import date, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

from schakel.audit.choices import AuditAction
from schakel.audit.services import audit_record
from schakel.core.context import AccessContext

from . import attachments
from .choices import CloseReason, SignalStatus
from .models import Signal, SignalLink


def signals_past_retention(today: date) -> QuerySet[Signal]:
    terms = settings.SCHAKEL_RETENTION_DAYS
    short = today - timedelta(days=terms["signal_not_trafficking"])
    long = today - timedelta(days=terms["signal_closed"])
    return Signal.objects.filter(
        Q(close_reason=CloseReason.NOT_TRAFFICKING, closed_at__date__lt=short)
        | Q(closed_at__date__lt=long),
        status=SignalStatus.CLOSED,
        legal_hold=False,
        anonymised_at__isnull=True,
    ).exclude(cases__status="open")  # a signal in an open case stays until the case is closed


@transaction.atomic
def signal_anonymise(*, context: AccessContext, signal: Signal) -> None:
    """Irreversibly remove the personal content of a signal (retention)."""
    signal = Signal.objects.select_for_update().get(pk=signal.pk)
    if signal.legal_hold or signal.anonymised_at is not None:
        return
    persons = list(signal.persons.all())  # named in the audit entry before they are removed
    names = [str(attachment.file.name) for attachment in signal.attachments.all()]
    transaction.on_commit(lambda: attachments.delete_files(names))
    signal.attachments.all().delete()
    signal.persons.all().delete()
    SignalLink.objects.filter(Q(signal=signal) | Q(linked=signal)).delete()
    signal.address_keys.all().delete()
    signal.events.update(text="")
    # What meetings wrote about it goes too; the decision and its date stay for the figures.
    signal.agenda_items.update(discussion="", decisions="", deviation_reason="")
    signal.description = ""
    signal.place = ""
    signal.reporter = None
    signal.feedback = ""
    signal.feedback_withheld_reason = ""
    signal.feedback_code_hash = ""
    signal.anonymised_at = timezone.now()
    signal.save()
    audit_record(
        context=context,
        action=AuditAction.CHANGE,
        objects=[signal],
        fields=("description", "place", "reporter", "persons", "attachments", "feedback"),
        purpose="retention: anonymised",
        subjects=persons,
    )
