"""Production: everything from base, plus HTTPS-only transport. Served behind a TLS proxy."""

from .base import *
from .base import env

# Keys kept outside the database; no derived defaults in production.
SCHAKEL_ENCRYPTION_KEYS = env.list("SCHAKEL_ENCRYPTION_KEYS")
SCHAKEL_BLIND_INDEX_KEY = env.str("SCHAKEL_BLIND_INDEX_KEY")
SCHAKEL_AUDIT_KEY = env.str("SCHAKEL_AUDIT_KEY")

# Production never falls back to the embedded SQLite file. A connection is kept open for a minute
# between requests (a new PostgreSQL connection per request costs a handshake, authentication and
# a new server process) and checked before it is reused, so that one the database or a pooler
# closed is replaced instead of failing the request. DATABASE_CONN_MAX_AGE=0 closes each one.
DATABASES = {"default": env.db_url("DATABASE_URL")}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
DATABASES["default"].setdefault("CONN_MAX_AGE", env.int("DATABASE_CONN_MAX_AGE", default=60))
DATABASES["default"].setdefault("CONN_HEALTH_CHECKS", True)

SECURE_SSL_REDIRECT = env.bool("SCHAKEL_SSL_REDIRECT", default=True)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_HSTS_SECONDS = env.int("SCHAKEL_HSTS_SECONDS", default=60 * 60 * 24 * 365)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
# The preload flag only allows submission to browsers' preload lists; it submits nothing itself.
SECURE_HSTS_PRELOAD = env.bool("SCHAKEL_HSTS_PRELOAD", default=True)
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]  # load-balancer probes over plain HTTP
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
LANGUAGE_COOKIE_SECURE = True

# A second factor for every role that sees personal data; only an explicit "false" turns it off.
SCHAKEL_REQUIRE_SECOND_FACTOR = env.bool("SCHAKEL_REQUIRE_SECOND_FACTOR", default=True)
