"""The administration speaks the user's language, including what only a screen reader reads:
Django 5.2's admin has no Dutch for its model tables' headers, Schakel's catalogue supplies it.
(These pass once the translations in the catalogue are compiled, like every Dutch screen.)"""

import re
from html import unescape
from pathlib import Path

import django
import polib
import pytest
from django.conf import settings
from django.urls import reverse

from schakel.core.admin_site import UNTRANSLATED_BY_DJANGO
from schakel.organisations.choices import Role

from .factories import user_with_role

ADMIN_TEMPLATES = Path(django.__file__).parent / "contrib" / "admin" / "templates"


def hidden_headers(html: str) -> list[str]:
    head = re.search(r'<thead class="visually-hidden">(.*?)</thead>', html, re.S)
    assert head, "the admin index has its screen-reader table headers"
    return [unescape(t).strip() for t in re.findall(r"<th[^>]*>([^<]*)</th>", head.group(1))]


@pytest.fixture
def admin_client(client, db):
    client.force_login(user_with_role(Role.FUNCTIONAL_ADMIN))
    return client


def test_the_admin_reads_dutch_to_a_screen_reader_too(admin_client):
    html = admin_client.get(reverse("admin:index")).content.decode()
    assert hidden_headers(html) == [
        "Modelnaam",
        "Link om toe te voegen",
        "Link naar de lijst om te wijzigen of te bekijken",
    ]
    assert "<title>" in html and "Beheer Schakel</title>" in html
    assert 'id="site-name"><a href="/admin/">Beheer Schakel</a>' in html


def test_the_admin_reads_english_when_english_is_chosen(admin_client):
    admin_client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    html = admin_client.get(reverse("admin:index")).content.decode()
    assert hidden_headers(html) == ["Model name", "Add link", "Change or view list link"]
    assert "Schakel administration</title>" in html


def django_dutch() -> set[str]:
    """Every message Django's own Dutch catalogues translate."""
    root = Path(django.__file__).parent
    catalogues = [root / "conf/locale", *(root / "contrib").glob("*/locale")]
    return {
        entry.msgid
        for catalogue in catalogues
        for entry in polib.pofile(str(catalogue / "nl/LC_MESSAGES/django.po"))
        if entry.msgstr
    }


def test_every_admin_string_django_leaves_in_english_is_named_for_our_catalogue():
    """A Django upgrade that adds an admin string without Dutch shows up here."""
    translated = django_dutch()
    english = set()
    for path in ADMIN_TEMPLATES.rglob("*.html"):
        if "password_reset" in path.name or path.name == "login.html":
            continue  # Schakel has its own login and sends no password-reset mail
        pattern = r"""\{% (?:translate|trans) ['"]([^'"]+)['"]"""
        english |= set(re.findall(pattern, path.read_text())) - translated
    assert english
    assert english <= set(UNTRANSLATED_BY_DJANGO)
