"""No signal lies idle (DOMAIN.md §3): its deadlines are visible on the signal page, an overdue
new signal waits in 'Mijn acties' of its reporting point, and the start page counts the queue.
Whether a signal is overdue is decided in one place (intake.deadlines)."""

from datetime import date, datetime, timedelta
from html.parser import HTMLParser
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from schakel.audit.models import AuditEvent
from schakel.intake import reminders, services
from schakel.intake.choices import SignalStatus
from schakel.intake.deadlines import deadline_state, feedback_overdue
from schakel.intake.models import ReminderKind
from schakel.intake.selectors import overdue_new_signals, signal_counts, signal_queue
from schakel.worklist.selectors import my_actions

from .conftest import context_for
from .factories import SignalFactory

AMSTERDAM = ZoneInfo("Europe/Amsterdam")


def days_ago(days: int) -> datetime:
    return timezone.now() - timedelta(days=days)


@pytest.fixture
def late(municipality, municipal_reporter):
    """A new signal reported twelve days ago: five working days have passed for certain."""
    return SignalFactory(
        municipality=municipality, reporter=municipal_reporter, reported_at=days_ago(12)
    )


@pytest.fixture
def fresh(municipality, municipal_reporter):
    return SignalFactory(municipality=municipality, reporter=municipal_reporter)


# --- One place decides ------------------------------------------------------------------------


def test_feedback_is_overdue_the_day_after_its_term_unless_recorded_or_closed():
    reported = datetime(2026, 11, 23, 10, tzinfo=AMSTERDAM)  # due 7 December
    kwargs = {"status": SignalStatus.IN_PROGRESS, "reported_at": reported, "feedback_at": None}
    assert not feedback_overdue(**kwargs, today=date(2026, 12, 7))
    assert feedback_overdue(**kwargs, today=date(2026, 12, 8))
    assert not feedback_overdue(**{**kwargs, "feedback_at": reported}, today=date(2026, 12, 8))
    closed = {**kwargs, "status": SignalStatus.CLOSED}
    assert not feedback_overdue(**closed, today=date(2026, 12, 8))


@pytest.mark.parametrize("working_days", [1, 5, 20])
def test_the_queue_my_actions_the_counts_and_the_reminders_agree_on_what_is_overdue(
    settings, af_oov, municipality, working_days
):
    settings.SCHAKEL_FIRST_ACTION_WORKING_DAYS = working_days
    signals = [
        SignalFactory(municipality=municipality, reported_at=days_ago(age))
        for age in (0, 1, 2, 3, 6, 8, 13, 20, 30)
    ]
    expected = {s.reference for s in signals if deadline_state(s).first_action_overdue}
    assert expected and expected != {s.reference for s in signals}  # both kinds present
    context = context_for(af_oov)
    today = timezone.localdate()

    in_queue = {
        i.signal.reference for i in signal_queue(context).new if i.state.first_action_overdue
    }
    in_actions = {i.signal.reference for i in overdue_new_signals(context)}
    reminded = {
        s.reference for s in signals if reminders.is_overdue(s, ReminderKind.FIRST_ACTION, today)
    }
    assert in_queue == in_actions == reminded == expected
    assert signal_counts(context).overdue == len(expected)


# --- The signal page --------------------------------------------------------------------------


class Outline(HTMLParser):
    """The headings of a page, and the text inside elements marked with a data-testid."""

    def __init__(self):
        super().__init__()
        self.headings: list[tuple[str, str]] = []
        self._heading: str | None = None
        self.texts: dict[str, str] = {}
        self._open: list[str | None] = []

    def handle_starttag(self, tag, attrs):
        if tag in ("h1", "h2", "h3", "h4"):
            self._heading, self._text = tag, ""
        if tag not in ("br", "input", "meta", "link", "img"):
            self._open.append(dict(attrs).get("data-testid"))

    def handle_endtag(self, tag):
        if tag == self._heading:
            self.headings.append((tag, self._text.strip()))
            self._heading = None
        if tag not in ("br", "input", "meta", "link", "img") and self._open:
            self._open.pop()

    def handle_data(self, data):
        if self._heading:
            self._text += data
        for testid in self._open:
            if testid:
                self.texts[testid] = self.texts.get(testid, "") + data


def outline_of(response) -> Outline:
    parser = Outline()
    parser.feed(response.content.decode())
    return parser


def test_the_signal_page_shows_an_overdue_first_action_in_words(client, af_oov, late):
    client.force_login(af_oov)
    page = outline_of(client.get(reverse("intake:detail", args=[late.reference])))
    due = deadline_state(late).deadlines.first_action_due
    shown = page.texts["first-action-due"]
    assert str(due.day) in shown and "Te laat" in shown  # in text, not by colour alone
    assert "Te laat" in page.texts["deadlines"]


def test_the_signal_page_shows_a_fresh_signal_without_overdue(client, af_oov, fresh):
    client.force_login(af_oov)
    page = outline_of(client.get(reverse("intake:detail", args=[fresh.reference])))
    assert "first-action-due" in page.texts and "feedback-due" in page.texts
    assert "Te laat" not in page.texts["deadlines"]


def test_the_reporter_does_not_see_the_handling_deadlines(client, municipal_reporter, late):
    client.force_login(municipal_reporter)
    response = client.get(reverse("intake:detail", args=[late.reference]))
    assert response.status_code == 200
    assert 'data-testid="deadlines"' not in response.content.decode()


def test_feedback_before_pick_up_is_explained_and_the_hint_goes_once_picked_up(
    client, af_oov, fresh
):
    client.force_login(af_oov)
    url = reverse("intake:detail", args=[fresh.reference])
    page = client.get(url)
    assert "feedback" not in page.context["actions"]
    assert 'data-testid="feedback-waits"' in page.content.decode()

    services.signal_pick_up(context=context_for(af_oov), signal=fresh)
    page = client.get(url)
    assert "feedback" in page.context["actions"]
    assert 'data-testid="feedback-waits"' not in page.content.decode()


def test_each_handling_form_has_its_own_heading_under_the_handling_heading(client, af_oov, fresh):
    services.signal_pick_up(context=context_for(af_oov), signal=fresh)
    client.force_login(af_oov)
    response = client.get(reverse("intake:detail", args=[fresh.reference]))
    forms = response.context["actions"]
    headings = outline_of(response).headings
    handling = [tag for tag, _ in headings].index("h3") - 1
    assert headings[handling][0] == "h2"
    under = [text for tag, text in headings[handling + 1 :] if tag == "h3"]
    assert len(under) == len(forms) >= 3
    assert len(set(under)) == len(under)  # each its own words


# --- Mijn acties ------------------------------------------------------------------------------


def test_my_actions_lists_an_overdue_new_signal_for_its_reporting_point(
    client, af_oov, late, fresh
):
    actions = my_actions(context_for(af_oov))
    assert [i.signal for i in actions.overdue_signals] == [late]
    assert not actions.empty
    assert AuditEvent.objects.filter(purpose="my actions").exists()

    client.force_login(af_oov)
    page = outline_of(client.get(reverse("worklist:actions")))
    # Both wait for their first action, the late one first and marked in words.
    waiting = page.texts["my-signals"]
    assert waiting.index(late.reference) < waiting.index(fresh.reference)
    assert waiting.count("Te laat") == 1


def test_my_actions_leaves_it_out_for_another_municipality_and_for_the_reporter(
    client, other_af_oov, municipal_reporter, late
):
    assert my_actions(context_for(other_af_oov)).overdue_signals == []
    assert overdue_new_signals(context_for(municipal_reporter)) == []
    client.force_login(other_af_oov)
    assert late.reference not in client.get(reverse("worklist:actions")).content.decode()


def test_a_signal_picked_up_leaves_my_actions(af_oov, late):
    services.signal_pick_up(context=context_for(af_oov), signal=late)
    assert overdue_new_signals(context_for(af_oov)) == []


# --- The start page ---------------------------------------------------------------------------


def tile_figures(client, user) -> dict[str, list]:
    client.force_login(user)
    tiles = client.get(reverse("home")).context["tiles"]
    return {item.url_name: figures for item, figures in tiles}


def test_the_start_page_counts_without_a_query_per_signal(
    client, af_oov, municipality, django_assert_max_num_queries
):
    client.force_login(af_oov)
    SignalFactory.create_batch(2, municipality=municipality, reported_at=days_ago(12))
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("home"))
    SignalFactory.create_batch(8, municipality=municipality, reported_at=days_ago(12))
    with django_assert_max_num_queries(len(few)):
        assert client.get(reverse("home")).context["tiles"]


def test_the_start_page_counts_new_and_overdue_signals_for_the_reporting_point(
    client, af_oov, late, fresh
):
    SignalFactory(municipality=late.municipality, status=SignalStatus.IN_PROGRESS)
    tiles = tile_figures(client, af_oov)
    assert [(f.number, f.urgent) for f in tiles["intake:queue"]] == [(2, False), (1, True)]
    assert "?termijn=verlopen" in tiles["intake:queue"][1].url
    page = client.get(reverse("home")).content.decode()
    overdue = f'<a href="{reverse("intake:queue")}?termijn=verlopen">1 '
    assert overdue in page  # the figure links to the list it counts


def test_another_municipality_counts_nothing_and_a_reporter_sees_no_queue_tile(
    client, other_af_oov, municipal_reporter, late
):
    tiles = tile_figures(client, other_af_oov)
    assert [f.number for f in tiles["intake:queue"]] == [0]
    assert tiles["worklist:actions"] == []
    reporter_tiles = tile_figures(client, municipal_reporter)
    assert "intake:queue" not in reporter_tiles
    # The reporter counts only their own report, waiting for feedback.
    assert [f.number for f in reporter_tiles.pop("intake:mine")] == [1]
    assert all(not figures for figures in reporter_tiles.values())
    assert signal_counts(context_for(municipal_reporter)).new == 0
