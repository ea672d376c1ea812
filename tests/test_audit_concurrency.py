"""Appending to the audit log takes no shared lock: an audited read does not wait for another
transaction that has appended an entry and is still open, and the sealer never numbers an entry
past one whose transaction is still running. Two real connections, each committing."""

import threading
import time

import pytest
from django.db import OperationalError, connection, transaction

from schakel.audit.choices import AuditAction
from schakel.audit.models import AuditEvent, AuditSeal
from schakel.audit.services import audit_record

from .conftest import context_for
from .factories import SignalFactory

pytestmark = pytest.mark.django_db(transaction=True)

WAIT = 10  # seconds; only a failure waits this long


class OpenWrite(threading.Thread):
    """Another request's service: appends its entry and keeps its transaction open until told."""

    def __init__(self, user, signal):
        super().__init__(daemon=True)
        self.user, self.signal = user, signal
        self.appended, self.release = threading.Event(), threading.Event()
        self.entry_id: int | None = None
        self.error: BaseException | None = None

    def run(self):
        try:
            with transaction.atomic():
                entry = audit_record(
                    context=context_for(self.user),
                    action=AuditAction.CHANGE,
                    objects=[self.signal],
                    purpose="signal routed",
                )
                self.entry_id = entry.pk
                self.appended.set()
                self.release.wait(WAIT)
        except BaseException as error:  # reported by the test, not lost in the thread
            self.error = error
            self.appended.set()
        finally:
            connection.close()

    def finish(self):
        self.release.set()
        self.join(WAIT)
        assert self.error is None and not self.is_alive()


def sealed_numbers(*entry_ids):
    return dict(
        AuditSeal.objects.filter(event_id__in=entry_ids).values_list("event_id", "sequence")
    )


def read(user, signal):
    return audit_record(
        context=context_for(user), action=AuditAction.READ, objects=[signal], purpose="read signal"
    )


def test_an_audited_read_does_not_wait_for_an_open_write_and_sealing_waits_for_it(
    af_oov, municipality, seal
):
    signal = SignalFactory(municipality=municipality)
    write = OpenWrite(af_oov, signal)
    write.start()
    assert write.appended.wait(WAIT) and write.error is None
    try:
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                # The old design locked one head row until commit: this read would time out.
                cursor.execute("SET lock_timeout = '2s'")
            started = time.monotonic()
            entry = read(af_oov, signal)  # committed at once (autocommit)
            assert time.monotonic() - started < 2
            assert AuditEvent.objects.filter(pk=entry.pk).exists()
            # The open write started first: nothing after it may be numbered before it is over.
            seal()
            assert sealed_numbers(entry.pk) == {}
        else:
            # SQLite has one writer at a time: the second append cannot even start while the
            # first transaction is open, so id order is commit order and the sealer may follow it.
            with pytest.raises(OperationalError, match="locked"):
                read(af_oov, signal)
            entry = None
    finally:
        write.finish()
    if entry is None:
        entry = read(af_oov, signal)
    deadline = time.monotonic() + WAIT  # other databases' writers on the server hold it back too
    while len(sealed_numbers(write.entry_id, entry.pk)) < 2 and time.monotonic() < deadline:
        seal()
        time.sleep(0.1)
    numbers = sealed_numbers(write.entry_id, entry.pk)
    assert numbers[entry.pk] == numbers[write.entry_id] + 1  # the open write first, no gap
