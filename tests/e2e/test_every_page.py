"""Every main page of every role, in Chromium: it fits a 320 px screen and 200 % zoom without
scrolling sideways, axe-core finds no serious or critical violation, every id an ARIA attribute
points at exists, and a screenshot at 1280 and 375 px is kept under var/screenshots/ (a CI
artefact, to look at before and after a change of the look).

The pages are found the way a user finds them: the start page, every entry of the role's main
menu, and the first detail page each list links to. One demo region per role."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.conf import settings

REPOSITORY = Path(__file__).resolve().parents[2]
AXE = REPOSITORY / "node_modules" / "axe-core" / "axe.min.js"
SCREENSHOTS = REPOSITORY / "var" / "screenshots"

# The demo accounts, one for each kind of user (src/schakel/demo).
ACCOUNTS = [
    "af.oov",
    "af.zorg",
    "af.swt",
    "zorgcoordinator",
    "veiligthuis",
    "avim",
    "iszw",
    "ovj",
    "handhaving",
    "medewerker",
    "hotel",
    "bestuur",
    "beheer",
    "privacy",
]
# Accounts whose whole work is on the start page (the board viewer: its dashboard is coming).
START_PAGE_ONLY = {"bestuur"}
# Detail pages reached from the lists: the first link of each kind that a visited page shows.
DETAIL_LINKS = [
    re.compile(r"^/signals/MH-[^/]+/$"),
    re.compile(r"^/cases/ZK-[^/]+/$"),
    re.compile(r"^/meetings/\d+/$"),
    re.compile(r"^/meetings/\d+/items/\d+/$"),
    re.compile(r"^/inspections/\d+/$"),
    re.compile(r"^/privacy/subjects/\d+/$"),
    re.compile(r"^/signaalkaarten/[^/]+/[^/.]+/$"),
]
PUBLIC_PAGES = [
    "/login/",
    "/melden/",
    "/melden/terugkoppeling/",
    "/signaalkaarten/",
    "/no-such-page/",
]
# Django's own admin is not Schakel's screen (it has its own, accessible, markup).
NOT_WALKED = re.compile(r"^/(admin/|logout/|language/)|\.(csv|pdf|json)$")

SCREENSHOT_WIDTHS = (1280, 375)
# 320 px is WCAG 1.4.10's reflow width; 640 px is a 1280 px screen at 200 % zoom.
REFLOW_WIDTHS = (320, 640)

UNRESOLVED_REFERENCES = """() => {
  const missing = [];
  for (const attribute of ["aria-describedby", "aria-labelledby", "aria-controls"]) {
    for (const element of document.querySelectorAll(`[${attribute}]`)) {
      for (const id of element.getAttribute(attribute).split(/\\s+/).filter(Boolean)) {
        if (document.getElementById(id)) continue;
        missing.push(`${attribute}="${id}" on <${element.tagName.toLowerCase()}>`);
      }
    }
  }
  return missing;
}"""
SERIOUS_VIOLATIONS = """async () => {
  const result = await axe.run(document, {resultTypes: ["violations"]});
  return result.violations
    .filter((v) => v.impact === "serious" || v.impact === "critical")
    .map((v) => {
      const where = v.nodes.slice(0, 3).map((n) => n.target.join(" ")).join(" | ");
      return `${v.id} (${v.impact}): ${where}`;
    });
}"""
WIDER_THAN_THE_SCREEN = """() => {
  const width = document.documentElement.clientWidth;
  if (document.documentElement.scrollWidth <= width) return [];
  const culprits = [];
  for (const element of document.querySelectorAll("body *")) {
    if (element.closest(".table-scroll")) continue;
    const box = element.getBoundingClientRect();
    if (box.right > width + 1 && getComputedStyle(element).position !== "fixed") {
      const name = `<${element.tagName.toLowerCase()} class="${element.className}">`;
      culprits.push(`${name} to ${Math.round(box.right)} px`);
    }
  }
  return culprits.slice(-3);
}"""


@pytest.fixture(autouse=True)
def _once_on_sqlite():
    if "sqlite" not in settings.DATABASES["default"]["ENGINE"]:
        pytest.skip("the page walk checks the browser, not the database: it runs in the SQLite run")


def check_page(page, base_url: str, path: str, label: str, axe_source: str) -> list[str]:
    problems: list[str] = []
    page.set_viewport_size({"width": 1280, "height": 900})
    response = page.goto(base_url + path)
    status = response.status if response else 0
    if status >= 500:
        return [f"{label} {path}: HTTP {status}"]
    slug = re.sub(r"[^a-z0-9]+", "-", path.lower()).strip("-") or "start"
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    for width in SCREENSHOT_WIDTHS:
        page.set_viewport_size({"width": width, "height": 900})
        page.screenshot(path=str(SCREENSHOTS / f"{label}-{slug}-{width}.png"), full_page=True)
    for width in REFLOW_WIDTHS:
        page.set_viewport_size({"width": width, "height": 900})
        page.wait_for_timeout(50)
        for culprit in page.evaluate(WIDER_THAN_THE_SCREEN) or ["(the page itself)"] * bool(
            page.evaluate(
                "document.documentElement.scrollWidth > document.documentElement.clientWidth"
            )
        ):
            problems.append(f"{label} {path} at {width} px scrolls sideways: {culprit}")
    page.set_viewport_size({"width": 1280, "height": 900})
    for reference in page.evaluate(UNRESOLVED_REFERENCES):
        problems.append(f"{label} {path}: {reference} points at no element")
    page.evaluate(axe_source)
    for width in (1280, 320):
        page.set_viewport_size({"width": width, "height": 900})
        page.wait_for_timeout(100)  # page.js marks the table boxes that now scroll
        for violation in page.evaluate(SERIOUS_VIOLATIONS):
            problems.append(f"{label} {path} at {width} px: axe {violation}")
    return problems


def links_on(page) -> list[str]:
    hrefs = page.eval_on_selector_all("a[href]", "els => els.map(e => e.getAttribute('href'))")
    return [h.split("#")[0] for h in hrefs if h and h.startswith("/")]


def pages_of_the_role(page, base_url: str) -> list[str]:
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(base_url + "/")
    menu = page.eval_on_selector_all(
        "#main-menu a[href]", "els => els.map(e => e.getAttribute('href'))"
    )
    pages = ["/"] + [m for m in dict.fromkeys(menu) if not NOT_WALKED.search(m)]
    found: dict[re.Pattern[str], str] = {}
    for path in list(pages):
        page.goto(base_url + path)
        for href in links_on(page):
            for pattern in DETAIL_LINKS:
                if pattern not in found and pattern.match(href) and not NOT_WALKED.search(href):
                    found[pattern] = href
    return pages + [href for href in found.values() if href not in pages]


@pytest.fixture
def axe_source() -> str:
    if not AXE.exists():
        pytest.fail("axe-core is missing from node_modules: make test installs it (npm ci)")
    return AXE.read_text(encoding="utf-8")


@pytest.mark.parametrize("username", ACCOUNTS)
def test_every_page_of_a_role_reflows_and_passes_axe(
    demo_region, login, page, live_server, axe_source, username
):
    login(username)
    paths = pages_of_the_role(page, live_server.url)
    if username in START_PAGE_ONLY:
        assert paths == ["/"]
    else:
        assert len(paths) >= 2, f"{username} reaches no page beyond the start page"
    problems = [
        p for path in paths for p in check_page(page, live_server.url, path, username, axe_source)
    ]
    assert not problems, "\n".join(problems)


def test_every_public_page_reflows_and_passes_axe(demo_region, page, live_server, axe_source):
    page.goto(live_server.url + "/signaalkaarten/")
    card = next(h for h in links_on(page) if DETAIL_LINKS[-1].match(h))
    problems = [
        p
        for path in [*PUBLIC_PAGES, card]
        for p in check_page(page, live_server.url, path, "public", axe_source)
    ]
    assert not problems, "\n".join(problems)
