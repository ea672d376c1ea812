"""`manage.py check --deploy` is clean under the production settings with the environment a
server gets: no error, and not a single warning either."""

import os
import secrets
import subprocess
import sys

from cryptography.fernet import Fernet

from .test_key_checks import ROOT


def test_check_deploy_reports_not_even_a_warning_under_production_settings():
    # As on a server: none of the test run's Django variables, only what production.py reads.
    environment = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    environment.update(
        DJANGO_SETTINGS_MODULE="schakel.config.settings.production",
        ALLOWED_HOSTS="schakel.example",
        DATABASE_URL="postgres://schakel@db.example/schakel",
        SECRET_KEY=secrets.token_urlsafe(48),
        SCHAKEL_ENCRYPTION_KEYS=Fernet.generate_key().decode(),
        SCHAKEL_BLIND_INDEX_KEY=secrets.token_urlsafe(48),
        SCHAKEL_AUDIT_KEY=secrets.token_urlsafe(48),
    )
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert "System check identified no issues" in result.stdout
