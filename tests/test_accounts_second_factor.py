"""Two-factor authentication: required for every role that sees personal data, enforced in one
place (core.access.governed), enrolled on first use, with single-use recovery codes."""

import io
import re
from urllib.parse import urlencode

import pytest
from django.urls import reverse
from django.utils import timezone
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from schakel.audit.models import AuditEvent
from schakel.core.access import ACCESS_ATTRIBUTE, second_factor_satisfied
from schakel.organisations.choices import Role

from .factories import MembershipFactory, user_with_role
from .roles import ROLES_WITH_PERSONAL_DATA
from .test_every_view_is_governed import ALL_VIEWS

PASSWORD = "secret-password-1"  # tests/factories.py
QUEUE = "/signals/queue/"


def enrol_url(next_url: str) -> str:
    return f"{reverse('accounts:enrol')}?{urlencode({'next': next_url})}"


def verify_url(next_url: str) -> str:
    return f"{reverse('accounts:verify')}?{urlencode({'next': next_url})}"


def test_the_roles_that_need_a_second_factor():
    # Reporters see only what they themselves sent; the board and the region read counts only.
    without = {Role.MUNICIPAL_REPORTER, Role.PARTNER_REPORTER, Role.BOARD_VIEWER}
    without.add(Role.REGIONAL_ADVISER)
    assert without.isdisjoint(ROLES_WITH_PERSONAL_DATA)
    assert ROLES_WITH_PERSONAL_DATA | without == set(Role)


GOVERNED = [
    (route, callback)
    for _, route, callback in ALL_VIEWS
    if isinstance(getattr(callback, ACCESS_ATTRIBUTE, None), tuple)
]


# Any value that the URL's converter accepts will do: the check runs before the view.
SAMPLE_ARGUMENT = {"<int": "1", "<uuid": "00000000-0000-0000-0000-000000000001"}


@pytest.fixture
def holder_of_every_personal_data_role(municipality):
    user = user_with_role(Role.AF_OOV, municipality=municipality)
    organisation = user.memberships.get().organisation
    for role in ROLES_WITH_PERSONAL_DATA - {Role.AF_OOV}:
        MembershipFactory(user=user, organisation=organisation, role=role)
    return user


@pytest.mark.django_db
@pytest.mark.parametrize(("route", "callback"), GOVERNED, ids=[g[0] for g in GOVERNED])
def test_every_governed_page_sends_an_unenrolled_user_to_enrolment(
    client, second_factor_required, holder_of_every_personal_data_role, route, callback
):
    client.force_login(holder_of_every_personal_data_role)
    url = "/" + re.sub(r"<[^>]+>", lambda m: SAMPLE_ARGUMENT.get(m[0].split(":")[0], "x"), route)
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"] == enrol_url(url)
    assert client.post(url)["Location"] == enrol_url(url)


@pytest.mark.django_db
def test_the_af_cannot_open_new_signals_until_enrolled_and_verified(
    client, second_factor_required, af_oov, totp_code
):
    response = client.post(reverse("login"), {"username": af_oov.username, "password": PASSWORD})
    assert response["Location"] == enrol_url("/")
    assert client.get(QUEUE)["Location"] == enrol_url(QUEUE)

    page = client.get(enrol_url(QUEUE))
    assert page.status_code == 200
    assert b'data-testid="totp-secret"' in page.content
    assert b'src="data:image/svg+xml;base64,' in page.content
    assert "no-store" in page["Cache-Control"]
    device = TOTPDevice.objects.get(user=af_oov, confirmed=False)
    # A reload shows the same secret.
    client.get(enrol_url(QUEUE))
    assert TOTPDevice.objects.get(user=af_oov).pk == device.pk

    wrong = client.post(enrol_url(QUEUE), {"code": "000000", "next": QUEUE})
    assert wrong.status_code == 400
    assert client.get(QUEUE).status_code == 302

    device.refresh_from_db()
    device.throttle_reset()
    confirmed = client.post(enrol_url(QUEUE), {"code": totp_code(device), "next": QUEUE})
    assert confirmed.status_code == 302
    assert confirmed["Location"].startswith(reverse("accounts:recovery_codes"))

    shown = client.get(confirmed["Location"])
    assert shown.status_code == 200
    codes = re.findall(rb"<li><code>([a-z2-7]+)</code></li>", shown.content)
    assert len(codes) == 10
    assert StaticToken.objects.filter(device__user=af_oov).count() == 10
    # Shown once only.
    assert client.get(reverse("accounts:recovery_codes"))["Location"] == reverse(
        "accounts:security"
    )
    assert client.get(QUEUE).status_code == 200
    assert AuditEvent.objects.filter(
        user=af_oov, purpose="two-factor authentication enrolled"
    ).exists()


@pytest.mark.django_db
def test_an_enrolled_user_enters_a_code_after_the_password(
    client, second_factor_required, af_oov, enrol_second_factor, totp_code
):
    device, _ = enrol_second_factor(af_oov)
    response = client.post(
        reverse("login"), {"username": af_oov.username, "password": PASSWORD, "next": QUEUE}
    )
    assert response["Location"] == verify_url(QUEUE)
    assert client.get(QUEUE)["Location"] == verify_url(QUEUE)
    assert client.get(verify_url(QUEUE)).status_code == 200

    response = client.post(verify_url(QUEUE), {"code": totp_code(device), "next": QUEUE})
    assert response["Location"] == QUEUE
    assert client.get(QUEUE).status_code == 200


@pytest.mark.django_db
def test_an_authenticator_code_works_once(
    client, second_factor_required, af_oov, enrol_second_factor, totp_code
):
    device, _ = enrol_second_factor(af_oov)
    code = totp_code(device)
    client.force_login(af_oov)
    assert client.post(reverse("accounts:verify"), {"code": code})["Location"] == "/"

    client.logout()
    client.force_login(af_oov)
    assert client.post(reverse("accounts:verify"), {"code": code}).status_code == 400
    assert client.get(QUEUE).status_code == 302


@pytest.mark.django_db
def test_a_recovery_code_works_once_and_only_once(
    client, django_user_model, second_factor_required, af_oov, enrol_second_factor
):
    _, codes = enrol_second_factor(af_oov)
    client.force_login(af_oov)
    response = client.post(verify_url(QUEUE), {"code": codes[3].upper(), "next": QUEUE})
    assert response["Location"] == QUEUE
    assert client.get(QUEUE).status_code == 200
    assert StaticToken.objects.filter(device__user=af_oov).count() == 9
    assert AuditEvent.objects.filter(user=af_oov, purpose="recovery code used to log in").exists()

    client.logout()
    client.force_login(af_oov)
    again = client.post(verify_url(QUEUE), {"code": codes[3], "next": QUEUE})
    assert again.status_code == 400
    assert client.get(QUEUE)["Location"] == verify_url(QUEUE)


@pytest.mark.django_db
def test_wrong_codes_are_throttled_even_before_the_right_one(
    client, second_factor_required, af_oov, enrol_second_factor, totp_code
):
    second_factor_required.OTP_TOTP_THROTTLE_FACTOR = 60  # a back-off no slow test run outlasts
    device, _ = enrol_second_factor(af_oov)
    client.force_login(af_oov)
    assert client.post(reverse("accounts:verify"), {"code": "123456"}).status_code == 400
    # Straight after a wrong code the device refuses even the right one (exponential back-off).
    refused = client.post(reverse("accounts:verify"), {"code": totp_code(device)})
    assert refused.status_code == 400
    assert client.get(QUEUE).status_code == 302
    device.refresh_from_db()
    assert device.throttling_failure_count >= 1

    # Once the back-off has passed, the right code works.
    device.throttling_failure_timestamp = timezone.now() - timezone.timedelta(minutes=5)
    device.save()
    assert client.post(reverse("accounts:verify"), {"code": totp_code(device)}).status_code == 302


@pytest.mark.django_db
def test_a_password_alone_cannot_replace_an_enrolled_device(
    client, second_factor_required, af_oov, enrol_second_factor
):
    device, _ = enrol_second_factor(af_oov)
    client.force_login(af_oov)
    assert client.get(reverse("accounts:enrol"))["Location"] == verify_url("/")
    assert client.post(reverse("accounts:enrol"), {"code": "123456"}).status_code == 302
    assert list(TOTPDevice.objects.filter(user=af_oov)) == [device]
    assert client.post(reverse("accounts:recovery_codes")).status_code == 403
    assert client.post(reverse("accounts:turn_off")).status_code == 403


@pytest.mark.django_db
def test_a_partner_reporter_is_not_forced(client, second_factor_required, hotel_reporter):
    response = client.post(
        reverse("login"), {"username": hotel_reporter.username, "password": PASSWORD}
    )
    assert response["Location"] == reverse("home")
    assert client.get(reverse("intake:report")).status_code == 200
    assert client.get(reverse("intake:mine")).status_code == 200


@pytest.mark.django_db
def test_a_voluntary_second_factor_is_asked_for_and_can_be_turned_off(
    client, second_factor_required, hotel_reporter, enrol_second_factor, totp_code
):
    client.force_login(hotel_reporter)
    page = client.get(reverse("accounts:security"))
    assert b'data-testid="enrol-link"' in page.content

    device, _ = enrol_second_factor(hotel_reporter)
    client.logout()
    client.force_login(hotel_reporter)
    assert client.get(reverse("intake:report"))["Location"] == verify_url("/signals/report/")
    client.post(reverse("accounts:verify"), {"code": totp_code(device)})
    assert client.get(reverse("intake:report")).status_code == 200

    assert client.post(reverse("accounts:turn_off")).status_code == 302
    assert not TOTPDevice.objects.filter(user=hotel_reporter).exists()
    assert not StaticToken.objects.filter(device__user=hotel_reporter).exists()


@pytest.mark.django_db
def test_a_required_second_factor_cannot_be_turned_off(
    client, second_factor_required, af_oov, enrol_second_factor, totp_code
):
    device, _ = enrol_second_factor(af_oov)
    client.force_login(af_oov)
    client.post(reverse("accounts:verify"), {"code": totp_code(device)})
    assert b"turn-off-second-factor" not in client.get(reverse("accounts:security")).content
    assert client.post(reverse("accounts:turn_off")).status_code == 403
    assert TOTPDevice.objects.filter(user=af_oov).exists()


@pytest.mark.django_db
def test_a_verified_user_renews_recovery_codes_and_the_old_ones_stop_working(
    client, second_factor_required, af_oov, enrol_second_factor, totp_code
):
    device, old_codes = enrol_second_factor(af_oov)
    client.force_login(af_oov)
    client.post(reverse("accounts:verify"), {"code": totp_code(device)})
    response = client.post(reverse("accounts:recovery_codes"))
    assert response["Location"] == reverse("accounts:recovery_codes")
    shown = client.get(response["Location"])
    assert len(re.findall(rb"<li><code>", shown.content)) == 10
    remaining = set(StaticToken.objects.filter(device__user=af_oov).values_list("token", flat=True))
    assert remaining.isdisjoint(old_codes)


@pytest.mark.django_db
def test_logging_out_ends_the_verification(
    client, second_factor_required, af_oov, enrol_second_factor, totp_code
):
    device, _ = enrol_second_factor(af_oov)
    client.post(reverse("login"), {"username": af_oov.username, "password": PASSWORD})
    client.post(reverse("accounts:verify"), {"code": totp_code(device)})
    assert client.get(QUEUE).status_code == 200

    client.post(reverse("logout"))
    client.post(reverse("login"), {"username": af_oov.username, "password": PASSWORD})
    assert client.get(QUEUE)["Location"] == verify_url(QUEUE)


@pytest.mark.django_db
def test_verification_gets_a_new_session_key(
    client, second_factor_required, af_oov, enrol_second_factor, totp_code
):
    device, _ = enrol_second_factor(af_oov)
    client.force_login(af_oov)
    before = client.session.session_key
    client.post(reverse("accounts:verify"), {"code": totp_code(device)})
    assert client.session.session_key != before


@pytest.mark.django_db
def test_next_never_leaves_the_site(
    client, second_factor_required, af_oov, enrol_second_factor, totp_code
):
    device, _ = enrol_second_factor(af_oov)
    client.force_login(af_oov)
    response = client.post(
        reverse("accounts:verify"), {"code": totp_code(device), "next": "https://evil.example/"}
    )
    assert response["Location"] == reverse("home")


@pytest.mark.django_db
def test_without_the_requirement_the_af_logs_in_with_a_password_only(client, settings, af_oov):
    settings.SCHAKEL_REQUIRE_SECOND_FACTOR = False
    response = client.post(reverse("login"), {"username": af_oov.username, "password": PASSWORD})
    assert response["Location"] == reverse("home")
    assert client.get(QUEUE).status_code == 200


@pytest.mark.django_db
def test_the_admin_site_can_ask_whether_the_second_factor_is_satisfied(
    rf, second_factor_required, municipality, enrol_second_factor
):
    from django.contrib.auth.models import AnonymousUser

    administrator = user_with_role(Role.FUNCTIONAL_ADMIN, municipality=municipality)
    request = rf.get("/admin/")
    request.user = AnonymousUser()
    assert not second_factor_satisfied(request)

    request.user = administrator
    request.user.is_verified = lambda: False
    assert not second_factor_satisfied(request)
    request.user.is_verified = lambda: True
    assert second_factor_satisfied(request)

    reporter = user_with_role(Role.PARTNER_REPORTER, municipality=municipality)
    request.user = reporter
    request.user.is_verified = lambda: False
    assert second_factor_satisfied(request)


@pytest.mark.django_db
def test_security_headers_on_a_governed_page(client, settings, af_oov):
    settings.SCHAKEL_REQUIRE_SECOND_FACTOR = False
    settings.SECURE_HSTS_SECONDS = 31536000  # production's value (settings/production.py)
    client.force_login(af_oov)
    response = client.get(QUEUE, secure=True)
    assert response.status_code == 200
    csp = response["Content-Security-Policy"]
    assert "script-src 'self'" in csp
    assert "style-src 'self'" in csp
    assert "frame-ancestors 'none'" in csp
    assert "unsafe-inline" not in csp
    assert "camera=()" in response["Permissions-Policy"]
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    assert response["Strict-Transport-Security"].startswith("max-age=31536000")


@pytest.mark.django_db
def test_the_enrolment_page_keeps_to_the_content_security_policy(
    client, second_factor_required, af_oov
):
    client.force_login(af_oov)
    page = client.get(reverse("accounts:enrol")).content.decode()
    # Scripts only from Schakel's own static files, never inline (script-src 'self').
    scripts = re.findall(r"<script[^>]*>", page)
    assert scripts and all(
        re.fullmatch(r'<script src="/static/[^"]+\.js" defer>', s) for s in scripts
    )
    assert not re.search(r"<script[^>]*>\s*[^<\s]", page)
    assert "style=" not in page
    assert re.search(r'<img src="data:image/svg\+xml;base64,[A-Za-z0-9+/=]+"', page)


def test_sessions_end_after_half_an_hour_of_inactivity(settings):
    assert settings.SESSION_COOKIE_AGE == 30 * 60
    # The timer restarts once a minute of use (tests/test_session_activity.py), not by a save
    # of the session on every request.
    assert "schakel.core.middleware.SessionActivityMiddleware" in settings.MIDDLEWARE
    assert not settings.SESSION_SAVE_EVERY_REQUEST


@pytest.mark.django_db
def test_an_unverified_administrator_is_sent_to_the_code_page_before_the_admin(
    client, second_factor_required, municipality, enrol_second_factor, totp_code
):
    administrator = user_with_role(Role.FUNCTIONAL_ADMIN, municipality=municipality)
    device, _ = enrol_second_factor(administrator)
    client.force_login(administrator)
    response = client.get("/admin/", follow=True)
    assert response.redirect_chain[-1][0] == verify_url("/admin/")

    client.post(verify_url("/admin/"), {"code": totp_code(device), "next": "/admin/"})
    assert client.get("/admin/").status_code == 200


@pytest.mark.django_db
def test_a_reset_sends_the_user_back_to_enrolment(
    client, second_factor_required, af_oov, enrol_second_factor
):
    from django.core.management import call_command

    enrol_second_factor(af_oov)
    call_command("reset_second_factor", af_oov.username, stdout=io.StringIO())
    assert not TOTPDevice.objects.filter(user=af_oov).exists()
    assert not StaticToken.objects.filter(device__user=af_oov).exists()
    assert AuditEvent.objects.filter(purpose="two-factor authentication reset").exists()
    client.force_login(af_oov)
    assert client.get(QUEUE)["Location"] == enrol_url(QUEUE)
