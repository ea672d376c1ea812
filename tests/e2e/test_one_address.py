"""Three signals about one address, from three entry points and in three spellings, walked in a
real browser (issue 12): the front desk, the police and a neighbour report; the AF sees the other
two on the signal page, links them with one click each, and the case meeting's item advises on
the three together, with the single signal's count beside it."""

import re

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import translation
from playwright.sync_api import Page, expect

from schakel.meetings.choices import Advice


@pytest.fixture(autouse=True)
def no_waiting_and_fresh_limits(settings):
    settings.SCHAKEL_PUBLIC_MIN_FILL_SECONDS = 0
    cache.clear()
    yield
    cache.clear()


def report(page: Page, url: str, *, place: str, form: str, ticks: list[str], card: str = ""):
    page.goto(f"{url}{reverse('intake:report')}{'?kaart=' + card if card else ''}")
    page.locator("#id_municipality").select_option(label="Brakelveen")
    page.locator("#id_place").fill(place)
    page.locator(f"#id_exploitation_forms input[value='{form}']").check()
    page.locator("#id_description").fill("Veel mensen op één adres; een begeleider regelt alles.")
    for code in ticks:
        page.locator(f"input[name='indicators'][value='{code}']").check()
    page.locator("form.form button[type=submit]").click()
    return page.get_by_test_id("reference").inner_text()


def report_publicly(page: Page, url: str, *, place: str, ticks: list[str]) -> str:
    page.goto(f"{url}{reverse('intake:public_report')}?gemeente=GM9901")
    page.locator("#id_place").fill(place)
    page.locator("#id_exploitation_forms input[value='labour']").check()
    page.locator("#id_description").fill("Busjes halen 's ochtends vroeg mannen op.")
    for code in ticks:
        page.locator(f"input[name='indicators'][value='{code}']").check()
    page.locator("form.form button[type=submit]").click()
    return page.get_by_test_id("reference").inner_text()


def test_three_signals_at_one_address_are_seen_linked_and_weighed_together(
    demo_region, live_server, page, login
):
    url = live_server.url
    # The BRP desk cannot tick its questions; what they brought to light is ticked as a fact.
    page = login("medewerker")
    page.goto(f"{url}{reverse('intake:report')}?kaart=brp")
    expect(page.get_by_test_id("checklist-questions")).to_be_visible()
    expect(page.locator("input[value='brp-question-registered-at-address']")).to_have_count(0)
    desk = report(
        page,
        url,
        place="Kerkstraat 12, Brakelveen",
        form="labour",
        card="brp",
        ticks=["brp-escort-holds-identity-document", "brp-fact-many-registered-at-address"],
    )
    page = login("avim")
    police = report(
        page,
        url,
        place="kerkstraat 12 te Brakelveen",
        form="labour",
        ticks=["work-excessive-hours", "physical-injury"],
    )
    neighbour = report_publicly(
        page, url, place="Kerkstraat 12", ticks=["housing-isolated", "physical-injury"]
    )

    # The AF opens the neighbour's signal: the other two are at the same address.
    page = login("af.oov")
    page.goto(f"{url}{reverse('intake:detail', args=[neighbour])}")
    at_address = page.get_by_test_id("at-address")
    expect(at_address).to_contain_text(desk)
    expect(at_address).to_contain_text(police)
    for reference in (desk, police):
        page.get_by_test_id("at-address").get_by_role("button", name=re.compile(reference)).click()
        expect(
            page.get_by_test_id("at-address").locator(f"tr[data-reference='{reference}']")
        ).to_contain_text("Gekoppeld")
    # Four hard facts together (the police and the neighbour both saw the injury: once).
    expect(page.get_by_test_id("group-tally")).to_contain_text("4 hard")
    expect(page.get_by_test_id("group-tally")).to_contain_text("alleen: 2 hard")

    page.locator("#id_route-destination input[value='case_meeting']").check()
    page.locator("#id_route-reason").fill("Drie meldingen op één adres: naar het casusoverleg.")
    page.locator("form.action--route button").click()
    expect(page.get_by_test_id("status")).to_contain_text("Doorgezet")

    page.goto(f"{url}{reverse('meetings:list')}")
    page.get_by_test_id("meetings").locator("tbody a").first.click()
    page.get_by_test_id("build-agenda").click()
    page.get_by_test_id("agenda").get_by_role("link", name=f"Signaal {neighbour}").click()
    expect(page.get_by_test_id("group")).to_contain_text(desk)
    expect(page.get_by_test_id("group")).to_contain_text(police)
    expect(page.get_by_test_id("hard")).to_contain_text("4")
    expect(page.get_by_test_id("hard")).to_contain_text("2")
    with translation.override("nl"):
        intervene = str(Advice.INTERVENE.label)
    expect(page.get_by_test_id("advice")).to_have_text(intervene)
