"""Schakel's own error pages, in the visitor's language, also in the demo: never Django's
technical page with its settings and URL list."""

import pytest
from django.test import Client, RequestFactory
from django.urls import reverse
from django.utils import translation
from django.views.defaults import server_error

from schakel.organisations.choices import Role

from .factories import user_with_role
from .test_demo_and_settings import run_settings


@pytest.mark.parametrize(
    ("language", "heading", "elsewhere"),
    [("nl", "Pagina niet gevonden", "Page not found"), ("en", "Page not found", "Pagina niet")],
)
def test_an_unknown_address_shows_the_friendly_page_with_debug_off(
    client, db, settings, language, heading, elsewhere
):
    settings.DEBUG = False
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    response = client.get("/bestaat-niet/")
    html = response.content.decode()
    assert response.status_code == 404
    assert f"<h1>{heading}</h1>" in html and elsewhere not in html
    assert f'lang="{language}"' in html
    assert "URLconf" not in html and "DEBUG" not in html  # not Django's technical page


def test_a_refusal_shows_the_friendly_page(client, db, settings):
    settings.DEBUG = False
    client.force_login(user_with_role(Role.PARTNER_REPORTER))
    response = client.get(reverse("audit:log"))
    assert response.status_code == 403
    assert "<h1>U heeft geen toegang tot deze pagina</h1>" in response.content.decode()


@pytest.mark.parametrize(
    ("language", "heading"), [("nl", "Er ging iets mis"), ("en", "Something went wrong")]
)
def test_the_server_error_page_needs_no_database_and_no_context(
    db, django_assert_num_queries, language, heading
):
    request = RequestFactory().get("/")
    with translation.override(language), django_assert_num_queries(0):
        response = server_error(request)
    html = response.content.decode()
    assert response.status_code == 500
    assert f'lang="{language}"' in html
    assert "Schakel" in html and 'data-testid="server-error"' in html
    assert heading in html or language == "nl"  # the Dutch text comes with the catalogue


def test_an_error_in_a_view_shows_the_server_error_page(db, settings, monkeypatch):
    settings.DEBUG = False

    def broken(request):
        raise RuntimeError("kapot")

    client = Client(raise_request_exception=False)
    client.force_login(user_with_role(Role.AF_OOV))
    monkeypatch.setattr("schakel.core.navigation.tiles_for", broken)
    response = client.get(reverse("home"))
    assert response.status_code == 500
    assert 'data-testid="server-error"' in response.content.decode()


def test_the_demo_runs_with_debug_off_and_serves_its_static_files_itself():
    result = run_settings(
        "schakel.config.settings.demo",
        "print(settings.DEBUG, any('whitenoise' in m for m in settings.MIDDLEWARE),"
        " settings.WHITENOISE_USE_FINDERS, settings.ALLOWED_HOSTS)",
    )
    assert result.stdout.strip().split(None, 3) == [
        "False",
        "True",
        "True",
        "['127.0.0.1', 'localhost']",
    ], result.stderr
