"""A citizen reports without an account in a real browser, reads the feedback page with the
reference and code shown once, and the AF of that municipality finds the report in 'Nieuwe
signalen'. Elements are found by id, not by label: the page speaks Dutch."""

import re

import pytest
from django.core.cache import cache
from django.urls import reverse
from playwright.sync_api import expect


@pytest.fixture(autouse=True)
def no_waiting_and_fresh_limits(settings):
    settings.SCHAKEL_PUBLIC_MIN_FILL_SECONDS = 0
    cache.clear()
    yield
    cache.clear()


def test_a_citizen_reports_reads_feedback_and_the_af_finds_it(
    demo_region, live_server, page, login
):
    page.goto(f"{live_server.url}{reverse('intake:public_report')}?gemeente=GM9901")
    expect(page.locator("#id_municipality option:checked")).to_have_text("Brakelveen")
    page.locator("#id_place").fill("Achter de loods aan de Havenweg")
    page.locator("#id_exploitation_forms input[value='labour']").check()
    page.locator("#id_description").fill("Bel haar op 06-12345678 als het weer gebeurt.")
    page.locator("form.form button[type=submit]").click()
    expect(page.locator("#id_description_error")).to_be_visible()
    expect(page.locator("#id_description")).to_have_value(
        "Bel haar op 06-12345678 als het weer gebeurt."
    )

    page.locator("#id_description").fill(
        "Op 12-03-2026 om 05:00 haalde een busje twaalf mensen op; niemand had een jas."
    )
    page.locator("form.form button[type=submit]").click()
    reference = page.get_by_test_id("reference").inner_text()
    code = page.get_by_test_id("feedback-code").inner_text()
    assert re.fullmatch(r"MH-\d{4}-[2-9A-HJ-NP-Z]{6}", reference)
    assert re.fullmatch(r"([2-9A-HJ-NP-Z]{4}-){3}[2-9A-HJ-NP-Z]{4}", code)

    page.goto(f"{live_server.url}{reverse('intake:public_feedback')}")
    page.locator("#id_reference").fill(reference)
    page.locator("#id_code").fill(code.lower())
    page.locator("form.form button[type=submit]").click()
    expect(page.get_by_test_id("reference")).to_have_text(reference)
    expect(page.get_by_test_id("status")).not_to_be_empty()

    page.goto(f"{live_server.url}{reverse('intake:public_feedback')}")
    page.locator("#id_reference").fill(reference)
    page.locator("#id_code").fill("AAAA-BBBB-CCCC-DDDD")
    page.locator("form.form button[type=submit]").click()
    expect(page.get_by_role("alert")).to_be_visible()
    expect(page.get_by_test_id("status")).to_have_count(0)

    page = login("af.oov")
    page.get_by_role("link", name="Nieuwe signalen").first.click()
    row = page.get_by_role("row").filter(has_text=reference)
    expect(row).to_contain_text("Achter de loods aan de Havenweg")
    row.get_by_role("link", name=reference).click()
    expect(page.locator(".description")).to_contain_text("twaalf mensen")

    page = login("af.wolderzijl")
    page.goto(f"{live_server.url}{reverse('intake:queue')}")
    assert reference not in page.content()
