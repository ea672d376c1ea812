"""The cumulative picture (DOMAIN.md §5): the assessment framework advises on a signal together
with the signals linked to it, each fact counted once; the AF adds what enriching brought to
light; a question to ask is never an indicator."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils.html import escape

from schakel.catalogue.facts import tally
from schakel.catalogue.models import Indicator
from schakel.intake import selectors as intake_selectors
from schakel.intake import services as intake_services
from schakel.intake.choices import SignalEventKind
from schakel.intake.forms import SignalReportForm
from schakel.meetings import selectors, services
from schakel.meetings.choices import Advice, TriageDecision

from .conftest import context_for
from .factories import SignalFactory
from .test_meetings import item_for, region_network, routed_signal, vco  # noqa: F401

pytestmark = pytest.mark.django_db


def codes(*names):
    return list(Indicator.objects.filter(code__in=names))


@pytest.fixture
def hard():
    found = list(Indicator.objects.filter(strength="hard", kind="signal").order_by("position"))
    assert len(found) >= 6
    return found


def test_each_fact_counts_once(hard):
    soft = Indicator.objects.filter(strength="soft", kind="signal").first()
    assert tally([hard[0], hard[0], hard[1], soft, soft]) == tally([hard[0], hard[1], soft])
    assert (tally([hard[0], hard[1], soft]).hard, tally([hard[0], hard[1], soft]).soft) == (2, 1)


def test_the_escort_holding_the_id_and_not_holding_ones_own_documents_are_one_hard_fact():
    both = codes("brp-escort-holds-identity-document", "identity-no-control-over-documents")
    assert len(both) == 2
    assert (tally(both).hard, tally(both).soft) == (1, 0)


def test_a_question_to_ask_is_never_counted():
    question = Indicator.objects.get(code="brp-question-registered-at-address")
    fact = Indicator.objects.get(code="brp-fact-many-registered-at-address")
    assert tally([question]).total == 0
    assert tally([question, fact]).total == 1


def test_the_brp_desk_form_offers_its_questions_as_guidance_not_as_boxes(municipal_reporter):
    form = SignalReportForm(memberships=list(municipal_reporter.memberships.all()), card_code="brp")
    offered = {code for code, _label in form.fields["indicators"].choices}
    assert "brp-fact-many-registered-at-address" in offered
    assert "brp-escort-holds-identity-document" in offered
    assert not any(code.startswith("brp-question-") for code in offered)
    questions = [g for g in form.checklist_groups() if g.is_questions]
    assert questions[0].indicators[0].code.startswith("brp-question-")
    bound = SignalReportForm(
        {"indicators": ["brp-question-registered-at-address"]},
        memberships=list(municipal_reporter.memberships.all()),
        card_code="brp",
    )
    bound.is_valid()
    assert "indicators" in bound.errors


def test_the_af_adds_indicators_while_enriching_marked_as_the_reporting_points(af_oov, hard):
    signal = SignalFactory(municipality=af_oov.memberships.get().organisation.municipality)
    signal.indicators.set([hard[0]])
    context = context_for(af_oov)
    intake_services.signal_add_indicators(
        context=context, signal=signal, indicator_codes=(hard[0].code, hard[1].code)
    )
    assert list(signal.added_indicators.all()) == [hard[1]]  # the reporter's is not added twice
    event = signal.events.get(kind=SignalEventKind.INDICATORS_ADDED)
    assert (event.actor, event.parameters) == (af_oov, {"indicators": [hard[1].code]})
    picture = intake_selectors.signal_group_picture(context, signal)
    assert [(s.indicator, s.added) for s in picture.indicators] == [
        (hard[0], False),
        (hard[1], True),
    ]
    with pytest.raises(ValidationError):
        intake_services.signal_add_indicators(
            context=context, signal=signal, indicator_codes=("brp-question-communication",)
        )
    with pytest.raises(ValidationError):  # nothing new
        intake_services.signal_add_indicators(
            context=context, signal=signal, indicator_codes=(hard[1].code,)
        )


def test_a_reporter_cannot_add_indicators_to_a_signal(municipal_reporter, hard):
    signal = SignalFactory(
        municipality=municipal_reporter.memberships.get().organisation.municipality,
        reporter=municipal_reporter,
    )
    with pytest.raises(PermissionDenied):
        intake_services.signal_add_indicators(
            context=context_for(municipal_reporter), signal=signal, indicator_codes=(hard[0].code,)
        )


def test_the_case_meeting_advises_on_the_linked_signals_together(
    region_network,  # noqa: F811
    municipality,
    hard,
):
    _organisations, users = region_network
    af = context_for(users["af"])
    signal = routed_signal(municipality, hard=0)
    signal.indicators.set(hard[:2])
    first = SignalFactory(municipality=municipality, place="Kerkstraat 12")
    first.indicators.set([hard[0], hard[2], hard[3]])  # hard[0] again: counted once
    second = SignalFactory(municipality=municipality, place="Kerkstraat 12")
    intake_services.signal_add_indicators(
        context=af, signal=second, indicator_codes=(hard[4].code, hard[5].code)
    )
    intake_services.signal_link(
        context=af, signal=signal, other=first, basis="same_persons", reason="Dezelfde begeleider"
    )
    intake_services.signal_link(context=af, signal=first, other=second)  # same address
    meeting = vco(region_network, municipality)
    view = selectors.meeting_view(af, meeting.pk, purpose="test")
    row = next(r for r in view.rows if r.item.signal_id == signal.pk)
    assert (row.picture.single.hard, row.hard) == (2, 6)
    assert row.advice == Advice.INTERVENE
    assert {s.reference for s in row.picture.signals} == {
        signal.reference,
        first.reference,
        second.reference,
    }
    with pytest.raises(ValidationError) as refused:  # keeping watch deviates from the group
        services.triage_decide(
            context=af,
            item=item_for(meeting, signal),
            decision=TriageDecision.MONITOR,
            recheck_on=None,
        )
    assert "deviation_reason" in refused.value.message_dict
    item = services.triage_decide(
        context=af, item=item_for(meeting, signal), decision=TriageDecision.PERPETRATOR
    )
    assert (item.hard_count, item.advice) == (6, Advice.INTERVENE)


def test_the_case_meeting_item_page_shows_the_linked_signals_and_both_counts(
    client,
    region_network,  # noqa: F811
    municipality,
    hard,
):
    _organisations, users = region_network
    signal = routed_signal(municipality, hard=0)
    signal.indicators.set([hard[0]])
    other = SignalFactory(municipality=municipality)
    other.indicators.set([hard[1], hard[2]])
    intake_services.signal_link(
        context=context_for(users["af"]),
        signal=signal,
        other=other,
        basis="same_persons",
        reason="Zelfde begeleider",
    )
    meeting = vco(region_network, municipality)
    client.force_login(users["af"])
    item = item_for(meeting, signal)
    html = client.get(reverse("meetings:item", args=[meeting.pk, item.pk])).content.decode()
    assert 'data-testid="group"' in html and other.reference in html
    assert escape(hard[2].text) in html


def test_the_signal_page_shows_the_group_and_the_single_count(client, af_oov, hard):
    municipality = af_oov.memberships.get().organisation.municipality
    signal = SignalFactory(municipality=municipality, place="Kerkstraat 12")
    signal.indicators.set([hard[0]])
    other = SignalFactory(municipality=municipality, place="Kerkstraat 12, Brakelveen")
    other.indicators.set([hard[0], hard[1]])
    intake_services.signal_link(context=context_for(af_oov), signal=signal, other=other)
    client.force_login(af_oov)
    page = client.get(reverse("intake:detail", args=[signal.reference]))
    picture = page.context["picture"]
    assert (picture.single.hard, picture.group.hard) == (1, 2)
    html = page.content.decode()
    assert 'data-testid="group-tally"' in html
    assert other.reference in html


def test_only_the_reporting_point_sees_the_other_signals_at_the_address_and_the_group(
    client, af_oov, municipal_reporter, other_af_oov
):
    municipality = af_oov.memberships.get().organisation.municipality
    mine = SignalFactory(
        municipality=municipality, reporter=municipal_reporter, place="Kerkstraat 12"
    )
    other = SignalFactory(municipality=municipality, place="Kerkstraat 12")
    intake_services.signal_link(context=context_for(af_oov), signal=mine, other=other)
    assert intake_selectors.signals_at_address(context_for(municipal_reporter), mine) == []
    assert intake_selectors.signal_group_picture(context_for(municipal_reporter), mine) is None
    assert intake_selectors.signals_at_address(context_for(other_af_oov), mine) == []
    client.force_login(municipal_reporter)
    page = client.get(reverse("intake:detail", args=[mine.reference])).content.decode()
    assert other.reference not in page
    assert 'data-testid="at-address"' not in page
