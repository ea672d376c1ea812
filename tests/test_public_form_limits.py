"""The public form loses nothing and counts honestly: a long text is refused whole with its
count, a report over the rate limit comes back with other ways to report, colleagues behind one
address each have their own allowance while the address has a cap, and the checklist follows
the chosen sector (also from a signal card's link)."""

import html
import re

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import translation

from schakel.catalogue.cards import CARDS
from schakel.core import throttle
from schakel.core.models import RateCount
from schakel.intake.cards import card_for_reporter_sector
from schakel.intake.choices import ReporterSector
from schakel.intake.forms import PublicSignalReportForm, SignalReportForm
from schakel.intake.models import Signal

from .test_public_intake import form_data

URL = reverse("intake:public_report")


@pytest.fixture(autouse=True)
def no_waiting(settings):
    settings.SCHAKEL_PUBLIC_MIN_FILL_SECONDS = 0


def browser():
    """A browser of its own (its own form session), reading English: the messages are checked
    in the source language."""
    client = Client()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


@pytest.fixture
def client():
    return browser()


def tickable(sector):
    """The codes of the indicators the sector's checklist lets one tick."""
    form = PublicSignalReportForm(sector=sector)
    return {code for code, _label in form.fields["indicators"].choices}


def report(client, data, address="192.0.2.10"):
    return client.post(URL, data, REMOTE_ADDR=address)


# --- the counter itself (core/throttle.py) -----------------------------------------------------


@pytest.mark.django_db
def test_a_slot_is_taken_until_the_limit_and_then_nothing_more_is_counted(settings):
    settings.SCHAKEL_CARD_PDFS_PER_HOUR = 2
    assert [throttle.take_for("card-pdf", "192.0.2.1") for _ in range(4)] == [
        True,
        True,
        False,
        False,
    ]
    assert RateCount.objects.get().used == 2
    assert throttle.take_for("card-pdf", "192.0.2.2")


@pytest.mark.django_db
def test_taking_two_scopes_is_all_or_nothing(settings):
    settings.SCHAKEL_PUBLIC_REPORTS_PER_HOUR = 5
    settings.SCHAKEL_PUBLIC_REPORTS_PER_ADDRESS_PER_HOUR = 1
    first = throttle.take(("public-report", "session-a"), ("public-report-address", "192.0.2.1"))
    assert not isinstance(first, str)
    refused = throttle.take(("public-report", "session-b"), ("public-report-address", "192.0.2.1"))
    assert refused == "public-report-address"
    # session-b's slot, taken before the address refused, went back with the transaction.
    assert sorted(RateCount.objects.values_list("scope", "used")) == [
        ("public-report", 1),
        ("public-report-address", 1),
    ]


@pytest.mark.django_db
def test_a_slot_given_back_can_be_taken_again(settings):
    settings.SCHAKEL_PUBLIC_FEEDBACK_ATTEMPTS_PER_HOUR = 1
    slots = throttle.take(("public-feedback", "192.0.2.1"))
    assert not isinstance(slots, str)
    assert not throttle.take_for("public-feedback", "192.0.2.1")
    throttle.give_back(slots)
    assert throttle.take_for("public-feedback", "192.0.2.1")


@pytest.mark.django_db
def test_a_limit_of_zero_refuses_everything(settings):
    settings.SCHAKEL_MATCHING_LOOKUPS_PER_HOUR = 0
    assert not throttle.take_for("matching-lookup", "user:1")
    assert not RateCount.objects.exists()


@pytest.mark.django_db
def test_the_counts_name_nobody_and_past_hours_are_swept():
    throttle.take_for("public-feedback", "192.0.2.77")
    assert "192.0.2.77" not in str(list(RateCount.objects.values()))
    now = throttle.window_now()
    RateCount.objects.create(scope="card-pdf", identity="old", window_no=now - 1, used=3)
    assert throttle.sweep() == 1
    assert list(RateCount.objects.values_list("window_no", flat=True)) == [now]


@pytest.mark.django_db
def test_a_new_hour_for_an_identity_sweeps_the_past_ones():
    RateCount.objects.create(scope="card-pdf", identity="old", window_no=1, used=3)
    throttle.take_for("card-pdf", "192.0.2.1")
    assert not RateCount.objects.filter(window_no=1).exists()


# --- long text: refused whole, never cut -----------------------------------------------------


@pytest.mark.django_db
def test_the_description_has_no_maxlength_but_states_its_limit():
    form = PublicSignalReportForm()
    rendered = str(form["description"])
    assert "maxlength" not in rendered
    assert 'data-max-length="10000"' in rendered
    with translation.override("en"):
        assert str(form["description"].help_text).endswith(" At most 10,000 characters.")


@pytest.mark.django_db
def test_a_description_over_the_limit_is_refused_with_its_count_and_kept_whole(
    client, municipality
):
    long_text = "De bus komt elke ochtend. " * 800  # 20,800 characters
    given = len(long_text.strip())
    response = report(client, form_data(municipality, description=long_text))
    assert response.status_code == 200
    assert not Signal.objects.exists()
    page = response.content.decode()
    error = response.context["form"].errors["description"][0]
    assert error in page
    assert error == (
        f"Your text has {given:,} characters and at most 10,000 fit: shorten it by "
        f"{given - 10_000:,} characters. Nothing was sent; your text is still here."
    )
    textarea = re.search(r"<textarea[^>]*>(.*?)</textarea>", page, re.S).group(1)
    assert html.unescape(textarea) == "\n" + long_text
    assert not RateCount.objects.exists()  # an invalid report takes no slot


@pytest.mark.django_db
def test_new_lines_count_once_as_the_counter_counts_them(client, municipality):
    # 9,998 letters and one new line sent as CRLF: 10,000 raw characters, 9,999 to the reader.
    text = "a" * 4999 + "\r\n" + "b" * 4999
    assert len(text) == 10_000
    response = report(client, form_data(municipality, description=text + "c"))
    assert response.status_code == 200
    assert Signal.objects.get().description == "a" * 4999 + "\n" + "b" * 4999 + "c"


@pytest.mark.django_db
def test_the_staff_form_refuses_a_long_description_the_same_way():
    form = SignalReportForm({"description": "x" * 10_001}, memberships=[])
    assert "maxlength" not in str(form["description"])
    with translation.override("en"):
        assert form.errors["description"] == [
            "Your text has 10,001 characters and at most 10,000 fit: shorten it by 1 character. "
            "Nothing was sent; your text is still here."
        ]
    assert form["description"].value() == "x" * 10_001


# --- over the rate limit: the report comes back, with other ways to report ------------------


@pytest.mark.django_db
def test_a_report_over_the_limit_comes_back_whole_with_the_phone_and_meld_misdaad_anoniem(
    client, settings, municipality
):
    settings.SCHAKEL_PUBLIC_REPORTS_PER_HOUR = 1
    assert report(client, form_data(municipality)).status_code == 200
    typed = "Een tweede melding over dezelfde loods, nu 's avonds."
    response = report(client, form_data(municipality, description=typed, place="Havenweg 3"))
    assert response.status_code == 429
    assert Signal.objects.count() == 1
    page = response.content.decode()
    refusal = page[
        page.index('data-testid="too-many"') : page.index("</div>", page.index("too-many"))
    ]
    assert "Your report has not been sent yet" in refusal
    assert municipality.reporting_point_phone in refusal
    assert 'href="tel:0123456789"' in refusal
    assert "0800-7000" in refusal
    assert 'href="https://www.meldmisdaadanoniem.nl"' in refusal
    assert typed in html.unescape(page)
    assert 'value="Havenweg 3"' in page
    form = response.context["form"]
    assert form["form_token"].value() == form.data["form_token"]  # sent again later, it counts


@pytest.mark.django_db
def test_colleagues_behind_one_address_each_have_their_own_allowance(settings, municipality):
    settings.SCHAKEL_PUBLIC_REPORTS_PER_HOUR = 2
    colleagues = [browser() for _ in range(3)]
    statuses = [report(c, form_data(municipality)).status_code for c in colleagues for _ in "ab"]
    assert statuses == [200] * 6
    assert report(colleagues[0], form_data(municipality)).status_code == 429
    assert Signal.objects.count() == 6


@pytest.mark.django_db
def test_the_address_cap_bounds_a_flood_of_new_sessions(settings, municipality):
    settings.SCHAKEL_PUBLIC_REPORTS_PER_ADDRESS_PER_HOUR = 3
    statuses = [report(browser(), form_data(municipality)).status_code for _ in range(5)]
    assert statuses == [200, 200, 200, 429, 429]
    assert Signal.objects.count() == 3
    refused = report(browser(), form_data(municipality)).content.decode()
    assert "Many reports have been sent from your connection" in refused
    assert report(browser(), form_data(municipality), address="198.51.100.4").status_code == 200


@pytest.mark.django_db
def test_the_address_is_the_client_behind_the_trusted_proxy(settings, municipality):
    settings.SCHAKEL_PROXY_COUNT = 1
    settings.SCHAKEL_PUBLIC_REPORTS_PER_ADDRESS_PER_HOUR = 1
    proxy = "10.0.0.1"

    def via_proxy(client_address):
        return browser().post(
            URL, form_data(municipality), REMOTE_ADDR=proxy, HTTP_X_FORWARDED_FOR=client_address
        )

    assert via_proxy("203.0.113.7").status_code == 200
    assert via_proxy("203.0.113.8").status_code == 200
    assert via_proxy("203.0.113.7").status_code == 429


@pytest.mark.django_db
def test_sending_the_same_form_twice_uses_one_slot(client, municipality):
    data = form_data(municipality)
    assert report(client, data).context["code"] is not None
    assert report(client, data).context["code"] is None  # the same report, not stored again
    assert Signal.objects.count() == 1
    assert set(RateCount.objects.values_list("used", flat=True)) == {1}


@pytest.mark.django_db
def test_the_feedback_page_over_its_limit_keeps_what_was_typed(client, settings):
    settings.SCHAKEL_PUBLIC_FEEDBACK_ATTEMPTS_PER_HOUR = 1
    url = reverse("intake:public_feedback")
    data = {"reference": "MH-2026-ABCDEF", "code": "AAAA-BBBB-CCCC-DDDD"}
    client.post(url, data)
    response = client.post(url, data)
    assert response.status_code == 429
    page = response.content.decode()
    assert 'data-testid="too-many"' in page
    assert 'value="MH-2026-ABCDEF"' in page


# --- the checklist follows the sector -------------------------------------------------------


@pytest.mark.django_db
def test_the_form_opens_on_the_sector_of_the_link_and_ignores_an_unknown_one(client):
    response = client.get(URL, {"sector": "hospitality"})
    assert response.context["form"].card.code == "hospitality"
    assert '<option value="hospitality" selected>' in response.content.decode()
    assert client.get(URL, {"sector": "nightclub"}).context["form"].card.code == "public"


@pytest.mark.django_db
def test_showing_another_sectors_checklist_keeps_everything_and_stores_nothing(
    client, municipality
):
    typed = "Op de derde verdieping komen 's nachts steeds andere mannen langs."
    data = form_data(municipality, sector="hospitality", description=typed, place="")
    data["show_checklist"] = "1"
    response = report(client, data)
    assert response.status_code == 200
    assert not Signal.objects.exists()
    assert not RateCount.objects.exists()
    form = response.context["form"]
    assert form.card.code == "hospitality"
    page = response.content.decode()
    assert 'data-testid="checklist-shown"' in page
    assert typed in html.unescape(page)
    assert 'class="error"' not in page  # the empty place is not judged: nothing was sent
    assert form["form_token"].value() == data["form_token"]
    # The other cards' checklists are there, inert, for the switch in the browser.
    assert '<template data-checklist-card="public">' in page
    assert '<template data-checklist-card="hospitality">' not in page


@pytest.mark.django_db
def test_enter_in_a_text_field_with_the_checklist_of_the_chosen_sector_on_show_sends_it(
    client, municipality
):
    """Without JS the sector switch is the form's first button, so Enter presses it: when the
    checklist on show already fits the sector, that is a report to send."""
    data = form_data(municipality, sector="hospitality")
    data["show_checklist"] = "1"
    data["checklist_card"] = "hospitality"
    response = report(client, data)
    assert response.status_code == 200
    assert Signal.objects.count() == 1
    assert "checklist-shown" not in response.content.decode()
    # With the general checklist still on show, the same press switches and stores nothing.
    data = form_data(municipality, sector="school")
    data["show_checklist"] = "1"
    data["checklist_card"] = "public"
    assert report(client, data).context["form"].card.code == "school"
    assert Signal.objects.count() == 1


@pytest.mark.django_db
def test_a_tick_on_an_indicator_the_new_checklist_also_has_stays_and_others_go(
    client, municipality
):
    public, hotel = tickable("public"), tickable("hospitality")
    both, only_public = sorted(public & hotel), sorted(public - hotel)
    assert both and only_public
    data = form_data(municipality, sector="hospitality", indicators=[both[0], only_public[0]])
    data["show_checklist"] = "1"
    form = report(client, data).context["form"]
    shown = dict(form.fields["indicators"].choices)
    assert both[0] in shown and only_public[0] not in shown
    # Sent from this page, only the shown checklist's ticks come along and are valid.
    sent = form_data(municipality, sector="hospitality", indicators=[both[0]])
    assert report(client, sent).status_code == 200
    assert list(Signal.objects.get().indicators.values_list("code", flat=True)) == [both[0]]


def test_every_situation_only_card_is_a_public_reporter_sector_with_that_card():
    # The card pages link to the form with ?sector=<card code> (catalogue cannot import intake).
    for card in CARDS:
        if card.situation_only:
            assert card.code in ReporterSector.values
            assert card_for_reporter_sector(card.code).code == card.code


@pytest.mark.django_db
@pytest.mark.parametrize(("card", "sector"), [("hospitality", "hospitality"), ("brp", None)])
def test_the_card_links_to_the_form_on_its_sector(client, municipality, card, sector):
    page = client.get(
        reverse("catalogue:card", kwargs={"cbs_code": municipality.cbs_code, "sector": card})
    ).content.decode()
    link = html.unescape(re.search(r'data-testid="public-form-link">([^<]+)<', page).group(1))
    assert ("sector=" in link) is (sector is not None)
    form = client.get(link).context["form"]
    assert form.card.code == (sector or "public")
    assert form.initial["municipality"] == municipality.pk
