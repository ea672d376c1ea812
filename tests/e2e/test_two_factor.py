"""The AF OOV logs in for the first time where a second factor is required: sets up an
authenticator app from the key on the page, keeps the recovery codes, opens 'Nieuwe signalen';
and later logs in with a recovery code instead of the phone."""

import base64
import re

from django_otp.oath import TOTP
from playwright.sync_api import expect

from schakel.demo.loader import DEMO_PASSWORD


def log_in(page, live_server, username):
    page.goto(f"{live_server.url}/login/")
    page.get_by_label("Gebruikersnaam").fill(username)
    page.get_by_label("Wachtwoord").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Inloggen").click()


def test_the_af_sets_up_a_second_factor_and_opens_new_signals(
    demo_region, live_server, page, settings
):
    settings.SCHAKEL_REQUIRE_SECOND_FACTOR = True
    blocked = []
    page.on(
        "console", lambda message: blocked.append(message.text) if message.type == "error" else None
    )

    log_in(page, live_server, "af.oov")
    page.wait_for_url(re.compile(r"/accounts/two-factor/enrol/"))
    qr_code = page.get_by_test_id("totp-qr")
    expect(qr_code).to_be_visible()
    assert qr_code.evaluate("img => img.naturalWidth") > 0  # the CSP let the data: image through

    # The test is the authenticator app: it reads the key shown as text and computes the code.
    secret = page.get_by_test_id("totp-secret").inner_text()
    key = base64.b32decode(re.sub(r"\s", "", secret))
    page.locator("input[name='code']").fill(f"{TOTP(key).token():06d}")
    page.get_by_test_id("confirm-enrolment").click()

    page.wait_for_url(re.compile(r"/accounts/two-factor/recovery-codes/"))
    codes = page.get_by_test_id("recovery-codes").locator("li")
    expect(codes).to_have_count(10)
    recovery_code = codes.first.inner_text().strip()
    page.get_by_test_id("recovery-codes-saved").click()
    page.wait_for_url(f"{live_server.url}/")

    page.get_by_role("link", name="Nieuwe signalen").first.click()
    page.wait_for_url(f"{live_server.url}/signals/queue/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Nieuwe signalen")

    # Next time: password, then (phone lost) a recovery code.
    page.get_by_role("button", name="Uitloggen").click()
    page.wait_for_url(re.compile(r"/login/"))
    log_in(page, live_server, "af.oov")
    page.wait_for_url(re.compile(r"/accounts/two-factor/verify/"))
    page.locator("input[name='code']").fill(recovery_code)
    page.get_by_test_id("verify-code").click()
    page.wait_for_url(f"{live_server.url}/")
    page.get_by_role("link", name="Nieuwe signalen").first.click()
    page.wait_for_url(f"{live_server.url}/signals/queue/")
    assert not [text for text in blocked if "Content Security Policy" in text]
