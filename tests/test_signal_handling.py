"""The AF's step plan: pick up, enrich, link, route, give feedback, close (DOMAIN.md §3)."""

from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from schakel.intake import services
from schakel.intake.choices import CloseReason, Routing, SignalEventKind, SignalStatus
from schakel.intake.models import Signal
from schakel.intake.workflow import TransitionRefused

from .conftest import context_for
from .factories import SignalFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def signal(municipality, municipal_reporter):
    municipal_reporter.email = "melder@brakelveen.example"
    municipal_reporter.save()
    return SignalFactory(
        municipality=municipality, reporter=municipal_reporter, place="Stationsplein 4"
    )


def handle(client, signal, action, **data):
    prefixed = {f"{action}-{name}": value for name, value in data.items()}
    return client.post(reverse("intake:handle", args=[signal.reference, action]), prefixed)


def test_picking_up_a_signal_starts_its_handling_and_is_on_the_timeline(client, af_oov, signal):
    client.force_login(af_oov)
    response = handle(client, signal, "pick-up")
    assert response.status_code == 302
    signal.refresh_from_db()
    assert signal.status == SignalStatus.IN_PROGRESS
    assert signal.picked_up_at is not None
    event = signal.events.get()
    assert (event.kind, event.actor) == (SignalEventKind.PICKED_UP, af_oov)


def test_enriching_a_new_signal_picks_it_up_and_records_who_when_and_what(af_oov, signal):
    services.signal_enrich(
        context=context_for(af_oov), signal=signal, kind="sanctions", text="Bestuurlijke boete 2025"
    )
    kinds = list(signal.events.values_list("kind", "parameters", "text", "actor"))
    assert kinds == [
        (SignalEventKind.PICKED_UP, {}, "", af_oov.pk),
        (
            SignalEventKind.ENRICHED,
            {"enrichment": "sanctions"},
            "Bestuurlijke boete 2025",
            af_oov.pk,
        ),
    ]


def test_the_af_sees_every_signal_at_the_address_and_links_one_with_one_click(
    client, af_oov, signal, municipality
):
    earlier = SignalFactory(
        municipality=municipality,
        place="stationsplein 4, Brakelveen",
        reported_at=timezone.now() - timedelta(days=40),
    )
    later = SignalFactory(municipality=municipality, place="Stationsplein 4 (hotel)")
    SignalFactory(municipality=municipality, place="Stationsplein 4a")  # another address
    SignalFactory(municipality=municipality, place="Stationsplein 40")
    SignalFactory(place="Stationsplein 4")  # another municipality's
    client.force_login(af_oov)
    page = client.get(reverse("intake:detail", args=[signal.reference]))
    matches = page.context["at_address"]
    assert [m.signal for m in matches] == [earlier, later]
    assert not any(m.linked for m in matches)
    response = handle(client, signal, "link", other=earlier.reference, basis="same_address")
    assert response.status_code == 302
    link = signal.links_out.get()
    assert (link.linked, link.basis, link.reason) == (earlier, "same_address", "")
    page = client.get(reverse("intake:detail", args=[signal.reference]))
    assert [m.linked for m in page.context["at_address"]] == [True, False]


def test_a_link_the_address_index_does_not_prove_needs_a_reason(client, af_oov, signal):
    other = SignalFactory(municipality=signal.municipality, place="Hotel De Zilveren Reiger")
    client.force_login(af_oov)
    response = handle(client, signal, "link", other=other.reference, basis="same_address")
    assert response.status_code == 400
    assert not signal.links_out.exists()
    handle(
        client,
        signal,
        "link",
        other=other.reference.lower(),
        basis="same_premises",
        reason="Het hotel staat op Stationsplein 4",
    )
    assert signal.links_out.get().basis == "same_premises"


def test_linking_a_signal_the_af_does_not_handle_is_a_form_error_not_a_404(client, af_oov, signal):
    elsewhere = SignalFactory(place="Stationsplein 4")
    client.force_login(af_oov)
    response = handle(
        client,
        signal,
        "link",
        other=elsewhere.reference,
        basis="same_premises",
        reason="Zelfde pand",
    )
    assert response.status_code == 400
    assert elsewhere.reference in response.content.decode()
    assert not signal.links_out.exists()


def test_signals_go_to_the_pct_only_for_prostitution(af_oov, municipality):
    context = context_for(af_oov)
    labour = SignalFactory(municipality=municipality, forms=["labour"])
    with pytest.raises(TransitionRefused):
        services.signal_route(context=context, signal=labour, destination=Routing.PCT, reason="")
    sexual = SignalFactory(municipality=municipality, forms=["sexual"])
    services.signal_route(
        context=context,
        signal=sexual,
        destination=Routing.PCT,
        reason="Alleen illegale prostitutie",
    )
    sexual.refresh_from_db()
    assert (sexual.status, sexual.routing) == (SignalStatus.ROUTED, Routing.PCT)


def test_a_signal_cannot_close_before_feedback_is_recorded(client, af_oov, signal):
    context = context_for(af_oov)
    services.signal_route(
        context=context, signal=signal, destination=Routing.CASE_MEETING, reason="VCO"
    )
    with pytest.raises(TransitionRefused):
        services.signal_close(context=context, signal=signal, reason=CloseReason.HANDED_OVER)
    client.force_login(af_oov)
    response = handle(client, signal, "close", reason=CloseReason.HANDED_OVER)
    assert response.status_code == 400
    assert "terugkoppeling" in response.content.decode()
    signal.refresh_from_db()
    assert signal.status == SignalStatus.ROUTED


def test_feedback_mails_the_logged_in_reporter_without_its_content(
    client, af_oov, signal, django_capture_on_commit_callbacks
):
    context = context_for(af_oov)
    services.signal_pick_up(context=context, signal=signal)
    with django_capture_on_commit_callbacks(execute=True):
        services.signal_give_feedback(
            context=context, signal=signal, feedback="Doorgezet naar het casusoverleg."
        )
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["melder@brakelveen.example"]
    assert signal.reference in message.subject
    assert "casusoverleg" not in message.body
    services.signal_close(context=context, signal=signal, reason=CloseReason.HANDED_OVER)
    signal.refresh_from_db()
    assert signal.status == SignalStatus.CLOSED


def test_the_reporter_reads_the_feedback_in_my_reports(client, af_oov, signal, municipal_reporter):
    context = context_for(af_oov)
    services.signal_pick_up(context=context, signal=signal)
    services.signal_give_feedback(context=context, signal=signal, feedback="Opgepakt, dank u.")
    client.force_login(municipal_reporter)
    assert "Opgepakt, dank u." in client.get(reverse("intake:mine")).content.decode()
    detail = client.get(reverse("intake:detail", args=[signal.reference]))
    assert "Opgepakt, dank u." in detail.content.decode()
    assert detail.context["timeline"] == []
    assert detail.context["actions"] == {}


def test_a_withheld_feedback_with_its_reason_also_allows_closing(af_oov, signal):
    context = context_for(af_oov)
    services.signal_pick_up(context=context, signal=signal)
    services.signal_give_feedback(
        context=context, signal=signal, withheld_reason="Strafrechtelijk onderzoek loopt"
    )
    services.signal_close(
        context=context, signal=signal, reason=CloseReason.NOT_TRAFFICKING, explanation="Geen"
    )
    assert Signal.objects.get(pk=signal.pk).status == SignalStatus.CLOSED


def test_not_trafficking_needs_an_explanation(af_oov, signal):
    context = context_for(af_oov)
    services.signal_pick_up(context=context, signal=signal)
    services.signal_give_feedback(context=context, signal=signal, feedback="Bekeken.")
    with pytest.raises(TransitionRefused):
        services.signal_close(context=context, signal=signal, reason=CloseReason.NOT_TRAFFICKING)


def test_feedback_needs_either_a_text_or_a_reason_not_both(client, af_oov, signal):
    client.force_login(af_oov)
    handle(client, signal, "pick-up")
    response = handle(client, signal, "feedback", feedback="a", withheld_reason="b")
    assert response.status_code == 400
    assert response.context["actions"]["feedback"].data["feedback-feedback"] == "a"  # kept


@pytest.mark.parametrize("who", ["other_af_oov", "municipal_reporter", "hotel_reporter"])
def test_nobody_but_the_receiving_af_can_handle_the_signal(client, signal, who, request):
    client.force_login(request.getfixturevalue(who))
    response = handle(client, signal, "pick-up")
    assert response.status_code in (403, 404)
    signal.refresh_from_db()
    assert signal.status == SignalStatus.NEW


def test_a_closed_signal_takes_no_more_steps(af_oov, signal):
    context = context_for(af_oov)
    services.signal_pick_up(context=context, signal=signal)
    services.signal_give_feedback(context=context, signal=signal, feedback="Klaar.")
    services.signal_close(context=context, signal=signal, reason=CloseReason.DUPLICATE)
    with pytest.raises(TransitionRefused):
        services.signal_enrich(context=context, signal=signal, kind="note", text="Nog iets")
    with pytest.raises(TransitionRefused):
        services.signal_route(
            context=context, signal=signal, destination=Routing.VEILIG_THUIS, reason="x"
        )


def test_an_unknown_action_is_not_found(client, af_oov, signal):
    client.force_login(af_oov)
    assert handle(client, signal, "delete").status_code == 404


def test_the_queue_flags_a_signal_nobody_picked_up_within_five_working_days(
    client, af_oov, municipality
):
    late = SignalFactory(municipality=municipality, reported_at=timezone.now() - timedelta(days=10))
    fresh = SignalFactory(municipality=municipality)
    client.force_login(af_oov)
    queue = client.get(reverse("intake:queue")).context["queue"]
    flags = {item.signal.reference: item.overdue for item in queue.new}
    assert flags == {late.reference: True, fresh.reference: False}


def test_every_step_is_audited(af_oov, signal):
    from schakel.audit.models import AuditEvent

    services.signal_enrich(context=context_for(af_oov), signal=signal, kind="note", text="x")
    purposes = list(AuditEvent.objects.values_list("purpose", flat=True))
    assert "signal picked_up" in purposes and "signal enriched" in purposes
