"""Signal cards: per sector one page with the main indicators and the municipality's own
reporting point, as HTML and as a one-page PDF; the same selection is the intake checklist.

Assertions are on data (codes, phone, mailbox, URLs, status codes), not on translated text."""

import re
import zlib
from collections import Counter

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from schakel.catalogue.cards import (
    CARD_SECTORS,
    SEVERAL_FORMS,
    SOURCE_COUNTRY,
    card_for,
    card_groups,
    card_indicators,
    checklist_by_form,
    checklist_for,
    full_checklist,
)
from schakel.catalogue.choices import IndicatorStrength
from schakel.catalogue.models import ExploitationForm, Indicator
from schakel.catalogue.selectors import indicators_for
from schakel.catalogue.views import card_detail, card_index, card_pdf
from schakel.core.access import ACCESS_ATTRIBUTE
from schakel.intake.cards import CARD_FOR_REPORTER_SECTOR, card_for_reporter_sector
from schakel.intake.choices import ReporterSector
from schakel.organisations.choices import Role

from .factories import user_with_role

pytestmark = pytest.mark.django_db

SECTORS = ["brp", "inspection", "school", "care", "hospitality", "housing", "public"]


def card_url(municipality, sector, name="catalogue:card"):
    return reverse(name, kwargs={"cbs_code": municipality.cbs_code, "sector": sector})


def public_form_url(municipality, sector=None):
    """As written in the card's HTML: a situation-only card's link opens the form on its sector."""
    url = f"http://testserver{reverse('intake:public_report')}?gemeente={municipality.cbs_code}"
    return url if sector is None else f"{url}&amp;sector={sector}"


# --- Reading a PDF without a PDF library --------------------------------------------------------
# WeasyPrint compresses content and object streams (FlateDecode) and writes text as glyph ids of
# subsetted fonts; each font's ToUnicode CMap maps them back. That is enough to count the pages
# and read the text, with zlib from the standard library.


def _pdf_objects(data: bytes) -> dict[int, bytes]:
    """Every object of the PDF by number, with stream objects decompressed."""
    objects: dict[int, bytes] = {}
    for match in re.finditer(rb"(\d+) 0 obj\s*(<<.*?>>)\s*stream\r?\n", data, re.S):
        header = match.group(2)
        length = int(re.search(rb"/Length (\d+)", header).group(1))
        raw = data[match.end() : match.end() + length]
        body = zlib.decompress(raw) if b"/FlateDecode" in header else raw
        is_object_stream = b"/Type /ObjStm" in header
        objects[int(match.group(1))] = header if is_object_stream else body
        if is_object_stream:
            first = int(re.search(rb"/First (\d+)", header).group(1))
            numbers = [int(n) for n in body[:first].split()]
            pairs = list(zip(numbers[::2], numbers[1::2], strict=True))
            for index, (number, offset) in enumerate(pairs):
                end = pairs[index + 1][1] if index + 1 < len(pairs) else len(body) - first
                objects[number] = body[first + offset : first + end]
    for match in re.finditer(rb"(\d+) 0 obj\s*(<<.*?>>)\s*endobj", data, re.S):
        objects.setdefault(int(match.group(1)), match.group(2))
    return objects


def _cmap(data: bytes) -> dict[int, str]:
    mapping: dict[int, str] = {}
    for block in re.findall(rb"beginbfchar(.*?)endbfchar", data, re.S):
        for source, target in re.findall(rb"<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]+)>", block):
            mapping[int(source, 16)] = bytes.fromhex(target.decode()).decode("utf-16-be")
    for block in re.findall(rb"beginbfrange(.*?)endbfrange", data, re.S):
        for low, high, target in re.findall(
            rb"<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]+)>", block
        ):
            start = int(target, 16)
            for offset, code in enumerate(range(int(low, 16), int(high, 16) + 1)):
                mapping[code] = chr(start + offset)
    return mapping


def pdf_pages_and_text(data: bytes) -> tuple[int, str]:
    try:
        import pypdf  # optional: used when installed
    except ImportError:
        pass
    else:
        import io

        reader = pypdf.PdfReader(io.BytesIO(data))
        return len(reader.pages), "\n".join(page.extract_text() for page in reader.pages)

    objects = _pdf_objects(data)
    pages = sum(len(re.findall(rb"/Type\s*/Page(?!s)\b", body)) for body in objects.values())
    # Font resource name -> the ToUnicode map of the Type0 font it refers to.
    maps_by_object = {
        number: _cmap(objects[int(ref)])
        for number, body in objects.items()
        if b"/Subtype /Type0" in body
        for ref in re.findall(rb"/ToUnicode (\d+) 0 R", body)
    }
    fonts = {
        name.decode(): maps_by_object[int(ref)]
        for body in objects.values()
        for name, ref in re.findall(rb"/([\w+-]+) (\d+) 0 R", body)
        if int(ref) in maps_by_object
    }
    lines = []
    for body in objects.values():
        if b" Tf" not in body or b"BT" not in body:
            continue
        font: dict[int, str] = {}
        line = []
        for font_name, glyphs, end in re.findall(
            rb"/([\w+-]+) [\d.]+ Tf|<([0-9a-fA-F]*)>|\b(ET)\b", body
        ):
            if font_name:
                font = fonts.get(font_name.decode(), {})
            elif end:
                lines.append("".join(line))
                line = []
            else:
                hex_glyphs = glyphs.decode()
                line.extend(
                    font.get(int(hex_glyphs[i : i + 4], 16), "")
                    for i in range(0, len(hex_glyphs), 4)
                )
    return pages, "\n".join(lines)


# --- The cards and their selection --------------------------------------------------------------


def test_there_is_one_card_per_sector_with_a_stable_code():
    assert CARD_SECTORS == SECTORS
    for sector in SECTORS:
        assert card_for(sector).code == sector
    with pytest.raises(KeyError):
        card_for("nightclub")


@pytest.mark.parametrize("sector", SECTORS)
def test_every_card_has_at_least_five_active_indicators_and_fits_its_maximum(sector):
    card = card_for(sector)
    indicators = card_indicators(card)
    assert len(indicators) >= 5
    assert len(indicators) <= card.maximum
    assert len({i.code for i in indicators}) == len(indicators)
    assert all(i.is_active for i in indicators)
    assert {i.category for i in indicators} <= set(card.categories)
    if card.per_category is not None:
        assert max(Counter(i.category for i in indicators).values()) <= card.per_category


@pytest.mark.parametrize("sector", SECTORS)
def test_the_checklist_for_the_intake_form_is_exactly_the_card(sector):
    assert [i.code for i in checklist_for(sector)] == [
        i.code for i in card_indicators(card_for(sector))
    ]


@pytest.mark.parametrize("sector", SECTORS)
def test_a_hard_indicator_is_left_out_only_when_the_card_or_its_category_is_full(sector):
    card = card_for(sector)
    chosen = card_indicators(card)
    per_category = Counter(i.category for i in chosen)
    eligible = indicators_for(forms=card.forms, categories=card.categories).exclude(
        code__in=card.exclude
    )
    if card.kinds is not None:
        eligible = eligible.filter(kind__in=card.kinds)
    left_out_hard = eligible.filter(strength=IndicatorStrength.HARD).exclude(
        code__in=[i.code for i in chosen]
    )
    for indicator in left_out_hard:
        category_full = per_category[indicator.category] == card.per_category
        assert len(chosen) == card.maximum or category_full, indicator.code
        if category_full:
            assert all(
                i.strength == IndicatorStrength.HARD
                for i in chosen
                if i.category == indicator.category
            ), indicator.code


@pytest.mark.parametrize("sector", SECTORS)
def test_the_card_shows_groups_in_its_order_of_categories_with_hard_ones_first(sector):
    card = card_for(sector)
    groups = card_groups(card_indicators(card))
    order = [card.categories.index(g.category) for g in groups]
    assert order == sorted(order)
    for group in groups:
        strengths = [i.strength == IndicatorStrength.HARD for i in group.indicators]
        assert strengths == sorted(strengths, reverse=True)


def test_the_brp_card_holds_the_five_questions_and_the_escorts_behaviour():
    indicators = checklist_for("brp")
    assert sum(i.kind == "question" for i in indicators) == 5
    assert any(i.subject == "escort" and i.kind == "signal" for i in indicators)
    assert indicators[0].kind == "question"


def test_the_hotel_card_is_about_sexual_exploitation():
    for indicator in checklist_for("hospitality"):
        assert "sexual" in {form.code for form in indicator.exploitation_forms.all()}


def test_no_card_invites_profiling_by_country_of_origin():
    for sector in SECTORS:
        assert SOURCE_COUNTRY not in {i.code for i in checklist_for(sector)}


@pytest.mark.parametrize("sector", SECTORS)
def test_the_full_checklist_is_the_cards_rule_without_its_page_limits(sector):
    card = card_for(sector)
    full = {i.code for i in full_checklist(card)}
    assert {i.code for i in card_indicators(card)} <= full
    assert full.isdisjoint(card.exclude)
    admitted = indicators_for(forms=card.forms)
    if card.kinds is not None:
        admitted = admitted.filter(kind__in=card.kinds)
    admitted = admitted.exclude(code__in=card.exclude)
    # The broader indicator of a fact the card asks for more precisely stays off.
    broader = set(
        admitted.filter(counts_as__isnull=False).values_list("counts_as__code", flat=True)
    )
    assert full == set(admitted.values_list("code", flat=True)) - broader


def test_the_brp_card_asks_for_the_held_identity_document_once():
    shown = {i.code for i in card_indicators(card_for("brp"))}
    assert "brp-escort-holds-identity-document" in shown
    assert "identity-no-control-over-documents" not in shown
    assert {"brp-fact-many-registered-at-address", "brp-fact-escort-registers-others"} <= shown


def test_the_full_checklist_groups_each_indicator_once_by_form_then_hard_before_soft():
    card = card_for("inspection")
    groups = checklist_by_form(card)
    assert [g.form for g in groups] == [SEVERAL_FORMS, "sexual", "labour", "criminal"]
    items = [item for group in groups for item in group.items]
    assert sorted(i.indicator.code for i in items) == sorted(i.code for i in full_checklist(card))
    for group in groups:
        assert all(i.indicator.strength == IndicatorStrength.HARD for i in group.hard)
        assert all(i.indicator.strength == IndicatorStrength.SOFT for i in group.soft)
        for part in (group.hard, group.soft):
            positions = [(i.indicator.position, i.indicator.code) for i in part]
            assert positions == sorted(positions)
        for item in group.items:
            assert (len(item.forms) > 1) == (group.form == SEVERAL_FORMS)
            assert group.form == SEVERAL_FORMS or item.forms == (group.form,)


def test_a_deactivated_indicator_leaves_the_card_and_the_checklist():
    first = checklist_for("public")[0]
    Indicator.objects.filter(pk=first.pk).update(is_active=False)
    assert first.code not in {i.code for i in checklist_for("public")}


def test_a_new_hard_indicator_in_a_cards_category_gets_on_the_card():
    indicator = Indicator.objects.create(
        code="test-housing-locked-in",
        text_nl="Wordt in de woning opgesloten.",
        text_en="Is locked in at home.",
        category="housing",
        strength=IndicatorStrength.HARD,
        position=5000,
    )
    indicator.exploitation_forms.set(ExploitationForm.objects.filter(code="labour"))
    assert indicator.code in {i.code for i in checklist_for("housing")}


def test_every_sector_of_the_public_form_has_a_card():
    assert set(CARD_FOR_REPORTER_SECTOR) == set(ReporterSector.values)
    assert set(CARD_FOR_REPORTER_SECTOR.values()) <= set(SECTORS)
    assert card_for_reporter_sector(ReporterSector.HOSPITALITY).code == "hospitality"
    assert card_for_reporter_sector("something-new").code == "public"


def test_the_card_speaks_the_active_language():
    with translation.override("en"):
        assert checklist_for("school")[0].text == checklist_for("school")[0].text_en
    with translation.override("nl"):
        assert checklist_for("school")[0].text == checklist_for("school")[0].text_nl


# --- The pages -----------------------------------------------------------------------------------


def test_the_card_views_are_public():
    for view in (card_index, card_detail, card_pdf):
        assert getattr(view, ACCESS_ATTRIBUTE) == "public"


def test_the_index_links_every_card_of_every_municipality(client, municipality, other_municipality):
    html = client.get(reverse("catalogue:cards")).content.decode()
    for place in (municipality, other_municipality):
        assert place.name in html
        for sector in SECTORS:
            assert f'href="{card_url(place, sector)}"' in html
            assert f'href="{card_url(place, sector, "catalogue:card_pdf")}"' in html


@pytest.mark.parametrize("sector", SECTORS)
def test_an_anonymous_visitor_opens_the_card_with_the_municipalitys_reporting_point(
    client, municipality, sector
):
    response = client.get(card_url(municipality, sector))
    assert response.status_code == 200
    html = response.content.decode()
    assert municipality.reporting_point_name in html
    assert municipality.reporting_point_phone in html
    assert f'href="tel:{municipality.reporting_point_phone.replace(" ", "")}"' in html
    assert f'href="mailto:{municipality.reporting_point_email}"' in html
    form_sector = sector if card_for(sector).situation_only else None
    assert f'href="{public_form_url(municipality, form_sector)}"' in html
    assert f'href="{card_url(municipality, sector, "catalogue:card_pdf")}"' in html
    shown = re.findall(r'data-indicator="([^"]+)"', html)
    assert shown == [i.code for i in checklist_for(sector)]
    hard = [i for i in checklist_for(sector) if i.strength == IndicatorStrength.HARD]
    assert html.count('class="signal-card__marker"') == len(hard)


def test_the_card_shows_the_indicators_in_the_active_language(client, municipality):
    first = checklist_for("care")[0]
    assert first.text_nl in client.get(card_url(municipality, "care")).content.decode()
    html = client.get(card_url(municipality, "care"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert first.text_en in html
    assert first.text_nl not in html
    assert 'lang="en"' in html


def test_a_logged_in_user_sees_the_same_card(client, municipality):
    client.force_login(user_with_role(Role.AF_OOV, municipality=municipality))
    response = client.get(card_url(municipality, "public"))
    assert response.status_code == 200
    assert municipality.reporting_point_phone in response.content.decode()


def test_the_cbs_code_is_not_case_sensitive_and_the_form_link_uses_the_real_code(
    client, municipality
):
    url = reverse(
        "catalogue:card", kwargs={"cbs_code": municipality.cbs_code.lower(), "sector": "school"}
    )
    html = client.get(url).content.decode()
    assert f'href="{public_form_url(municipality, "school")}"' in html


@pytest.mark.parametrize("name", ["catalogue:card", "catalogue:card_pdf"])
def test_an_unknown_sector_or_municipality_is_not_found(client, municipality, name):
    assert client.get(card_url(municipality, "nightclub", name)).status_code == 404
    unknown = reverse(name, kwargs={"cbs_code": "GM0000", "sector": "school"})
    assert client.get(unknown).status_code == 404


@pytest.mark.parametrize("sector", SECTORS)
def test_the_pdf_is_one_a4_page_with_the_reporting_point(client, municipality, sector):
    response = client.get(card_url(municipality, sector, "catalogue:card_pdf"))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    file_slug = card_for(sector).file_slug
    assert response["Content-Disposition"] == (
        f'inline; filename="signaalkaart-brakelveen-{file_slug}.pdf"'
    )
    data = response.content
    assert data.startswith(b"%PDF")
    pages, text = pdf_pages_and_text(data)
    assert pages == 1
    assert re.search(rb"/MediaBox \[0 0 595\.\d+ 841\.\d+\]", b"".join(_pdf_objects(data).values()))
    flat = " ".join(text.split())
    assert municipality.reporting_point_phone in flat
    assert municipality.reporting_point_email in flat
    assert public_form_url(municipality) in flat
    # The contact details are links too.
    annotations = b"".join(_pdf_objects(data).values())
    assert b"(tel:0123456789)" in annotations
    assert f"(mailto:{municipality.reporting_point_email})".encode() in annotations


def test_the_pdf_follows_a_change_of_the_reporting_point(client, municipality):
    url = card_url(municipality, "housing", "catalogue:card_pdf")
    assert "012 345 6789" in pdf_pages_and_text(client.get(url).content)[1]
    municipality.reporting_point_phone = "098 765 4321"
    municipality.save()
    assert "098 765 4321" in pdf_pages_and_text(client.get(url).content)[1]


def test_the_card_page_needs_the_same_number_of_queries_however_many_indicators(
    client, municipality
):
    def queries_for_card():
        with CaptureQueriesContext(connection) as captured:
            assert client.get(card_url(municipality, "inspection")).status_code == 200
        return len(captured)

    before = queries_for_card()
    labour = ExploitationForm.objects.get(code="labour")
    for n in range(12):
        indicator = Indicator.objects.create(
            code=f"test-work-{n}",
            text_nl=f"Werksignaal {n}.",
            text_en=f"Work sign {n}.",
            category="work",
            strength=IndicatorStrength.HARD,
            position=10 + n,
        )
        indicator.exploitation_forms.set([labour])
    assert queries_for_card() == before
    assert before <= 4  # municipality, indicators, their forms (+ a session, at most)


@pytest.mark.django_db
def test_the_pdf_endpoint_is_rate_limited(client, settings):
    from django.core.cache import cache

    from .factories import MunicipalityFactory

    cache.clear()
    settings.SCHAKEL_CARD_PDFS_PER_HOUR = 2
    municipality = MunicipalityFactory()
    url = reverse("catalogue:card_pdf", args=[municipality.cbs_code, "public"])
    assert [client.get(url).status_code for _ in range(3)] == [200, 200, 429]
