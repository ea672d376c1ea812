"""End-to-end tests in Debian's Chromium, driven by Playwright (no browser download)."""

import os
from pathlib import Path

import pytest

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]


def pytest_collection_modifyitems(items):
    for item in items:
        if "/e2e/" in str(item.fspath):
            item.add_marker(pytest.mark.e2e)
    run_shared_region_tests_with_the_transactional_ones(items)


def run_shared_region_tests_with_the_transactional_ones(items):
    """pytest-django runs the tests in a transaction that is rolled back first, then the
    transactional ones, which end with a flush, then those without a database. The tests on a
    region shared by their module (`walked_server`) are each rolled back, but the module commits
    the region and flushes it once at its end, which takes the migrations' reference data with
    it: they go first among the transactional tests, after every test that needs that data."""
    shared = [item for item in items if "walked_server" in getattr(item, "fixturenames", ())]
    if not shared:
        return
    rest = [item for item in items if "walked_server" not in getattr(item, "fixturenames", ())]

    def flushes(item) -> bool:
        marker = item.get_closest_marker("django_db")
        fixtures = getattr(item, "fixturenames", ())
        return (
            "transactional_db" in fixtures
            or "live_server" in fixtures
            or bool(marker and (marker.kwargs.get("transaction") or marker.args[:1] == (True,)))
        )

    first = next((i for i, item in enumerate(rest) if flushes(item)), None)
    if first is None:  # no transactional test: after the last one that uses the database
        uses_db = [i for i, item in enumerate(rest) if item.get_closest_marker("django_db")]
        uses_db += [i for i, item in enumerate(rest) if "db" in getattr(item, "fixturenames", ())]
        first = max(uses_db, default=-1) + 1
    items[:] = rest[:first] + shared + rest[first:]


@pytest.fixture(scope="session")
def browser():
    if not CHROMIUM.exists():
        pytest.fail(
            "The end-to-end tests need Debian's chromium at /usr/bin/chromium "
            "(make test installs it: apt-get install chromium)."
        )
    from playwright.sync_api import sync_playwright

    # Playwright's sync API runs an event loop in the test thread; the ORM calls in these tests
    # stay synchronous and sequential, so Django's async-safety guard does not apply to them.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
            yield browser
            browser.close()
    finally:
        del os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"]


@pytest.fixture
def page(browser):
    context = browser.new_context(locale="nl-NL")
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


@pytest.fixture
def demo_region(transactional_db, demo_settings):
    from schakel.demo.loader import load_demo

    return load_demo()


def log_in(page, base_url: str, username: str, password: str = "schakel-demo"):
    page.context.clear_cookies()
    page.goto(f"{base_url}/login/")
    page.get_by_label("Gebruikersnaam").fill(username)
    page.get_by_label("Wachtwoord").fill(password)
    page.get_by_role("button", name="Inloggen").click()
    page.wait_for_url(f"{base_url}/")
    return page


@pytest.fixture
def login(page, live_server):
    def login_as(username: str, password: str = "schakel-demo"):
        return log_in(page, live_server.url, username, password)

    return login_as
