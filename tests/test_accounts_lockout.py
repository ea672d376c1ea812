"""Login throttling (django-axes): five wrong passwords for one username from one IP address
lock that combination out for thirty minutes, even for the right password."""

from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.contrib.auth import SESSION_KEY
from django.urls import reverse
from django.utils import timezone

PASSWORD = "secret-password-1"  # tests/factories.py


def attempt(client, user, password, **extra):
    return client.post(reverse("login"), {"username": user.username, "password": password}, **extra)


def test_the_lockout_settings(settings):
    assert settings.AXES_FAILURE_LIMIT == 5
    assert settings.AXES_COOLOFF_TIME.total_seconds() == 30 * 60
    assert settings.AXES_LOCKOUT_PARAMETERS == [["username", "ip_address"]]
    assert settings.AXES_RESET_ON_SUCCESS is True
    assert settings.AUTHENTICATION_BACKENDS[0] == "axes.backends.AxesStandaloneBackend"


@pytest.mark.django_db
def test_five_wrong_passwords_lock_the_account_out_even_for_the_right_password(
    client, hotel_reporter
):
    for _ in range(4):
        assert attempt(client, hotel_reporter, "wrong-password").status_code == 200
    locked = attempt(client, hotel_reporter, "wrong-password")
    assert locked.status_code == 429
    assert "accounts/lockout.html" in [t.name for t in locked.templates]
    assert b'data-testid="lockout"' in locked.content

    sixth = attempt(client, hotel_reporter, PASSWORD)
    assert sixth.status_code == 429
    assert b'data-testid="lockout"' in sixth.content
    assert SESSION_KEY not in client.session
    assert client.get(reverse("home")).status_code == 302


@pytest.mark.django_db
def test_the_lockout_is_per_username_and_ip_address(client, hotel_reporter, af_oov, settings):
    settings.SCHAKEL_REQUIRE_SECOND_FACTOR = False
    for _ in range(5):
        attempt(client, hotel_reporter, "wrong-password")
    # Another account from the same address, and the same account from another address, go on.
    assert attempt(client, af_oov, PASSWORD).status_code == 302
    client.logout()
    assert attempt(client, hotel_reporter, PASSWORD, REMOTE_ADDR="10.1.2.3").status_code == 302


@pytest.mark.django_db
def test_the_lockout_ends_after_thirty_minutes(client, hotel_reporter):
    for _ in range(5):
        attempt(client, hotel_reporter, "wrong-password")
    assert attempt(client, hotel_reporter, PASSWORD).status_code == 429
    AccessAttempt.objects.update(attempt_time=timezone.now() - timedelta(minutes=31))
    assert attempt(client, hotel_reporter, PASSWORD).status_code == 302


@pytest.mark.django_db
def test_a_successful_login_resets_the_count(client, hotel_reporter):
    for _ in range(4):
        attempt(client, hotel_reporter, "wrong-password")
    assert attempt(client, hotel_reporter, PASSWORD).status_code == 302
    client.logout()
    for _ in range(4):
        assert attempt(client, hotel_reporter, "wrong-password").status_code == 200
    assert attempt(client, hotel_reporter, PASSWORD).status_code == 302


@pytest.mark.django_db
def test_force_login_still_works_for_tests(client, hotel_reporter):
    client.force_login(hotel_reporter)
    assert client.get(reverse("intake:mine")).status_code == 200
