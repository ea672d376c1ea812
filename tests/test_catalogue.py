"""The indicator catalogue: the default set of Bijlage 6, its import and export, and who may
manage or read it."""

import io
from collections import Counter

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import translation

from schakel.catalogue.choices import (
    INDICATOR_FORM_CODES,
    IloGrade,
    IndicatorCategory,
    IndicatorKind,
    IndicatorStrength,
    IndicatorSubject,
    strength_for_ilo_grade,
)
from schakel.catalogue.interchange import parse_rows
from schakel.catalogue.models import Indicator
from schakel.catalogue.policies import indicator_policy
from schakel.catalogue.selectors import catalogue_export, indicators_for
from schakel.catalogue.services import DEFAULT_CATALOGUE, catalogue_import
from schakel.core.policies import Action, actor_for
from schakel.organisations.choices import Role

from .factories import user_with_role

pytestmark = pytest.mark.django_db

# Counted from src/schakel/catalogue/data/indicators.yaml: a lost or duplicated row fails here.
TOTAL = 171
PER_FORM = {"sexual": 92, "labour": 69, "criminal": 55, "organ_removal": 60}
PER_CATEGORY = {
    "physical": 17,
    "social": 20,
    "recruitment": 19,
    "entry_transport": 18,
    "housing": 14,
    "identity": 11,
    "work": 24,
    "financial": 15,
    "school": 9,
    "online_advertisement": 10,
    "brp_desk": 14,
}
# The study names a dangerous workplace a hard signal although the ILO grades hazardous work
# medium: the study's own example wins over the derived default.
STUDY_OVERRIDES_OF_ILO = {"labour-work-dangerous"}

NEW_ROW = """
- code: test-new-indicator
  text_nl: Een nieuw signaal.
  text_en: A new sign.
  category: work
  strength: soft
  forms: [labour]
  sources: ["99"]
"""


@pytest.fixture(autouse=True)
def english():
    """Messages are asserted in English, the source language (the default UI language is Dutch)."""
    with translation.override("en"):
        yield


@pytest.fixture
def administrator(municipality):
    return user_with_role(Role.FUNCTIONAL_ADMIN, municipality=municipality)


def snapshot() -> list[tuple]:
    return [
        (
            i.code,
            i.text_nl,
            i.text_en,
            i.category,
            i.kind,
            i.subject,
            i.strength,
            i.ilo_grade,
            i.ilo_indicator,
            tuple(f.code for f in i.exploitation_forms.all()),
            tuple(i.sources),
            i.source_note,
            i.counts_as.code if i.counts_as else "",
            i.is_active,
            i.position,
        )
        for i in Indicator.objects.order_by("code").prefetch_related("exploitation_forms")
    ]


# --- the default catalogue ---------------------------------------------------------------------


def test_the_migration_loads_the_whole_default_catalogue():
    per_form = Counter(
        Indicator.objects.filter(is_active=True).values_list("exploitation_forms__code", flat=True)
    )
    per_category = Counter(Indicator.objects.values_list("category", flat=True))
    print("indicators per exploitation form:", dict(per_form))
    print("indicators per category:", dict(per_category))
    assert Indicator.objects.filter(is_active=True).count() == TOTAL
    assert dict(per_form) == PER_FORM
    assert dict(per_category) == PER_CATEGORY


def test_the_counts_match_the_shipped_file():
    rows = parse_rows(DEFAULT_CATALOGUE.read_text(encoding="utf-8"), fmt="yaml")
    assert len(rows) == TOTAL
    assert Counter(code for row in rows for code in row.forms) == PER_FORM
    assert Counter(row.category for row in rows) == PER_CATEGORY


def test_every_indicator_is_complete_and_valid():
    for indicator in Indicator.objects.prefetch_related("exploitation_forms"):
        forms = {form.code for form in indicator.exploitation_forms.all()}
        assert indicator.text_nl.strip() and indicator.text_en.strip(), indicator.code
        assert indicator.text_nl != indicator.text_en, indicator.code
        assert forms and forms <= set(INDICATOR_FORM_CODES), indicator.code
        assert indicator.category in IndicatorCategory.values
        assert indicator.strength in IndicatorStrength.values
        assert indicator.kind in IndicatorKind.values
        assert indicator.subject in IndicatorSubject.values
        assert indicator.ilo_grade in IloGrade.values
        assert bool(indicator.ilo_grade) == bool(indicator.ilo_indicator), indicator.code
        assert all(isinstance(s, str) and s.isdigit() for s in indicator.sources)


def test_strength_follows_the_ilo_grade_unless_the_study_says_otherwise():
    graded = Indicator.objects.exclude(ilo_grade="")
    assert graded.count() == 48
    deviating = {i.code for i in graded if i.strength != strength_for_ilo_grade(i.ilo_grade)}
    assert deviating == STUDY_OVERRIDES_OF_ILO


def test_the_studys_examples_of_hard_and_soft_signals():
    strength = dict(Indicator.objects.values_list("code", "strength"))
    assert strength["labour-work-dangerous"] == IndicatorStrength.HARD
    assert strength["physical-injury"] == IndicatorStrength.HARD
    assert strength["identity-no-control-over-documents"] == IndicatorStrength.HARD
    assert strength["entry-airport-inconsistent-statements"] == IndicatorStrength.SOFT
    assert strength["social-avoids-eye-contact-and-authorities"] == IndicatorStrength.SOFT


def test_the_brp_desk_card_keeps_questions_signs_and_facts_apart():
    desk = Indicator.objects.filter(category=IndicatorCategory.BRP_DESK)
    questions = desk.filter(kind=IndicatorKind.QUESTION)
    registrant = desk.filter(kind=IndicatorKind.SIGNAL, subject=IndicatorSubject.PERSON)
    escort = desk.filter(kind=IndicatorKind.SIGNAL, subject=IndicatorSubject.ESCORT)
    facts = desk.filter(kind=IndicatorKind.FACT)
    assert questions.count() == 5
    assert registrant.count() == 3
    assert escort.count() == 2
    assert set(facts.values_list("code", flat=True)) == {
        "brp-escort-holds-identity-document",
        "brp-fact-many-registered-at-address",
        "brp-fact-does-not-know-address",
        "brp-fact-escort-registers-others",
    }
    held = facts.get(code="brp-escort-holds-identity-document")
    assert held.strength == "hard"
    # The escort holding the ID is the general "does not hold own documents": one fact.
    assert held.counts_as.code == "identity-no-control-over-documents"
    assert held.fact_id == held.counts_as.fact_id
    for indicator in desk:
        codes = {form.code for form in indicator.exploitation_forms.all()}
        assert codes == set(INDICATOR_FORM_CODES)


def test_the_online_advertisement_and_organ_removal_cards_are_present():
    online = indicators_for(categories=[IndicatorCategory.ONLINE_ADVERTISEMENT])
    assert online.count() == 10
    assert {f.code for i in online for f in i.exploitation_forms.all()} == {"sexual"}
    recipient = Indicator.objects.filter(subject=IndicatorSubject.ORGAN_RECIPIENT)
    assert recipient.count() == 7


def test_text_follows_the_active_language():
    indicator = Indicator.objects.get(code="work-excessive-hours")
    with translation.override("nl"):
        assert indicator.text == indicator.text_nl == str(indicator)
    with translation.override("en"):
        assert indicator.text == indicator.text_en == "Works very long hours."


# --- selectors ---------------------------------------------------------------------------------


def test_indicators_for_filters_on_form_and_category_and_skips_inactive():
    Indicator.objects.filter(code="work-excessive-hours").update(is_active=False)
    labour_work = indicators_for(forms=["labour"], categories=["work"])
    codes = {i.code for i in labour_work}
    assert "labour-work-dangerous" in codes
    assert "work-excessive-hours" not in codes
    assert "sexual-work-cannot-refuse-clients" not in codes
    assert labour_work.count() == 10  # 24 work indicators: 2 sexual-only, 11 organ, 1 inactive
    assert indicators_for(forms=["unknown"]).count() == TOTAL - 1
    assert indicators_for(forms=["sexual", "labour"]).count() == len(
        {i.pk for i in indicators_for(forms=["sexual"])}
        | {i.pk for i in indicators_for(forms=["labour"])}
    )


def test_indicators_for_runs_a_fixed_number_of_queries(django_assert_max_num_queries):
    with django_assert_max_num_queries(2):
        indicators = list(indicators_for(forms=["criminal"]))
        assert all(i.exploitation_forms.all() for i in indicators)


# --- import and export -------------------------------------------------------------------------


def test_the_migration_and_the_import_service_read_the_default_file_alike():
    before = snapshot()
    result = catalogue_import(DEFAULT_CATALOGUE.read_text(encoding="utf-8"))
    assert (result.created, result.updated, result.deactivated) == (0, TOTAL, 0)
    assert snapshot() == before


@pytest.mark.parametrize("fmt", ["yaml", "csv"])
def test_export_then_import_into_an_empty_catalogue_gives_the_same_rows(fmt):
    Indicator.objects.filter(code="work-excessive-hours").update(is_active=False, position=7)
    before = snapshot()
    exported = catalogue_export(fmt=fmt)
    Indicator.objects.all().delete()
    result = catalogue_import(exported, fmt=fmt)
    assert result.created == TOTAL
    assert snapshot() == before
    assert catalogue_export(fmt=fmt) == exported


def test_import_is_an_idempotent_upsert_by_code():
    catalogue_import(NEW_ROW)
    again = catalogue_import(NEW_ROW.replace("Een nieuw signaal.", "Een aangepast signaal."))
    assert (again.created, again.updated) == (0, 1)
    indicator = Indicator.objects.get(code="test-new-indicator")
    assert indicator.text_nl == "Een aangepast signaal."
    assert indicator.sources == ["99"]
    assert Indicator.objects.count() == TOTAL + 1


def test_a_bad_row_is_refused_with_its_row_and_field_and_nothing_is_imported():
    bad = NEW_ROW + NEW_ROW.replace("test-new-indicator", "test-bad").replace(
        "category: work", "category: workk"
    ).replace("forms: [labour]", "forms: [labour, unknown]")
    changed = "\n- code: work-excessive-hours\n  text_nl: Gewijzigd.\n  text_en: Changed.\n"
    changed += "  category: work\n  strength: hard\n  forms: [labour]\n"
    with pytest.raises(ValidationError) as refused:
        catalogue_import(changed + bad)
    messages = refused.value.messages
    assert len(messages) == 2
    assert "Indicator 3 (test-bad), field 'category'" in messages[0]
    assert "'workk'" in messages[0]
    assert "Indicator 3 (test-bad), field 'forms'" in messages[1]
    assert "'unknown'" in messages[1]
    assert not Indicator.objects.filter(code__startswith="test-").exists()
    assert Indicator.objects.get(code="work-excessive-hours").text_nl == "Werkt heel veel uren."


def test_a_bad_csv_line_is_named_by_its_line_number():
    exported = catalogue_export(fmt="csv").splitlines()
    exported[2] = exported[2].replace(",soft,", ",sorta,", 1)
    with pytest.raises(ValidationError) as refused:
        catalogue_import("\n".join(exported), fmt="csv")
    assert refused.value.messages[0].startswith("Line 3 (")
    assert "field 'strength'" in refused.value.messages[0]


def test_import_refuses_unknown_fields_duplicates_and_missing_texts():
    typo = NEW_ROW.replace("category: work", "categroy: work")
    with pytest.raises(ValidationError) as refused:
        catalogue_import(typo + NEW_ROW.replace("text_en: A new sign.", "text_en: ''"))
    messages = " | ".join(refused.value.messages)
    assert "field 'categroy': unknown field" in messages
    assert "field 'category': this field is required" in messages
    assert "field 'text_en': this field is required" in messages
    with pytest.raises(ValidationError, match="more than once"):
        catalogue_import(NEW_ROW + NEW_ROW)
    with pytest.raises(ValidationError, match="not valid YAML"):
        catalogue_import("- code: [unclosed")
    with pytest.raises(ValidationError, match="no indicators"):
        catalogue_import("")


def test_strength_is_derived_from_the_ilo_grade_when_left_out():
    row = NEW_ROW.replace("strength: soft", "ilo_grade: strong")
    catalogue_import(row)
    assert Indicator.objects.get(code="test-new-indicator").strength == IndicatorStrength.HARD
    with pytest.raises(ValidationError, match="required when there is no ILO grade"):
        catalogue_import(NEW_ROW.replace("strength: soft", ""))


def test_replace_deactivates_indicators_missing_from_the_file():
    result = catalogue_import(NEW_ROW, replace=True)
    assert result.deactivated == TOTAL
    assert list(indicators_for().values_list("code", flat=True)) == ["test-new-indicator"]
    assert Indicator.objects.count() == TOTAL + 1  # deactivated, not deleted


def test_the_management_commands_export_and_import(tmp_path):
    target = tmp_path / "catalogue.csv"
    call_command("export_indicators", "--format", "csv", "--output", str(target))
    Indicator.objects.all().delete()
    call_command("import_indicators", str(target), stdout=io.StringIO())
    assert Indicator.objects.count() == TOTAL
    bad = tmp_path / "bad.yaml"
    bad.write_text(NEW_ROW.replace("category: work", "category: nowhere"), encoding="utf-8")
    with pytest.raises(CommandError, match="Nothing imported"):
        call_command("import_indicators", str(bad))
    with pytest.raises(CommandError, match="format"):
        call_command("import_indicators", str(tmp_path / "catalogue.txt"))


# --- who may manage and read -------------------------------------------------------------------


def test_the_functional_administrator_manages_indicators_in_the_administration(
    client, administrator
):
    client.force_login(administrator)
    indicator = Indicator.objects.get(code="physical-injury")
    changelist = reverse("admin:catalogue_indicator_changelist")
    assert client.get(reverse("admin:index")).status_code == 200
    page = client.get(changelist, {"category__exact": "physical", "q": "letsel"})
    assert page.status_code == 200
    assert "physical-injury" in page.content.decode()
    assert (
        client.get(reverse("admin:catalogue_indicator_change", args=[indicator.pk])).status_code
        == 200
    )
    assert client.get(reverse("admin:catalogue_indicator_add")).status_code == 200
    response = client.post(
        reverse("admin:catalogue_indicator_change", args=[indicator.pk]),
        {
            "code": indicator.code,
            "text_nl": "Heeft blauwe plekken of ander letsel.",
            "text_en": indicator.text_en,
            "category": "physical",
            "kind": "signal",
            "subject": "person",
            "exploitation_forms": [f.pk for f in indicator.exploitation_forms.all()],
            "strength": "hard",
            "ilo_grade": "strong",
            "ilo_indicator": indicator.ilo_indicator,
            "sources": "1, 2; 8",
            "source_note": "",
            "is_active": "on",
            "position": indicator.position,
        },
    )
    assert response.status_code == 302
    indicator.refresh_from_db()
    assert indicator.text_nl == "Heeft blauwe plekken of ander letsel."
    assert indicator.sources == ["1", "2", "8"]


def test_the_administrator_exports_and_imports_through_the_administration(client, administrator):
    client.force_login(administrator)
    changelist = reverse("admin:catalogue_indicator_changelist")
    pks = list(Indicator.objects.filter(category="school").values_list("pk", flat=True))
    response = client.post(changelist, {"action": "export_csv", "_selected_action": pks})
    assert response["Content-Type"].startswith("text/csv")
    assert response.content.decode().count("\n") == len(pks) + 1
    import_url = reverse("admin:catalogue_indicator_import")
    assert import_url in client.get(changelist).content.decode()
    assert client.get(import_url).status_code == 200
    upload = SimpleUploadedFile("new.yaml", NEW_ROW.encode(), "application/yaml")
    response = client.post(import_url, {"file": upload})
    assert response.status_code == 302
    assert Indicator.objects.filter(code="test-new-indicator").exists()
    broken = SimpleUploadedFile("bad.yaml", NEW_ROW.replace("work", "nowhere").encode())
    response = client.post(import_url, {"file": broken})
    assert response.status_code == 200
    page = response.content.decode()
    assert "category" in page
    assert "&#x27;nowhere&#x27;" in page
    assert not Indicator.objects.filter(code="test-new-indicator", category="nowhere").exists()


def test_a_municipal_af_cannot_open_the_indicator_administration(client, af_oov):
    client.force_login(af_oov)
    for url in (
        reverse("admin:catalogue_indicator_changelist"),
        reverse("admin:catalogue_indicator_import"),
    ):
        response = client.get(url)
        assert response.status_code == 302
        assert "login" in response["Location"]


def test_reporters_read_active_indicators_and_only_the_administrator_changes_them(
    administrator, af_oov, municipal_reporter, hotel_reporter, municipality
):
    active = Indicator.objects.get(code="physical-injury")
    inactive = Indicator.objects.get(code="work-excessive-hours")
    inactive.is_active = False
    inactive.save()
    for reporter in (af_oov, municipal_reporter, hotel_reporter):
        actor = actor_for(reporter)
        assert indicator_policy.can(actor, Action.VIEW, active)
        assert indicator_policy.can(actor, Action.LIST)
        assert not indicator_policy.can(actor, Action.VIEW, inactive)
        assert not indicator_policy.can(actor, Action.CHANGE, active)
        assert not indicator_policy.visible_to(actor).filter(pk=inactive.pk).exists()
    board = actor_for(user_with_role(Role.BOARD_VIEWER, municipality=municipality))
    assert not indicator_policy.can(board, Action.VIEW, active)
    assert not indicator_policy.visible_to(board).exists()
    admin_actor = actor_for(administrator)
    assert indicator_policy.can(admin_actor, Action.CHANGE, inactive)
    assert indicator_policy.visible_to(admin_actor).count() == TOTAL
