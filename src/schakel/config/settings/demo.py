"""The local demo: embedded SQLite, mail printed to the console. Never for real data.

DEBUG is off, as in production, so that the demo shows Schakel's own error pages (in Dutch or
English) instead of Django's technical ones; WhiteNoise serves the static files straight from
the apps (no collectstatic needed). DEBUG=true in the environment turns it on for development."""

import os

os.environ.setdefault("SECRET_KEY", "demo-only-not-secret-" + "x" * 40)
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
# With DEBUG off runserver serves no static files: WhiteNoise (in MIDDLEWARE) finds them in the
# apps' static directories, re-reading them when they change.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
