"""The keys outside the database are checked at start-up: long enough, not guessable, and the
encryption keys real Fernet keys. The check names the setting, never the key."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from cryptography.fernet import Fernet

from schakel.core.checks import check_encryption_keys, check_secret_keys, key_weakness

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.parametrize(
    "key",
    [
        "check",
        "x" * 31 + "a",  # 32 characters, two different ones
        "aAbBcCdDe" * 5,  # 45 characters, nine different ones
        "abcdefghij" * 4,  # one pattern, repeated
        "abcdefghijklmnopqr" * 2 + "abcde",  # repeated, the last time cut off
    ],
)
def test_short_repetitive_or_low_variety_keys_are_weak(key):
    assert key_weakness(key) is not None


def test_a_random_key_is_not_weak():
    assert key_weakness(secrets.token_urlsafe(48)) is None
    assert key_weakness(Fernet.generate_key().decode()) is None


def test_weak_secret_keys_are_errors_that_name_the_setting_and_not_the_key(settings):
    settings.SCHAKEL_AUDIT_KEY = "audit"
    settings.SCHAKEL_BLIND_INDEX_KEY = "0123456789" * 4
    settings.SCHAKEL_MATCHING_KEY = "m" * 40
    errors = check_secret_keys()
    assert [e.id for e in errors] == ["schakel.E001"] * 3
    text = " ".join(e.msg for e in errors)
    for name in ("SCHAKEL_AUDIT_KEY", "SCHAKEL_BLIND_INDEX_KEY", "SCHAKEL_MATCHING_KEY"):
        assert name in text
    assert "audit." not in text and "0123456789" not in text


def test_an_empty_matching_key_falls_back_and_is_not_an_error(settings):
    settings.SCHAKEL_MATCHING_KEY = ""
    assert check_secret_keys() == []


@pytest.mark.parametrize(
    "keys",
    [
        [],
        ["not-a-fernet-key"],
        ["0" * 43 + "="],  # a valid Fernet key of 32 zero-ish bytes: guessable
        [Fernet.generate_key().decode(), "kort"],
    ],
)
def test_encryption_keys_must_be_real_fernet_keys(settings, keys):
    settings.SCHAKEL_ENCRYPTION_KEYS = keys
    errors = check_encryption_keys()
    assert errors and {e.id for e in errors} == {"schakel.E002"}
    assert not any(key in e.msg for e in errors for key in keys)


def test_good_encryption_keys_pass(settings):
    settings.SCHAKEL_ENCRYPTION_KEYS = [Fernet.generate_key().decode() for _ in range(2)]
    assert check_encryption_keys() == []


def manage_check(**keys: str) -> subprocess.CompletedProcess[str]:
    # As on a server: none of the test run's Django variables (the browser tests set one).
    environment = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    environment.update(
        {
            "ALLOWED_HOSTS": "schakel.example",
            "DATABASE_URL": "postgres://schakel@db.example/schakel",
            "SECRET_KEY": secrets.token_urlsafe(48),
            "SCHAKEL_ENCRYPTION_KEYS": Fernet.generate_key().decode(),
            "SCHAKEL_BLIND_INDEX_KEY": secrets.token_urlsafe(48),
            "SCHAKEL_AUDIT_KEY": secrets.token_urlsafe(48),
            **keys,
        }
    )
    return subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy"],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        check=False,
    )


def test_short_or_low_entropy_keys_fail_the_start_up_check_under_production_settings():
    weak = {
        "SECRET_KEY": "kort1",
        "SCHAKEL_BLIND_INDEX_KEY": "blind",
        "SCHAKEL_AUDIT_KEY": "0123456789ab" * 4,
        "SCHAKEL_ENCRYPTION_KEYS": "geen-fernet-sleutel",
    }
    result = manage_check(**weak)
    assert result.returncode != 0
    for message in (
        "(schakel.E001) SECRET_KEY is 5 characters long",
        "(schakel.E001) SCHAKEL_BLIND_INDEX_KEY is 5 characters long",
        "(schakel.E001) SCHAKEL_AUDIT_KEY repeats one short pattern",
        "(schakel.E002) Key 1 of SCHAKEL_ENCRYPTION_KEYS is not a Fernet key",
    ):
        assert message in result.stderr
    assert "0123456789ab" not in result.stderr and "geen-fernet-sleutel" not in result.stderr


def test_random_keys_pass_the_start_up_check_under_production_settings():
    result = manage_check()
    assert result.returncode == 0, result.stderr
