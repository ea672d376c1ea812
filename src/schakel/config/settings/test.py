"""Tests: SQLite by default, PostgreSQL when DATABASE_URL points there (make test runs both)."""

import os

os.environ.setdefault("SECRET_KEY", "test-only-not-secret-" + "x" * 40)
os.environ.setdefault("ALLOWED_HOSTS", "testserver,localhost,127.0.0.1")

from .base import *
from .base import env

if "DATABASE_URL" not in os.environ:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": ":memory:",
            "TEST": {"NAME": ":memory:"},
        }
    }
else:
    DATABASES = {"default": env.db_url("DATABASE_URL")}

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
STORAGES["staticfiles"] = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}
LANGUAGE_CODE = "nl"
# Static files come from runserver/live_server here; WhiteNoise is for production.
MIDDLEWARE = [m for m in MIDDLEWARE if not m.startswith("whitenoise")]
# Tests that exercise the second factor turn it on with the `settings` fixture.
SCHAKEL_REQUIRE_SECOND_FACTOR = False
# generate_dataset may write its fictional regions here (tests, bench/monitoring.py).
SCHAKEL_DATASET = True
# Many tests render signal-card PDFs from one address; the rate-limit test sets its own cap.
SCHAKEL_CARD_PDFS_PER_HOUR = 100_000
