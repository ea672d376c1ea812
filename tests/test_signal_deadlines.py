"""No signal lies idle: the first-action deadline counts Dutch working days."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

from schakel.intake.choices import SignalStatus
from schakel.intake.deadlines import deadlines_for, first_action_overdue

AMSTERDAM = ZoneInfo("Europe/Amsterdam")


def at(year, month, day, hour=10):
    return datetime(year, month, day, hour, tzinfo=AMSTERDAM)


def test_first_action_is_due_five_working_days_later_and_feedback_after_fourteen_days():
    deadlines = deadlines_for(at(2026, 11, 23))  # a Monday
    assert deadlines.first_action_due == date(2026, 11, 30)
    assert deadlines.feedback_due == date(2026, 12, 7)


def test_holidays_push_the_deadline_out():
    # Reported Wed 23 Dec 2026: Christmas Day and the weekend do not count.
    assert deadlines_for(at(2026, 12, 23)).first_action_due == date(2026, 12, 31)


def test_deadlines_count_from_the_local_date_not_the_utc_date():
    # 00:30 on Tue 24 Nov in Amsterdam is still Mon 23 Nov in UTC.
    just_after_midnight = datetime(2026, 11, 23, 23, 30, tzinfo=ZoneInfo("UTC"))
    assert deadlines_for(just_after_midnight).first_action_due == date(2026, 12, 1)


def test_a_new_signal_is_overdue_the_day_after_its_deadline_only():
    reported = at(2026, 11, 23)
    assert not first_action_overdue(
        status=SignalStatus.NEW, reported_at=reported, today=date(2026, 11, 30)
    )
    assert first_action_overdue(
        status=SignalStatus.NEW, reported_at=reported, today=date(2026, 12, 1)
    )


def test_a_signal_someone_picked_up_is_not_overdue():
    reported = at(2026, 11, 2)
    for status in (SignalStatus.IN_PROGRESS, SignalStatus.ROUTED, SignalStatus.CLOSED):
        assert not first_action_overdue(
            status=status, reported_at=reported, today=date(2026, 12, 1)
        )


def test_the_term_is_configurable(settings):
    settings.SCHAKEL_FIRST_ACTION_WORKING_DAYS = 2
    assert deadlines_for(at(2026, 11, 27)).first_action_due == date(2026, 12, 1)  # Fri → Tue
