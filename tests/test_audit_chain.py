"""The audit log is append-only and tamper-evident: a changed or removed entry is found."""

import itertools

import pytest
from django.core.management import CommandError, call_command

from schakel.audit.choices import AuditAction
from schakel.audit.models import AuditEvent
from schakel.audit.services import audit_record

from .conftest import context_for
from .factories import SignalFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def trail(af_oov, municipality):
    signals = SignalFactory.create_batch(5, municipality=municipality)
    context = context_for(af_oov)
    for signal in signals:
        audit_record(context=context, action=AuditAction.READ, objects=[signal], fields=["place"])
    return list(AuditEvent.objects.order_by("sequence"))


def drop_the_append_only_guard():
    """What an attacker with database-owner rights could do before editing rows."""
    from django.db import connection

    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("DROP TRIGGER audit_auditevent_no_update ON audit_auditevent")
        else:
            cursor.execute("DROP TRIGGER audit_auditevent_no_update")


def verify_output(capsys):
    call_command("verify_audit_log")
    return capsys.readouterr().out


def test_entries_are_numbered_and_linked(trail):
    assert [e.sequence for e in trail] == [1, 2, 3, 4, 5]
    assert trail[0].previous_hash == ""
    for before, after in itertools.pairwise(trail):
        assert after.previous_hash == before.entry_hash


def test_an_untouched_log_verifies(trail, capsys):
    assert "intact: 5 entries" in verify_output(capsys)


def test_the_database_refuses_to_change_an_entry(trail):
    from django.db import DatabaseError, transaction

    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        AuditEvent.objects.filter(sequence=3).update(purpose="tidied up")
    assert AuditEvent.objects.get(sequence=3).purpose == ""


def test_an_edited_entry_is_found(trail):
    drop_the_append_only_guard()
    AuditEvent.objects.filter(sequence=3).update(user_label="someone-else")
    with pytest.raises(CommandError, match="broken at entry 3: content changed"):
        call_command("verify_audit_log")


def test_a_deleted_entry_is_found(trail):
    AuditEvent.objects.filter(sequence=2).delete()
    with pytest.raises(CommandError, match="broken at entry 2: entry missing"):
        call_command("verify_audit_log")


def test_removing_the_newest_entries_is_found(trail):
    AuditEvent.objects.filter(sequence__gte=4).delete()
    with pytest.raises(CommandError, match="newest entries missing"):
        call_command("verify_audit_log")


def test_a_forged_entry_without_the_key_is_found(trail, settings):
    from schakel.audit.chain import CHAINED_FIELDS, entry_hash

    drop_the_append_only_guard()
    forged = AuditEvent.objects.get(sequence=5)
    forged.purpose = "nothing to see"
    settings.SCHAKEL_AUDIT_KEY = "a guess at the key"
    values = {name: getattr(forged, name) for name in CHAINED_FIELDS}
    AuditEvent.objects.filter(pk=forged.pk).update(
        purpose=forged.purpose, entry_hash=entry_hash(values)
    )
    settings.SCHAKEL_AUDIT_KEY = "audit:" + settings.SECRET_KEY
    with pytest.raises(CommandError, match="broken at entry 5"):
        call_command("verify_audit_log")


def test_an_empty_log_verifies(capsys):
    assert "intact: 0 entries" in verify_output(capsys)
