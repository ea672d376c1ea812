"""The audit log is append-only and tamper-evident: every entry carries its own keyed hash, the
sealer numbers and chains them and anchors a checkpoint outside the database, and
verify_audit_log finds a changed, removed, reordered or forged entry, emptied tables and a
database rolled back. The attacks are made the way someone with the table owner's rights but
without the audit key would make them: drop the triggers, then write raw SQL."""

import itertools
import json

import pytest
from django.core.management import CommandError, call_command
from django.db import DatabaseError, connection, transaction

from schakel.audit.anchors import anchors_read
from schakel.audit.choices import AuditAction
from schakel.audit.gate import removal_gate
from schakel.audit.models import (
    AuditCheckpoint,
    AuditEvent,
    AuditGate,
    AuditRetentionCut,
    AuditSeal,
    AuditSubject,
)
from schakel.audit.retention import audit_prune
from schakel.audit.services import audit_record
from schakel.intake.models import SignalPerson

from .conftest import context_for
from .factories import SignalFactory

pytestmark = pytest.mark.django_db

GUARDED = (
    "audit_auditevent",
    "audit_auditseal",
    "audit_auditsubject",
    "audit_auditobject",
    "audit_auditcheckpoint",
    "audit_auditretentioncut",
)


def sql(statement, params=()):
    with connection.cursor() as cursor:
        cursor.execute(statement, params)


def drop_the_guards():
    """What an attacker with the table owner's rights does first (rolled back with the test)."""
    for table in GUARDED:
        for kind in ("no_update", "no_delete", "no_truncate"):
            if connection.vendor == "postgresql":
                sql(f"DROP TRIGGER IF EXISTS {table}_{kind} ON {table}")
            else:
                sql(f"DROP TRIGGER IF EXISTS {table}_{kind}")


def remove_entries(*sequences, checkpoints=False):
    """Delete sealed entries with their seals and index rows (and, when asked, the checkpoints
    at or after the first of them), in raw SQL, the guards dropped."""
    drop_the_guards()
    ids = list(AuditSeal.objects.filter(sequence__in=sequences).values_list("event_id", flat=True))
    marks = ", ".join(["%s"] * len(ids))
    for table in ("audit_auditsubject", "audit_auditobject", "audit_auditseal"):
        sql(f"DELETE FROM {table} WHERE event_id IN ({marks})", ids)
    sql(f"DELETE FROM audit_auditevent WHERE id IN ({marks})", ids)
    if checkpoints:
        sql("DELETE FROM audit_auditcheckpoint WHERE sequence >= %s", [min(sequences)])


def read_signals(user, signals):
    context = context_for(user)
    for signal in signals:
        person = SignalPerson.objects.create(signal=signal, role="victim", name="Irina Kowalczyk")
        audit_record(
            context=context,
            action=AuditAction.READ,
            objects=[signal],
            fields=["place"],
            subjects=[person],
        )


@pytest.fixture
def signals(municipality):
    return SignalFactory.create_batch(5, municipality=municipality)


@pytest.fixture
def trail(af_oov, signals):
    """Five reads, not sealed yet."""
    read_signals(af_oov, signals)
    return list(AuditEvent.objects.order_by("id"))


@pytest.fixture
def sealed(trail, seal):
    """Five reads, sealed: #1–#5, checkpoint #5 in the database and outside it."""
    seal()
    return trail


def verify_output(capsys):
    call_command("verify_audit_log")
    return capsys.readouterr().out


def findings():
    with pytest.raises(CommandError) as broken:
        call_command("verify_audit_log")
    return str(broken.value)


# --- Appending and sealing ----------------------------------------------------------------------


def test_appending_numbers_nothing_and_the_sealer_numbers_in_order_and_links(trail, seal):
    assert not AuditSeal.objects.exists()
    seal()
    seals = list(AuditSeal.objects.order_by("sequence"))
    assert [(s.sequence, s.event_id) for s in seals] == [(n + 1, e.pk) for n, e in enumerate(trail)]
    assert seals[0].previous_hash == ""
    for before, after in itertools.pairwise(seals):
        assert after.previous_hash == before.chain_hash
    checkpoint = AuditCheckpoint.objects.get()
    assert (checkpoint.sequence, checkpoint.count) == (5, 5)
    assert checkpoint.chain_hash == seals[-1].chain_hash


def test_sealing_again_seals_nothing_and_later_entries_continue_the_chain(sealed, af_oov, seal):
    seal()
    assert AuditCheckpoint.objects.count() == 1
    read_signals(af_oov, SignalFactory.create_batch(2))
    seal()
    assert list(AuditCheckpoint.objects.values_list("sequence", "count")) == [(5, 5), (7, 2)]
    assert (
        AuditSeal.objects.get(sequence=6).previous_hash
        == AuditSeal.objects.get(sequence=5).chain_hash
    )


def test_the_checkpoint_is_written_outside_the_database_signed(sealed, audit_checkpoint_dir):
    (path,) = audit_checkpoint_dir.glob("audit-checkpoint-*.json")
    written = json.loads(path.read_text())
    checkpoint = AuditCheckpoint.objects.get()
    assert (written["sequence"], written["chain_hash"]) == (5, checkpoint.chain_hash)
    (anchor,), unreadable = anchors_read()
    assert anchor.is_signed() and anchor.same_as(checkpoint) and unreadable == []


def test_an_untouched_log_verifies_sealed_and_not_sealed_yet(sealed, af_oov, capsys):
    read_signals(af_oov, SignalFactory.create_batch(1))
    out = verify_output(capsys)
    assert "intact: 5 sealed (#1–#5), 1 not sealed yet; checkpoint #5 " in out
    assert "outside the database (audit-checkpoint-" in out


def test_an_empty_log_verifies(capsys):
    out = verify_output(capsys)
    assert "intact: 0 sealed, 0 not sealed yet; no checkpoint outside the database yet" in out


def test_an_entry_is_one_insert_per_table_and_the_actor_is_looked_up_once_per_context(
    af_oov, signals, django_assert_num_queries
):
    context = context_for(af_oov)
    person = SignalPerson.objects.create(signal=signals[0], role="victim", name="Irina")
    # The user's name and membership, the entry, its persons concerned, its objects.
    with django_assert_num_queries(5) as first:
        audit_record(context=context, action=AuditAction.READ, objects=signals, subjects=[person])
    with django_assert_num_queries(3):
        audit_record(context=context, action=AuditAction.READ, objects=signals, subjects=[person])
    with django_assert_num_queries(1):
        audit_record(context=context, action=AuditAction.SEARCH, objects=[])
    assert not any("FOR UPDATE" in query["sql"] for query in first.captured_queries)
    entries = AuditEvent.objects.order_by("id")
    assert {(e.user_label, e.roles) for e in entries} == {(af_oov.username, entries[0].roles)}
    assert entries[0].roles.endswith("(af_oov)")


def test_a_failed_write_leaves_no_entry(af_oov, signals):
    with pytest.raises(RuntimeError), transaction.atomic():
        audit_record(context=context_for(af_oov), action=AuditAction.CHANGE, objects=signals)
        raise RuntimeError("the write it records failed")
    assert not AuditEvent.objects.exists()


def test_one_context_per_request_so_one_lookup_per_request(rf, af_oov):
    from schakel.core.context import AccessContext

    request = rf.get("/signals/")
    request.user = af_oov
    request.session = {}
    assert AccessContext.from_request(request) is AccessContext.from_request(request)


# --- The database refuses ----------------------------------------------------------------------


def refused(statement, params=()):
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        sql(statement, params)


def test_the_database_refuses_to_change_an_entry_a_seal_or_a_checkpoint(sealed):
    refused("UPDATE audit_auditevent SET purpose = 'tidied up' WHERE id = %s", [sealed[2].pk])
    refused("UPDATE audit_auditseal SET sequence = 99 WHERE sequence = 3")
    refused("UPDATE audit_auditcheckpoint SET count = 1")
    assert AuditEvent.objects.get(pk=sealed[2].pk).purpose == ""


def test_the_database_refuses_a_plain_delete_and_truncate(sealed):
    sql(  # inserting is allowed; a row trigger needs a row to refuse
        "INSERT INTO audit_auditretentioncut (first, last, last_hash, removed_at, mac) "
        "VALUES (1, 1, '', %s, '')",
        [sealed[0].occurred_at],
    )
    for table in GUARDED:
        refused(f"DELETE FROM {table}")  # on SQLite this is also its truncate
    if connection.vendor == "postgresql":
        sql("SET CONSTRAINTS ALL IMMEDIATE")  # TRUNCATE refuses pending FK checks before triggers
        for table in GUARDED:
            refused(f"TRUNCATE {table} CASCADE")
        refused("TRUNCATE organisations_user CASCADE")  # reaches the log through its foreign key
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        AuditEvent.objects.filter(pk=sealed[0].pk).delete()
    assert AuditEvent.objects.count() == 5 and AuditSeal.objects.count() == 5


def test_the_gate_opens_only_inside_its_own_transaction(sealed):
    with pytest.raises(ValueError), transaction.atomic(), removal_gate():
        raise ValueError("a removal that fails")
    assert not AuditGate.objects.exists()  # the failure took the gate row with it
    refused("DELETE FROM audit_auditsubject")
    if connection.vendor == "postgresql":
        # A gate row of another transaction (left behind, or forged) opens nothing.
        sql("INSERT INTO audit_auditgate (txid) VALUES (1)")
        refused("DELETE FROM audit_auditsubject")
    with transaction.atomic(), removal_gate():
        sql("DELETE FROM audit_auditsubject WHERE event_id = %s", [sealed[0].pk])
    refused("DELETE FROM audit_auditsubject")  # closed again after the block


# --- What verify finds ------------------------------------------------------------------------


def test_an_edited_sealed_entry_is_found(sealed):
    drop_the_guards()
    sql("UPDATE audit_auditevent SET user_label = 'someone-else' WHERE id = %s", [sealed[2].pk])
    assert "entry #3: content changed" in findings()


def test_an_edited_entry_is_found_before_it_is_sealed(trail):
    drop_the_guards()
    sql("UPDATE audit_auditevent SET purpose = 'nothing to see' WHERE id = %s", [trail[4].pk])
    assert f"entry id {trail[4].pk} (not sealed yet): content changed" in findings()


def test_an_entry_kept_out_of_the_chain_is_found(sealed, af_oov, seal):
    read_signals(af_oov, SignalFactory.create_batch(1))
    late = AuditEvent.objects.latest("id")
    drop_the_guards()
    if connection.vendor == "postgresql":  # an older transaction's id: below the horizon
        sql("UPDATE audit_auditevent SET txid = 1 WHERE id = %s", [late.pk])
    else:  # SQLite seals by id: move the horizon past it
        sql("UPDATE audit_auditsealer SET horizon = %s", [late.pk])
    seal()
    assert not AuditSeal.objects.filter(event_id=late.pk).exists()
    report = findings()
    assert f"entry id {late.pk} (not sealed yet): passed over by the sealer" in report


def test_an_entry_rehashed_without_the_key_is_found(sealed, settings):
    from schakel.audit.chain import EVENT_FIELDS, event_mac

    drop_the_guards()
    forged = AuditEvent.objects.get(pk=sealed[4].pk)
    forged.purpose = "nothing to see"
    settings.SCHAKEL_AUDIT_KEY = "a guess at the key"
    mac = event_mac({name: getattr(forged, name) for name in EVENT_FIELDS})
    settings.SCHAKEL_AUDIT_KEY = "audit:" + settings.SECRET_KEY
    sql(
        "UPDATE audit_auditevent SET purpose = %s, entry_mac = %s WHERE id = %s",
        [forged.purpose, mac, forged.pk],
    )
    report = findings()
    assert "entry #5: content changed" in report
    assert "entry #5: link hash does not match" in report


def test_deleting_the_oldest_entries_is_found(af_oov, signals, seal):
    context = context_for(af_oov)
    for _ in range(310):
        audit_record(context=context, action=AuditAction.READ, objects=signals[:1])
    seal()
    remove_entries(*range(1, 301))
    assert "entry #1–#300: missing" in findings()


def test_deleting_a_middle_entry_is_found(sealed):
    remove_entries(3)
    report = findings()
    assert "entry #3: missing" in report
    assert "entry #4: link" not in report  # one removal, one finding about the chain


def test_deleting_the_newest_entries_is_found(sealed):
    remove_entries(4, 5)
    report = findings()
    assert "checkpoint #5: the chain ends at #3: the newest entries were removed" in report
    assert "checkpoint #5 outside the database" in report


def test_cutting_off_the_tail_with_its_checkpoints_is_found_outside_the_database(sealed):
    remove_entries(4, 5, checkpoints=True)
    assert "the log ends at #3" in findings()


def test_rolling_back_to_an_earlier_checkpoint_is_found(af_oov, signals, seal):
    read_signals(af_oov, signals[:3])
    seal()
    read_signals(af_oov, signals[3:])
    seal()
    # Back to the state after the first run: the database alone is consistent again.
    remove_entries(4, 5, checkpoints=True)
    sql("UPDATE audit_auditsealer SET horizon = 0")
    report = findings()
    assert "checkpoint #5 outside the database" in report and "the log ends at #3" in report
    assert "entry #" not in report  # nothing inside the database gives it away
    with pytest.raises(CommandError, match=r"outside the database .* is #5"):
        seal()  # and the sealer does not pave over it


def test_emptying_the_tables_is_found(sealed):
    drop_the_guards()
    tables = ", ".join(GUARDED)
    if connection.vendor == "postgresql":
        sql("SET CONSTRAINTS ALL IMMEDIATE")
        sql(f"TRUNCATE {tables}")
    else:
        for table in GUARDED:
            sql(f"DELETE FROM {table}")
    assert not AuditEvent.objects.exists()
    assert "checkpoint #5 outside the database" in findings()


def test_swapping_two_numbers_is_found(sealed):
    drop_the_guards()
    sql("UPDATE audit_auditseal SET sequence = 1000 WHERE sequence = 2")
    sql("UPDATE audit_auditseal SET sequence = 2 WHERE sequence = 3")
    sql("UPDATE audit_auditseal SET sequence = 3 WHERE sequence = 1000")
    report = findings()
    assert "entry #2: link to the previous entry broken" in report
    assert "entry #2: link hash does not match: renumbered, reordered or moved" in report


def test_moving_a_seal_to_another_entry_is_found(sealed):
    drop_the_guards()
    sql(
        "UPDATE audit_auditseal SET event_id = %s WHERE sequence = 2",
        [AuditEvent.objects.create(**_copy_of(sealed[1])).pk],
    )
    assert "entry #2: link hash does not match" in findings()


def _copy_of(event):
    """A new row with the same content and hash: a replayed entry."""
    fields = [
        f.attname for f in AuditEvent._meta.concrete_fields if f.attname not in ("id", "txid")
    ]
    return {name: getattr(event, name) for name in fields}


def test_a_removed_checkpoint_is_found(af_oov, signals, seal):
    read_signals(af_oov, signals[:2])
    seal()
    read_signals(af_oov, signals[2:])
    seal()
    drop_the_guards()
    sql("DELETE FROM audit_auditcheckpoint WHERE sequence = 2")
    assert "checkpoint #5: does not follow on checkpoint #0" in findings()


def test_a_changed_or_forged_checkpoint_file_is_found(sealed, audit_checkpoint_dir):
    (path,) = audit_checkpoint_dir.glob("*.json")
    written = json.loads(path.read_text())
    path.write_text(json.dumps({**written, "sequence": 3}))
    assert "signature does not match: not written with the audit key" in findings()


def test_a_lost_checkpoint_file_of_an_earlier_day_is_found(
    af_oov, signals, seal, audit_checkpoint_dir
):
    from datetime import timedelta
    from unittest import mock

    from django.utils import timezone

    yesterday = timezone.now() - timedelta(days=1)
    read_signals(af_oov, signals[:3])
    with mock.patch("schakel.audit.sealing.timezone.now", return_value=yesterday):
        seal()
    read_signals(af_oov, signals[3:])
    seal()
    assert len(list(audit_checkpoint_dir.glob("*.json"))) == 2  # one file a day
    for path in audit_checkpoint_dir.glob("*.json"):
        path.unlink()
    assert f"checkpoint #3: the last of {yesterday.date()}, not found outside" in findings()


def test_the_newest_checkpoint_not_outside_yet_is_a_note(sealed, audit_checkpoint_dir, capsys):
    for path in audit_checkpoint_dir.glob("*.json"):
        path.unlink()
    out = verify_output(capsys)
    assert "Audit log intact" in out
    assert "Note: The newest checkpoint #5 is not outside the database yet" in out


def test_hiding_an_access_from_the_persons_index_is_found(sealed):
    drop_the_guards()
    sql("DELETE FROM audit_auditsubject WHERE event_id = %s", [sealed[1].pk])
    assert "entry #2: the index of persons concerned does not match the entry" in findings()


def test_an_honest_log_with_a_retention_cut_verifies(af_oov, signals, capsys, seal):
    from datetime import timedelta
    from unittest import mock

    from django.utils import timezone

    eight_years_ago = timezone.now() - timedelta(days=8 * 365)
    with mock.patch("schakel.audit.services.timezone.now", return_value=eight_years_ago):
        read_signals(af_oov, signals[:3])
    old = list(AuditEvent.objects.values_list("pk", flat=True))
    seal()
    read_signals(af_oov, signals[3:])
    seal()
    assert audit_prune(timezone.localdate()) == 3
    cut = AuditRetentionCut.objects.get()
    assert (cut.first, cut.last) == (1, 3)
    assert list(AuditSeal.objects.values_list("sequence", flat=True)) == [4, 5]
    assert not AuditSubject.objects.filter(event_id__in=old).exists()
    assert not AuditGate.objects.exists()
    read_signals(af_oov, SignalFactory.create_batch(1))
    seal()
    out = verify_output(capsys)
    assert "intact: 3 sealed (#4–#6), #1–#3 removed by retention, 0 not sealed yet" in out


def test_a_forged_retention_cut_is_found(sealed):
    remove_entries(1, 2)
    sql(
        "INSERT INTO audit_auditretentioncut (first, last, last_hash, removed_at, mac) "
        "VALUES (1, 2, %s, %s, %s)",
        [AuditSeal.objects.get(sequence=3).previous_hash, sealed[0].occurred_at, "0" * 64],
    )
    report = findings()
    assert "retention cut #1–#2: signature does not match: not recorded by retention" in report
    assert "entry #1" not in report  # the chain itself does continue from the forged cut


def test_sealing_refuses_to_pave_over_removed_newest_entries(sealed, af_oov, seal):
    remove_entries(5)
    read_signals(af_oov, SignalFactory.create_batch(1))
    with pytest.raises(CommandError, match="last checkpoint in the database is #5"):
        seal()
    assert not AuditSeal.objects.filter(sequence__gt=4).exists()
