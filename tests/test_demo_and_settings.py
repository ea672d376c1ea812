import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from schakel.cases.models import Agreement, Case
from schakel.intake.models import Signal
from schakel.organisations.choices import Role
from schakel.organisations.models import Membership, Organisation, User


@pytest.mark.django_db
def test_the_demo_region_loads_twice_without_duplicates(capsys, demo_settings):
    call_command("load_demo")

    def counts():
        return (
            User.objects.count(),
            Organisation.objects.count(),
            Signal.objects.count(),
            Case.objects.count(),
            Agreement.objects.count(),
        )

    first = counts()
    call_command("load_demo")
    assert counts() == first
    assert first[2] >= 5
    # One open case in Brakelveen with an agreement for three partners; the generated history
    # (demo/dataset.py history_into) is all closed and done.
    assert Case.objects.filter(status="open").count() == 1
    assert Agreement.objects.filter(status="open").count() == 3
    printed = capsys.readouterr().out
    assert "af.oov" in printed and "schakel-demo" in printed


@pytest.mark.django_db
def test_the_demo_has_one_account_per_role(demo_settings):
    call_command("load_demo")
    roles = set(Membership.objects.values_list("role", flat=True))
    assert roles == set(Role.values)


@pytest.mark.django_db
def test_load_demo_refuses_without_the_demo_settings():
    with pytest.raises(CommandError, match="only under the demo settings"):
        call_command("load_demo")
    assert not User.objects.exists()
    assert not Organisation.objects.exists()


def test_load_demo_refuses_under_production_settings(tmp_path):
    from cryptography.fernet import Fernet

    database = tmp_path / "production.sqlite3"
    result = subprocess.run(
        [sys.executable, "manage.py", "load_demo"],
        cwd=Path(__file__).resolve().parent.parent,
        env={
            **{k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")},
            "SECRET_KEY": secrets.token_urlsafe(48),
            "ALLOWED_HOSTS": "schakel.example",
            "DATABASE_URL": f"sqlite:///{database}",
            "SCHAKEL_ENCRYPTION_KEYS": Fernet.generate_key().decode(),
            "SCHAKEL_BLIND_INDEX_KEY": secrets.token_urlsafe(48),
            "SCHAKEL_AUDIT_KEY": secrets.token_urlsafe(48),
        },
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode != 0
    assert "only under the demo settings" in result.stderr
    assert "schakel.config.settings.production" in result.stderr
    assert "schakel-demo" not in result.stdout + result.stderr
    assert not database.exists()  # refused before touching the database


@pytest.mark.parametrize(
    ("module", "allowed"),
    [
        ("schakel.config.settings.demo", "True"),
        ("schakel.config.settings.test", "False"),
        ("schakel.config.settings.production", "False"),
    ],
)
def test_only_the_demo_settings_allow_the_demo_and_no_variable_changes_that(module, allowed):
    result = run_settings(
        module,
        "print(settings.SCHAKEL_DEMO)",
        SECRET_KEY="x" * 50,
        DATABASE_URL=POSTGRES,
        SCHAKEL_DEMO="true",
        **PRODUCTION_KEYS,
    )
    assert result.stdout.strip() == allowed, result.stderr


PRODUCTION_KEYS = {
    "SCHAKEL_ENCRYPTION_KEYS": "0" * 43 + "=",
    "SCHAKEL_BLIND_INDEX_KEY": "k",
    "SCHAKEL_AUDIT_KEY": "k",
}
POSTGRES = "postgres://someone@db.example:5432/schakel"


def run_settings(module: str, code: str, **env: str) -> subprocess.CompletedProcess[str]:
    ignored = ("DEBUG", "SECRET_KEY", "ALLOWED_HOSTS", "DATABASE_URL", *PRODUCTION_KEYS)
    environment = {k: v for k, v in os.environ.items() if k not in ignored}
    environment.update(env, DJANGO_SETTINGS_MODULE=module)
    return subprocess.run(
        [
            sys.executable,
            "-c",
            f"import django; django.setup(); from django.conf import settings; {code}",
        ],
        env=environment,
        capture_output=True,
        text=True,
        check=False,
    )


def test_production_refuses_to_start_without_a_secret_key():
    result = run_settings("schakel.config.settings.production", "print(settings.DEBUG)")
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


def test_production_defaults_are_safe():
    result = run_settings(
        "schakel.config.settings.production",
        "print(settings.DEBUG, settings.SESSION_COOKIE_SECURE, settings.SECURE_HSTS_SECONDS > 0, "
        "settings.TIME_ZONE, settings.LANGUAGE_CODE, settings.ALLOWED_HOSTS)",
        SECRET_KEY="x" * 50,
        DATABASE_URL=POSTGRES,
        **PRODUCTION_KEYS,
    )
    assert result.stdout.split() == ["False", "True", "True", "Europe/Amsterdam", "nl", "[]"]


def test_production_never_falls_back_to_an_embedded_database():
    result = run_settings(
        "schakel.config.settings.production", "print(1)", SECRET_KEY="x" * 50, **PRODUCTION_KEYS
    )
    assert result.returncode != 0
    assert "DATABASE_URL" in result.stderr


@pytest.mark.parametrize("missing", sorted(PRODUCTION_KEYS))
def test_production_needs_its_own_keys(missing):
    keys = {k: v for k, v in PRODUCTION_KEYS.items() if k != missing}
    result = run_settings(
        "schakel.config.settings.production",
        "print(1)",
        SECRET_KEY="x" * 50,
        DATABASE_URL=POSTGRES,
        **keys,
    )
    assert result.returncode != 0
    assert missing in result.stderr


def test_database_url_selects_postgresql():
    result = run_settings(
        "schakel.config.settings.production",
        "print(settings.DATABASES['default']['ENGINE'])",
        SECRET_KEY="x" * 50,
        DATABASE_URL=POSTGRES,
        **PRODUCTION_KEYS,
    )
    assert result.stdout.strip() == "django.db.backends.postgresql"


@pytest.mark.django_db
def test_security_headers_are_sent(client):
    response = client.get("/login/")
    assert "frame-ancestors 'none'" in response["Content-Security-Policy"]
    assert "camera=()" in response["Permissions-Policy"]
    assert response["X-Frame-Options"] == "DENY"
    assert response["Referrer-Policy"] == "same-origin"


def test_every_static_file_the_layout_links_is_found():
    import re
    from pathlib import Path

    from django.contrib.staticfiles import finders

    layout = Path(__file__).resolve().parent.parent / "src/schakel/templates/base.html"
    linked = re.findall(r"{% static '([^']+)' %}", layout.read_text())
    assert linked
    for path in linked:
        assert finders.find(path) is not None, path
