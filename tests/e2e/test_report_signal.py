"""A municipal employee reports a signal in a real browser; the AF of that municipality finds
it in 'Nieuwe signalen'; the AF of another municipality and a hotel cannot see it."""

import re

from playwright.sync_api import expect


def test_reported_signal_reaches_the_af_of_that_municipality_only(demo_region, live_server, login):
    page = login("medewerker")
    page.get_by_role("link", name="Signaal melden").first.click()
    page.get_by_label("Plaats").fill("Parkeerterrein Zuidpoort")
    page.get_by_label("Arbeidsuitbuiting").check()
    page.get_by_label("Wat heeft u waargenomen?").fill(
        "Busje haalt elke ochtend om vijf uur dezelfde groep op; niemand spreekt Nederlands."
    )
    page.get_by_role("button", name="Melding versturen").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("uw melding is ontvangen")
    reference = page.get_by_test_id("reference").inner_text()
    assert re.fullmatch(r"MH-\d{4}-[2-9A-HJ-NP-Z]{6}", reference)

    page = login("af.oov")
    page.get_by_role("link", name="Nieuwe signalen").first.click()
    row = page.get_by_role("row").filter(has_text=reference)
    expect(row).to_contain_text("Parkeerterrein Zuidpoort")
    expect(row).to_contain_text("Arbeidsuitbuiting")
    row.get_by_role("link", name=reference).click()
    expect(page.locator(".description")).to_contain_text("dezelfde groep op")

    for outsider in ("af.wolderzijl", "hotel"):
        page = login(outsider)
        for path in ("/signals/queue/", "/signals/mine/"):
            response = page.goto(f"{live_server.url}{path}")
            assert response.status in (200, 403)
            assert reference not in page.content()
        response = page.goto(f"{live_server.url}/signals/{reference}/")
        assert response.status == 404


def test_a_form_error_keeps_what_was_typed(demo_region, live_server, login):
    page = login("medewerker")
    page.goto(f"{live_server.url}/signals/report/")
    page.get_by_label("Wat heeft u waargenomen?").fill("Tekst die niet verloren mag gaan.")
    page.get_by_role("button", name="Melding versturen").click()
    expect(page.get_by_role("alert")).to_contain_text("nog niet verstuurd")
    expect(page.get_by_label("Wat heeft u waargenomen?")).to_have_value(
        "Tekst die niet verloren mag gaan."
    )
