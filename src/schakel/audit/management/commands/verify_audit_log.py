from typing import Any

from django.core.management.base import BaseCommand, CommandError

from schakel.audit.chain import ChainReport, verify
from schakel.audit.models import AuditChainHead, AuditEvent


class Command(BaseCommand):
    help = (
        "Check the audit log's hash chain and report the first broken link. Exits non-zero when "
        "the chain is broken. Prints the head hash: keep it outside the database (e.g. in the "
        "system log) so that removing the newest entries can be detected too."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        events = AuditEvent.objects.order_by("sequence").iterator(chunk_size=2000)
        report = verify(events)
        head = AuditChainHead.objects.filter(pk=1).first()
        last = AuditEvent.objects.order_by("-sequence").first()
        newest = (last.sequence, last.entry_hash) if last else (0, "")
        if report.intact and head is not None and newest != (head.sequence, head.entry_hash):
            report = ChainReport(report.checked, newest[0] + 1, "newest entries missing")
        if not report.intact:
            raise CommandError(
                f"Audit log broken at entry {report.broken_at}: {report.reason} "
                f"({report.checked} entries before it are intact)."
            )
        head_hash = head.entry_hash if head else ""
        self.stdout.write(
            f"Audit log intact: {report.checked} entries; head {head_hash or '(empty)'}"
        )
