"""A NUL or a lone surrogate anywhere in a request is a bad request (400, the normal error page in
Dutch) on SQLite and PostgreSQL alike, never a server error; other Unicode is just text."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import QueryDict
from django.test import Client, RequestFactory

from schakel.core.crypto import blind_index
from schakel.core.middleware import UnusableInputMiddleware
from schakel.inspections.models import Inspection
from schakel.matching.models import Involvement
from schakel.meetings.models import Meeting
from schakel.organisations.choices import Role

from .conftest import mailed
from .factories import user_with_role

pytestmark = pytest.mark.django_db

NUL_URLS = [
    "/melden/?gemeente=%00",
    "/melden/?%00=1",
    "/signals/%00/",
    "/cases/%00/",
    "/signals/MH-2026-%00/received/",
    "/signaalkaarten/%00/horeca/",
    "/privacy/subjects/?name=%00",
    "/audit/?user=a%00b",
    "/login/?next=%00",
    "/%00",
]


@pytest.fixture
def strict_client():
    """A server error would raise here instead of passing as a status code."""
    return Client(raise_request_exception=True)


def assert_bad_request(response):
    assert response.status_code == 400
    page = response.content.decode()
    assert 'data-testid="bad-request"' in page
    assert "Dit verzoek kan niet worden verwerkt" in page
    assert 'lang="nl"' in page
    # The error page keeps the headers of every other page.
    assert "frame-ancestors 'none'" in response["Content-Security-Policy"]
    assert response["X-Frame-Options"] == "DENY"


@pytest.mark.parametrize("url", NUL_URLS)
def test_a_nul_in_the_address_is_a_bad_request_for_visitors(strict_client, url):
    assert_bad_request(strict_client.get(url))


@pytest.mark.parametrize("url", NUL_URLS)
def test_a_nul_in_the_address_is_a_bad_request_for_logged_in_users(strict_client, af_oov, url):
    strict_client.force_login(af_oov)
    assert_bad_request(strict_client.get(url))


@pytest.mark.parametrize(
    ("url", "data"),
    [
        ("/melden/", {"description": "Iemand\x00 slaapt in de kelder", "place": "Dorpsstraat"}),
        ("/melden/terugkoppeling/", {"reference": "MH-2026-ABC\x00", "code": "1234"}),
        ("/melden/terugkoppeling/", {"reference\x00": "MH-2026-ABCDEF", "code": "1234"}),
        ("/login/", {"username": "af.oov\x00", "password": "wrong-password"}),
    ],
)
def test_a_nul_in_a_form_field_is_a_bad_request(strict_client, url, data):
    assert_bad_request(strict_client.post(url, data))


def test_a_nul_in_a_multipart_form_is_a_bad_request(strict_client, municipal_reporter):
    strict_client.force_login(municipal_reporter)
    response = strict_client.post(
        "/signals/report/",
        {
            "description": "Vier mannen\x00 wonen in een schuur",
            "attachments": SimpleUploadedFile("foto.png", b"\x89PNG\r\n\x1a\n"),
        },
    )
    assert_bad_request(response)


def test_a_nul_in_a_cookie_or_a_header_is_a_bad_request(strict_client, af_oov):
    strict_client.cookies["sessionid"] = "abcdefgh\x00ijklmnop"
    assert_bad_request(strict_client.get("/login/"))
    strict_client.cookies.clear()
    response = strict_client.post(
        "/login/", {"username": "af.oov", "password": "x"}, HTTP_USER_AGENT="Mozilla\x00"
    )
    assert_bad_request(response)


def test_a_lone_surrogate_is_a_bad_request():
    """A server that decodes the path with surrogateescape would pass one on."""
    middleware = UnusableInputMiddleware(lambda request: pytest.fail("reached the view"))
    request = RequestFactory().get("/signals/x/")
    request.path = request.path_info = "/signals/\udc80/"
    assert middleware(request).status_code == 400
    request = RequestFactory().get("/melden/")
    request.GET = QueryDict(mutable=True)
    request.GET["gemeente"] = "GM\udcff"
    assert middleware(request).status_code == 400


@pytest.mark.parametrize(
    "url",
    [
        "/signals/MH-2026-%E2%80%8BABCDEF/",  # zero-width space
        "/signals/%EF%BC%AD%EF%BC%A8-2026-ABCDEF/",  # full-width "MH"
        "/cases/%EF%BC%91/",  # full-width digit one
        "/privacy/subjects/%EF%BC%91/",  # an <int:pk> route with a full-width digit
        "/signals/%ED%A0%80/",  # an encoded surrogate stays percent-encoded
        "/signaalkaarten/GM%E2%80%8B0001/horeca/",
    ],
)
def test_other_unicode_in_the_address_is_a_page_not_found(strict_client, af_oov, url):
    strict_client.force_login(af_oov)
    assert strict_client.get(url).status_code == 404


def test_zero_width_and_full_width_text_in_a_form_is_just_text(strict_client):
    response = strict_client.post(
        "/melden/terugkoppeling/", {"reference": "ＭＨ-2026-\u200bABCDEF", "code": "１２３４"}
    )
    assert response.status_code == 200
    assert "Dit verzoek kan niet worden verwerkt" not in response.content.decode()


# --- Digits that int() cannot read --------------------------------------------------------------
# str.isdigit() is true for superscripts such as "²", which int() refuses; only str.isdecimal()
# promises a number. A person's number or a year of birth written so is text, never a 500.

SUPERSCRIPT_YEAR = "²⁰⁰⁹"


@pytest.fixture
def case_world(db):
    from .world import build_world

    world = build_world()
    return world, world.open_case()


def test_a_superscript_digit_is_no_person_to_link_to(strict_client, case_world):
    world, case = case_world
    strict_client.force_login(world.users["af"])
    response = strict_client.post(
        f"/cases/{case.reference}/person/",
        {"person-role": "other", "person-name": "Piet Puk", "person-decision": "²"},
    )
    assert response.status_code == 302
    assert case.persons.filter(name_index=blind_index("Piet Puk", purpose="person-name")).exists()


def test_a_year_of_birth_in_superscript_digits_is_kept_as_text(strict_client, case_world):
    world, case = case_world
    strict_client.force_login(world.users["af"])
    registered = Involvement.objects.count()
    response = strict_client.post(
        f"/cases/{case.reference}/person/",
        {
            "person-role": "victim",
            "person-name": "Piet Puk",
            "person-date_of_birth": SUPERSCRIPT_YEAR,
            "person-decision": "new",
        },
    )
    assert response.status_code == 302
    assert SUPERSCRIPT_YEAR in [p.date_of_birth for p in case.persons.all()]
    assert Involvement.objects.count() > registered  # registered for hit/no-hit, without a year


def test_a_case_opens_from_a_signal_whose_person_has_such_a_year(strict_client, db):
    from .world import build_world

    world = build_world()
    for person in world.signal.persons.all():
        person.date_of_birth = SUPERSCRIPT_YEAR
        person.save()
    strict_client.force_login(world.users["af"])
    response = strict_client.post(
        "/cases/open/", {"signals": [world.signal.reference], "summary": "Opvang nodig"}
    )
    assert response.status_code == 302
    persons = world.signal.cases.get().persons.all()
    assert SUPERSCRIPT_YEAR in [p.date_of_birth for p in persons]


def test_such_a_year_does_not_stop_the_mails_about_a_proposal(
    strict_client, case_world, django_capture_on_commit_callbacks
):
    world, case = case_world
    for person in case.persons.all():
        person.date_of_birth = SUPERSCRIPT_YEAR
        person.save()
    strict_client.force_login(world.users["zc"])
    with django_capture_on_commit_callbacks(execute=True):
        response = strict_client.post(
            f"/cases/{case.reference}/post/",
            {"post-kind": "note", "post-text": "Verhuizing", "post-decision_kind": "move_victim"},
        )
    assert response.status_code == 302
    assert "af@example.test" in mailed()  # the netwerkregisseur is told


def test_a_municipal_decision_named_with_a_superscript_is_no_decision(db, municipality):
    from schakel.cases.decisions import decision_from_code

    assert decision_from_code("municipal:²", municipality.pk) is None


# --- Dates at the ends of the calendar ----------------------------------------------------------
# Stored or searched as a moment in UTC, a date in year 1 or 9999 leaves the calendar when it is
# converted (OverflowError): it is not a valid date for a form.


@pytest.mark.parametrize("query", ["date_from=0001-01-01", "date_to=9999-12-31"])
def test_an_audit_search_at_the_ends_of_the_calendar_is_an_invalid_date(
    strict_client, municipality, query
):
    strict_client.force_login(user_with_role(Role.PRIVACY_OFFICER, municipality=municipality))
    # The search form says what is wrong; the export refuses rather than export the whole log.
    assert strict_client.get(f"/audit/?{query}").status_code == 200
    assert strict_client.get(f"/audit/export.csv?{query}").status_code == 400


def test_a_meeting_or_inspection_in_year_one_is_an_invalid_date(strict_client, af_oov):
    strict_client.force_login(af_oov)
    municipality = af_oov.memberships.get().organisation.municipality
    response = strict_client.post(
        "/meetings/plan/",
        {
            "municipality": municipality.pk,
            "meeting_type": "case_meeting",
            "scheduled_for": "0001-01-01T00:00",
        },
    )
    assert response.status_code == 200
    assert "scheduled_for" in response.context["form"].errors
    response = strict_client.post(
        "/inspections/",
        {"planned_for": "0001-01-01T00:00", "premises": "Loods", "purpose": "Controle"},
    )
    assert response.status_code == 400
    assert "planned_for" in response.context["form"].errors
    assert not Meeting.objects.exists() and not Inspection.objects.exists()
