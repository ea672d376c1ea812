from typing import Any

from django.core.management.base import BaseCommand, CommandError

from schakel.audit.verification import VerifyReport, audit_log_verify

MOST_FINDINGS = 50


def _summary(report: VerifyReport) -> str:
    if report.sealed:
        sealed = f"{report.sealed} sealed (#{report.first}–#{report.last})"
    else:
        sealed = "0 sealed"
    removed = f", #1–#{report.removed_up_to} removed by retention" if report.removed_up_to else ""
    anchor = report.newest_anchor
    outside = (
        f"; checkpoint #{anchor.sequence} {anchor.chain_hash} outside the database "
        f"({anchor.source}) matches"
        if anchor is not None
        else "; no checkpoint outside the database yet"
    )
    return f"{sealed}{removed}, {report.open} not sealed yet{outside}"


class Command(BaseCommand):
    help = (
        "Check the audit log: the sealed chain (numbers without gaps from 1 or from a recorded "
        "retention cut, links, hashes), each entry's own hash, the checkpoints in the database "
        "and the signed checkpoint files outside it (SCHAKEL_AUDIT_CHECKPOINT_DIR), so that "
        "removed newest entries, emptied tables and a rolled-back database are found too. "
        "Exits non-zero with every finding when something does not fit."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        report = audit_log_verify()
        if not report.intact:
            shown = [f"  {finding}" for finding in report.findings[:MOST_FINDINGS]]
            if len(report.findings) > MOST_FINDINGS:
                shown.append(f"  … and {len(report.findings) - MOST_FINDINGS} more")
            raise CommandError(
                f"Audit log broken: {len(report.findings)} finding(s) "
                f"({_summary(report)}):\n" + "\n".join(shown)
            )
        self.stdout.write(f"Audit log intact: {_summary(report)}.")
        for note in report.notes:
            self.stdout.write(f"Note: {note}")
