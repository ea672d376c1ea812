"""The local demo: embedded SQLite, DEBUG on, mail printed to the console. Never for real data."""

import os

os.environ.setdefault("SECRET_KEY", "demo-only-not-secret-" + "x" * 40)
os.environ.setdefault("DEBUG", "true")
os.environ.setdefault("ALLOWED_HOSTS", "127.0.0.1,localhost")
os.environ.setdefault("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
# The demo accounts log in with a password only; set it to true to try two-factor enrolment.
os.environ.setdefault("SCHAKEL_REQUIRE_SECOND_FACTOR", "false")

from .base import *
from .base import BASE_DIR, env

DATABASES["default"] = {
    **DATABASES["default"],
    **env.db_url("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'var' / 'demo.sqlite3'}"),
}
# Only here may load_demo create the demo accounts with their published password.
SCHAKEL_DEMO = True
STORAGES["staticfiles"] = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}
# Static files come from runserver/live_server here; WhiteNoise is for production.
MIDDLEWARE = [m for m in MIDDLEWARE if not m.startswith("whitenoise")]
