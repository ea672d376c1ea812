from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from schakel.core.context import AccessContext
from schakel.core.policies import actor_for
from schakel.organisations.models import User
from schakel.retention.services import legal_hold_by_reference


class Command(BaseCommand):
    help = (
        "Put a signal or a case under a legal hold (it is then kept past its retention term), or "
        "release it. Only a privacy officer can do this; the change is written to the audit log."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "reference",
            help="The signal's or case's reference number, e.g. MH-2026-K7QM3X or ZK-2026-4RT8PA",
        )
        parser.add_argument("--by", required=True, help="Username of the privacy officer")
        parser.add_argument("--reason", default="", help="Why the signal must be kept")
        parser.add_argument("--release", action="store_true", help="End the legal hold")

    def handle(self, *args: Any, **options: Any) -> None:
        user = User.objects.filter(username=options["by"], is_active=True).first()
        if user is None:
            raise CommandError(f"No active user {options['by']!r}.")
        context = AccessContext.system(actor_for(user), "legal_hold")
        try:
            record = legal_hold_by_reference(
                context=context,
                reference=options["reference"],
                hold=not options["release"],
                reason=options["reason"],
            )
        except Exception as error:
            raise CommandError(str(error) or error.__class__.__name__) from error
        state = "under a legal hold" if record.legal_hold else "no longer under a legal hold"
        self.stdout.write(f"{record.reference} is {state}.")
