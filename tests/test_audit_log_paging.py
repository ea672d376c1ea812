"""The audit log grows by a million entries: its page reads one page (and one row to know that
there is a next), never counts the log and never scans it for the kinds of object, whatever
the log's size; the search's filters have an index to walk newest first."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from schakel.audit.choices import AuditAction
from schakel.audit.services import audit_record
from schakel.core.pagination import PAGE_SIZE
from schakel.organisations.choices import Role

from .conftest import context_for
from .factories import SignalFactory, user_with_role

pytestmark = pytest.mark.django_db


@pytest.fixture
def privacy_officer(municipality):
    return user_with_role(Role.PRIVACY_OFFICER, municipality=municipality)


def log_reads(af_oov, municipality, n):
    signal = SignalFactory(municipality=municipality)
    context = context_for(af_oov)
    for _ in range(n):
        audit_record(context=context, action=AuditAction.READ, objects=[signal])


def page_sql(client, **query):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(reverse("audit:log"), query)
    assert response.status_code == 200
    return response, [q["sql"] for q in captured.captured_queries]


def on_the_log(queries):
    return [sql for sql in queries if "audit_auditevent" in sql and sql.startswith("SELECT")]


def test_the_page_neither_counts_the_log_nor_scans_it_for_kinds(
    client, privacy_officer, af_oov, municipality
):
    log_reads(af_oov, municipality, 3 * PAGE_SIZE)
    client.force_login(privacy_officer)
    for query in ({}, {"action": "read"}, {"object_type": "intake.Signal"}, {"pagina": "2"}):
        _response, queries = page_sql(client, **query)
        reads = on_the_log(queries)
        assert reads, queries
        for sql in reads:
            assert "DISTINCT" not in sql.upper()
            assert "COUNT(" not in sql.upper()
            assert f"LIMIT {PAGE_SIZE + 1}" in sql


def test_the_page_costs_the_same_queries_at_two_sizes(
    client, privacy_officer, af_oov, municipality
):
    def queries_at(total):
        log_reads(af_oov, municipality, total)
        client.force_login(privacy_officer)
        counts = []
        for query in ({}, {"action": "read"}):
            _response, queries = page_sql(client, **query)
            counts.append(len(queries))
        return counts

    assert queries_at(5) == queries_at(4 * PAGE_SIZE)


def test_the_pages_say_next_and_previous_and_the_last_is_exact(
    client, privacy_officer, af_oov, municipality
):
    log_reads(af_oov, municipality, 2 * PAGE_SIZE + 7)
    client.force_login(privacy_officer)

    first = page_sql(client, action="read")[0].context["page"]
    assert (first.has_previous, first.has_next, first.last_number) == (False, True, None)
    assert (first.first_index, first.last_index, first.count_is_capped) == (1, PAGE_SIZE, True)

    last = page_sql(client, action="read", pagina="3")[0].context["page"]
    assert (last.has_previous, last.has_next) == (True, False)
    assert (last.count, last.last_number, len(last.items)) == (2 * PAGE_SIZE + 7, 3, 7)

    past = page_sql(client, action="read", pagina="9")[0].context["page"]
    assert not past.items and past.previous_url == "?action=read&pagina=3"


def test_the_filters_still_choose_the_entries(client, privacy_officer, af_oov, municipality):
    log_reads(af_oov, municipality, PAGE_SIZE + 1)
    audit_record(context=context_for(af_oov), action=AuditAction.EXPORT, objects=[])
    client.force_login(privacy_officer)
    exports = page_sql(client, action="export")[0].context["page"]
    assert [e.event.action for e in exports] == ["export"]
    assert not exports.has_next
    signals = page_sql(client, object_type="intake.Signal")[0].context["page"]
    assert {e.event.object_type for e in signals} == {"intake.Signal"} and signals.has_next


def test_the_search_filters_have_an_index_newest_first():
    with connection.cursor() as cursor:
        constraints = connection.introspection.get_constraints(cursor, "audit_auditevent")
    indexed = {tuple(c["columns"]) for c in constraints.values() if c["index"]}
    assert {("action", "id"), ("object_type", "id"), ("occurred_at",)} <= indexed
