"""Nothing Schakel shows a logged-in user, nor the code-protected feedback page, is kept in a
cache (`Cache-Control: no-store, private`); anonymous public pages may be."""

import pytest
from django.core.cache import cache
from django.urls import reverse

from schakel.organisations.choices import Role

from .test_authorization_matrix import RULES, user_for
from .test_authorization_matrix import world as matrix_world  # noqa: F401 (a fixture)

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(request):
    """The authorization matrix's two municipalities with a signal, case and meeting each."""
    return request.getfixturevalue("matrix_world")


def not_stored(response) -> bool:
    directives = {d.strip() for d in response.get("Cache-Control", "").split(",")}
    return {"no-store", "private"} <= directives


@pytest.mark.parametrize(
    "role", [Role.AF_OOV, Role.ZORGCOORDINATOR, Role.PRIVACY_OFFICER, Role.FUNCTIONAL_ADMIN]
)
def test_every_response_to_a_logged_in_user_is_never_stored(client, world, role):
    """Every URL, also the refusals (403, 404) and the pages without personal data."""
    client.force_login(user_for(role, world["municipality"]))
    stored = []
    for name, (build, _expected) in RULES.items():
        for scope in ("own", "other"):
            response = client.get(build(world, scope))
            if not not_stored(response):
                stored.append(
                    f"{name} [{scope}] {response.status_code}: {response.get('Cache-Control')}"
                )
    assert stored == []


@pytest.mark.parametrize(
    ("name", "role", "content_type"),
    [
        ("audit:export", Role.PRIVACY_OFFICER, "text/csv"),
        ("accounts:rights_review_export", Role.PRIVACY_OFFICER, "text/csv"),
        ("privacy:subject_export", Role.PRIVACY_OFFICER, "application/json"),
        ("privacy:case_subject_export", Role.PRIVACY_OFFICER, "application/json"),
        ("meetings:pdf", Role.AF_OOV, "application/pdf"),
        ("intake:attachment", Role.AF_OOV, "application/pdf"),
    ],
)
def test_exports_and_pdfs_are_never_stored(client, world, name, role, content_type):
    client.force_login(user_for(role, world["municipality"]))
    build, _expected = RULES[name]
    response = client.get(build(world, "own"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith(content_type)
    assert not_stored(response), response.get("Cache-Control")


def test_a_view_that_forbids_more_keeps_its_directives(client, world):
    client.force_login(user_for(Role.AF_OOV, world["municipality"]))
    build, _expected = RULES["meetings:detail"]
    directives = client.get(build(world, "own"))["Cache-Control"]
    assert {"no-store", "private", "no-cache", "must-revalidate", "max-age=0"} <= {
        d.strip() for d in directives.split(",")
    }


def test_the_public_feedback_page_is_never_stored(client, settings):
    cache.clear()
    url = reverse("intake:public_feedback")
    assert not_stored(client.get(url))
    assert not_stored(client.post(url, {"reference": "MH-2026-ABCDEF", "code": "1234"}))
    settings.SCHAKEL_PUBLIC_FEEDBACK_ATTEMPTS_PER_HOUR = 1
    too_many = client.post(url, {"reference": "MH-2026-ABCDEF", "code": "1234"})
    assert too_many.status_code == 429
    assert not_stored(too_many)
    cache.clear()


def test_anonymous_public_pages_may_still_be_cached(client, world):
    """The signal cards are hand-outs without personal data."""
    for name in ("catalogue:cards", "catalogue:card"):
        build, _expected = RULES[name]
        response = client.get(build(world, "own"))
        assert response.status_code == 200
        assert "no-store" not in response.get("Cache-Control", "")
