"""Retention of signals: once its term has passed, a closed signal loses everything that can
identify a person, and keeps what the annual report counts (dates, entry point, forms,
indicators, routing, outcome). A legal hold stops it."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

from schakel.audit.choices import AuditAction
from schakel.audit.services import audit_record
from schakel.core.context import AccessContext

from . import attachments
from .choices import CloseReason, SignalStatus
from .models import Signal, SignalAttachment, SignalLink


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


# A request that stores a signal writes its files inside the signal's transaction, before the
# commit (intake/services.py, _insert_signal): a failed transaction deletes them again, but a
# worker killed between the write and the commit (SIGKILL, out of memory, power) leaves files that
# no row points to. They hold encrypted evidence nobody can reach, and retention would never
# remove them. No transaction lasts an hour (gunicorn's timeout kills a worker after a minute of
# silence, and a killed worker's transaction rolls back), so an older file without a row is such
# a leftover.
ORPHAN_FILE_AGE = timedelta(hours=1)


def sweep_orphan_files(*, older_than: timedelta = ORPHAN_FILE_AGE) -> int:
    """Remove the attachment files under MEDIA_ROOT/signals/ that no attachment row names and
    that were written more than `older_than` ago; return how many."""
    root = Path(settings.MEDIA_ROOT)
    folder = root / "signals"
    if not folder.is_dir():
        return 0
    known = set(SignalAttachment.objects.values_list("file", flat=True))
    written_before = (timezone.now() - older_than).timestamp()
    removed = 0
    for path in sorted(folder.rglob("*")):
        name = path.relative_to(root).as_posix()
        if not path.is_file() or name in known or path.stat().st_mtime > written_before:
            continue
        # Looked up once more: a row committed since the listing above keeps its file.
        if not SignalAttachment.objects.filter(file=name).exists():
            path.unlink(missing_ok=True)
            removed += 1
    for directory in sorted(folder.iterdir()):
        if directory.is_dir() and not any(directory.iterdir()):
            directory.rmdir()
    return removed
