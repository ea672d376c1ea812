"""WCAG 2.1.1 and 2.4.7: the public form and the report form are completed with the keyboard
alone (Tab and Shift+Tab to move, Space to tick, Enter to send, typing to fill in and to choose
in a list) and the focused element always shows it has the focus. Focus moves only by the
keyboard here: no clicks, no `fill` or `check` on located elements; the page is only read."""

import re

import pytest
from playwright.sync_api import Page, expect

from schakel.intake.models import Signal

MOST_TABS = 120  # more stops than either form has: a trap or a missing field fails, not hangs

MATCHES = "(selector) => !!document.activeElement && document.activeElement.matches(selector)"
# Schakel's own focus ring (app.css): a solid outline of at least 2 px or a box-shadow; the
# browser's thin default ring (outline-style `auto`) does not count.
VISIBLE_FOCUS = """() => {
    const style = getComputedStyle(document.activeElement);
    const outline = style.outlineStyle === 'solid' && parseFloat(style.outlineWidth) >= 2;
    return outline || style.boxShadow !== 'none';
}"""


@pytest.fixture(autouse=True)
def no_waiting(settings):
    """The public form refuses a report sent within SCHAKEL_PUBLIC_MIN_FILL_SECONDS (3 s) of
    opening it, against bots; a test types faster than a person, so it waits for nobody."""
    settings.SCHAKEL_PUBLIC_MIN_FILL_SECONDS = 0


def tab_to(page: Page, selector: str, *, backwards: bool = False) -> None:
    """Press Tab (or Shift+Tab) until the focus is on `selector`, and check it can be seen."""
    key = "Shift+Tab" if backwards else "Tab"
    for _ in range(MOST_TABS):
        page.keyboard.press(key)
        if page.evaluate(MATCHES, selector):
            assert page.evaluate(VISIBLE_FOCUS), f"the focus on {selector} cannot be seen"
            return
    pytest.fail(f"{selector} is not reached with {key}")


def test_a_member_of_the_public_reports_with_the_keyboard_only(demo_region, live_server, page):
    page.goto(f"{live_server.url}/melden/")
    tab_to(page, "#id_municipality")
    page.keyboard.type("Brakelveen")  # a closed list chooses the option typed
    tab_to(page, "#id_place")
    page.keyboard.type("Nagelsalon aan het Marktplein")
    tab_to(page, "#id_exploitation_forms_1")
    page.keyboard.press("Space")
    tab_to(page, "#id_description")
    page.keyboard.type("Twee jonge vrouwen werken er tot laat en slapen achter in de zaak.")
    tab_to(page, "#id_indicators_0")
    page.keyboard.press("Space")
    tab_to(page, "#id_description", backwards=True)  # and back, to add a sentence
    page.keyboard.press("End")
    page.keyboard.type(" Ze lijken niet vrij te zijn om weg te gaan.")
    tab_to(page, "button[type=submit]:not([name=language])")
    page.keyboard.press("Enter")

    expect(page.get_by_test_id("reference")).to_be_visible()
    signal = Signal.objects.get(place="Nagelsalon aan het Marktplein")
    assert signal.municipality.name == "Brakelveen"
    assert signal.description.endswith("Ze lijken niet vrij te zijn om weg te gaan.")
    assert signal.exploitation_forms and signal.indicators.count() == 1


def test_a_municipal_reporter_logs_in_and_reports_with_the_keyboard_only(
    demo_region, live_server, page
):
    page.goto(f"{live_server.url}/login/")
    tab_to(page, "input[name=username]")
    page.keyboard.type("medewerker")
    tab_to(page, "input[name=password]")
    page.keyboard.type("schakel-demo")
    page.keyboard.press("Enter")
    page.wait_for_url(f"{live_server.url}/")

    tab_to(page, "a[href='/signals/report/']")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/signals/report/$"))
    tab_to(page, "#id_place")
    page.keyboard.type("Parkeerterrein Zuidpoort")
    tab_to(page, "#id_exploitation_forms_0")
    page.keyboard.press("Space")
    tab_to(page, "#id_description")
    page.keyboard.type("Een busje haalt elke ochtend om vijf uur dezelfde groep mannen op.")
    tab_to(page, "#id_indicators_2")
    page.keyboard.press("Space")
    tab_to(page, "#id_persons-0-role")
    page.keyboard.type("Mogelijk slachtoffer")
    tab_to(page, "#id_persons-0-approximate_age")
    page.keyboard.type("30")
    tab_to(page, "#id_attachments")  # reached, and passed: no file this time
    tab_to(page, "button[type=submit]:not([name=language]):not(form[action*=logout] *)")
    page.keyboard.press("Enter")

    expect(page.get_by_role("heading", level=1)).to_contain_text("uw melding is ontvangen")
    signal = Signal.objects.get(place="Parkeerterrein Zuidpoort")
    assert signal.indicators.count() == 1
    person = signal.persons.get()
    assert (person.role, person.approximate_age) == ("victim", 30)
