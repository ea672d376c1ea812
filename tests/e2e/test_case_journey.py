"""One signal from the case meeting to a closed case, in a real browser (DOMAIN.md §4, §5):
triage in the VCO, with its quorum recorded present, opens a case that brings in the partners of
the track under the covenant; the netwerkregisseur records a victim and a suspect; an agreement
is made; a big decision waits for the meeting; an administrative intervention by the police is
refused until the zorgcoördinator acknowledged it in the meeting; the case is closed and its
reporter reads the feedback. Elements are found by id and test id: the page speaks Dutch."""

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import Page, expect

from .test_reporting_route import report_logged_in

VICTIM, SUSPECT = "Mirela Dumitrescu", "Kasper Vlaskamp"
ZC, AVIM = "Zorgcoördinatie Mensenhandel Heidemeer", "Politie Heidemeer – AVIM"


@pytest.fixture(autouse=True)
def no_waiting(settings):
    settings.SCHAKEL_PUBLIC_MIN_FILL_SECONDS = 0


def af_routes_to_the_case_meeting(page: Page, url: str, reference: str) -> None:
    page.goto(f"{url}{reverse('intake:detail', args=[reference])}")
    page.locator("#id_route-destination input[value='case_meeting']").check()
    page.locator("#id_route-reason").fill("Voor het eerstvolgende casusoverleg.")
    page.locator("form.action--route button").click()
    expect(page.get_by_test_id("status")).to_contain_text("Doorgezet")


def open_meeting_item(page: Page, url: str, title: str) -> None:
    page.goto(f"{url}{reverse('meetings:list')}")
    page.get_by_test_id("meetings").locator("tbody a").first.click()
    page.get_by_test_id("agenda").get_by_role("link", name=title).click()


def to_section(page: Page, case_url: str, section: str) -> None:
    """Open a section of the case page (the overview is the case's own address)."""
    page.goto(case_url if section == "overview" else f"{case_url}deel/{section}/")


def open_action(page: Page, action: str) -> None:
    """Unfold an action of the case page: it is collapsed until asked."""
    details = page.locator(f"details#action-{action}")
    if details.count() and details.get_attribute("open") is None:
        details.locator("> summary").click()


def act_on_case(page: Page, action: str, fields: dict[str, str], *, select=()) -> None:
    open_action(page, action)
    form = page.locator(f"form.action--{action}")
    for name, value in fields.items():
        field = form.locator(f"[name='{action}-{name}']")
        if name in select:
            field.select_option(value)
        elif field.first.get_attribute("type") == "radio":
            form.locator(f"[name='{action}-{name}'][value='{value}']").check()
        else:
            field.fill(value)
    form.locator("button.utrecht-button--primary-action").first.click()


def test_from_vco_triage_to_a_closed_case_with_the_interlocks(demo_region, live_server, login):
    page = login("medewerker")
    url = live_server.url
    reference = report_logged_in(
        page,
        url,
        form="sexual",
        text="Een vrouw in de flat boven de kapsalon lijkt niet vrij te gaan en te staan.",
    )

    # The AF OOV routes the signal, builds the agenda of today's VCO, holds the meeting,
    # records who is present and triages the signal: both tracks, so a case is opened.
    page = login("af.oov")
    af_routes_to_the_case_meeting(page, url, reference)
    page.goto(f"{url}{reverse('meetings:list')}")
    page.get_by_test_id("meetings").locator("tbody a").first.click()
    page.get_by_test_id("build-agenda").click()
    expect(page.get_by_test_id("agenda")).to_contain_text(reference)
    page.get_by_test_id("open-minutes").click()
    expect(page.get_by_test_id("meeting-status")).to_contain_text("Gehouden")
    attendance = page.get_by_test_id("attendance-form")
    for organisation in ("Openbare Orde en Veiligheid", ZC, AVIM):
        attendance.get_by_label(re.compile(organisation)).check()
    attendance.get_by_role("button").click()
    expect(page.get_by_test_id("quorum")).to_contain_text("quorum is aanwezig")
    page.get_by_test_id("agenda").get_by_role("link", name=f"Signaal {reference}").click()
    expect(page.get_by_test_id("warnings")).to_contain_text("CoMensha")
    page.locator("#id_triage-decision input[value='both']").check()
    page.locator("form[data-testid=triage-form] button").click()
    expect(page.get_by_test_id("decision")).to_contain_text("Zorg- en daderspoor")
    page.get_by_test_id("case-link").click()
    case_url = page.url
    case_reference = re.search(r"/cases/([^/]+)/", case_url)[1]

    # Persons with search before create, sharing under the covenant, an agreement.
    expect(page.get_by_test_id("case-sections").locator("[aria-current=page]")).to_have_count(1)
    to_section(page, case_url, "persons")
    act_on_case(page, "person", {"role": "victim", "name": VICTIM}, select=("role",))
    expect(page.get_by_test_id("persons")).to_contain_text(VICTIM)
    act_on_case(page, "person", {"role": "perpetrator", "name": SUSPECT}, select=("role",))
    expect(page.get_by_test_id("persons")).to_contain_text("Verdachte A")
    # Both tracks brought the ZC and AVIM into the case on the covenant: nobody shares by hand.
    to_section(page, case_url, "participants")
    expect(page.get_by_test_id("participants")).to_contain_text(ZC)
    expect(page.get_by_test_id("participants")).to_contain_text("AVIM")
    to_section(page, case_url, "agreements")
    open_action(page, "agreement")
    page.locator("#id_agreement-owner").select_option(label=ZC)
    act_on_case(
        page,
        "agreement",
        {
            "text": "Opvangplek regelen voor Slachtoffer 1",
            "due_on": (timezone.localdate() + timedelta(days=7)).isoformat(),
        },
    )
    expect(page.get_by_test_id("agreements")).to_contain_text("Opvangplek regelen")

    # A big decision posted on the timeline becomes a proposal for the meeting.
    to_section(page, case_url, "timeline")
    open_action(page, "post")
    page.locator("#id_post-decision_kind").select_option("move_victim")
    act_on_case(
        page,
        "post",
        {"kind": "decision", "text": "Slachtoffer 1 verhuist naar een opvang buiten de regio."},
        select=("kind",),
    )
    expect(page.get_by_test_id("proposals")).to_contain_text("Wacht op het casusoverleg")

    # The police propose closing the premises; executing it now is refused.
    page = login("avim")
    to_section(page, case_url, "persons")
    expect(page.get_by_test_id("persons")).to_contain_text(VICTIM)  # shared under the covenant
    to_section(page, case_url, "decisions")
    open_action(page, "intervention")
    page.locator("#id_intervention-kind").select_option("closure")
    act_on_case(page, "intervention", {"description": "Sluiting van de woning boven de kapsalon"})
    expect(page.get_by_test_id("waits-for-care")).to_be_visible()
    page.locator("details[id^=action-execute-] > summary").click()
    page.get_by_test_id("interventions").get_by_role(
        "button", name="Nu uitvoeren wegens acuut gevaar"
    ).click()
    # Refused: the form is open beside the intervention, the alert on top links to it.
    expect(page.get_by_test_id("refused")).to_contain_text("niet uitgevoerd")
    refused = page.locator("details[id^=action-execute-][open] [role=alert]")
    expect(refused).to_contain_text("zorgcoördinator")
    expect(page.get_by_test_id("interventions")).to_contain_text("Voorgesteld")

    # In the meeting: the netwerkregisseur records the approval, the ZC acknowledges.
    page = login("af.oov")
    open_meeting_item(page, url, f"Signaal {reference}")
    proposal = page.get_by_test_id("decide-proposal")
    proposal.locator("input[value='1']").check()
    proposal.get_by_label("Wat is besloten").fill("Akkoord: verhuizing in overleg met de ZC.")
    proposal.get_by_role("button").click()
    expect(page.locator(".messages")).to_contain_text("vastgelegd")
    page = login("zorgcoordinator")
    open_meeting_item(page, url, f"Signaal {reference}")
    page.get_by_test_id("acknowledge").click()
    expect(page.locator(".messages")).to_contain_text("bevestigd")

    # Now the police execute and record the outcome.
    page = login("avim")
    to_section(page, case_url, "decisions")
    page.locator("details[id^=action-execute-] > summary").click()
    page.get_by_test_id("interventions").get_by_role(
        "button", name="Vastleggen als uitgevoerd"
    ).click()
    page.get_by_test_id("interventions").locator("textarea[name='outcome-outcome']").fill(
        "Woning gesloten voor drie maanden."
    )
    page.get_by_test_id("interventions").get_by_role("button", name="Uitkomst vastleggen").click()
    expect(page.get_by_test_id("interventions")).to_contain_text("drie maanden")

    # The netwerkregisseur closes the case with an outcome per person and feedback.
    page = login("af.oov")
    page.goto(case_url)
    open_action(page, "close")
    close = page.locator("form.action--close")
    close.locator("input[name^='close-outcome_'][value='care']").first.check()
    close.locator("input[name^='close-outcome_'][value='sheltered']").first.check()
    close.locator("input[name^='close-outcome_'][value='disrupted']").first.check()
    close.locator("[name='close-summary']").fill("Slachtoffer in zorg, woning gesloten.")
    close.locator("[name='close-feedback']").fill(
        "Dank voor uw melding. Er is hulp geboden en de gemeente heeft ingegrepen."
    )
    close.locator("button.utrecht-button--primary-action").first.click()
    expect(page.get_by_test_id("status")).to_contain_text("Afgesloten")
    assert case_reference in page.url

    # The reporter reads the feedback.
    page = login("medewerker")
    page.goto(f"{url}{reverse('intake:mine')}")
    expect(page.get_by_role("row").filter(has_text=reference)).to_contain_text("hulp geboden")
