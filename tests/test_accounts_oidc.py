"""Optional OpenID Connect login: off unless configured; existing active accounts are matched on
e-mail address and none are ever created."""

import importlib
from urllib.parse import parse_qs, urlparse

import pytest
from django.core.exceptions import SuspiciousOperation
from django.urls import NoReverseMatch, clear_url_caches, reverse

from schakel.core.access import ACCESS_ATTRIBUTE
from schakel.organisations.models import User

from .factories import UserFactory

PROVIDER = "https://login.gemeente.example/oidc"
OIDC_SETTINGS = {
    "OIDC_RP_CLIENT_ID": "schakel",
    "OIDC_RP_CLIENT_SECRET": "not-a-real-secret",
    "OIDC_OP_AUTHORIZATION_ENDPOINT": f"{PROVIDER}/authorize",
    "OIDC_OP_TOKEN_ENDPOINT": f"{PROVIDER}/token",
    "OIDC_OP_USER_ENDPOINT": f"{PROVIDER}/userinfo",
    "OIDC_OP_JWKS_ENDPOINT": f"{PROVIDER}/jwks",
    "OIDC_RP_SIGN_ALGO": "RS256",
    "OIDC_CREATE_USER": False,
    "OIDC_USE_PKCE": True,
}


@pytest.fixture
def oidc_settings(settings):
    for name, value in OIDC_SETTINGS.items():
        setattr(settings, name, value)
    return settings


@pytest.fixture
def backend(oidc_settings):
    from schakel.accounts.oidc import ExistingAccountBackend

    return ExistingAccountBackend()


@pytest.fixture
def oidc_mounted(oidc_settings):
    """The URLconf as it is built with SCHAKEL_OIDC_ENABLED on (and rebuilt without it after)."""
    import schakel.config.urls as root

    oidc_settings.SCHAKEL_OIDC_ENABLED = True
    importlib.reload(root)
    clear_url_caches()
    yield root
    oidc_settings.SCHAKEL_OIDC_ENABLED = False
    importlib.reload(root)
    clear_url_caches()


def test_without_the_setting_nothing_is_mounted(settings, client):
    assert settings.SCHAKEL_OIDC_ENABLED is False
    assert not any("oidc" in backend.lower() for backend in settings.AUTHENTICATION_BACKENDS)
    with pytest.raises(NoReverseMatch):
        reverse("oidc_authentication_init")
    with pytest.raises(NoReverseMatch):
        reverse("oidc_authentication_callback")


@pytest.mark.django_db
def test_without_the_setting_the_login_page_offers_no_identity_provider(client):
    assert b'data-testid="oidc-login"' not in client.get(reverse("login")).content


@pytest.mark.django_db
def test_accounts_are_matched_on_email_case_insensitively(backend):
    user = UserFactory(email="A.Jansen@Brakelveen.example")
    assert list(backend.filter_users_by_claims({"email": "a.jansen@brakelveen.example"})) == [user]


@pytest.mark.django_db
def test_inactive_unverified_or_missing_addresses_match_nobody(backend):
    UserFactory(email="oud@brakelveen.example", is_active=False)
    UserFactory(email="nieuw@brakelveen.example")
    assert not backend.filter_users_by_claims({"email": "oud@brakelveen.example"}).exists()
    assert not backend.filter_users_by_claims(
        {"email": "nieuw@brakelveen.example", "email_verified": False}
    ).exists()
    assert not backend.filter_users_by_claims({"email": ""}).exists()
    assert not backend.filter_users_by_claims({}).exists()


@pytest.mark.django_db
def test_an_unknown_address_creates_no_account(backend, monkeypatch):
    monkeypatch.setattr(backend, "get_userinfo", lambda *args: {"email": "onbekend@elders.example"})
    before = User.objects.count()
    assert backend.get_or_create_user("access", "id", {}) is None
    with pytest.raises(SuspiciousOperation):
        backend.create_user({"email": "onbekend@elders.example"})
    assert User.objects.count() == before


@pytest.mark.django_db
def test_a_known_address_logs_in_as_that_account(backend, monkeypatch):
    user = UserFactory(email="af@brakelveen.example")
    monkeypatch.setattr(backend, "get_userinfo", lambda *args: {"email": "af@brakelveen.example"})
    assert backend.get_or_create_user("access", "id", {}) == user


@pytest.mark.django_db
def test_when_enabled_the_login_page_links_to_the_identity_provider(client, oidc_mounted):
    from .test_every_view_is_governed import walk

    oidc_views = [v for v in walk(oidc_mounted.urlpatterns) if "oidc/" in v[1]]
    assert len(oidc_views) == 2
    assert all(getattr(callback, ACCESS_ATTRIBUTE) == "public" for *_, callback in oidc_views)

    page = client.get(reverse("login") + "?next=/signals/queue/")
    assert b'data-testid="oidc-login"' in page.content

    response = client.get(reverse("oidc_authentication_init") + "?next=/signals/queue/")
    assert response.status_code == 302
    target = urlparse(response["Location"])
    query = parse_qs(target.query)
    assert f"{target.scheme}://{target.netloc}{target.path}" == f"{PROVIDER}/authorize"
    assert query["client_id"] == ["schakel"]
    assert query["scope"] == ["openid email"]
    assert query["code_challenge_method"] == ["S256"]
    assert client.session["oidc_login_next"] == "/signals/queue/"


@pytest.mark.django_db
def test_after_the_provider_login_the_af_goes_on_to_the_code_page(
    rf, oidc_settings, second_factor_required, af_oov
):
    from schakel.accounts.oidc import CallbackView

    view = CallbackView()
    view.request = rf.get("/oidc/callback/")
    view.request.session = {"oidc_login_next": "/signals/queue/"}
    view.request.user = af_oov
    assert view.success_url == "/accounts/two-factor/enrol/?next=%2Fsignals%2Fqueue%2F"
