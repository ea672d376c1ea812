"""Reporting without an account: a situation sketch without personal data, a feedback code shown
once, and a feedback page that tells nothing to whoever lacks the code."""

import math
import time
import uuid
from unittest import mock

import pytest
from django.conf import settings
from django.core import signing
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation

from schakel.audit.models import AuditEvent
from schakel.core.context import AccessContext
from schakel.core.policies import ANONYMOUS
from schakel.intake.choices import EntryPoint, SignalStatus
from schakel.intake.codes import (
    FEEDBACK_CODE_GROUP_LENGTH,
    FEEDBACK_CODE_GROUPS,
    REFERENCE_ALPHABET,
    feedback_code_matches,
    hash_feedback_code,
    new_feedback_code,
)
from schakel.intake.forms import PUBLIC_FORM_SALT, new_form_token
from schakel.intake.models import Signal
from schakel.intake.pii import (
    DESCRIPTION_MESSAGE,
    PersonalData,
    find_personal_data,
    passes_elfproef,
    refuse_personal_data,
)
from schakel.intake.policies import SignalAction, signal_policy
from schakel.intake.selectors import public_feedback_for
from schakel.intake.services import PublicSignalReport, signal_report, signal_report_public

from .factories import SignalFactory

# --- the personal-data detector -------------------------------------------------------------

REFUSED = {
    PersonalData.BSN: ["BSN 123456782", "123 456 782", "1234.56.782", "nummer 123-456-782."],
    PersonalData.PHONE: [
        "bel 06-12345678",
        "06 1234 5678",
        "0612345678",
        "06 - 1234 5678",
        "+31 6 1234 5678",
        "+31 (0)6 12345678",
        "+31612345678",
        "0031 6 12345678",
        "020-1234567",
        "(020) 123 45 67",
        "+44 20 7946 0958",
        "+1 (555) 123-4567",
    ],
    PersonalData.EMAIL: ["mail jan.de.vries@example.nl", "J_Vries+werk@mail.example.com"],
    PersonalData.IBAN: [
        "NL91ABNA0417164300",
        "NL91 ABNA 0417 1643 00 is haar rekening",
        "nl91abna0417164300",
        "DE89 3704 0044 0532 0130 00",
    ],
}

ACCEPTED = [
    "op 12-03-2026 om 14:30",
    "01-03-2026 10:30",
    "1-3-2026 10.30 uur",
    "2026-03-01 09:30",
    "12/3/26 en 13/3/26",
    "tussen 22.00 en 06.00 uur",
    "postcode 1234 AB",
    "Kerkstraat 12, 1234 AB Brakelveen",
    "Kerkstraat 12 1234AB",
    "Postbus 12345 1234 AB",
    "huisnummers 12 tot 18",
    "€ 1.500 per maand",
    "€ 123.456.782 omzet",
    "4 mannen, 2 vrouwen, 1 begeleider",
    "bel 112",
    "123456789",  # nine digits failing the elfproef
    "NL91ABNA0417164301",  # an IBAN with wrong check digits
    "KvK 12345678",
    "2023 2024 2025",
]


@pytest.mark.parametrize(
    ("kind", "text"), [(kind, text) for kind, texts in REFUSED.items() for text in texts]
)
def test_the_detector_recognises_personal_data(kind, text):
    assert find_personal_data(f"Gezien bij de bushalte, {text}, twee keer.") == kind


@pytest.mark.parametrize("text", ACCEPTED)
def test_the_detector_leaves_dates_times_postcodes_house_numbers_and_amounts_alone(text):
    assert find_personal_data(text) is None


def test_the_elfproef():
    assert passes_elfproef("123456782")
    assert not passes_elfproef("123456789")
    assert not passes_elfproef("000000000")


def test_the_message_says_which_kind_was_found():
    with translation.override("en"):
        with pytest.raises(ValidationError) as raised:
            refuse_personal_data("Haar nummer is 06-12345678.", DESCRIPTION_MESSAGE)
        assert raised.value.messages == [
            "Your description seems to contain a phone number. Please leave out personal data: "
            "describe the situation, not the people."
        ]


# --- feedback codes -------------------------------------------------------------------------


def test_a_feedback_code_has_at_least_80_bits_from_the_unambiguous_alphabet():
    code = new_feedback_code()
    groups = code.split("-")
    assert [len(g) for g in groups] == [FEEDBACK_CODE_GROUP_LENGTH] * FEEDBACK_CODE_GROUPS
    assert set("".join(groups)) <= set(REFERENCE_ALPHABET)
    assert len("".join(groups)) * math.log2(len(REFERENCE_ALPHABET)) >= 80
    assert len({new_feedback_code() for _ in range(100)}) == 100


def test_a_feedback_code_matches_however_it_is_typed():
    code, reference = new_feedback_code(), "MH-2026-K7QM3X"
    hashed = hash_feedback_code(code, reference=reference)
    assert code not in hashed
    assert feedback_code_matches(code, hashed, reference=reference)
    typed = code.lower().replace("-", " ")
    assert feedback_code_matches(typed, hashed, reference=" mh-2026-k7qm3x")
    assert not feedback_code_matches(new_feedback_code(), hashed, reference=reference)
    assert not feedback_code_matches(code, "", reference=reference)


# --- the public form ------------------------------------------------------------------------

DESCRIPTION = "Elke ochtend om vijf uur haalt een busje dezelfde groep op bij de loods."


@pytest.fixture(autouse=True)
def fresh_limits_and_no_waiting(settings):
    cache.clear()
    settings.SCHAKEL_PUBLIC_MIN_FILL_SECONDS = 0
    yield
    cache.clear()


@pytest.fixture
def english(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def form_data(municipality, **overrides):
    data = {
        "municipality": municipality.pk,
        "sector": "public",
        "observed_on": timezone.localdate().isoformat(),
        "place": "Parkeerterrein Zuidpoort",
        "exploitation_forms": ["labour"],
        "description": DESCRIPTION,
        "website": "",
        "form_token": new_form_token(),
    }
    data.update(overrides)
    return data


def post_report(client, data):
    return client.post(reverse("intake:public_report"), data, HTTP_ACCEPT_LANGUAGE="en")


@pytest.mark.django_db
def test_the_form_is_open_to_anyone_and_preselects_the_municipality(
    client, municipality, other_municipality
):
    response = client.get(
        reverse("intake:public_report"), {"gemeente": other_municipality.cbs_code.lower()}
    )
    assert response.status_code == 200
    assert response.context["form"].initial["municipality"] == other_municipality.pk
    assert f'<option value="{other_municipality.pk}" selected>' in response.content.decode()
    assert "no-store" in response["Cache-Control"]


@pytest.mark.django_db
def test_a_citizen_reports_and_gets_a_reference_and_a_code_once(english, municipality):
    response = post_report(english, form_data(municipality))
    signal = Signal.objects.get()
    html = response.content.decode()
    assert response.status_code == 200
    assert signal.entry_point == EntryPoint.PUBLIC
    assert signal.reporter is None
    assert signal.reporter_organisation is None
    assert signal.status == SignalStatus.NEW
    assert signal.municipality == municipality
    assert [f.code for f in signal.exploitation_forms.all()] == ["labour"]
    code = response.context["code"]
    assert signal.reference in html
    assert code in html
    assert "no-store" in response["Cache-Control"]
    assert feedback_code_matches(code, signal.feedback_code_hash, reference=signal.reference)
    event = AuditEvent.objects.get(action="create")
    assert (event.user, event.ip_address, event.object_ids) == (None, None, [str(signal.pk)])


@pytest.mark.django_db
def test_the_code_is_stored_only_as_a_hash(english, municipality):
    response = post_report(english, form_data(municipality))
    code = response.context["code"]
    row = Signal.objects.values().get()
    for variant in (code, code.replace("-", "")):
        assert not any(variant in str(value) for value in row.values())
        for event in AuditEvent.objects.values():
            assert not any(variant in str(value) for value in event.values())


@pytest.mark.django_db
def test_a_hotel_reports_as_a_secondary_partner(english, municipality):
    post_report(english, form_data(municipality, sector="hospitality"))
    signal = Signal.objects.get()
    assert (signal.entry_point, signal.reporter_sector) == (EntryPoint.PARTNER, "hospitality")


@pytest.mark.django_db
def test_a_logged_in_visitor_still_reports_anonymously(client, municipal_reporter, municipality):
    client.force_login(municipal_reporter)
    post_report(client, form_data(municipality))
    signal = Signal.objects.get()
    assert signal.reporter is None
    assert AuditEvent.objects.get(action="create").user is None


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("typed", "kind"),
    [
        ("Het meisje heeft BSN 123456782 gezegd.", "a citizen service number (BSN)"),
        ("Haar begeleider belt steeds met 06-12345678.", "a phone number"),
        ("Hij gaf zijn adres: jan@example.nl.", "an e-mail address"),
        ("Het loon gaat naar NL91 ABNA 0417 1643 00.", "a bank account number (IBAN)"),
    ],
)
def test_personal_data_in_the_sketch_is_refused_next_to_the_field_and_kept(
    english, municipality, typed, kind
):
    response = post_report(english, form_data(municipality, description=typed))
    assert response.status_code == 200
    assert not Signal.objects.exists()
    form = response.context["form"]
    assert form.errors["description"] == [
        f"Your description seems to contain {kind}. Please leave out personal data: "
        "describe the situation, not the people."
    ]
    assert list(form.errors) == ["description"]
    assert typed in response.content.decode()


@pytest.mark.django_db
def test_personal_data_in_the_place_is_refused_too(english, municipality):
    response = post_report(english, form_data(municipality, place="Kerkstraat 4, 06-12345678"))
    assert "place" in response.context["form"].errors
    assert not Signal.objects.exists()


@pytest.mark.django_db
def test_dates_postcodes_and_house_numbers_are_accepted(english, municipality):
    typed = (
        "Op 12-03-2026 om 14:30 en op 13-03-2026 10.30 uur, bij Kerkstraat 12, 1234 AB. "
        "Zes mensen, huur € 1.500 per maand."
    )
    response = post_report(english, form_data(municipality, description=typed, place="1234 AB 12"))
    assert response.status_code == 200
    assert Signal.objects.get().description == typed


@pytest.mark.django_db
def test_submitting_the_same_form_twice_yields_one_signal_and_no_second_code(english, municipality):
    data = form_data(municipality)
    first = post_report(english, data)
    second = post_report(english, data)
    assert Signal.objects.count() == 1
    reference = Signal.objects.get().reference
    assert reference in second.content.decode()
    assert first.context["code"] not in second.content.decode()
    assert second.context["code"] is None
    assert "was shown the first time" in second.content.decode()


@pytest.mark.django_db
def test_the_honeypot_is_refused(english, municipality):
    response = post_report(english, form_data(municipality, website="http://spam.example"))
    assert not Signal.objects.exists()
    assert "could not be sent" in response.content.decode()
    assert DESCRIPTION in response.content.decode()


@pytest.mark.django_db
def test_a_submission_faster_than_a_person_types_is_refused(english, municipality, settings):
    settings.SCHAKEL_PUBLIC_MIN_FILL_SECONDS = 3
    response = post_report(english, form_data(municipality))
    assert not Signal.objects.exists()
    assert "That was very quick" in response.content.decode()
    assert DESCRIPTION in response.content.decode()


@pytest.mark.django_db
def test_a_form_older_than_a_day_is_refused_and_renewed(english, municipality):
    with mock.patch("django.core.signing.time.time", return_value=time.time() - 25 * 3600):
        old = new_form_token()
    response = post_report(english, form_data(municipality, form_token=old))
    assert not Signal.objects.exists()
    assert "more than a day ago" in response.content.decode()
    renewed = response.context["form"]["form_token"].value()
    assert renewed != old
    assert post_report(english, form_data(municipality, form_token=renewed)).status_code == 200
    assert Signal.objects.count() == 1


@pytest.mark.django_db
@pytest.mark.parametrize(
    "token",
    ["", "tampered", signing.dumps({"token": str(uuid.uuid4())}, salt=PUBLIC_FORM_SALT)],
    ids=["missing", "tampered", "incomplete"],
)
def test_a_missing_or_tampered_form_token_is_refused(english, municipality, token):
    response = post_report(english, form_data(municipality, form_token=token))
    assert not Signal.objects.exists()
    assert "Something went wrong with this form" in response.content.decode()


@pytest.mark.django_db
def test_more_than_five_reports_an_hour_from_one_form_session_are_refused(english, municipality):
    for _ in range(5):
        assert post_report(english, form_data(municipality)).status_code == 200
    response = post_report(english, form_data(municipality))
    assert response.status_code == 429
    assert "You can send it again in an hour" in response.content.decode()
    assert Signal.objects.count() == 5
    colleague = Client()  # another browser behind the same address
    assert post_report(colleague, form_data(municipality)).status_code == 200
    assert Signal.objects.count() == 6


@pytest.mark.django_db
def test_refused_forms_do_not_use_up_the_allowance(english, municipality):
    for _ in range(6):
        post_report(english, form_data(municipality, description="Bel 06-12345678."))
    assert post_report(english, form_data(municipality)).status_code == 200


# --- what the service enforces without the form ---------------------------------------------


def public_report(municipality, **overrides):
    values = {
        "municipality_id": municipality.pk,
        "sector": "",
        "description": DESCRIPTION,
        "place": "Oosthaven",
        "exploitation_form_codes": ("labour",),
        "observed_on": timezone.localdate(),
        "submission_token": uuid.uuid4(),
    }
    values.update(overrides)
    return PublicSignalReport(**values)


ANONYMOUS_CONTEXT = AccessContext(actor=ANONYMOUS, access_point="test")


@pytest.mark.django_db
def test_the_service_refuses_personal_data_itself(municipality):
    with pytest.raises(ValidationError) as raised:
        signal_report_public(
            context=ANONYMOUS_CONTEXT,
            report=public_report(municipality, description="Bel 06-12345678", place="a@b.nl"),
        )
    assert set(raised.value.error_dict) == {"description", "place"}
    assert not Signal.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    "overrides",
    [
        {"exploitation_form_codes": ("unknown", "sexual")},
        {"exploitation_form_codes": ()},
        {"sector": "police"},
        {"observed_on": timezone.localdate().replace(year=timezone.localdate().year + 1)},
    ],
    ids=["unknown+sexual", "no forms", "bogus sector", "future"],
)
def test_the_service_checks_the_rest_of_the_report(municipality, overrides):
    with pytest.raises(ValidationError):
        signal_report_public(
            context=ANONYMOUS_CONTEXT, report=public_report(municipality, **overrides)
        )


@pytest.mark.django_db
def test_an_internal_signals_token_never_reveals_that_signal(municipal_reporter, municipality):
    from .conftest import context_for
    from .test_signal_report_service import report_for

    report = report_for(municipal_reporter)
    signal_report(context=context_for(municipal_reporter), report=report)
    with pytest.raises(PermissionDenied):
        signal_report_public(
            context=ANONYMOUS_CONTEXT,
            report=public_report(municipality, submission_token=report.submission_token),
        )


# --- who sees a public report ---------------------------------------------------------------


@pytest.mark.django_db
def test_the_af_of_the_municipality_sees_it_in_new_signals_and_another_af_does_not(
    english, municipality, af_oov, other_af_oov
):
    post_report(english, form_data(municipality, sector="school"))
    signal = Signal.objects.get()
    english.force_login(af_oov)
    queue = english.get(reverse("intake:queue")).content.decode()
    assert signal.reference in queue
    assert "School" in queue
    detail = english.get(reverse("intake:detail", args=[signal.reference]))
    assert DESCRIPTION in detail.content.decode()
    english.force_login(other_af_oov)
    assert signal.reference not in english.get(reverse("intake:queue")).content.decode()
    assert english.get(reverse("intake:detail", args=[signal.reference])).status_code == 404


@pytest.mark.django_db
def test_an_anonymous_visitor_is_not_the_reporter_of_a_public_report(municipality):
    signal, _code = signal_report_public(
        context=ANONYMOUS_CONTEXT, report=public_report(municipality)
    )
    assert not signal_policy.can(ANONYMOUS, SignalAction.VIEW, signal)
    assert signal_policy.fields(ANONYMOUS, signal) == frozenset()
    assert not signal_policy.visible_to(ANONYMOUS).exists()


@pytest.mark.django_db
def test_a_secondary_partner_never_sees_a_public_report(client, hotel_reporter, municipality):
    signal, _code = signal_report_public(
        context=ANONYMOUS_CONTEXT, report=public_report(municipality, sector="hospitality")
    )
    client.force_login(hotel_reporter)
    assert signal.reference not in client.get(reverse("intake:mine")).content.decode()
    assert client.get(reverse("intake:detail", args=[signal.reference])).status_code == 404


# --- the feedback page ----------------------------------------------------------------------


@pytest.fixture
def reported(municipality):
    return signal_report_public(context=ANONYMOUS_CONTEXT, report=public_report(municipality))


def ask_feedback(client, reference, code, **extra):
    return client.post(
        reverse("intake:public_feedback"),
        {"reference": reference, "code": code},
        HTTP_ACCEPT_LANGUAGE="en",
        **extra,
    )


@pytest.mark.django_db
def test_the_right_code_shows_the_status_in_plain_words(english, reported):
    signal, code = reported
    response = ask_feedback(english, signal.reference.lower(), code.replace("-", " ").lower())
    html = response.content.decode()
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    assert signal.reference in html
    assert "The reporting point has not picked up your report yet." in html
    assert "No feedback yet; the reporting point will give feedback here." in html
    assert DESCRIPTION not in html
    event = AuditEvent.objects.get(action="read")
    assert (event.user, event.ip_address, event.object_ids) == (None, None, [str(signal.pk)])


@pytest.mark.django_db
def test_the_status_follows_the_signal(english, reported):
    signal, code = reported
    Signal.objects.filter(pk=signal.pk).update(status=SignalStatus.ROUTED)
    html = ask_feedback(english, signal.reference, code).content.decode()
    assert "passed your report on to a partner" in html


GENERIC = "This reference number and feedback code do not match a report."


@pytest.mark.django_db
def test_a_wrong_code_and_an_unknown_reference_get_the_same_answer(english, reported, municipality):
    signal, code = reported
    internal = SignalFactory(municipality=municipality)
    answers = [
        ask_feedback(english, signal.reference, new_feedback_code()),
        ask_feedback(english, "MH-2026-ZZZZZZ", code),
        ask_feedback(english, internal.reference, code),
    ]
    for response in answers:
        html = response.content.decode()
        assert response.status_code == 200
        assert GENERIC in html
        assert response.context["feedback"] is None
        assert "picked up your report" not in html
    assert not AuditEvent.objects.filter(action="read").exists()


@pytest.mark.django_db
def test_the_selector_is_the_hook_for_feedback(reported):
    signal, code = reported
    feedback = public_feedback_for(ANONYMOUS_CONTEXT, reference=signal.reference, code=code)
    assert feedback is not None
    assert (feedback.reference, feedback.received_at, feedback.feedback) == (
        signal.reference,
        signal.reported_at,
        "",
    )
    assert public_feedback_for(ANONYMOUS_CONTEXT, reference=signal.reference, code="") is None


@pytest.mark.django_db
def test_more_than_twenty_code_attempts_an_hour_are_refused(english, reported):
    signal, code = reported
    for _ in range(20):
        assert ask_feedback(english, signal.reference, new_feedback_code()).status_code == 200
    response = ask_feedback(english, signal.reference, code)
    assert response.status_code == 429
    assert "try again in an hour" in response.content.decode()
    assert ask_feedback(english, signal.reference, code, REMOTE_ADDR="10.0.0.8").status_code == 200


@pytest.mark.django_db
@pytest.mark.parametrize("name", ["intake:public_report", "intake:public_feedback"])
def test_the_public_pages_need_no_login(client, name):
    assert client.get(reverse(name)).status_code == 200
