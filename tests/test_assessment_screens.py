"""The self-assessment screens as the AF OOV fills one in, and as the board reads a final one:
the questionnaire, an answer, evidence, the results with chart and gap list, finalising with a
confirmation, and the PDF."""

import pytest
from django.urls import reverse
from django.utils.html import escape

from schakel.assessment import services
from schakel.assessment.models import Answer, Assessment, ReferenceLevel

from .factories_assessment import fill
from .test_signal_cards import pdf_pages_and_text
from .world import build_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    return build_world()


@pytest.fixture
def draft(world):
    return services.assessment_start(context=world.context("af"), year=2025)


def test_the_af_starts_this_years_assessment_from_the_list(client, world):
    client.force_login(world.users["af"])
    page = client.get(reverse("assessment:list"))
    assert page.status_code == 200 and b'data-testid="start"' in page.content
    year = page.context["year_to_start"]
    response = client.post(reverse("assessment:start"), {"year": year})
    assessment = Assessment.objects.get(municipality=world.municipality, year=year)
    assert response.status_code == 302
    assert response["Location"].endswith(f"/assessment/{assessment.pk}/questions/network/")
    again = client.post(reverse("assessment:start"), {"year": year})
    assert again.status_code == 400


def test_the_questionnaire_shows_criteria_as_option_descriptions_and_the_facts(
    client, world, draft
):
    client.force_login(world.users["af"])
    page = client.get(reverse("assessment:questions", args=[draft.pk, "network"]))
    html = page.content.decode()
    assert page.status_code == 200
    assert 'aria-describedby="id_network-direction-level_2_criterion"' in html
    assert 'id="id_network-direction-level_2_criterion"' in html
    assert 'data-testid="facts-network-direction"' in html


def test_an_answer_and_evidence_are_saved_and_bad_input_comes_back_with_400(client, world, draft):
    client.force_login(world.users["af"])
    url = reverse("assessment:answer", args=[draft.pk, "network-clarity"])
    response = client.post(url, {"network-clarity-level": "2", "network-clarity-notes": "Plan"})
    assert response.status_code == 302
    assert Answer.objects.get(assessment=draft, condition__code="network-clarity").level == 2
    assert client.post(url, {"network-clarity-level": "7"}).status_code == 400
    evidence = reverse("assessment:evidence_add", args=[draft.pk, "network-clarity"])
    bad = client.post(evidence, {"evidence-network-clarity-kind": "link"})
    assert bad.status_code == 400
    good = client.post(
        evidence,
        {
            "evidence-network-clarity-kind": "link",
            "evidence-network-clarity-title": "Convenant",
            "evidence-network-clarity-url": "https://example.org/c",
        },
    )
    assert good.status_code == 302
    item = Answer.objects.get(assessment=draft, condition__code="network-clarity").evidence.get()
    remove = client.post(reverse("assessment:evidence_remove", args=[draft.pk, item.pk]))
    assert remove.status_code == 302
    assert not Answer.objects.get(
        assessment=draft, condition__code="network-clarity"
    ).evidence.exists()
    assert client.post(reverse("assessment:answer", args=[draft.pk, "nope"])).status_code == 404


def test_results_show_the_chart_the_basisniveau_and_the_gap_list(client, world, draft):
    fill(world.context("af"), draft, {"network-direction": 1, "care-offer": 2}, default=3)
    client.force_login(world.users["af"])
    page = client.get(reverse("assessment:results", args=[draft.pk]))
    html = page.content.decode()
    assert page.status_code == 200
    assert "<svg" in html and 'data-testid="chart-elements"' in html
    assert 'data-gap="network-direction"' in html
    assert html.index('data-gap="network-direction"') < html.index('data-gap="care-offer"')
    with_reference = client.get(
        reverse("assessment:results", args=[draft.pk]), {"reference": "breda"}
    )
    assert b'data-testid="comparison"' in with_reference.content
    # each reference level says what in the study it rests on
    breda = ReferenceLevel.objects.filter(
        profile__code="breda", profile__model_version=draft.model_version
    ).first()
    assert breda.basis_nl and escape(breda.basis_nl[:40]) in with_reference.content.decode()


def test_finalising_asks_for_confirmation_then_the_board_reads_it(client, world, draft):
    fill(world.context("af"), draft, {}, default=2)
    client.force_login(world.users["af"])
    url = reverse("assessment:finalise", args=[draft.pk])
    assert client.get(url).status_code == 200
    assert client.post(url, {}).status_code == 400
    assert client.post(url, {"confirm": "on"}).status_code == 302
    draft.refresh_from_db()
    assert draft.is_final
    refused = client.post(
        reverse("assessment:answer", args=[draft.pk, "network-clarity"]),
        {"network-clarity-level": "3"},
    )
    assert refused.status_code == 400
    client.force_login(world.users["board"])
    assert client.get(reverse("assessment:results", args=[draft.pk])).status_code == 200
    assert client.get(reverse("assessment:questions", args=[draft.pk, "care"])).status_code == 200


def test_the_board_does_not_see_a_draft(client, world, draft):
    client.force_login(world.users["board"])
    assert client.get(reverse("assessment:results", args=[draft.pk])).status_code == 404
    assert draft.year not in [
        a.year for a in client.get(reverse("assessment:list")).context["assessments"]
    ]


def test_the_pdf_has_the_results_the_gap_list_and_the_answers(client, world, draft, tmp_path):
    fill(world.context("af"), draft, {"network-direction": 1}, default=2)
    services.evidence_add(
        context=world.context("af"),
        assessment=draft,
        condition="network-clarity",
        kind="document",
        title="Beleidsplan mensenhandel",
    )
    client.force_login(world.users["af"])
    response = client.get(reverse("assessment:pdf", args=[draft.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    pages, text = pdf_pages_and_text(response.content)
    squashed = "".join(text.split())
    assert pages >= 3
    assert "Brakelveen" in squashed
    assert "Beleidsplanmensenhandel" in squashed
    assert "Basisniveau" in squashed
    (tmp_path / "assessment.pdf").write_bytes(response.content)
    import os

    if os.environ.get("ASSESSMENT_PDF_OUT"):
        with open(os.environ["ASSESSMENT_PDF_OUT"], "wb") as out:
            out.write(response.content)


def test_the_pages_query_the_same_however_much_evidence_and_however_many_answers(
    client, world, draft
):
    """No query per condition, answer or piece of evidence: the questions and the results of a
    half-filled assessment cost what those of a filled one with evidence cost."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(world.users["af"])
    af = world.context("af")
    fill(af, draft, {"network-clarity": 1, "care-offer": 2})

    def queries(url):
        client.get(url)  # warm the per-process caches (charts, catalogue)
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        return len(captured)

    pages = [
        reverse("assessment:questions", args=[draft.pk, "network"]),
        reverse("assessment:results", args=[draft.pk]),
    ]
    few = [queries(url) for url in pages]
    fill(af, draft, {}, default=2)
    for condition in draft.model_version.conditions.all()[:6]:
        for title in ("Beleidsplan", "Convenant"):
            services.evidence_add(
                context=af, assessment=draft, condition=condition, kind="document", title=title
            )
    many = [queries(url) for url in pages]
    assert many == few, (few, many)
