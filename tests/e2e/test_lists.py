"""The list screens in the browser: the filters and the sort live in the URL, the pages do not
scroll sideways on a 320 px screen (WCAG 1.4.10)."""

from pathlib import Path

import pytest
from django.urls import reverse
from playwright.sync_api import expect

SCREENSHOTS = Path(__file__).resolve().parents[2] / "var" / "screenshots"
LISTS = ["intake:queue", "cases:list", "cases:shared", "meetings:list"]


def scrolls_sideways(page) -> bool:
    return page.evaluate(
        "document.scrollingElement.scrollWidth > document.documentElement.clientWidth"
    )


@pytest.mark.parametrize("name", LISTS)
def test_a_list_with_its_filters_fits_a_320_px_screen(demo_region, live_server, login, name):
    page = login("af.oov")
    page.set_viewport_size({"width": 320, "height": 800})
    page.goto(f"{live_server.url}{reverse(name)}")
    expect(page.get_by_test_id("filters")).to_be_visible()
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(
        path=str(SCREENSHOTS / f"list-{name.replace(':', '-')}-320.png"), full_page=True
    )
    assert not scrolls_sideways(page)


def test_the_af_filters_the_queue_and_sorts_it_by_a_column_header(demo_region, live_server, login):
    page = login("af.oov")
    page.goto(f"{live_server.url}{reverse('intake:queue')}")
    page.get_by_label("Status").select_option("routed")
    page.get_by_role("button", name="Filteren").click()
    page.wait_for_url("**status=routed**")
    # No new signal is routed: only the table of signals in hand is left.
    expect(page.locator("table")).to_have_count(1)
    received = page.get_by_role("columnheader", name="Ontvangen").last
    received.get_by_role("link").click()
    page.wait_for_url("**sort=-received**")
    # The filter stays, and the header says how the list is sorted now.
    assert "status=routed" in page.url
    expect(page.get_by_role("columnheader", name="Ontvangen").last).to_have_attribute(
        "aria-sort", "descending"
    )
