"""A hotel manager finds the signal card of their municipality without logging in, sees the
reporting point's phone number and follows the card's link to the public form, which has the
municipality and the hotel sector chosen. Elements are found by test id and href: the page speaks
Dutch."""

from django.urls import reverse
from django.utils import translation
from playwright.sync_api import expect

from schakel.catalogue.cards import card_for


def test_the_hotel_card_of_brakelveen_shows_where_to_report(demo_region, live_server, page):
    page.goto(f"{live_server.url}{reverse('catalogue:cards')}")
    page.get_by_test_id("card-GM9901-hospitality").click()
    page.wait_for_url(f"{live_server.url}/signaalkaarten/GM9901/hospitality/")

    card = page.get_by_test_id("signal-card")
    expect(card).to_have_attribute("data-sector", "hospitality")
    expect(page.get_by_test_id("reporting-point-phone")).to_have_text("012 345 6789")
    expect(page.get_by_test_id("reporting-point-email")).to_have_text(
        "meldpunt-mensenhandel@brakelveen.example"
    )
    form_link = page.locator("a[href$='/melden/?gemeente=GM9901&sector=hospitality']")
    expect(form_link).to_have_count(1)
    expect(form_link).to_have_text(f"{live_server.url}/melden/?gemeente=GM9901&sector=hospitality")
    assert page.locator("[data-indicator]").count() >= 5

    pdf_href = page.get_by_test_id("card-pdf-link").get_attribute("href")
    assert pdf_href == "/signaalkaarten/GM9901/hospitality.pdf"
    pdf = page.request.get(f"{live_server.url}{pdf_href}")
    assert pdf.ok
    assert pdf.headers["content-type"] == "application/pdf"
    assert pdf.body().startswith(b"%PDF")

    form_link.click()
    expect(page.locator("#id_municipality option:checked")).to_have_text("Brakelveen")
    # … on the hotel sector, with the hotel card's checklist.
    expect(page.locator("#id_sector")).to_have_value("hospitality")
    with translation.override("nl"):
        hotel_card = str(card_for("hospitality").title)
    expect(page.get_by_test_id("checklist")).to_contain_text(hotel_card)
