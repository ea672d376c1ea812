"""Dutch is the default UI language and complete; English (the source language) stays complete."""

import re
import shutil
import subprocess
import sys
from pathlib import Path

import polib
import pytest
from django.urls import reverse

PACKAGE = Path(__file__).resolve().parent.parent / "src" / "schakel"
NL_CATALOGUE = PACKAGE / "locale" / "nl" / "LC_MESSAGES" / "django.po"


def test_every_dutch_entry_is_translated_and_none_is_fuzzy():
    catalogue = polib.pofile(str(NL_CATALOGUE))
    assert len(catalogue) > 100
    assert [e.msgid for e in catalogue.untranslated_entries()] == []
    assert [e.msgid for e in catalogue.fuzzy_entries()] == []


def test_placeholders_survive_translation():
    def placeholders(text):
        return set(re.findall(r"%\([a-z_]+\)[sd]|\{[a-z_]+\}", text))

    for entry in polib.pofile(str(NL_CATALOGUE)):
        if not entry.msgid_plural:
            assert placeholders(entry.msgstr) == placeholders(entry.msgid), entry.msgid
            continue
        # A singular form may spell out "one" instead of using the count.
        allowed = placeholders(entry.msgid) | placeholders(entry.msgid_plural)
        for index, translation in entry.msgstr_plural.items():
            assert placeholders(translation) <= allowed, entry.msgid
            if int(index) > 0:
                assert placeholders(translation) == placeholders(entry.msgid_plural), entry.msgid


def test_the_catalogue_holds_every_message_in_the_code(tmp_path):
    """Fails when a new string was added to the code without `make messages` and a translation."""
    if shutil.which("xgettext") is None:
        pytest.fail("GNU gettext (xgettext) is needed for this check: apt-get install gettext")
    copy = tmp_path / "schakel"
    shutil.copytree(PACKAGE, copy, ignore=shutil.ignore_patterns("*.mo", "__pycache__"))
    subprocess.run(
        [
            sys.executable,
            "-m",
            "django",
            "makemessages",
            "-l",
            "nl",
            "--no-location",
            "--settings=schakel.config.settings.test",
        ],
        cwd=copy,
        check=True,
        capture_output=True,
    )
    fresh = {e.msgid for e in polib.pofile(str(copy / "locale/nl/LC_MESSAGES/django.po"))}
    committed = {e.msgid for e in polib.pofile(str(NL_CATALOGUE))}
    assert sorted(fresh - committed) == []


@pytest.mark.django_db
def test_the_ui_speaks_dutch_by_default_and_english_on_request(client, af_oov):
    client.force_login(af_oov)
    assert "Nieuwe signalen" in client.get(reverse("home")).content.decode()
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    html = client.get(reverse("home")).content.decode()
    assert "New signals" in html
    assert "Nieuwe signalen" not in html
    assert 'lang="en"' in html
