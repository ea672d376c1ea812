"""A big decision is taken in the case meeting, not by one partner (DOMAIN.md §4), in a real
browser on the demo region: Veilig Thuis, brought into the demo case under the covenant, writes
on the timeline that the victim wants to withdraw her police report as a plain note; the page
warns that this reads like a big decision and saves nothing until it is made a proposal. The
zorgcoördinator finds it in 'Mijn acties' and on the agenda of today's case meeting. The
netwerkregisseur holds the meeting: with only themselves recorded present the approval is
refused for want of the quorum; with the zorgcoördinator present it is recorded, and the case's
timeline names who was there. Elements are found by id and test id: the page speaks Dutch."""

import re

from django.urls import reverse
from playwright.sync_api import Page, expect

from schakel.cases.choices import ProposalStatus
from schakel.cases.models import Case, Proposal, TimelineEntry

from .test_case_journey import act_on_case, open_action, open_meeting_item, to_section

AF, ZC, VT = (
    "Gemeente Brakelveen – Openbare Orde en Veiligheid",
    "Zorgcoördinatie Mensenhandel Heidemeer",
    "Veilig Thuis Heidemeer",
)
NOTE = "Zij wil de aangifte intrekken"
WITHDRAW = "Een aangifte intrekken"  # the decision's label


def record_present(page: Page, *organisations: str) -> None:
    attendance = page.get_by_test_id("attendance-form")
    for organisation in organisations:
        attendance.get_by_label(re.compile(organisation)).check()
    attendance.get_by_role("button").click()


def decide(page: Page, note: str) -> None:
    form = page.get_by_test_id("decide-proposal")
    form.locator("input[value='1']").check()
    form.get_by_label("Wat is besloten").fill(note)
    form.get_by_role("button").click()


def test_a_big_decision_waits_for_the_case_meeting_and_its_quorum(demo_region, live_server, login):
    url = live_server.url
    case = Case.objects.get(
        status="open"
    )  # the demo case (the history is closed), on the agenda of today's case meeting
    case_url = f"{url}{reverse('cases:detail', args=[case.reference])}"
    item = f"Casus {case.reference}"

    # The netwerkregisseur brings Veilig Thuis into the case under the covenant.
    page = login("af.oov")
    to_section(page, case_url, "participants")
    open_action(page, "share")
    page.locator("#id_share-organisation").select_option(label=VT)
    act_on_case(page, "share", {"legal_basis": "covenant", "justification": "Begeleidt haar."})
    expect(page.get_by_test_id("participants")).to_contain_text(VT)

    # Veilig Thuis writes it down as a plain note: held back, nothing saved.
    page = login("veiligthuis")
    to_section(page, case_url, "timeline")
    act_on_case(page, "post", {"kind": "note", "text": NOTE}, select=("kind",))
    expect(page.get_by_test_id("big-decision-warning")).to_contain_text(WITHDRAW)
    expect(page.get_by_test_id("timeline")).not_to_contain_text(NOTE)
    assert not TimelineEntry.objects.filter(case=case, text__contains="aangifte").exists()
    assert not Proposal.objects.filter(case=case).exists()
    page.get_by_test_id("make-proposal").click()
    expect(page.get_by_test_id("proposals")).to_contain_text("Wacht op het casusoverleg")
    expect(page.get_by_test_id("proposals")).to_contain_text(NOTE)

    # The zorgcoördinator finds it among their actions and on the meeting's agenda.
    page = login("zorgcoordinator")
    page.goto(f"{url}{reverse('worklist:actions')}")
    proposals = page.get_by_test_id("my-proposals")
    expect(proposals).to_contain_text(case.reference)
    expect(proposals).to_contain_text(WITHDRAW)
    open_meeting_item(page, url, item)
    expect(page.get_by_test_id("proposal-waiting")).to_contain_text(WITHDRAW)
    expect(page.get_by_test_id("decide-proposal")).to_have_count(0)  # the netwerkregisseur records

    # The netwerkregisseur holds the meeting; alone, the meeting cannot approve.
    page = login("af.oov")
    page.goto(f"{url}{reverse('meetings:list')}")
    page.get_by_test_id("meetings").locator("tbody a").first.click()
    meeting_url = page.url
    page.get_by_test_id("open-minutes").click()
    expect(page.get_by_test_id("meeting-status")).to_contain_text("Gehouden")
    record_present(page, AF)
    expect(page.get_by_test_id("quorum")).to_contain_text("Ontbreekt: 1 zorgpartij")
    page.get_by_test_id("agenda").get_by_role("link", name=item).click()
    decide(page, "Akkoord, mits zij begeleid wordt.")
    expect(page.locator(".messages")).to_contain_text(
        "besluit hierover alleen als het quorum als aanwezig is vastgelegd"
    )
    assert Proposal.objects.get(case=case).status == ProposalStatus.PENDING

    # With the zorgcoördinator recorded present the quorum is there, and the meeting approves.
    page.goto(meeting_url)
    record_present(page, ZC)
    expect(page.get_by_test_id("quorum")).to_contain_text("quorum is aanwezig")
    page.get_by_test_id("agenda").get_by_role("link", name=item).click()
    decide(page, "Akkoord, mits zij begeleid wordt.")
    expect(page.locator(".messages")).to_contain_text("vastgelegd")

    to_section(page, case_url, "decisions")
    expect(page.get_by_test_id("proposals")).to_contain_text("Goedgekeurd in het casusoverleg")
    to_section(page, case_url, "timeline")
    approved = page.get_by_test_id("timeline").locator("li").filter(has_text="Akkoord, mits")
    expect(approved).to_contain_text("aanwezig: Floor Hagedoorn")
    expect(approved).to_contain_text("Bram Olijslager")
    assert Proposal.objects.get(case=case).status == ProposalStatus.APPROVED
