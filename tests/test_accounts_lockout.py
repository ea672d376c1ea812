"""Login throttling (django-axes): five wrong passwords for one username from one IP address
lock that combination out for thirty minutes, even for the right password; twenty wrong passwords
from one address, for any accounts, lock that address."""

from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.contrib.auth import SESSION_KEY
from django.urls import reverse
from django.utils import timezone

from schakel.organisations.choices import Role

from .factories import user_with_role

PASSWORD = "secret-password-1"  # tests/factories.py


def attempt(client, user, password, **extra):
    return client.post(reverse("login"), {"username": user.username, "password": password}, **extra)


def test_the_lockout_settings(settings):
    assert settings.AXES_FAILURE_LIMIT == 5
    assert settings.AXES_COOLOFF_TIME.total_seconds() == 30 * 60
    assert settings.AXES_LOCKOUT_PARAMETERS == [["username", "ip_address"]]
    assert settings.AXES_RESET_ON_SUCCESS is True
    assert settings.AUTHENTICATION_BACKENDS[0] == "axes.backends.AxesStandaloneBackend"
    assert settings.SCHAKEL_LOGIN_ADDRESS_FAILURE_LIMIT == 20


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


@pytest.fixture
def thirteen_accounts(municipality, settings):
    settings.SCHAKEL_REQUIRE_SECOND_FACTOR = False
    return [user_with_role(Role.MUNICIPAL_REPORTER, municipality=municipality) for _ in range(13)]


def guess_four_passwords_each(client, accounts):
    return [attempt(client, user, "wrong").status_code for user in accounts for _ in range(4)]


def test_wrong_passwords_for_many_accounts_from_one_address_lock_that_address(
    client, thirteen_accounts
):
    statuses = guess_four_passwords_each(client, thirteen_accounts[:12])
    assert statuses[:20] == [200] * 20  # no account reached its own limit of five
    assert set(statuses[20:]) == {429}
    # From this address not even the right password of an account never tried gets in.
    locked = attempt(client, thirteen_accounts[12], PASSWORD)
    assert locked.status_code == 429
    assert SESSION_KEY not in client.session
    page = locked.content.decode()
    assert "Vanaf uw netwerkadres is te vaak" in page
    assert not [user.username for user in thirteen_accounts if user.username in page]


def test_an_address_lockout_leaves_other_addresses_alone(client, thirteen_accounts):
    guess_four_passwords_each(client, thirteen_accounts[:12])
    assert attempt(client, thirteen_accounts[12], PASSWORD).status_code == 429
    for user in (thirteen_accounts[0], thirteen_accounts[12]):
        assert attempt(client, user, PASSWORD, REMOTE_ADDR="10.1.2.3").status_code == 302
        client.logout()


def test_an_address_lockout_ends_after_the_lockout_time(client, thirteen_accounts):
    guess_four_passwords_each(client, thirteen_accounts[:5])
    assert attempt(client, thirteen_accounts[12], PASSWORD).status_code == 429
    AccessAttempt.objects.update(attempt_time=timezone.now() - timedelta(minutes=31))
    assert attempt(client, thirteen_accounts[12], PASSWORD).status_code == 302


def test_an_address_limit_of_zero_switches_the_address_lockout_off(
    client, thirteen_accounts, settings
):
    settings.SCHAKEL_LOGIN_ADDRESS_FAILURE_LIMIT = 0
    assert set(guess_four_passwords_each(client, thirteen_accounts[:12])) == {200}
    assert attempt(client, thirteen_accounts[12], PASSWORD).status_code == 302


def test_the_account_lockout_page_still_speaks_of_the_account(client, hotel_reporter):
    for _ in range(5):
        locked = attempt(client, hotel_reporter, "wrong-password")
    page = locked.content.decode()
    assert "Voor dit account is 5 keer achter elkaar een verkeerd wachtwoord" in page
    assert "30 minuten" in page
    assert hotel_reporter.username not in page


@pytest.mark.django_db
def test_an_over_long_username_is_refused_in_the_form_not_by_the_database(client):
    """Found by tests/test_security_fuzzing.py on PostgreSQL: a username over 255 characters
    reached authenticate() and the lock-out's record of the failed attempt (a varchar(255)): a
    server error."""
    from axes.models import AccessAttempt

    response = client.post("/login/", {"username": "a" * 300, "password": "x"})
    assert response.status_code == 200
    assert response.context["form"].errors["username"]
    assert not AccessAttempt.objects.exists()
