"""No signal lies idle: overdue signals are reminded to the AF OOV and escalated to the
municipality's shared mailbox, on Dutch working days, never twice and never with content."""

from datetime import date, datetime
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django.core.mail.backends.base import BaseEmailBackend
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone

from schakel.audit.models import AuditEvent
from schakel.intake.choices import SignalEventKind, SignalStatus
from schakel.intake.models import SignalEvent, SignalReminder
from schakel.intake.reminders import send_reminders
from schakel.organisations.choices import Role
from schakel.organisations.models import Membership

from .factories import MunicipalityFactory, SignalFactory, user_with_role

AMSTERDAM = ZoneInfo("Europe/Amsterdam")
AF_EMAIL = "af.oov@brakelveen.example"


def reported(year, month, day):
    return datetime(year, month, day, 10, tzinfo=AMSTERDAM)


def run(day: str, **options) -> str:
    out = StringIO()
    call_command("send_signal_reminders", date=day, stdout=out, **options)
    return out.getvalue()


def recipients_of_all_mail() -> set[str]:
    return {address for message in mail.outbox for address in message.to}


@pytest.fixture
def af(af_oov):
    af_oov.email = AF_EMAIL
    af_oov.save()
    return af_oov


@pytest.fixture
def new_signal(municipality):
    # Monday 2 November 2026. Working days after it: Tue 3, Wed 4, Thu 5, Fri 6, Mon 9 (the 5th:
    # first action due), Tue 10 (the 6th: reminder). Grace of 2 working days: Tue 10 and Wed 11;
    # escalation on Thu 12 November.
    return SignalFactory(municipality=municipality, reported_at=reported(2026, 11, 2))


def test_a_new_signal_is_reminded_to_the_af_on_the_sixth_working_day(af, new_signal):
    run("2026-11-09")  # the 5th working day: still in time
    assert mail.outbox == []

    run("2026-11-10")  # the 6th working day
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [AF_EMAIL]
    assert new_signal.reference in mail.outbox[0].subject
    reminder = SignalReminder.objects.get()
    assert (reminder.signal, reminder.kind, reminder.level) == (new_signal, "first_action", 1)
    assert reminder.recipients == [AF_EMAIL]


def test_escalation_goes_to_the_shared_mailbox_and_the_af_after_two_more_working_days(
    af, new_signal, municipality
):
    run("2026-11-10")
    run("2026-11-11")  # the AF's second working day after the reminder: no escalation yet
    assert len(mail.outbox) == 1

    run("2026-11-12")
    assert len(mail.outbox) == 2
    escalation = mail.outbox[1]
    assert set(escalation.to) == {municipality.reporting_point_email, AF_EMAIL}
    assert list(SignalReminder.objects.filter(signal=new_signal).values_list("kind", "level")) == [
        ("first_action", 1),
        ("first_action", 2),
    ]


def test_dutch_public_holidays_shift_the_dates(af, municipality):
    # Reported Thursday 23 April 2026. Working days after it: Fri 24 (1); Sat 25, Sun 26 and
    # King's Day Mon 27 do not count; Tue 28 (2), Wed 29 (3), Thu 30 (4), Fri 1 May (5): the first
    # action is due on Fri 1 May instead of Thu 30 April. Sat 2 and Sun 3 May are no working
    # days, so the reminder goes on Mon 4 May. Grace: Mon 4 and Tue 5 May (Liberation Day is a
    # public holiday only in lustrum years, not in 2026); escalation on Wed 6 May.
    signal = SignalFactory(municipality=municipality, reported_at=reported(2026, 4, 23))
    for day in ("2026-04-30", "2026-05-01", "2026-05-02", "2026-05-03"):
        run(day)
    assert mail.outbox == []

    run("2026-05-04")
    assert [m.to for m in mail.outbox] == [[AF_EMAIL]]
    run("2026-05-05")
    assert len(mail.outbox) == 1
    run("2026-05-06")
    assert len(mail.outbox) == 2
    assert municipality.reporting_point_email in mail.outbox[1].to
    assert SignalReminder.objects.filter(signal=signal).count() == 2


def test_nothing_is_sent_on_a_public_holiday(af, municipality):
    # Reported Fri 17 April 2026: first action due Fri 24 April (Mon 20 … Fri 24), overdue from
    # Sat 25 April. The first working day after that is not King's Day, Mon 27 April, but Tue 28.
    SignalFactory(municipality=municipality, reported_at=reported(2026, 4, 17))
    assert "not a working day" in run("2026-04-27")
    assert mail.outbox == []
    run("2026-04-28")
    assert [m.to for m in mail.outbox] == [[AF_EMAIL]]


def test_running_twice_sends_nothing_new(af, new_signal):
    run("2026-11-10")
    run("2026-11-10")
    assert len(mail.outbox) == 1
    run("2026-11-12")
    run("2026-11-12")
    run("2026-11-13")
    assert len(mail.outbox) == 2
    assert SignalReminder.objects.count() == 2
    assert SignalEvent.objects.filter(kind=SignalEventKind.REMINDER).count() == 2


def test_a_signal_found_late_gets_only_the_escalation(af, new_signal, municipality):
    run("2026-11-12")  # the job did not run on the 10th and 11th
    assert len(mail.outbox) == 1
    assert municipality.reporting_point_email in mail.outbox[0].to
    run("2026-11-13")
    assert len(mail.outbox) == 1


def test_each_reminder_leaves_a_timeline_entry_and_an_audit_entry(af, new_signal):
    run("2026-11-10")
    event = SignalEvent.objects.get(signal=new_signal, kind=SignalEventKind.REMINDER)
    assert event.parameters == {
        "deadline": "first_action",
        "level": 1,
        "recipients": 1,
        "shared_mailbox": False,
    }
    assert event.actor is None
    assert event.text == ""
    assert "@" not in str(event.parameters)  # a count, never the addresses
    audit = AuditEvent.objects.get(purpose="reminder")
    assert audit.action == "change"
    assert audit.access_point == "command send_signal_reminders"
    assert audit.object_ids == [str(new_signal.pk)]
    assert audit.user_id is None


def test_a_picked_up_signal_gets_no_first_action_reminder_but_a_feedback_reminder(af, municipality):
    # Reported Mon 2 November 2026: feedback due 14 days later, on Mon 16 November.
    signal = SignalFactory(
        municipality=municipality,
        reported_at=reported(2026, 11, 2),
        status=SignalStatus.IN_PROGRESS,
        picked_up_at=reported(2026, 11, 3),
    )
    run("2026-11-10")
    run("2026-11-16")
    assert mail.outbox == []

    run("2026-11-17")
    assert [m.to for m in mail.outbox] == [[AF_EMAIL]]
    assert signal.reference in mail.outbox[0].subject
    assert list(SignalReminder.objects.values_list("kind", "level")) == [("feedback", 1)]
    run("2026-11-19")  # grace Tue 17 and Wed 18 November: escalation on Thu 19
    assert list(SignalReminder.objects.values_list("kind", "level")) == [
        ("feedback", 1),
        ("feedback", 2),
    ]


def test_a_closed_signal_or_one_with_feedback_recorded_gets_no_reminder(af, municipality):
    old = reported(2026, 10, 1)
    SignalFactory(
        municipality=municipality,
        reported_at=old,
        status=SignalStatus.CLOSED,
        feedback_at=reported(2026, 10, 2),
        closed_at=reported(2026, 10, 2),
    )
    SignalFactory(
        municipality=municipality,
        reported_at=old,
        status=SignalStatus.ROUTED,
        feedback_withheld_reason="Strafrechtelijk onderzoek loopt.",
        feedback_at=reported(2026, 10, 2),
    )
    run("2026-12-01")
    assert mail.outbox == []
    assert not SignalReminder.objects.exists()


def test_mails_carry_no_content_of_the_signal(af, municipality):
    signal = SignalFactory(
        municipality=municipality,
        reported_at=reported(2026, 10, 1),
        description="Zes vrouwen slapen in de kelder van de nagelsalon.",
        place="Kerkstraat 12",
    )
    run("2026-10-09")  # first action overdue (due Thu 8 October)
    run("2026-12-01")  # both deadlines escalated
    assert len(mail.outbox) == 3
    for message in mail.outbox:
        text = message.subject + message.body
        assert "nagelsalon" not in text
        assert "Kerkstraat" not in text
        assert "kelder" not in text
        assert signal.reference in text
        assert f"http://127.0.0.1:8000/signals/{signal.reference}/" in message.body
        assert "http://127.0.0.1:8000/signals/queue/" in message.body


def test_without_an_af_address_the_first_reminder_goes_to_the_shared_mailbox(
    af_oov, new_signal, municipality
):
    assert af_oov.email == ""
    ended = user_with_role(Role.AF_OOV, municipality=municipality)
    ended.email = "vertrokken@brakelveen.example"
    ended.save()
    Membership.objects.filter(user=ended).update(is_active=False)

    run("2026-11-10")
    assert [m.to for m in mail.outbox] == [[municipality.reporting_point_email]]


def test_the_af_of_another_municipality_never_gets_a_reminder(af, new_signal, other_af_oov):
    other_af_oov.email = "af.oov@wolderzijl.example"
    other_af_oov.save()
    for day in ("2026-11-10", "2026-11-12", "2026-11-17", "2026-11-19"):
        run(day)
    assert len(mail.outbox) == 4
    assert "af.oov@wolderzijl.example" not in recipients_of_all_mail()
    assert other_af_oov.memberships.get().organisation.municipality.reporting_point_email not in (
        recipients_of_all_mail()
    )


def test_each_municipality_hears_only_about_its_own_signals(af, new_signal):
    elsewhere = MunicipalityFactory(name="Oosterhaar")
    SignalFactory(municipality=elsewhere, reported_at=reported(2026, 11, 2))
    run("2026-11-10")
    assert sorted(tuple(m.to) for m in mail.outbox) == [
        (AF_EMAIL,),
        (elsewhere.reporting_point_email,),
    ]
    assert new_signal.reference in next(m.subject for m in mail.outbox if m.to == [AF_EMAIL])


def test_dry_run_sends_and_writes_nothing(af, new_signal):
    events_before = SignalEvent.objects.count()
    audit_before = AuditEvent.objects.count()
    out = run("2026-11-10", dry_run=True)
    assert mail.outbox == []
    assert not SignalReminder.objects.exists()
    assert SignalEvent.objects.count() == events_before
    assert AuditEvent.objects.count() == audit_before
    assert new_signal.reference in out
    assert AF_EMAIL in out
    assert "would send 1" in out

    run("2026-11-10")
    assert len(mail.outbox) == 1


def test_the_command_prints_a_one_line_summary(af, new_signal):
    out = run("2026-11-12")
    assert out.strip().count("\n") == 0
    assert "sent 1" in out
    assert "0 reminder(s) and 1 escalation(s)" in out


def test_the_escalation_term_is_configurable(settings, af, new_signal, municipality):
    settings.SCHAKEL_ESCALATE_AFTER_WORKING_DAYS = 0
    report = send_reminders(today=date(2026, 11, 10))
    assert report.count("first_action", 2) == 1
    assert municipality.reporting_point_email in mail.outbox[0].to


def test_a_signal_picked_up_after_the_reminder_is_not_escalated(af, new_signal):
    run("2026-11-10")
    new_signal.status = SignalStatus.IN_PROGRESS
    new_signal.picked_up_at = timezone.now()
    new_signal.save()
    run("2026-11-12")
    assert len(mail.outbox) == 1


class RefusingBackend(BaseEmailBackend):
    def send_messages(self, email_messages):
        raise ConnectionRefusedError("mail server down")


def test_a_refused_mail_is_not_recorded_and_is_tried_again(settings, af, new_signal):
    settings.EMAIL_BACKEND = "tests.test_signal_reminders.RefusingBackend"
    with pytest.raises(CommandError, match="1 failed"):
        run("2026-11-10")
    assert not SignalReminder.objects.exists()
    assert not SignalEvent.objects.filter(kind=SignalEventKind.REMINDER).exists()

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    run("2026-11-10")
    assert len(mail.outbox) == 1
    assert SignalReminder.objects.count() == 1


def test_an_invalid_date_is_refused(db):
    with pytest.raises(CommandError, match="YYYY-MM-DD"):
        run("10-11-2026")
