from datetime import date
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from schakel.intake.reminders import send_reminders


def _parse_date(value: date | str | None) -> date | None:
    if value is None or isinstance(value, date):
        return value
    try:
        return date.fromisoformat(value)
    except ValueError as error:
        raise CommandError(f"--date must be YYYY-MM-DD, not {value!r}") from error


class Command(BaseCommand):
    help = (
        "Send reminders for signals that passed their first-action or feedback deadline, and "
        "escalate to the municipality's shared mailbox. Run once every working day (cron or a "
        "systemd timer). Safe to run more than once a day: no reminder is sent twice. Exits "
        "non-zero when the mail server refused a reminder (it is retried on the next run)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--date",
            help="act as if today were this date (YYYY-MM-DD), to test or to catch up",
        )
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="print what would be sent; send nothing and write nothing",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        report = send_reminders(today=_parse_date(options["date"]), dry_run=options["dry_run"])
        if report.dry_run:
            for planned in report.planned:
                self.stdout.write(
                    f"{planned.signal.reference} {planned.kind} level {planned.level} "
                    f"(due {planned.due:%Y-%m-%d}) → {', '.join(planned.recipients)}"
                )
        summary = ("Dry run. " if report.dry_run else "") + report.summary()
        if report.failed:
            raise CommandError(summary)
        self.stdout.write(summary)
