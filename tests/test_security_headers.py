"""Every page of the URLconf, for a visitor and for the roles that open most of it, carries the
security headers; under the production settings it also carries HSTS, and the session, CSRF and
language cookies are Secure, HttpOnly and SameSite. The URLs and the world are those of
tests/test_authorization_matrix.py, so a new URL is covered here as soon as it has a rule."""

import json

import pytest
from django.test import Client

from schakel.organisations.choices import Role

from .factories import user_with_role
from .test_authorization_matrix import RULES, user_for, world  # noqa: F401  (a fixture)
from .test_demo_and_settings import POSTGRES, PRODUCTION_KEYS, run_settings

PASSWORD = "secret-password-1"  # tests/factories.py
# A visitor, and roles that together open every app's pages (the rest are 403/404 pages).
VIEWERS = [None, Role.AF_OOV, Role.MUNICIPAL_REPORTER, Role.FUNCTIONAL_ADMIN, Role.PRIVACY_OFFICER]


def header_failures(label, response, hsts=False):
    failures = []
    policy = response.get("Content-Security-Policy", "")
    directives = dict(
        ([*part.strip().split(" ", 1), ""])[:2] for part in policy.split(";") if part.strip()
    )
    scripts = directives.get("script-src", directives.get("default-src", ""))
    if not policy or "'self'" not in scripts or "unsafe-inline" in scripts:
        failures.append(f"{label}: script-src {scripts!r}")
    if "unsafe-eval" in scripts:
        failures.append(f"{label}: script-src allows eval")
    if directives.get("frame-ancestors") != "'none'" and response.get("X-Frame-Options") != "DENY":
        failures.append(f"{label}: may be framed")
    if response.get("X-Content-Type-Options") != "nosniff":
        failures.append(f"{label}: no nosniff")
    if response.get("Referrer-Policy") != "same-origin":
        failures.append(f"{label}: Referrer-Policy {response.get('Referrer-Policy')!r}")
    if "camera=()" not in response.get("Permissions-Policy", ""):
        failures.append(f"{label}: Permissions-Policy {response.get('Permissions-Policy')!r}")
    if hsts:
        value = response.get("Strict-Transport-Security", "")
        if "max-age=31536000" not in value or "includeSubDomains" not in value:
            failures.append(f"{label}: HSTS {value!r}")
    return failures


TRANSPORT = [
    "SECURE_SSL_REDIRECT",
    "SECURE_PROXY_SSL_HEADER",
    "SECURE_HSTS_SECONDS",
    "SECURE_HSTS_INCLUDE_SUBDOMAINS",
    "SECURE_HSTS_PRELOAD",
    "SESSION_COOKIE_SECURE",
    "SESSION_COOKIE_HTTPONLY",
    "SESSION_COOKIE_SAMESITE",
    "CSRF_COOKIE_SECURE",
    "CSRF_COOKIE_HTTPONLY",
    "CSRF_COOKIE_SAMESITE",
    "LANGUAGE_COOKIE_SECURE",
    "LANGUAGE_COOKIE_HTTPONLY",
    "LANGUAGE_COOKIE_SAMESITE",
]


@pytest.fixture(scope="module")
def production_transport():
    """The transport and cookie settings as the production module sets them, read from it in a
    process of its own (it needs its environment)."""
    code = f"import json; print(json.dumps({{n: getattr(settings, n) for n in {TRANSPORT!r}}}))"
    result = run_settings(
        "schakel.config.settings.production",
        code,
        SECRET_KEY="x" * 50,
        DATABASE_URL=POSTGRES,
        **PRODUCTION_KEYS,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


@pytest.fixture
def production(settings, production_transport):
    for name, value in production_transport.items():
        setattr(settings, name, tuple(value) if isinstance(value, list) else value)
    return production_transport


def every_page(client, world, role):  # noqa: F811
    if role is not None:
        client.force_login(user_for(role, world["municipality"]))
    for name, (build, _expected) in RULES.items():
        for scope in ("own", "other"):
            yield (
                f"{name} [{scope}] as {role or 'visitor'}",
                client.get(build(world, scope), secure=True),
            )


@pytest.mark.parametrize("role", VIEWERS, ids=lambda r: str(r or "visitor"))
def test_every_page_carries_the_security_headers_and_hsts_in_production(
    world,  # noqa: F811
    production,
    role,
):
    client = Client()
    failures = []
    for label, response in every_page(client, world, role):
        failures += header_failures(label, response, hsts=True)
    assert failures == []


def test_production_sends_the_cookies_secure_httponly_and_same_site(production, db):
    assert production["SECURE_SSL_REDIRECT"] is True
    user = user_with_role(Role.AF_OOV)
    client = Client()
    assert client.get("/login/", secure=False).status_code == 301  # plain HTTP goes to HTTPS
    client.get("/login/", secure=True)
    login = client.post("/login/", {"username": user.username, "password": PASSWORD}, secure=True)
    assert login.status_code == 302, "the login succeeds"
    client.post("/language/", {"language": "en", "next": "/"}, secure=True)
    cookies = client.cookies
    for name in ("sessionid", "csrftoken", "django_language"):
        cookie = cookies[name]
        assert cookie["secure"] is True, name
        assert cookie["httponly"] is True, name
        assert cookie["samesite"] == "Lax", name


def test_the_error_pages_carry_the_headers_too(db, production):
    client = Client()
    client.force_login(user_with_role(Role.MUNICIPAL_REPORTER))
    for path in ("/signals/MH-0000-0000/", "/does-not-exist/", "/logout/"):
        response = client.get(path, secure=True)
        assert response.status_code >= 400
        assert header_failures(path, response, hsts=True) == []
