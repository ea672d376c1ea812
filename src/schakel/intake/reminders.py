"""Reminders for overdue signals (DOMAIN.md §3: no signal may lie idle).

Run once every working day by `manage.py send_signal_reminders` (cron or a systemd timer; see
docs/operations.md). Two deadlines are watched, both derived in `deadlines.py`:

- first action: a `new` signal nobody picked up by its first-action date;
- feedback: a signal that is not closed and has no feedback recorded by its feedback date.

Level 1 goes to the active AF OOV members of the signal's municipality, or to the municipality's
shared mailbox when none of them has an e-mail address. Level 2 (escalation) goes to the shared
mailbox and the AFs once the signal is still overdue SCHAKEL_ESCALATE_AFTER_WORKING_DAYS full
working days after its deadline. Each (signal, kind, level) is sent at most once; nothing is
sent on weekends and Dutch public holidays. Mails carry only the reference, the deadline and
links: never what the signal is about.
"""

from __future__ import annotations

import logging
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction
from django.db.models import OuterRef, Q, QuerySet, Subquery
from django.urls import reverse
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from schakel.audit.choices import AuditAction
from schakel.audit.services import audit_record
from schakel.core.calendar import add_working_days, is_working_day
from schakel.core.context import AccessContext
from schakel.core.policies import ANONYMOUS
from schakel.organisations.choices import Role
from schakel.organisations.models import Membership, Municipality

from .choices import SignalEventKind, SignalStatus
from .deadlines import deadline_state, deadlines_for
from .models import ReminderKind, ReminderLevel, Signal, SignalEvent, SignalReminder

logger = logging.getLogger(__name__)

COMMAND_NAME = "send_signal_reminders"


@dataclass(frozen=True)
class PlannedReminder:
    """One reminder that is due today: which signal, which deadline, which level, to whom."""

    signal: Signal
    kind: ReminderKind
    level: ReminderLevel
    due: date  # the deadline that passed
    recipients: tuple[str, ...]
    to_shared_mailbox: bool


@dataclass
class ReminderReport:
    today: date
    working_day: bool
    dry_run: bool = False
    sent: Counter[tuple[str, int]] = field(default_factory=Counter)
    unreachable: int = 0  # overdue, but neither an AF address nor a shared mailbox to write to
    failed: int = 0  # the mail server refused; nothing was recorded, the next run tries again
    planned: list[PlannedReminder] = field(default_factory=list)

    def count(self, kind: str, level: int) -> int:
        return self.sent[(str(kind), int(level))]

    @property
    def total(self) -> int:
        return sum(self.sent.values())

    def summary(self) -> str:
        if not self.working_day:
            return f"{self.today:%Y-%m-%d} is not a working day: no reminders sent."
        parts = ", ".join(
            f"{label} {self.count(kind, ReminderLevel.REMINDER)} reminder(s) and "
            f"{self.count(kind, ReminderLevel.ESCALATION)} escalation(s)"
            for kind, label in (
                (ReminderKind.FIRST_ACTION, "first action:"),
                (ReminderKind.FEEDBACK, "feedback:"),
            )
        )
        verb = "would send" if self.dry_run else "sent"
        return (
            f"{self.today:%Y-%m-%d}: {verb} {self.total} ({parts}); "
            f"{self.unreachable} without recipients; {self.failed} failed."
        )


def send_reminders(*, today: date | None = None, dry_run: bool = False) -> ReminderReport:
    """Send every reminder that is due on `today` (default: the local date) and not sent yet.
    With `dry_run` nothing is sent or written; the report lists what would have been sent."""
    today = today or timezone.localdate()
    report = ReminderReport(today=today, working_day=is_working_day(today), dry_run=dry_run)
    if not report.working_day:
        return report
    for planned in plan_reminders(today=today):
        if not planned.recipients:
            report.unreachable += 1
            logger.warning("No address for the %s reminder of %s", planned.kind, planned.signal)
            continue
        report.planned.append(planned)
        if dry_run:
            report.sent[(planned.kind, planned.level)] += 1
            continue
        try:
            sent = _send(planned, today)
        except OSError:  # smtplib.SMTPException is an OSError
            logger.exception("Could not send the %s reminder of %s", planned.kind, planned.signal)
            report.failed += 1
            continue
        if sent:
            report.sent[(planned.kind, planned.level)] += 1
    return report


def plan_reminders(*, today: date) -> list[PlannedReminder]:
    """The reminders due on `today` that have not been sent yet. Reads only."""
    if not is_working_day(today):
        return []
    addresses: dict[int, tuple[str, ...]] = {}
    planned: list[PlannedReminder] = []
    for kind in (ReminderKind.FIRST_ACTION, ReminderKind.FEEDBACK):
        for signal in _candidates(kind, today):
            if not is_overdue(signal, kind, today):
                continue
            due = deadline(signal, kind)
            level = level_for(due, today)
            sent_level: int | None = getattr(signal, "sent_level", None)
            if sent_level is not None and sent_level >= level:
                continue
            if signal.municipality_id not in addresses:
                addresses[signal.municipality_id] = af_addresses(signal.municipality_id)
            recipients, to_mailbox = recipients_for(
                level, addresses[signal.municipality_id], signal.municipality
            )
            planned.append(PlannedReminder(signal, kind, level, due, recipients, to_mailbox))
    return planned


def deadline(signal: Signal, kind: str) -> date:
    deadlines = deadlines_for(signal.reported_at)
    if kind == ReminderKind.FIRST_ACTION:
        return deadlines.first_action_due
    return deadlines.feedback_due


def is_overdue(signal: Signal, kind: str, today: date) -> bool:
    state = deadline_state(signal, today)
    if kind == ReminderKind.FIRST_ACTION:
        return state.first_action_overdue
    return state.feedback_overdue


def level_for(due: date, today: date) -> ReminderLevel:
    """Escalate once the AF has had the configured number of full working days after the
    deadline: like the deadline itself, the last day of the grace period still counts."""
    grace_ends = add_working_days(due, settings.SCHAKEL_ESCALATE_AFTER_WORKING_DAYS)
    return ReminderLevel.ESCALATION if today > grace_ends else ReminderLevel.REMINDER


def af_addresses(municipality_id: int) -> tuple[str, ...]:
    """E-mail addresses of the active AF OOV members of the municipality (its receivers)."""
    emails = (
        Membership.objects.filter(
            role=Role.AF_OOV,
            is_active=True,
            organisation__is_active=True,
            organisation__municipality_id=municipality_id,
            user__is_active=True,
        )
        .exclude(user__email="")
        .values_list("user__email", flat=True)
    )
    return tuple(sorted({email.strip() for email in emails if email.strip()}))


def recipients_for(
    level: int, afs: tuple[str, ...], municipality: Municipality
) -> tuple[tuple[str, ...], bool]:
    """(addresses, whether the shared mailbox is among them). Nothing may depend on one
    person: without an AF address even the first reminder goes to the shared mailbox."""
    mailbox = municipality.reporting_point_email.strip()
    if level == ReminderLevel.REMINDER and afs:
        return afs, False
    if not mailbox:
        return afs, False
    return (mailbox, *(address for address in afs if address != mailbox)), True


def _candidates(kind: str, today: date) -> QuerySet[Signal]:
    if kind == ReminderKind.FIRST_ACTION:
        signals = Signal.objects.filter(status=SignalStatus.NEW)
        days = settings.SCHAKEL_FIRST_ACTION_WORKING_DAYS
    else:
        signals = Signal.objects.exclude(status=SignalStatus.CLOSED).filter(feedback_at=None)
        days = settings.SCHAKEL_FEEDBACK_DAYS
    # A deadline lies at least `days` calendar days after the report: skip younger signals.
    reported_before = timezone.make_aware(datetime.combine(today - timedelta(days=days), time.min))
    sent_level = (
        SignalReminder.objects.filter(signal=OuterRef("pk"), kind=kind)
        .order_by("-level")
        .values("level")[:1]
    )
    return (
        signals.filter(reported_at__lt=reported_before)
        .annotate(sent_level=Subquery(sent_level))
        .filter(Q(sent_level=None) | Q(sent_level__lt=ReminderLevel.ESCALATION))
        .select_related("municipality")
        .order_by("reported_at", "pk")
    )


def _send(planned: PlannedReminder, today: date) -> bool:
    """Record and send one reminder in one transaction per signal. The mail goes out last,
    inside the transaction: when the mail server refuses, nothing is recorded and the next run
    tries again. Returns False when the reminder is no longer due or another run sent it."""
    try:
        with transaction.atomic():
            signal = Signal.objects.select_for_update().get(pk=planned.signal.pk)
            if not is_overdue(signal, planned.kind, today) or (
                SignalReminder.objects.filter(
                    signal=signal, kind=planned.kind, level__gte=planned.level
                ).exists()
            ):
                return False
            now = timezone.now()
            SignalReminder.objects.create(
                signal=signal,
                kind=planned.kind,
                level=planned.level,
                sent_at=now,
                recipients=list(planned.recipients),
            )
            SignalEvent.objects.create(
                signal=signal,
                occurred_at=now,
                kind=SignalEventKind.REMINDER,
                parameters={
                    "deadline": planned.kind,
                    "level": planned.level,
                    "recipients": len(planned.recipients),
                    "shared_mailbox": planned.to_shared_mailbox,
                },
            )
            audit_record(
                context=AccessContext.system(ANONYMOUS, COMMAND_NAME),
                action=AuditAction.CHANGE,
                objects=[signal],
                fields=("events", "reminders"),
                purpose="reminder",
            )
            reminder_message(planned).send()
    except IntegrityError:  # the unique constraint: a concurrent run recorded it first
        return False
    return True


def reminder_message(planned: PlannedReminder) -> EmailMessage:
    """The mail: reference, what is overdue since when, and links. No content of the signal:
    mailboxes are shared and mail is forwarded."""
    reference = planned.signal.reference
    base = settings.SCHAKEL_BASE_URL
    values = {
        "reference": reference,
        "signal_url": base + reverse("intake:detail", args=[reference]),
        "queue_url": base + reverse("intake:queue"),
        "days": settings.SCHAKEL_ESCALATE_AFTER_WORKING_DAYS,
    }
    escalation = planned.level == ReminderLevel.ESCALATION
    with translation.override(settings.LANGUAGE_CODE):
        values["due"] = formats.date_format(planned.due, "DATE_FORMAT")
        paragraphs = [_overdue_sentence(planned.kind, values)]
        if escalation:
            paragraphs.append(
                ngettext(
                    "The deadline passed more than %(days)d working day ago. This message "
                    "therefore also goes to the reporting point's shared mailbox, so that the "
                    "signal does not depend on one person.",
                    "The deadline passed more than %(days)d working days ago. This message "
                    "therefore also goes to the reporting point's shared mailbox, so that the "
                    "signal does not depend on one person.",
                    values["days"],
                )
                % values
            )
        elif planned.to_shared_mailbox:
            paragraphs.append(
                _(
                    "No aandachtsfunctionaris OOV of this municipality has an e-mail address in "
                    "Schakel, so this reminder goes to the reporting point's shared mailbox."
                )
            )
        paragraphs.append(
            _("Open the signal: %(signal_url)s") % values
            + "\n"
            + _("New signals: %(queue_url)s") % values
        )
        paragraphs.append(
            _("This message deliberately says nothing about the signal itself. Log in to read it.")
        )
        subject = _subject(planned.kind, escalation) % values
    return EmailMessage(subject=subject, body="\n\n".join(paragraphs), to=list(planned.recipients))


def _overdue_sentence(kind: str, values: dict[str, object]) -> str:
    if kind == ReminderKind.FIRST_ACTION:
        return (
            _(
                "Signal %(reference)s has not been picked up yet. "
                "The first action was due on %(due)s."
            )
            % values
        )
    return (
        _(
            "The reporter of signal %(reference)s has not had feedback yet, and no reason for "
            "withholding it is recorded. Feedback was due on %(due)s."
        )
        % values
    )


def _subject(kind: str, escalation: bool) -> str:
    if kind == ReminderKind.FIRST_ACTION:
        if escalation:
            return _("Escalation: signal %(reference)s has still not been picked up")
        return _("Reminder: signal %(reference)s has not been picked up")
    if escalation:
        return _("Escalation: feedback on signal %(reference)s is still overdue")
    return _("Reminder: feedback on signal %(reference)s is overdue")
