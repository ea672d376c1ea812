"""The public form in a real browser: the checklist follows the chosen sector in place, with
what was typed and ticked kept, and a long text is counted, never cut, and refused whole."""

import pytest
from django.conf import settings
from django.urls import reverse
from playwright.sync_api import expect

from schakel.catalogue.services import catalogue_load_defaults
from schakel.intake.forms import PublicSignalReportForm
from schakel.intake.models import Signal


@pytest.fixture(autouse=True)
def no_waiting(settings):
    settings.SCHAKEL_PUBLIC_MIN_FILL_SECONDS = 0


@pytest.fixture
def catalogue(transactional_db):
    """The shipped indicators: an earlier test on a committing database flushed them."""
    catalogue_load_defaults()


def checklist_codes(page) -> set[str]:
    boxes = page.get_by_test_id("checklist").locator("input[type=checkbox]")
    return {box.get_attribute("value") for box in boxes.all()}


def tickable(sector) -> list[str]:
    return [
        code for code, _label in PublicSignalReportForm(sector=sector).fields["indicators"].choices
    ]


def test_the_checklist_follows_the_sector_and_nothing_typed_is_lost(
    catalogue, municipality, live_server, page
):
    public, hotel = tickable("public"), tickable("hospitality")
    shared = next(code for code in public if code in hotel)
    public_only = next(code for code in public if code not in hotel)

    # In English, the source language: the texts checked here do not wait for a translation.
    page.context.add_cookies(
        [{"name": settings.LANGUAGE_COOKIE_NAME, "value": "en", "url": live_server.url}]
    )
    url = f"{live_server.url}{reverse('intake:public_report')}?gemeente={municipality.cbs_code}"
    page.goto(url)
    assert checklist_codes(page) == set(public)
    expect(page.locator("button[name=show_checklist]")).to_have_count(0)  # JavaScript switches

    typed = "Op de derde verdieping komen 's nachts steeds andere mannen langs."
    page.locator("#id_description").fill(typed)
    expect(page.get_by_test_id("char-counter")).to_have_text(f"{len(typed)} of 10,000 characters")
    checklist = page.get_by_test_id("checklist")
    checklist.locator(f"input[value='{shared}']").check()
    checklist.locator(f"input[value='{public_only}']").check()

    page.locator("#id_sector").select_option("hospitality")
    assert checklist_codes(page) == set(hotel)
    # A screen reader hears the change: a polite status message names the new card.
    expect(page.locator("[data-checklist-announce][role=status]")).to_contain_text("Hotel")
    expect(checklist.locator(f"input[value='{shared}']")).to_be_checked()
    expect(page.locator("#id_description")).to_have_value(typed)
    page.locator("#id_sector").select_option("public")
    expect(checklist.locator(f"input[value='{public_only}']")).to_be_checked()
    page.locator("#id_sector").select_option("hospitality")

    # A text past the limit: the browser keeps it all, the counter warns, the server refuses it.
    long_text = typed + " En nog meer." * 800
    page.locator("#id_description").fill(long_text)
    expect(page.locator("#id_description")).to_have_value(long_text)
    expect(page.get_by_role("alert")).to_contain_text("shorten the text")
    page.locator("#id_place").fill("Hotel aan de Havenweg")
    page.locator("#id_exploitation_forms input[value='sexual']").check()
    page.get_by_role("button", name="Send report").click()
    expect(page.locator("#id_description_error")).to_contain_text("at most 10,000 fit")
    expect(page.locator("#id_description")).to_have_value(long_text.strip())
    assert not Signal.objects.exists()

    page.locator("#id_description").fill(typed)
    page.get_by_role("button", name="Send report").click()
    expect(page.get_by_test_id("reference")).to_be_visible()
    signal = Signal.objects.get()
    assert signal.reporter_sector == "hospitality"
    # Only the checklist on show was sent: the tick the hotel card lacks stayed behind.
    assert list(signal.indicators.values_list("code", flat=True)) == [shared]
