"""Feedback a citizen or a secondary partner reads carries no personal data: no phone number,
e-mail address, BSN or IBAN, and not the name of anyone recorded in the signal (or in a signal
linked to it). The service refuses it, says what kind it found and never what, and stores
nothing: the signal's history is append-only."""

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation

from schakel.intake import services
from schakel.intake.choices import EntryPoint, PersonRole, SignalEventKind, SignalStatus
from schakel.intake.models import Signal, SignalEvent, SignalLink, SignalPerson
from schakel.intake.selectors import public_feedback_for

from .conftest import context_for
from .factories import SignalFactory
from .test_public_intake import ANONYMOUS_CONTEXT, public_report

pytestmark = pytest.mark.django_db

ZWSP, NBSP = "\u200b", "\xa0"
SUSPECT = "Dragoș Popescu-Ionescu"


def picked_up(af_oov, signal: Signal) -> Signal:
    services.signal_pick_up(context=context_for(af_oov), signal=signal)
    return signal


@pytest.fixture
def public_signal(municipality, af_oov):
    """A citizen's report through the public form, with the feedback code the citizen holds."""
    signal, code = services.signal_report_public(
        context=ANONYMOUS_CONTEXT, report=public_report(municipality)
    )
    signal.code = code
    return picked_up(af_oov, signal)


@pytest.fixture
def sector_signal(municipality, af_oov):
    """A hotel's report through the public form: a secondary partner without an account."""
    signal, _code = services.signal_report_public(
        context=ANONYMOUS_CONTEXT, report=public_report(municipality, sector="hospitality")
    )
    assert signal.entry_point == EntryPoint.PARTNER
    return picked_up(af_oov, signal)


@pytest.fixture
def partner_signal(municipality, af_oov, hotel_reporter):
    """A logged-in partner reporter's report (a role that may name nobody)."""
    hotel_reporter.email = "receptie@hotel.example"
    hotel_reporter.save()
    signal = SignalFactory(
        municipality=municipality, reporter=hotel_reporter, entry_point=EntryPoint.PARTNER
    )
    return picked_up(af_oov, signal)


@pytest.fixture
def professional_signal(municipality, af_oov, municipal_reporter):
    """A municipal employee's report, who may name the people it is about."""
    signal = SignalFactory(municipality=municipality, reporter=municipal_reporter)
    SignalPerson.objects.create(signal=signal, role=PersonRole.POSSIBLE_PERPETRATOR, name=SUSPECT)
    return picked_up(af_oov, signal)


def give(af_oov, signal, **texts):
    return services.signal_give_feedback(context=context_for(af_oov), signal=signal, **texts)


def assert_nothing_stored(signal):
    signal.refresh_from_db()
    assert (signal.feedback, signal.feedback_withheld_reason, signal.feedback_at) == ("", "", None)
    assert signal.status == SignalStatus.IN_PROGRESS
    assert not SignalEvent.objects.filter(
        signal=signal,
        kind__in=(SignalEventKind.FEEDBACK_GIVEN, SignalEventKind.FEEDBACK_WITHHELD),
    ).exists()


def refusal(af_oov, signal, feedback) -> str:
    events = SignalEvent.objects.filter(signal=signal).count()
    with translation.override("en"):
        with pytest.raises(ValidationError) as raised:
            give(af_oov, signal, feedback=feedback)
        [message] = raised.value.messages  # lazy: rendered in the language active here
    assert SignalEvent.objects.filter(signal=signal).count() == events
    assert_nothing_stored(signal)
    return message


PERSONAL_DATA = {
    "a phone number": [
        "Bel hem op 06-12345678.",
        f"Bel 06{ZWSP}1234{NBSP}5678.",
        "Bel ０６１２３４５６７８.",
    ],
    "an e-mail address": ["Mail j.popescu@example.ro.", "Mail j.popescu [at] example [dot] ro."],
    "a citizen service number (BSN)": ["Het BSN van de man is 123 456 782."],
    "a bank account number (IBAN)": ["Hij betaalde via NL91 ABNA 0417 1643 00."],
}
CASES = [(kind, text) for kind, texts in PERSONAL_DATA.items() for text in texts]


@pytest.mark.parametrize("reporter", ["public_signal", "sector_signal", "partner_signal"])
@pytest.mark.parametrize(("kind", "feedback"), CASES)
def test_feedback_for_a_citizen_or_secondary_partner_refuses_personal_data(
    af_oov, request, reporter, kind, feedback
):
    signal = request.getfixturevalue(reporter)
    message = refusal(af_oov, signal, f"Dank voor uw melding. {feedback}")
    assert message == (
        f"The feedback seems to contain {kind}. This reporter may not be given personal data, "
        "and the feedback stays in the signal's history: say in general terms what was done."
    )


@pytest.mark.parametrize(
    "written",
    [
        "Dragoș Popescu-Ionescu",  # the full name
        "Popescu",  # a part of it
        "popescu-ionescu",  # lower case
        "DRAGOS IONESCU",  # capitals, the accent left off
        f"Pope{ZWSP}scu",  # an invisible character inside
        "Ｉｏｎｅｓｃｕ",  # full-width letters
    ],
)
def test_feedback_for_a_citizen_refuses_the_name_of_a_person_in_the_signal(
    af_oov, public_signal, written
):
    SignalPerson.objects.create(
        signal=public_signal, role=PersonRole.POSSIBLE_PERPETRATOR, name=SUSPECT
    )
    message = refusal(af_oov, public_signal, f"We hebben {written} aangesproken.")
    assert "the name of a person recorded in this signal" in message
    assert "opescu" not in message.casefold() and "ionescu" not in message.casefold()


@pytest.mark.parametrize("direction", ["linked from", "linked to"])
def test_feedback_for_a_secondary_partner_refuses_a_name_from_a_linked_signal(
    af_oov, partner_signal, professional_signal, direction
):
    """The AF who linked an earlier signal on the same people knows their names from it."""
    ends = (partner_signal, professional_signal)
    first, second = ends if direction == "linked from" else ends[::-1]
    SignalLink.objects.create(signal=first, linked=second, reason="Zelfde pand")
    message = refusal(af_oov, partner_signal, "De heer Popescu is gesproken.")
    assert "in a signal linked to it" in message


def test_refused_feedback_mails_nobody(af_oov, partner_signal, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(ValidationError):
        give(af_oov, partner_signal, feedback="Bel ons terug op 06 12 34 56 78.")
    assert mail.outbox == []


def test_general_feedback_for_a_citizen_is_recorded_and_shown_on_the_feedback_page(
    af_oov, public_signal
):
    SignalPerson.objects.create(
        signal=public_signal, role=PersonRole.POSSIBLE_VICTIM, name="Ana de Jong"
    )
    text = "Uw melding is opgepakt en besproken in het casusoverleg van 12-03-2026 om 10.30 uur."
    give(af_oov, public_signal, feedback=text)
    shown = public_feedback_for(
        ANONYMOUS_CONTEXT, reference=public_signal.reference, code=public_signal.code
    )
    assert shown.feedback == text
    assert (
        SignalEvent.objects.get(signal=public_signal, kind=SignalEventKind.FEEDBACK_GIVEN).text
        == text
    )


def test_the_reporting_points_own_number_and_mailbox_may_be_given(af_oov, public_signal):
    municipality = public_signal.municipality  # the factory's "012 345 6789"
    text = (
        f"Heeft u nog vragen? Bel het meldpunt op 012-3456789 of mail "
        f"{municipality.reporting_point_email.upper()}."
    )
    give(af_oov, public_signal, feedback=text)
    public_signal.refresh_from_db()
    assert public_signal.feedback == text


def test_feedback_for_a_professional_reporter_may_name_the_people_they_reported(
    af_oov, professional_signal
):
    text = "Popescu-Ionescu is aangehouden; de wijkagent is bereikbaar op 06-12345678."
    give(af_oov, professional_signal, feedback=text)
    professional_signal.refresh_from_db()
    assert professional_signal.feedback == text


def test_the_reason_feedback_is_withheld_is_not_checked_because_no_reporter_reads_it(
    client, af_oov, partner_signal, hotel_reporter, public_signal
):
    """Only the reporting point reads the reason; the reporter reads that nothing can be said."""
    reason = "Strafrechtelijk onderzoek naar Popescu, rechercheur bereikbaar op 06-12345678."
    SignalPerson.objects.create(signal=public_signal, role=PersonRole.OTHER, name="Popescu")
    give(af_oov, public_signal, withheld_reason=reason)
    give(af_oov, partner_signal, withheld_reason=reason)
    shown = public_feedback_for(
        ANONYMOUS_CONTEXT, reference=public_signal.reference, code=public_signal.code
    )
    assert (shown.feedback, shown.withheld) == ("", True)
    assert reason not in repr(shown)
    client.force_login(hotel_reporter)
    for page in (
        client.get(reverse("intake:mine")),
        client.get(reverse("intake:detail", args=[partner_signal.reference])),
    ):
        assert page.status_code == 200
        assert "Popescu" not in page.content.decode()


def test_the_feedback_form_shows_the_refusal_and_keeps_the_text(client, af_oov, public_signal):
    typed = "Opgepakt. Voor vragen: bel Johan op 06\u200b-12 34 56 78."
    client.force_login(af_oov)
    response = client.post(
        reverse("intake:handle", args=[public_signal.reference, "feedback"]),
        {"feedback-feedback": typed, "feedback-withheld_reason": ""},
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 400
    form = response.context["actions"]["feedback"]
    assert form.data["feedback-feedback"] == typed
    assert any("seems to contain a phone number" in error for error in form.non_field_errors())
    html = response.content.decode()
    assert "Opgepakt. Voor vragen: bel Johan op 06" in html  # the textarea holds the text
    assert "seems to contain a phone number" in html
    assert_nothing_stored(public_signal)
