"""The board viewer reads the demo municipality's figures in a real browser (DOMAIN.md §8):
charts beside their tables, small counts hidden, no name and no signal of anyone; and downloads
the annual report as a PDF."""

import re

from django.utils import timezone
from playwright.sync_api import expect
from pypdf import PdfReader

from schakel.intake.models import Signal

# Names of persons in the demo region's signals and case (src/schakel/demo/loader.py).
DEMO_NAMES = ("Dragan Voskuil", "Radu Ilievescu")


def test_the_board_reads_hidden_small_counts_and_downloads_the_annual_report(
    demo_region, live_server, login, tmp_path
):
    page = login("bestuur")
    page.get_by_role("link", name="Cijfers").first.click()
    expect(page.get_by_test_id("disclosure-note")).to_be_visible()
    expect(page.get_by_test_id("figure-signals_by_month").locator("svg")).to_be_visible()
    text = page.content()
    assert "&lt; 5" in text or "< 5" in page.inner_text("main")
    for name in DEMO_NAMES:
        assert name not in text
    for reference in Signal.objects.values_list("reference", flat=True):
        assert reference not in text
    # Every count the board reads is 0 or at least 5 (the medians and percentiles are working
    # days, not counts: they are withheld below 5 signals instead; the trainings count partners'
    # staff who attended, not persons at risk, and are shown as they are).
    cells = page.locator(
        '[data-testid^="figure-"]:not([data-testid$="_days"]):not([data-testid*="train"])'
        " table.figures-table td.figures-number"
    ).all_inner_texts()
    numbers = [int(c) for c in cells if c.strip().isdigit()]
    assert numbers and all(n == 0 or n >= 5 for n in numbers), numbers

    year = timezone.localdate().year - 1
    page.goto(f"{live_server.url}/figures/annual-report/{year}/")
    with page.expect_download() as download:
        page.get_by_role("link", name=re.compile("pdf", re.IGNORECASE)).first.click()
    path = tmp_path / "jaarverslag.pdf"
    download.value.save_as(path)
    reader = PdfReader(path)
    assert len(reader.pages) >= 2
    assert "Inhoud" in "".join(p.extract_text() for p in reader.pages[:2])
