"""The production settings for a real server started by a test (tests/test_crash_safety.py):
unchanged, except that static files come straight from the apps' folders (WhiteNoise's finders),
so that a test needs no collectstatic. Everything else (the keys, DATABASE_URL, the media root,
HTTPS behind a proxy, the second factor) is production's, read from the environment."""

from schakel.config.settings.production import *  # noqa: F403
from schakel.config.settings.production import STORAGES

STATIC_BACKEND = "django.contrib.staticfiles.storage.StaticFilesStorage"
STORAGES = {**STORAGES, "staticfiles": {"BACKEND": STATIC_BACKEND}}
WHITENOISE_USE_FINDERS = True
