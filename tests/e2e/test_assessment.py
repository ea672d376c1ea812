"""The AF OOV of the demo municipality fills in this year's self-assessment in a real browser,
reads the results with the chart and the gap list beside last year's, and downloads the PDF.
Conditions are found by their place on the page, not by name: the model is data."""

import io

from django.utils import timezone
from playwright.sync_api import expect
from pypdf import PdfReader

from schakel.assessment.models import Answer, Assessment


def test_the_af_fills_in_the_assessment_sees_chart_and_gaps_and_downloads_the_pdf(
    demo_region, live_server, login
):
    page = login("af.oov")
    page.goto(f"{live_server.url}/assessment/")
    expect(page.get_by_test_id("assessments")).to_be_visible()
    draft = Assessment.objects.get(municipality__name="Brakelveen", year=timezone.localdate().year)
    page.goto(f"{live_server.url}/assessment/{draft.pk}/questions/care/")
    for index, level in ((0, "3"), (1, "1")):
        condition = page.locator('section[data-testid^="condition-"]').nth(index)
        condition.locator(f'input[type="radio"][value="{level}"]').check()
        condition.locator("textarea").first.fill("Ingevuld in de browser.")
        condition.locator('button[data-testid^="save-"]').click()
        page.wait_for_load_state()
    care = Answer.objects.filter(assessment=draft, condition__element__code="care")
    assert sorted(a.level for a in care if a.notes == "Ingevuld in de browser.") == [1, 3]

    page.goto(f"{live_server.url}/assessment/{draft.pk}/results/")
    expect(page.get_by_test_id("chart-elements").locator("svg")).to_be_visible()
    expect(page.get_by_test_id("gaps")).to_be_visible()
    assert page.locator("[data-gap]").count() >= 1
    expect(page.get_by_test_id("comparison")).to_be_visible()  # last year's final

    with page.expect_download() as download:
        page.get_by_test_id("pdf").click()
    with open(download.value.path(), "rb") as file:
        data = file.read()
    assert data.startswith(b"%PDF")
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(data)).pages)
    assert "Brakelveen" in text
