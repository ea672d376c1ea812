"""A refused form in a real browser: the error summary takes focus, the page title says there is
an error, a link in the summary puts the cursor in its field, and the focus ring stands out
(WCAG 1.4.11: at least 3:1 against the white page)."""

from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

from schakel.catalogue.services import catalogue_load_defaults


@pytest.fixture(autouse=True)
def no_waiting(settings):
    settings.SCHAKEL_PUBLIC_MIN_FILL_SECONDS = 0


@pytest.fixture
def catalogue(transactional_db):
    catalogue_load_defaults()


def luminance(css_rgb: str) -> float:
    channels = [int(part) / 255 for part in css_rgb[css_rgb.index("(") + 1 : -1].split(",")[:3]]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast_on_white(css_rgb: str) -> float:
    return 1.05 / (luminance(css_rgb) + 0.05)


SCREENSHOTS = Path(__file__).resolve().parents[2] / "var" / "screenshots"
RING = """() => { const s = getComputedStyle(document.activeElement);
  return [s.outlineStyle, parseFloat(s.outlineWidth), s.outlineColor]; }"""


def test_a_refused_form_focuses_its_summary_whose_links_lead_to_the_fields(
    catalogue, municipality, live_server, page
):
    page.context.add_cookies(
        [{"name": settings.LANGUAGE_COOKIE_NAME, "value": "en", "url": live_server.url}]
    )
    page.goto(
        f"{live_server.url}{reverse('intake:public_report')}?gemeente={municipality.cbs_code}"
    )
    title = page.title()
    page.locator("#id_observed_on").fill("31-02-2026")
    page.locator("form.form button[type=submit]").click()
    page.wait_for_load_state()

    assert page.evaluate("document.activeElement.dataset.testid") == "error-summary"
    assert page.title() == f"Error: {title}"
    style, width, colour = page.evaluate(RING)
    assert style == "solid" and width >= 2
    assert contrast_on_white(colour) >= 3

    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    for width in (1280, 375):
        page.set_viewport_size({"width": width, "height": 900})
        page.screenshot(path=SCREENSHOTS / f"error-summary-{width}.png")
    summary = page.get_by_test_id("error-summary")
    assert "That date does not exist" in summary.inner_text()
    summary.locator("a[href='#id_observed_on']").press("Enter")
    assert page.evaluate("document.activeElement.id") == "id_observed_on"
    assert page.locator("#id_observed_on").input_value() == "31-02-2026"  # nothing typed is lost
    style, width, colour = page.evaluate(RING)
    assert style == "solid" and width >= 2 and contrast_on_white(colour) >= 3

    # A group of boxes: the link lands on its first box.
    summary.locator("a[href='#id_exploitation_forms_0']").press("Enter")
    assert page.evaluate("document.activeElement.id") == "id_exploitation_forms_0"
