"""Every main page of every role, in Chromium: it fits a 320 px screen and 200 % zoom without
scrolling sideways, axe-core finds no serious or critical violation, every id an ARIA attribute
points at exists, and a screenshot at 1280 and 375 px is kept under var/screenshots/ (a CI
artefact, to look at before and after a change of the look).

The pages are found the way a user finds them: the start page, every entry of the role's main
menu, and the first detail page each list links to.

One demo region and one live server serve every test of this module on an xdist worker: the
region is loaded and committed once (and flushed once at the end), and each test runs in a
transaction that is rolled back, so what a walk writes (a session, the audit log's read entries,
a login's time) is gone before the next role walks, as with a region of its own per role. On
SQLite the live server shares the test's in-memory connection, and with it the transaction."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.conf import settings

from .conftest import log_in

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
    "regio",
    "beheer",
    "privacy",
]
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


# Each test in a transaction that is rolled back; the region itself is committed once.
pytestmark = pytest.mark.django_db

ON_SQLITE_ONLY = "the page walk checks the browser, not the database: it runs in the SQLite run"


@pytest.fixture(autouse=True)
def _once_on_sqlite():
    if "sqlite" not in settings.DATABASES["default"]["ENGINE"]:
        pytest.skip(ON_SQLITE_ONLY)


@pytest.fixture(scope="module")
def walked_server(django_db_setup, django_db_blocker, tmp_path_factory):
    """One demo region and one live server for the whole module (per xdist worker). The tests
    here do not request pytest-django's `live_server`, which would make each test transactional
    and flush the database after it; the region is flushed once, through the audit gate, when
    the module is done."""
    if "sqlite" not in settings.DATABASES["default"]["ENGINE"]:
        pytest.skip(ON_SQLITE_ONLY)
    from django.core.management import call_command
    from django.test.utils import override_settings
    from pytest_django.live_server_helper import LiveServer

    from schakel.demo.loader import load_demo

    checkpoints = tmp_path_factory.mktemp("audit-checkpoints")
    with django_db_blocker.unblock():
        try:
            with override_settings(SCHAKEL_DEMO=True, SCHAKEL_AUDIT_CHECKPOINT_DIR=checkpoints):
                load_demo()
            server = LiveServer("localhost")
            server._live_server_modified_settings.enable()
            try:
                yield server
            finally:
                server._live_server_modified_settings.disable()
                server.stop()
        finally:
            call_command("flush", interactive=False, verbosity=0)


@pytest.fixture
def base_url(walked_server):
    return walked_server.url


# The resize steps (page.js marks the table boxes that now scroll on "resize") run in the
# rendering update before its animation-frame callbacks: two frames later they have run.
TWO_FRAMES = "() => new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done)))"


def resize_to(page, width: int) -> None:
    page.set_viewport_size({"width": width, "height": 900})
    page.evaluate(TWO_FRAMES)


def check_page(page, base_url: str, path: str, label: str) -> tuple[list[str], list[str]]:
    """The problems of one page, and the links it shows as loaded at 1280 px (for the walk).
    axe-core is in the page already (`with_axe`)."""
    problems: list[str] = []
    page.set_viewport_size({"width": 1280, "height": 900})
    response = page.goto(base_url + path)
    links = links_on(page)
    status = response.status if response else 0
    if status >= 500:
        return [f"{label} {path}: HTTP {status}"], links
    slug = re.sub(r"[^a-z0-9]+", "-", path.lower()).strip("-") or "start"
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    for width in SCREENSHOT_WIDTHS:
        page.set_viewport_size({"width": width, "height": 900})
        page.screenshot(path=str(SCREENSHOTS / f"{label}-{slug}-{width}.png"), full_page=True)
    for width in REFLOW_WIDTHS:
        resize_to(page, width)
        for culprit in page.evaluate(WIDER_THAN_THE_SCREEN) or ["(the page itself)"] * bool(
            page.evaluate(
                "document.documentElement.scrollWidth > document.documentElement.clientWidth"
            )
        ):
            problems.append(f"{label} {path} at {width} px scrolls sideways: {culprit}")
    page.set_viewport_size({"width": 1280, "height": 900})
    for reference in page.evaluate(UNRESOLVED_REFERENCES):
        problems.append(f"{label} {path}: {reference} points at no element")
    for width in (1280, 320):
        resize_to(page, width)
        for violation in page.evaluate(SERIOUS_VIOLATIONS):
            problems.append(f"{label} {path} at {width} px: axe {violation}")
    return problems, links


def links_on(page) -> list[str]:
    hrefs = page.eval_on_selector_all("a[href]", "els => els.map(e => e.getAttribute('href'))")
    return [h.split("#")[0] for h in hrefs if h and h.startswith("/")]


def walk_the_role(page, base_url: str, label: str) -> tuple[list[str], list[str]]:
    """Check the start page, every entry of its main menu, and the first detail page of each
    kind those pages link to, each page loaded once: (the paths walked, the problems)."""
    problems, links = check_page(page, base_url, "/", label)
    page.set_viewport_size({"width": 1280, "height": 900})
    menu = page.eval_on_selector_all(
        "#main-menu a[href]", "els => els.map(e => e.getAttribute('href'))"
    )
    pages = ["/"] + [m for m in dict.fromkeys(menu) if not NOT_WALKED.search(m)]
    found: dict[re.Pattern[str], str] = {}
    for path in pages:
        if path != "/":
            page_problems, links = check_page(page, base_url, path, label)
            problems += page_problems
        for href in links:
            for pattern in DETAIL_LINKS:
                if pattern not in found and pattern.match(href) and not NOT_WALKED.search(href):
                    found[pattern] = href
    details = [href for href in found.values() if href not in pages]
    for path in details:
        problems += check_page(page, base_url, path, label)[0]
    return pages + details, problems


@pytest.fixture(scope="module")
def axe_source() -> str:
    if not AXE.exists():
        pytest.fail("axe-core is missing from node_modules: make test installs it (npm ci)")
    return AXE.read_text(encoding="utf-8")


@pytest.fixture
def with_axe(page, axe_source):
    """axe-core in every page the test opens, sent to the browser once (not once a page)."""
    page.context.add_init_script(axe_source)
    return page


@pytest.mark.parametrize("username", ACCOUNTS)
def test_every_page_of_a_role_reflows_and_passes_axe(with_axe, base_url, username):
    page = log_in(with_axe, base_url, username)
    paths, problems = walk_the_role(page, base_url, username)
    assert len(paths) >= 2, f"{username} reaches no page beyond the start page"
    assert not problems, "\n".join(problems)


def test_every_public_page_reflows_and_passes_axe(with_axe, base_url):
    problems: list[str] = []
    card = None
    for path in PUBLIC_PAGES:
        page_problems, links = check_page(with_axe, base_url, path, "public")
        problems += page_problems
        if path == "/signaalkaarten/":
            card = next(h for h in links if DETAIL_LINKS[-1].match(h))
    problems += check_page(with_axe, base_url, card, "public")[0]
    assert not problems, "\n".join(problems)
