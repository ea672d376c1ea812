"""The migration to structured events keeps what the old rows said: detail codes move into
parameters, the sentences written at the time give back their codes, and what a person typed
stays as the text. Run on a database migrated back to the old shape, then forward again."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from schakel.cases.models import TimelineEntry
from schakel.intake.models import SignalEvent

from .factories import SignalFactory

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE = [("intake", "0001_initial"), ("cases", "0001_initial")]


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


def test_old_signal_events_and_timeline_entries_are_structured(municipality, af_oov):
    signal = SignalFactory(municipality=municipality)
    organisation = af_oov.memberships.first().organisation
    old = migrate(BEFORE)
    OldEvent = old.get_model("intake", "SignalEvent")
    OldEntry = old.get_model("cases", "TimelineEntry")
    OldCase = old.get_model("cases", "Case")
    rows = [
        ("enriched", "address", "Drie namen op de bel"),
        ("linked", "MH-2026-0001", "Zelfde adres"),
        ("routed", "case_meeting", "Meerdere signalen"),
        ("closed", "not_trafficking", ""),
        (
            "reminder",
            "first_action-2",
            "Verstuurd naar 3 adressen. De gedeelde mailbox van het meldpunt is meegenomen.",
        ),
        ("triaged", "", "Zorgspoor (zorgcoördinator) · wijkt af van het advies: acuut gevaar"),
        ("picked_up", "", ""),
    ]
    for kind, detail, text in rows:
        OldEvent.objects.create(
            signal_id=signal.pk,
            occurred_at="2026-11-02T10:00:00Z",
            kind=kind,
            detail=detail,
            text=text,
            actor_label="A. de Vries",
        )
    case = OldCase.objects.create(reference="ZK-2026-OLD234", municipality_id=municipality.pk)
    entries = [
        ("opened", "MH-2026-0001, MH-2026-0002"),
        ("direction", "Veilig Thuis (hoog veiligheidsrisico): kinderen in huis"),
        ("shared", f"{organisation.name} · Convenantsartikel · artikel 4"),
        ("unshared", f"{organisation.name} · niet meer nodig"),
        ("note", "Gesprek met de huisarts"),
        ("agreement", f"{organisation.name} · 01-12-2026 · Huisbezoek"),
        ("referral_proposed", "→ Org · Opvang nodig"),
    ]
    for kind, text in entries:
        OldEntry.objects.create(case_id=case.pk, kind=kind, text=text)

    migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())

    events = {e.kind: e for e in SignalEvent.objects.filter(signal=signal)}
    assert events["enriched"].parameters == {"enrichment": "address"}
    assert events["enriched"].text == "Drie namen op de bel"
    assert events["linked"].parameters == {"linked": "MH-2026-0001"}
    assert events["routed"].parameters == {"destination": "case_meeting"}
    assert events["closed"].parameters == {"reason": "not_trafficking"}
    assert events["reminder"].parameters == {
        "deadline": "first_action",
        "level": 2,
        "recipients": 3,
        "shared_mailbox": True,
    }
    assert events["reminder"].text == ""
    assert events["triaged"].parameters == {"decision": "care", "deviates": True}
    assert events["triaged"].text == "acuut gevaar"
    assert events["picked_up"].parameters == {}

    timeline = {e.kind: e for e in TimelineEntry.objects.filter(case__reference="ZK-2026-OLD234")}
    assert timeline["opened"].parameters == {"signals": ["MH-2026-0001", "MH-2026-0002"]}
    assert timeline["opened"].text == ""
    assert timeline["direction"].parameters == {"holder": "veilig_thuis"}
    assert timeline["direction"].text == "kinderen in huis"
    assert timeline["shared"].parameters == {"organisation": organisation.pk, "basis": "covenant"}
    assert timeline["shared"].text == "artikel 4"
    assert timeline["unshared"].parameters == {"organisation": organisation.pk}
    assert timeline["unshared"].text == "niet meer nodig"
    assert (timeline["note"].parameters, timeline["note"].text) == ({}, "Gesprek met de huisarts")
    assert timeline["agreement"].parameters == {
        "owner_organisation": organisation.pk,
        "due_on": "2026-12-01",
    }
    assert timeline["agreement"].text == "Huisbezoek"
    # A sentence this migration does not take apart stays whole as the entry's text.
    assert timeline["referral_proposed"].text == "→ Org · Opvang nodig"
