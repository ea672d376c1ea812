"""One date style: the day, the month written out (lower case in Dutch) and the year, on lists
and pages alike, in both languages."""

import re
from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings
from django.template import engines
from django.urls import reverse
from django.utils import translation

from .factories import SignalFactory

# Templates another change of the same issue is rewriting; they follow once it is merged.
IN_PARALLEL_WORK: set[str] = set()
REPORTED = datetime(2026, 5, 4, 9, 30, tzinfo=ZoneInfo("Europe/Amsterdam"))


@pytest.fixture
def may_signal(municipality):
    return SignalFactory(
        municipality=municipality, reported_at=REPORTED, observed_on=date(2026, 5, 4)
    )


@pytest.mark.parametrize(
    ("language", "day", "wrong"),
    [("nl", "4 mei 2026", ["4 Mei 2026", "mei 4"]), ("en", "4 May 2026", ["May 4", "May. 4"])],
)
def test_the_queue_and_the_signal_page_write_the_date_alike(
    client, af_oov, may_signal, language, day, wrong
):
    client.force_login(af_oov)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    listed = client.get(reverse("intake:queue")).content.decode()
    page = client.get(reverse("intake:detail", args=[may_signal.reference])).content.decode()
    for html in (listed, page):
        assert f"{day} 09:30" in html
        assert not any(w in html for w in wrong)


@pytest.mark.parametrize(
    ("language", "expected"),
    [("nl", "4 mei 2026 · 4 mei 2026 09:30"), ("en", "4 May 2026 · 4 May 2026 09:30")],
)
def test_the_named_formats_are_schakels_own_in_both_languages(language, expected):
    template = engines["django"].from_string('{{ d|date }} · {{ t|date:"DATETIME_FORMAT" }}')
    with translation.override(language):
        assert template.render({"d": date(2026, 5, 4), "t": REPORTED}) == expected


def test_no_template_writes_a_date_pattern_with_a_capitalised_month():
    """'M' is Django's three-letter month with a capital ('Mei'): not Schakel's style."""
    root = Path(settings.PACKAGE_DIR)
    offenders = {
        str(path.relative_to(root))
        for path in root.rglob("*.html")
        if re.search(r"""\|date:["'][^"']*\bM\b""", path.read_text())
    }
    assert offenders - IN_PARALLEL_WORK == set()
