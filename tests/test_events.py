"""History is stored as kinds and parameters and read in the reader's language: every kind of
every history (signals, cases, meetings) has a renderer, renders in Dutch and in English
without a raw code, and the screens show those words."""

import re

import pytest
from django.urls import reverse
from django.utils import translation

from schakel.cases.events import case_events
from schakel.core.events import EventRenderers, Names
from schakel.intake.choices import SignalEventKind
from schakel.intake.events import signal_events
from schakel.intake.models import SignalEvent
from schakel.meetings.events import meeting_events

from .conftest import context_for
from .factories import SignalFactory

REGISTRIES = {"signal": signal_events, "case": case_events, "meeting": meeting_events}
CODE = re.compile(r"^[a-z]+(_[a-z0-9]+)+$")  # snake_case codes such as case_meeting


def every_kind():
    for name, registry in REGISTRIES.items():
        for kind in registry.kinds.values:
            yield pytest.param(registry, kind, id=f"{name}-{kind}")


@pytest.mark.parametrize("registry", REGISTRIES.values(), ids=REGISTRIES.keys())
def test_every_kind_has_a_renderer(registry: EventRenderers):
    assert registry.missing() == set()


@pytest.mark.django_db
@pytest.mark.parametrize(("registry", "kind"), list(every_kind()))
@pytest.mark.parametrize("language", ["nl", "en"])
def test_every_kind_reads_without_a_raw_code(registry, kind, language):
    parameters = registry.examples[kind]
    names = Names({1: "GGD Brakelveen"})
    with translation.override(language):
        title = registry.title(kind)
        detail = registry.detail(kind, parameters, names)
    # A snake_case code would show as itself; a one-word code is an ordinary word.
    codes = {
        v for v in [kind, *_values(parameters)] if isinstance(v, str) and CODE.match(v) is not None
    }
    assert f"({kind})" not in title + detail
    for code in codes:
        assert code not in title and code not in detail, (kind, language, title, detail)
    assert title and title != kind
    assert "(unknown)" not in detail and "(onbekend)" not in detail
    if language == "nl":
        with translation.override("en"):
            english = registry.title(kind), registry.detail(kind, parameters, names)
        # Dutch words, not the English source, wherever the sentence has words to translate.
        assert (title, detail) != english or kind in SAME_IN_BOTH_LANGUAGES


# Kinds whose label reads the same in both languages.
SAME_IN_BOTH_LANGUAGES = {"contact"}


def _values(value):
    if isinstance(value, dict):
        for item in value.values():
            yield from _values(item)
    elif isinstance(value, list):
        for item in value:
            yield from _values(item)
    else:
        yield value


def test_an_unknown_code_reads_as_a_neutral_word_not_as_the_code():
    with translation.override("en"):
        detail = signal_events.detail(
            SignalEventKind.ROUTED, {"destination": "mystery_route"}, Names({})
        )
        title = signal_events.title("no_such_kind")
    assert "mystery_route" not in detail and "(unknown)" in detail
    assert title == "Other step"


@pytest.fixture
def signal(municipality):
    return SignalFactory(municipality=municipality, place="Stationsplein 4")


@pytest.mark.django_db
def test_the_signal_history_reads_in_the_readers_language(client, af_oov, signal):
    from schakel.intake import services

    services.signal_enrich(
        context=context_for(af_oov), signal=signal, kind="address", text="Drie namen op de bel"
    )
    services.signal_route(
        context=context_for(af_oov),
        signal=signal,
        destination="case_meeting",
        reason="Meerdere signalen",
    )
    stored = list(SignalEvent.objects.filter(signal=signal).values_list("kind", "parameters"))
    assert stored[-1] == ("routed", {"destination": "case_meeting"})
    client.force_login(af_oov)
    url = reverse("intake:detail", args=[signal.reference])
    client.cookies["django_language"] = "en"
    english = client.get(url).content.decode()
    assert "Facts about the address" in english and "to: Case meeting" in english
    client.cookies["django_language"] = "nl"
    dutch = client.get(url).content.decode()
    assert "Feiten over het adres" in dutch and "naar: Casusoverleg" in dutch
    for page in (english, dutch):
        assert "(address)" not in page and "(case_meeting)" not in page
        assert "· case_meeting" not in page


@pytest.mark.django_db
def test_a_meeting_keeps_its_history_and_shows_it_in_the_readers_language(client):
    from schakel.meetings import services as meeting_services

    from .world import build_world

    world = build_world()
    meeting = world.case_meeting(invited=("zc",), present=("af", "zc"))
    meeting_services.agenda_add_topic(
        context=world.context("af"), meeting=meeting, topic="Werkwijze"
    )
    assert list(meeting.events.values_list("kind", "parameters")) == [
        ("topic_added", {"item": meeting.agenda.get(topic="Werkwijze").position})
    ]
    client.force_login(world.users["af"])
    client.cookies["django_language"] = "en"
    page = client.get(reverse("meetings:detail", args=[meeting.pk])).content.decode()
    assert "Topic added to the agenda" in page and "AF Test" in page
    assert "topic_added" not in page
