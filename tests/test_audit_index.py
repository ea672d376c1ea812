"""A person's accesses and the entries about an object number are found through the index
tables written with each entry, not by scanning the JSON lists of the whole log."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from schakel.audit.choices import AuditAction
from schakel.audit.selectors import AuditQuery, audit_events_concerning, audit_events_search
from schakel.audit.services import audit_record
from schakel.intake.models import SignalPerson
from schakel.organisations.choices import Role

from .conftest import context_for
from .factories import SignalFactory, user_with_role

pytestmark = pytest.mark.django_db


def sql_of(run):
    with CaptureQueriesContext(connection) as captured:
        result = run()
    return result, " ".join(query["sql"] for query in captured.captured_queries)


def test_a_persons_accesses_are_found_through_the_index(af_oov, municipality):
    signal = SignalFactory(municipality=municipality)
    irina, other = (
        SignalPerson.objects.create(signal=signal, role="victim", name=name)
        for name in ("Irina Kowalczyk", "Tomasz Nowak")
    )
    context = context_for(af_oov)
    about_irina = [
        audit_record(context=context, action=AuditAction.READ, objects=[signal], subjects=people)
        for people in ([irina], [irina, other])
    ]
    audit_record(context=context, action=AuditAction.READ, objects=[signal], subjects=[other])
    found, sql = sql_of(lambda: audit_events_concerning(irina))
    assert [e.pk for e in found] == [e.pk for e in about_irina]
    assert "audit_auditsubject" in sql and "LIKE" not in sql.upper()


def test_the_search_by_object_number_uses_the_index(af_oov, municipality):
    officer = user_with_role(Role.PRIVACY_OFFICER, municipality=municipality)
    signals = SignalFactory.create_batch(3, municipality=municipality)
    context = context_for(af_oov)
    audit_record(context=context, action=AuditAction.LIST, objects=signals)
    for signal in signals:
        audit_record(context=context, action=AuditAction.READ, objects=[signal])
    wanted = signals[1]
    query = AuditQuery(object_type="intake.Signal", object_id=str(wanted.pk))
    found, sql = sql_of(lambda: list(audit_events_search(context_for(officer), query)))
    ids = [str(signal.pk) for signal in signals]
    assert [e.object_ids for e in found] == [[str(wanted.pk)], ids]  # newest first
    assert "audit_auditobject" in sql and "LIKE" not in sql.upper()
