"""Bounded fuzzing (hypothesis) of the forms anyone can reach: the public form, the report form of
a logged-in reporter, the login, and the search fields of the queue, the case list and the audit
log. Each gets arbitrary text (NUL bytes, lone surrogates sent as the bytes a browser would send,
zero-width and full-width characters, very long strings) in its own fields and in made-up ones,
with fields left out. Never a server error, and no page, whatever its status, shows a person or
a description of another municipality's signal that the input did not itself contain.

tests/test_unusable_input.py proves the fixed cases (a NUL or surrogate is a 400, zero-width and
full-width text is just text); this file throws everything else at the same doors."""

from urllib.parse import urlencode

import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from schakel.audit.forms import AuditSearchForm
from schakel.cases.forms import CaseFilterForm
from schakel.core.crypto import blind_index
from schakel.intake.forms import QueueFilterForm
from schakel.intake.models import SignalPerson
from schakel.organisations.choices import Role

from .factories import SignalFactory, user_with_role
from .test_public_intake import form_data
from .test_signal_details import report as report_form_post

pytestmark = pytest.mark.django_db

OTHER_NAME, OTHER_TEXT = "Marek Nowicki", "OTHER-DESCRIPTION-9Z"
SPECIAL = [
    "\x00",
    "a\x00b",
    "\ud800",  # a lone surrogate: sent as ED A0 80, which no UTF-8 decoder accepts
    "\udfff",
    "\u200b\u200c\u200d\u2060\ufeff",  # zero-width
    "０６１２３４５６７８",  # full-width digits
    "ＭＨ－２０２６－０００１",
    "\u202eevil",  # right-to-left override
    "'; DROP TABLE intake_signal; --",
    "<script>alert(1)</script>",
    "%00",
    "../../etc/passwd",
    "9" * 40,
    "-1",
    "2026-02-30",
    "0001-01-01",
    "9999-12-31",
]
FUZZ = settings(
    max_examples=30,
    deadline=None,
    # The same examples every run: make test is a gate, not a lottery (a failure found once, such
    # as the over-long username below, becomes an explicit test).
    derandomize=True,
    database=None,  # nothing written to .hypothesis/ in the working tree
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

text = st.one_of(
    st.text(st.characters(exclude_categories=()), max_size=40),  # surrogates included
    st.sampled_from(SPECIAL),
    st.builds(
        lambda part, times: part * times,
        st.sampled_from([*SPECIAL, "a", "é"]),
        st.integers(500, 12_000),
    ),
)


def fields(known):
    """Arbitrary values for the known fields and for made-up ones; some known fields left out."""
    names = st.one_of(st.sampled_from(sorted(known)), st.text(max_size=12))
    return st.tuples(
        st.sets(st.sampled_from(sorted(known))),
        st.dictionaries(names, st.lists(text, min_size=1, max_size=3), max_size=6),
    )


def fuzzed(base, drawn):
    dropped, extra = drawn
    data = {name: value for name, value in base.items() if name not in dropped}
    data.update(extra)
    return data


def encoded(data):
    """The body as a browser sends it: UTF-8, a lone surrogate as its three bytes."""
    return urlencode(
        [(k, v) for k, vs in data.items() for v in (vs if isinstance(vs, list) else [vs])],
        encoding="utf-8",
        errors="surrogatepass",
    )


def sent(data):
    return "".join(
        str(part) for k, vs in data.items() for part in [k, *(vs if isinstance(vs, list) else [vs])]
    )


STATUSES: list[int] = []  # of the last test's examples


def assert_safe(response, data):
    STATUSES.append(response.status_code)
    assert response.status_code < 500, response.status_code
    page = response.content.decode(errors="replace")
    for token in (OTHER_NAME, OTHER_TEXT):
        if token not in sent(data):
            assert token not in page, f"shows {token!r} ({response.status_code})"


@pytest.fixture
def other_signal(other_municipality):
    """Someone else's data: a signal of the other municipality naming a person."""
    signal = SignalFactory(municipality=other_municipality, description=OTHER_TEXT)
    SignalPerson.objects.create(
        signal=signal,
        role="victim",
        name=OTHER_NAME,
        name_index=blind_index(OTHER_NAME, purpose="person-name"),
    )
    return signal


def post(client, url, data):
    cache.clear()  # rate limits: every example starts afresh
    return client.post(url, encoded(data), content_type="application/x-www-form-urlencoded")


def get(client, url, data):
    cache.clear()
    return client.get(f"{url}?{encoded(data)}")


@FUZZ
@given(
    drawn=fields(
        {
            "municipality",
            "sector",
            "observed_on",
            "place",
            "exploitation_forms",
            "description",
            "website",
            "form_token",
            "indicators",
            "contact",
        }
    )
)
def test_the_public_form_never_fails_on_any_input(municipality, other_signal, drawn):
    client = Client()
    data = fuzzed(form_data(municipality), drawn)
    assert_safe(post(client, reverse("intake:public_report"), data), data)


@FUZZ
@given(
    drawn=fields(
        {
            "reporting_as",
            "municipality",
            "observed_on",
            "place",
            "exploitation_forms",
            "description",
            "submission_token",
            "indicators",
            "persons-TOTAL_FORMS",
            "persons-INITIAL_FORMS",
            "persons-0-name",
            "persons-0-role",
            "persons-0-date_of_birth",
            "persons-0-nationality",
        }
    )
)
def test_the_report_form_of_a_reporter_never_fails_on_any_input(
    client, municipal_reporter, other_signal, drawn, monkeypatch
):
    client.force_login(municipal_reporter)
    captured = {}
    monkeypatch.setattr(client, "post", lambda url, data: captured.update(url=url, data=data))
    report_form_post(client, municipal_reporter)  # the valid body, as the report tests send it
    monkeypatch.undo()
    base = {k: v for k, v in captured["data"].items() if k != "attachments"}
    data = fuzzed(base, drawn)
    assert_safe(post(client, captured["url"], data), data)


@FUZZ
@given(drawn=fields({"username", "password", "next"}))
def test_the_login_never_fails_on_any_input(other_signal, drawn):
    data = fuzzed({"username": "someone", "password": "secret-password-1"}, drawn)
    assert_safe(post(Client(), reverse("login"), data), data)


SEARCHES = {
    "intake:queue": set(QueueFilterForm(municipalities=[]).fields)
    | {"pagina", "pagina_in_behandeling"},
    "cases:list": set(CaseFilterForm().fields) | {"pagina"},
    "audit:log": set(AuditSearchForm().fields) | {"pagina"},
}


@pytest.mark.parametrize("name", sorted(SEARCHES))
def test_the_search_fields_of_the_lists_never_fail_on_any_input(client, af_oov, other_signal, name):
    client.force_login(af_oov)
    if name == "audit:log":  # the privacy officer's screen
        client.force_login(
            user_with_role(
                Role.PRIVACY_OFFICER,
                municipality=af_oov.memberships.get().organisation.municipality,
            )
        )

    @FUZZ
    @given(drawn=fields(SEARCHES[name]))
    def search(drawn):
        data = fuzzed({}, drawn)
        response = get(client, reverse(name), data)
        assert_safe(response, data)

    search()


@pytest.fixture(autouse=True)
def reached_the_form():
    """The examples got past the NUL and surrogate guard to the forms themselves: most pages are
    the form again (200), a redirect or a refusal, not only the guard's 400."""
    STATUSES.clear()
    yield
    assert STATUSES, "no request was sent"
    assert any(status != 400 for status in STATUSES), sorted(set(STATUSES))
