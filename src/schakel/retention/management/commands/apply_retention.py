from datetime import date
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.utils import timezone


class Command(BaseCommand):
    help = (
        "Apply the retention terms (SCHAKEL_RETENTION_DAYS): anonymise closed signals and cases "
        "whose term has passed (unless under a legal hold) and remove sealed audit entries older "
        "than their term, recording the cut so the rest still verifies; remove attachment files "
        "that no signal names (left by a server killed mid-report). "
        "Run it daily from a scheduler; it logs what it did in the audit log."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--date", type=date.fromisoformat, help="Act as if today were DATE.")
        parser.add_argument("--dry-run", action="store_true", help="Only report what would go.")

    def handle(self, *args: Any, **options: Any) -> None:
        from schakel.audit.retention import audit_entries_past_retention, audit_prune
        from schakel.cases.retention import case_anonymise, cases_past_retention
        from schakel.core import throttle
        from schakel.core.context import AccessContext
        from schakel.core.policies import ANONYMOUS
        from schakel.intake.retention import (
            signal_anonymise,
            signals_past_retention,
            sweep_orphan_files,
        )
        from schakel.retention.services import drafts_past_retention

        today = options["date"] or timezone.localdate()
        signals = list(signals_past_retention(today))
        cases = list(cases_past_retention(today))
        old_entries = audit_entries_past_retention(today)
        if options["dry_run"]:
            self.stdout.write(
                f"Would anonymise {len(signals)} signal(s) and {len(cases)} case(s) and remove "
                f"{old_entries} audit entries."
            )
            return
        context = AccessContext.system(ANONYMOUS, "apply_retention")
        for signal in signals:
            signal_anonymise(context=context, signal=signal)
        for case in cases:
            case_anonymise(context=context, case=case)
        removed = audit_prune(today)
        drafts = drafts_past_retention(today)
        counts = throttle.sweep()  # the rate limits' counts of past hours
        orphans = sweep_orphan_files()  # files of reports whose transaction never committed
        self.stdout.write(
            f"Anonymised {len(signals)} signal(s) and {len(cases)} case(s); "
            f"removed {removed} audit entries, {drafts} unfinished draft(s), {counts} "
            f"expired rate count(s) and {orphans} attachment file(s) without a signal."
        )
