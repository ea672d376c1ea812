"""An installation upgraded from the single locked chain keeps a log that verifies: its entries
keep their numbers, a range removed by the old retention becomes a recorded cut, and the upgrade
stops rather than re-hash an old chain that no longer verifies."""

import importlib

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from schakel.audit.choices import AuditAction
from schakel.audit.services import audit_record

from .conftest import context_for

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE = [("audit", "0002_append_only_trigger")]
CONVERSION = importlib.import_module("schakel.audit.migrations.0004_seal_existing_entries")


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


def latest():
    return MigrationExecutor(connection).loader.graph.leaf_nodes()


@pytest.fixture
def old_schema():
    apps = migrate(BEFORE)
    try:
        yield apps
    finally:
        migrate(latest())


def write_old_chain(apps, user, numbers):
    """Entries as the old audit_record wrote them: numbered, each hash over its content and the
    previous hash, the head row pointing at the newest. Numbers below the first were removed."""
    event_model = apps.get_model("audit", "AuditEvent")
    previous = "f" * 64  # the hash of the last entry the old retention removed
    for number in numbers:
        event = event_model(
            sequence=number,
            occurred_at=timezone.now(),
            action="read",
            user_id=user.pk,
            user_label=user.username,
            roles="Gemeente (af_oov)",
            access_point="GET /signals/MH-2026-1/",
            object_type="intake.Signal",
            object_ids=[str(number)],
            subjects=[f"intake.SignalPerson:{number}"],
            fields=["place"],
            purpose="read signal",
            previous_hash=previous,
        )
        event.entry_hash = CONVERSION.old_entry_hash(event)
        event.save()
        previous = event.entry_hash
    apps.get_model("audit", "AuditChainHead").objects.create(
        pk=1, sequence=numbers[-1], entry_hash=previous
    )
    return event_model


def test_an_old_chain_is_carried_over_and_verifies(old_schema, af_oov, seal, capsys):
    from django.core.management import call_command

    from schakel.audit.models import AuditObject, AuditRetentionCut, AuditSubject

    write_old_chain(old_schema, af_oov, [3, 4, 5])
    migrate(latest())
    cut = AuditRetentionCut.objects.get()
    assert (cut.first, cut.last, cut.last_hash) == (1, 2, "f" * 64)
    assert AuditSubject.objects.filter(subject_key="intake.SignalPerson:4").exists()
    assert AuditObject.objects.filter(object_id="5").exists()
    seal()  # writes the upgrade's checkpoint outside the database
    audit_record(context=context_for(af_oov), action=AuditAction.READ, objects=[af_oov])
    seal()
    call_command("verify_audit_log")
    out = capsys.readouterr().out
    assert "intact: 4 sealed (#3–#6), #1–#2 removed by retention, 0 not sealed yet" in out


def test_an_old_chain_that_does_not_verify_stops_the_upgrade(old_schema, af_oov):
    event_model = write_old_chain(old_schema, af_oov, [1, 2, 3])
    with connection.cursor() as cursor:  # 0002 refuses every UPDATE: drop its trigger first
        on = " ON audit_auditevent" if connection.vendor == "postgresql" else ""
        cursor.execute(f"DROP TRIGGER audit_auditevent_no_update{on}")
    event_model.objects.filter(sequence=2).update(purpose="tidied up")
    with pytest.raises(CONVERSION.OldChainBroken, match="broken at entry 2 \\(content changed\\)"):
        migrate(latest())
    # The failed step changed nothing: the entries are still as they were, unconverted.
    apps = (
        MigrationExecutor(connection).loader.project_state([("audit", "0003_seal_and_index")]).apps
    )
    assert apps.get_model("audit", "AuditSeal").objects.count() == 0
    apps.get_model("audit", "AuditEvent").objects.all().delete()  # leave an empty log behind
