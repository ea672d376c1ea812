"""The one way past the database triggers that refuse DELETE and TRUNCATE on the audit tables.

The triggers (migration audit/0005) let a row go only while the current transaction has a row in
`AuditGate`: on PostgreSQL the row must carry the current transaction's id, so a row left behind
opens nothing for anyone else; on SQLite, which has one writer at a time, any row counts, and the
row never outlives the savepoint below. Retention (`audit.retention.audit_prune`) is the only
caller in the application.

This stops mistakes and casual deletion (an ORM `.delete()` elsewhere, a `DELETE` typed in a
database shell, `manage.py flush`), not a determined attacker with the table owner's rights, who
can insert a gate row or drop the triggers: the hashes and the checkpoints outside the database
are what reveal that (docs/privacy.md, section 9).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from django.db import connection, transaction

from .models import AuditGate


@contextmanager
def removal_gate() -> Iterator[None]:
    """Open the gate for the enclosing transaction, and close it again before leaving. Inside a
    savepoint: when the block fails, rolling the savepoint back takes the gate row with it."""
    if not connection.in_atomic_block:
        raise RuntimeError("The audit removal gate opens only inside transaction.atomic()")
    with transaction.atomic():
        gate = AuditGate.objects.create()
        yield
        AuditGate.objects.filter(pk=gate.pk).delete()
