"""Every entry point of the reporting route, walked in a real browser: a signal comes in, the AF
of Brakelveen enriches and routes it, records feedback and closes it, and the reporter reads
the feedback (logged in under 'Mijn meldingen', or with reference and code on the public page).
Elements are found by id: the page speaks Dutch."""

import pytest
from django.core.cache import cache
from django.urls import reverse
from playwright.sync_api import Page, expect


@pytest.fixture(autouse=True)
def no_waiting_and_fresh_limits(settings):
    settings.SCHAKEL_PUBLIC_MIN_FILL_SECONDS = 0
    cache.clear()
    yield
    cache.clear()


def report_logged_in(page: Page, url: str, *, form: str, text: str, judgement: str = "") -> str:
    page.goto(f"{url}{reverse('intake:report')}")
    page.locator("#id_municipality").select_option(label="Brakelveen")
    page.locator("#id_place").fill("Havenweg 12")
    page.locator(f"#id_exploitation_forms input[value='{form}']").check()
    page.locator("#id_description").fill(text)
    if judgement:
        page.locator("#id_first_judgement").select_option(judgement)
    page.locator("form.form button[type=submit]").click()
    return page.get_by_test_id("reference").inner_text()


def report_publicly(page: Page, url: str, *, sector: str, form: str, text: str) -> tuple[str, str]:
    page.goto(f"{url}{reverse('intake:public_report')}?gemeente=GM9901")
    if sector:
        page.locator("#id_sector").select_option(sector)
    page.locator("#id_place").fill("Stationsplein")
    page.locator(f"#id_exploitation_forms input[value='{form}']").check()
    page.locator("#id_description").fill(text)
    page.locator("form.form button[type=submit]").click()
    return (
        page.get_by_test_id("reference").inner_text(),
        page.get_by_test_id("feedback-code").inner_text(),
    )


def af_handles(
    page: Page, url: str, reference: str, *, route: str, feedback: str = "", withheld: str = ""
) -> None:
    """The AF's step plan on the signal page: enrich, route, feedback, close."""
    page.goto(f"{url}{reverse('intake:queue')}")
    page.get_by_role("row").filter(has_text=reference).get_by_role("link", name=reference).click()
    page.locator("#id_enrich-kind").select_option("address")
    page.locator("#id_enrich-text").fill("Adres bekend bij handhaving; twee eerdere controles.")
    page.locator("form.action--enrich button").click()
    expect(page.get_by_test_id("timeline")).to_contain_text("twee eerdere controles")
    page.locator(f"#id_route-destination input[value='{route}']").check()
    page.locator("#id_route-reason").fill("Besproken met AVIM en de zorgcoördinator.")
    page.locator("form.action--route button").click()
    expect(page.get_by_test_id("status")).to_contain_text("Doorgezet")
    # Closing before feedback is refused, with the reason next to the form.
    page.locator("#id_close-reason input[value='handed_over']").check()
    page.locator("form.action--close button").click()
    expect(page.locator("form.action--close [role=alert]")).to_contain_text("terugkoppeling")
    if feedback:
        page.locator("#id_feedback-feedback").fill(feedback)
    else:
        page.locator("#id_feedback-withheld_reason").fill(withheld)
    page.locator("form.action--feedback button").click()
    page.locator("#id_close-reason input[value='handed_over']").check()
    page.locator("form.action--close button").click()
    expect(page.get_by_test_id("status")).to_contain_text("Afgesloten")
    timeline = page.get_by_test_id("timeline")
    for step in ("Opgepakt", "Verrijkt", "Doorgezet", "Afgesloten"):
        expect(timeline).to_contain_text(step)


def reporter_reads_feedback(page: Page, url: str, reference: str, expected: str) -> None:
    page.goto(f"{url}{reverse('intake:mine')}")
    expect(page.get_by_role("row").filter(has_text=reference)).to_contain_text(expected)


@pytest.mark.parametrize(
    ("reporter", "form", "judgement", "route"),
    [
        ("medewerker", "labour", "", "case_meeting"),  # municipality: own staff
        ("avim", "labour", "suspected_trafficking", "case_meeting"),  # police / AVIM
        ("zorgcoordinator", "sexual", "reported_vt", "veilig_thuis"),  # zorgcoördinator
    ],
)
def test_a_logged_in_entry_point_through_to_feedback(
    demo_region, live_server, login, reporter, form, judgement, route
):
    page = login(reporter)
    reference = report_logged_in(
        page, live_server.url, form=form, judgement=judgement, text="Zes mensen in één kamer."
    )
    page = login("af.oov")
    af_handles(page, live_server.url, reference, route=route, feedback="Besproken in de VCO.")
    page = login(reporter)
    reporter_reads_feedback(page, live_server.url, reference, "Besproken in de VCO.")


def test_feedback_withheld_during_an_investigation_still_tells_the_reporter_something(
    demo_region, live_server, login
):
    page = login("handhaving")
    reference = report_logged_in(page, live_server.url, form="labour", text="Slapen in de loods.")
    page = login("af.oov")
    af_handles(
        page, live_server.url, reference, route="case_meeting", withheld="Strafrechtelijk onderzoek"
    )
    page = login("handhaving")
    reporter_reads_feedback(page, live_server.url, reference, "geen details")


@pytest.mark.parametrize(
    ("sector", "form", "route"),
    [("", "sexual", "pct"), ("hospitality", "sexual", "case_meeting")],
    ids=["citizen", "hotel-through-public-form"],
)
def test_a_public_report_through_to_feedback_read_with_the_code(
    demo_region, live_server, page, login, sector, form, route
):
    reference, code = report_publicly(
        page, live_server.url, sector=sector, form=form, text="Steeds andere mannen 's nachts."
    )
    page = login("af.oov")
    af_handles(
        page, live_server.url, reference, route=route, feedback="Wij hebben actie ondernomen."
    )
    page.context.clear_cookies()
    page.goto(f"{live_server.url}{reverse('intake:public_feedback')}")
    page.locator("#id_reference").fill(reference)
    page.locator("#id_code").fill(code)
    page.locator("form.form button[type=submit]").click()
    expect(page.get_by_test_id("feedback")).to_contain_text("Wij hebben actie ondernomen.")
