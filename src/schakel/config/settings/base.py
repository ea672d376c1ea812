"""Settings shared by every environment; each value a deployment may change comes from the
environment (see docs/operations.md for the full list)."""

import base64
import hashlib
from datetime import timedelta
from pathlib import Path

import environ
from csp.constants import NONE, SELF
from django.utils.translation import gettext_lazy as _

PACKAGE_DIR = Path(__file__).resolve().parent.parent.parent
BASE_DIR = PACKAGE_DIR.parent.parent  # the repository root in a checkout

env = environ.Env()

# Production-safe defaults: DEBUG off, no hosts, a secret key is required.
DEBUG = env.bool("DEBUG", default=False)
SECRET_KEY = env.str("SECRET_KEY")
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=[])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

DATABASES = {
    "default": env.db_url(
        "DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'var' / 'schakel.sqlite3'}"
    )
}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
DATABASES["default"].setdefault("CONN_MAX_AGE", env.int("DATABASE_CONN_MAX_AGE", default=0))
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL and a busy timeout keep concurrent reporters from hitting "database is locked".
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "timeout": 20,
        "transaction_mode": "IMMEDIATE",
    }

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "csp",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "axes",
    "django_htmx",
    "django_countries",
    "schakel.core",
    "schakel.organisations",
    "schakel.audit",
    "schakel.catalogue",
    "schakel.intake",
    "schakel.matching",
    "schakel.cases",
    "schakel.meetings",
    "schakel.inspections",
    "schakel.network",
    "schakel.accounts",
    "schakel.monitoring",
    "schakel.assessment",
    # Composition apps: they use the apps above through their services and selectors.
    "schakel.retention",
    "schakel.privacy",
    "schakel.worklist",
    "schakel.demo",
]

MIDDLEWARE = [
    # First: everything after it (audit log, lock-out, rate limits) sees the client's address.
    "schakel.core.middleware.ClientAddressMiddleware",
    "django.middleware.security.SecurityMiddleware",
    # The header middleware comes early, so that the 400 below carries the headers too.
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_permissions_policy.PermissionsPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # A body above its bound is a 413 before it is read (core/uploads.py); before anything reads it.
    "schakel.core.uploads.RequestSizeMiddleware",
    # A NUL or lone surrogate anywhere in the request is a 400, before the session is looked up.
    "schakel.core.middleware.UnusableInputMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # Restarts the idle timeout at most once a minute (instead of SESSION_SAVE_EVERY_REQUEST).
    "schakel.core.middleware.SessionActivityMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Nothing shown to a logged-in user is stored in a cache (Cache-Control: no-store, private).
    "schakel.core.middleware.PrivateResponseMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # request.htmx: a form sent by htmx gets its fragment back, a plain one the whole page.
    "django_htmx.middleware.HtmxMiddleware",
    # Last, as django-axes asks: it turns a lock-out during login into the lock-out page.
    "axes.middleware.AxesMiddleware",
]

# How many reverse proxies in front of Schakel append the address they saw to X-Forwarded-For
# (docs/operations.md, "Behind a TLS proxy"). 0: the header is ignored and REMOTE_ADDR is used.
SCHAKEL_PROXY_COUNT = env.int("SCHAKEL_PROXY_COUNT", default=0)

ROOT_URLCONF = "schakel.config.urls"
WSGI_APPLICATION = "schakel.config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PACKAGE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "schakel.core.context_processors.navigation",
            ],
        },
    },
]

AUTH_USER_MODEL = "organisations.User"
# The lock-out check comes first, so a locked-out login never reaches the password check.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    # Then the lock-out of a whole address, across accounts (accounts/lockout.py).
    "schakel.accounts.lockout.AddressLockoutBackend",
    "django.contrib.auth.backends.ModelBackend",
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Dutch first; English is the source language of the code and the second UI language.
LANGUAGE_CODE = "nl"
LANGUAGES = [("nl", _("Dutch")), ("en", _("English"))]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
USE_I18N = True
# One date style everywhere, in both languages (schakel/core/formats).
FORMAT_MODULE_PATH = ["schakel.core.formats"]
TIME_ZONE = "Europe/Amsterdam"
USE_TZ = True

STATIC_URL = "static/"
# The front-end packages from the npm registry (package.json; `make` runs npm ci): NL Design
# System components (the Utrecht bundle) and htmx, served under static/vendor/.
NODE_MODULES = Path(env.str("SCHAKEL_NODE_MODULES", default=str(BASE_DIR / "node_modules")))
# Django's finders, the vendor directories' without the files Schakel does not serve
# (config/staticfiles.py).
STATICFILES_FINDERS = [
    "schakel.config.staticfiles.VendorFileSystemFinder",
    "django.contrib.staticfiles.finders.AppDirectoriesFinder",
]
STATICFILES_DIRS = [
    ("vendor/utrecht", NODE_MODULES / "@utrecht" / "component-library-css" / "dist"),
    ("vendor/utrecht-tokens", NODE_MODULES / "@utrecht" / "design-tokens" / "dist"),
    ("vendor/htmx", NODE_MODULES / "htmx.org" / "dist"),
]
STATIC_ROOT = env.path("SCHAKEL_STATIC_ROOT", default=BASE_DIR / "var" / "static")
# Uploaded evidence never lives under the web root; it is served only through views with a policy.
MEDIA_ROOT = env.path("SCHAKEL_MEDIA_ROOT", default=BASE_DIR / "var" / "media")
STORAGES = {
    # Uploads (attachments) are encrypted at rest with SCHAKEL_ENCRYPTION_KEYS.
    "default": {"BACKEND": "schakel.core.storage.EncryptedFileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

# Uploads (intake/attachments.py, core/uploads.py): at most this many files of at most this size
# with one signal; photos up to this many pixels, PDFs up to this many pages. A request to the
# forms in SCHAKEL_UPLOAD_VIEWS may be the files' total + DATA_UPLOAD_MAX_MEMORY_SIZE long, any
# other request SCHAKEL_REQUEST_MAX_BYTES; a longer one is refused before its body is read.
SCHAKEL_ATTACHMENT_MAX_BYTES = env.int("SCHAKEL_ATTACHMENT_MAX_BYTES", default=10 * 1024 * 1024)
SCHAKEL_ATTACHMENTS_PER_SIGNAL = env.int("SCHAKEL_ATTACHMENTS_PER_SIGNAL", default=5)
SCHAKEL_ATTACHMENTS_MAX_TOTAL_BYTES = env.int(
    "SCHAKEL_ATTACHMENTS_MAX_TOTAL_BYTES", default=25 * 1024 * 1024
)
SCHAKEL_ATTACHMENT_MAX_PIXELS = env.int("SCHAKEL_ATTACHMENT_MAX_PIXELS", default=50_000_000)
SCHAKEL_ATTACHMENT_MAX_PDF_PAGES = env.int("SCHAKEL_ATTACHMENT_MAX_PDF_PAGES", default=200)
SCHAKEL_UPLOAD_VIEWS = ("intake:report",)  # the public form takes no files
SCHAKEL_REQUEST_MAX_BYTES = env.int("SCHAKEL_REQUEST_MAX_BYTES", default=5 * 1024 * 1024)
DATA_UPLOAD_MAX_MEMORY_SIZE = 1024 * 1024  # the form fields of one request, files not counted
FILE_UPLOAD_HANDLERS = [
    "schakel.core.uploads.BoundedUploadHandler",  # first: it counts, and cuts off, every byte
    "django.core.files.uploadhandler.MemoryFileUploadHandler",
    "django.core.files.uploadhandler.TemporaryFileUploadHandler",
]

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Sessions: short-lived, browser-bound. Case data must not stay open on an unattended screen.
SESSION_COOKIE_AGE = env.int("SCHAKEL_SESSION_SECONDS", default=30 * 60)
# Not saved on every request: SessionActivityMiddleware restarts the idle timeout once a minute.
SESSION_SAVE_EVERY_REQUEST = False
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
# The language switch's cookie: no script reads it, and it is sent only with same-site requests.
LANGUAGE_COOKIE_HTTPONLY = True
LANGUAGE_COOKIE_SAMESITE = "Lax"
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"

# No inline script or style anywhere: the templates load only same-origin files.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}
PERMISSIONS_POLICY: dict[str, list[str]] = {
    feature: []
    for feature in (
        "accelerometer",
        "camera",
        "geolocation",
        "gyroscope",
        "magnetometer",
        "microphone",
        "payment",
        "usb",
    )
}

EMAIL_BACKEND = env.str("EMAIL_BACKEND", default="django.core.mail.backends.smtp.EmailBackend")
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="schakel@localhost")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("SCHAKEL_LOG_LEVEL", default="INFO")},
    # WeasyPrint narrates every rendering step at INFO.
    "loggers": {"weasyprint": {"level": "WARNING"}, "fontTools": {"level": "WARNING"}},
}

# --- Authentication: second factor, lock-out, OpenID Connect (docs/operations.md) ------------
# A second factor (TOTP) is required for every role that sees personal data
# (the roles with Capability.PERSONAL_DATA in organisations/roles.py); a user who enrolled
# voluntarily verifies too.
SCHAKEL_REQUIRE_SECOND_FACTOR = env.bool("SCHAKEL_REQUIRE_SECOND_FACTOR", default=True)
# The rights review flags accounts that have not logged in for this many days.
SCHAKEL_REVIEW_INACTIVE_DAYS = env.int("SCHAKEL_REVIEW_INACTIVE_DAYS", default=90)
OTP_TOTP_ISSUER = env.str("SCHAKEL_INSTANCE_NAME", default="Schakel")
# Exponential back-off after wrong codes (1, 2, 4, 8 … seconds); 0 would switch it off.
OTP_TOTP_THROTTLE_FACTOR = 1
OTP_STATIC_THROTTLE_FACTOR = 1

# django-axes: 5 failed logins for one username from one IP address lock that pair for 30 minutes.
AXES_FAILURE_LIMIT = env.int("SCHAKEL_LOGIN_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("SCHAKEL_LOGIN_LOCKOUT_MINUTES", default=30))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "schakel.accounts.lockout.lockout_response"
# And 20 failed logins from one IP address, for any usernames within those 30 minutes, lock the
# address (accounts/lockout.py); 0 switches this off.
SCHAKEL_LOGIN_ADDRESS_FAILURE_LIMIT = env.int("SCHAKEL_LOGIN_ADDRESS_FAILURE_LIMIT", default=20)
AXES_ENABLE_ADMIN = False  # the default admin site is not mounted; Schakel has its own
AXES_VERBOSE = False

# OpenID Connect with the municipality's identity provider (mozilla-django-oidc). Off unless
# SCHAKEL_OIDC_ENABLED; accounts are matched on e-mail address, never created.
SCHAKEL_OIDC_ENABLED = env.bool("SCHAKEL_OIDC_ENABLED", default=False)
if SCHAKEL_OIDC_ENABLED:
    INSTALLED_APPS.append("mozilla_django_oidc")
    AUTHENTICATION_BACKENDS.append("schakel.accounts.oidc.ExistingAccountBackend")
    OIDC_RP_CLIENT_ID = env.str("OIDC_RP_CLIENT_ID")
    OIDC_RP_CLIENT_SECRET = env.str("OIDC_RP_CLIENT_SECRET")
    OIDC_OP_AUTHORIZATION_ENDPOINT = env.str("OIDC_OP_AUTHORIZATION_ENDPOINT")
    OIDC_OP_TOKEN_ENDPOINT = env.str("OIDC_OP_TOKEN_ENDPOINT")
    OIDC_OP_USER_ENDPOINT = env.str("OIDC_OP_USER_ENDPOINT")
    OIDC_OP_JWKS_ENDPOINT = env.str("OIDC_OP_JWKS_ENDPOINT")
    OIDC_RP_SIGN_ALGO = env.str("OIDC_RP_SIGN_ALGO", default="RS256")
    OIDC_RP_SCOPES = "openid email"
    OIDC_CREATE_USER = False
    OIDC_USE_PKCE = True
    OIDC_TIMEOUT = 10
    LOGIN_REDIRECT_URL_FAILURE = "/login/"

# --- Schakel's own settings -----------------------------------------------------------------
# The fictional demo region (load_demo: published accounts and password) loads only where this is
# True: the demo settings set it, no environment variable can (demo/loader.py).
SCHAKEL_DEMO = False
# generate_dataset (a large fictional region) runs where this or SCHAKEL_DEMO is True: the test
# settings set it (tests, benchmarks); elsewhere only with --force (demo/dataset.py).
SCHAKEL_DATASET = False
SCHAKEL_INSTANCE_NAME = env.str("SCHAKEL_INSTANCE_NAME", default="Schakel")
# No signal lies idle: the AF acts within this many working days, the reporter hears back within
# this many calendar days (DOMAIN.md §3).
SCHAKEL_FIRST_ACTION_WORKING_DAYS = env.int("SCHAKEL_FIRST_ACTION_WORKING_DAYS", default=5)
SCHAKEL_FEEDBACK_DAYS = env.int("SCHAKEL_FEEDBACK_DAYS", default=14)
# An open case without any timeline entry for this many days is flagged in lists and queues.
SCHAKEL_CASE_INACTIVITY_DAYS = env.int("SCHAKEL_CASE_INACTIVITY_DAYS", default=28)
# Encryption at rest of identifying fields (core/crypto.py). A comma-separated list of Fernet
# keys: the first encrypts, all decrypt. The defaults derive from SECRET_KEY and are for the demo
# and tests only; production requires its own keys.
SCHAKEL_ENCRYPTION_KEYS = env.list(
    "SCHAKEL_ENCRYPTION_KEYS",
    default=[
        base64.urlsafe_b64encode(
            hashlib.sha256(f"encryption:{SECRET_KEY}".encode()).digest()
        ).decode()
    ],
)
SCHAKEL_BLIND_INDEX_KEY = env.str("SCHAKEL_BLIND_INDEX_KEY", default="blind-index:" + SECRET_KEY)

# Key of the audit log's hash chain. Keep it outside the database (and its backups); without it
# a changed entry cannot be given a valid hash. Defaults to a key derived from SECRET_KEY.
SCHAKEL_AUDIT_KEY = env.str("SCHAKEL_AUDIT_KEY", default="audit:" + SECRET_KEY)
# Where seal_audit_log writes the signed checkpoints of the audit log, one file a day, outside the
# database: verify_audit_log compares them with it (docs/operations.md, "Sealing the audit log").
SCHAKEL_AUDIT_CHECKPOINT_DIR = env.path(
    "SCHAKEL_AUDIT_CHECKPOINT_DIR", default=BASE_DIR / "var" / "audit-checkpoints"
)
# Reminders (send_signal_reminders): an overdue signal is escalated to the municipality's shared
# mailbox when it is still overdue this many working days after its deadline. Links in the mails
# start with SCHAKEL_BASE_URL, the address at which users reach Schakel (no trailing slash).
SCHAKEL_ESCALATE_AFTER_WORKING_DAYS = env.int("SCHAKEL_ESCALATE_AFTER_WORKING_DAYS", default=2)
SCHAKEL_BASE_URL = env.str("SCHAKEL_BASE_URL", default="http://127.0.0.1:8000").rstrip("/")

# Retention (apply_retention, docs/privacy.md): days after which personal content is wiped.
# A signal closed as "not human trafficking" after 1 year (long enough to link a repeat signal on
# the same address), any other closed signal after 5 years; a case in which every person's
# outcome was "no trafficking" 1 year after closing, any other closed case after 5 years; audit
# entries after 7 years (NEN 7513 asks for at least 5). Statistics survive: the anonymised signal
# keeps its dates, entry point, forms, routing and outcome; the anonymised case its dates, forms,
# direction, and per person the role, sex and outcome.
SCHAKEL_RETENTION_DAYS = {
    "signal_not_trafficking": env.int("SCHAKEL_RETAIN_SIGNAL_NOT_TRAFFICKING_DAYS", default=365),
    "signal_closed": env.int("SCHAKEL_RETAIN_SIGNAL_CLOSED_DAYS", default=5 * 365),
    "case_no_trafficking": env.int("SCHAKEL_RETAIN_CASE_NO_TRAFFICKING_DAYS", default=365),
    "case_closed": env.int("SCHAKEL_RETAIN_CASE_CLOSED_DAYS", default=5 * 365),
    "audit_event": env.int("SCHAKEL_RETAIN_AUDIT_DAYS", default=7 * 365),
    # A draft nobody finished (it may name people) is gone after this many days.
    "draft": env.int("SCHAKEL_RETAIN_DRAFT_DAYS", default=30),
}

# Hit/no-hit registry (docs/matching.md). Its own key, kept outside the database; it falls back
# to SCHAKEL_BLIND_INDEX_KEY. Registrations expire this many days after their last update.
SCHAKEL_MATCHING_KEY = env.str("SCHAKEL_MATCHING_KEY", default="")
SCHAKEL_MATCHING_EXPIRY_DAYS = env.int("SCHAKEL_MATCHING_EXPIRY_DAYS", default=730)
SCHAKEL_MATCHING_LOOKUPS_PER_HOUR = env.int("SCHAKEL_MATCHING_LOOKUPS_PER_HOUR", default=30)

# Rate limits (core/throttle.py): uses per hour, counted in the database for every worker. A
# public report counts per form session (a cookie; colleagues behind one address each have their
# own) and per address (the cap that bounds a flood).
SCHAKEL_PUBLIC_REPORTS_PER_HOUR = env.int("SCHAKEL_PUBLIC_REPORTS_PER_HOUR", default=5)
SCHAKEL_PUBLIC_REPORTS_PER_ADDRESS_PER_HOUR = env.int(
    "SCHAKEL_PUBLIC_REPORTS_PER_ADDRESS_PER_HOUR", default=50
)
