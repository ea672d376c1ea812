from typing import Any

from django.core.management.base import BaseCommand, CommandError

from schakel.audit.anchors import anchor_directory
from schakel.audit.sealing import SealingRefused, audit_seal


class Command(BaseCommand):
    help = (
        "Number the audit entries appended since the last run (1, 2, 3 … without gaps), link "
        "them into the hash chain, write a signed checkpoint, and write the newest checkpoint "
        "to SCHAKEL_AUDIT_CHECKPOINT_DIR, outside the database. Run it every few minutes; it "
        "is safe to run at any time and more than once (one run at a time seals). Refuses, "
        "exiting non-zero, when the chain no longer ends where the last checkpoint says."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            result = audit_seal()
        except SealingRefused as refused:
            raise CommandError(str(refused)) from refused
        checkpoint = result.checkpoint
        if checkpoint is None:
            self.stdout.write("Sealed 0 audit entries; no checkpoint yet.")
            return
        self.stdout.write(
            f"Sealed {result.sealed} audit entries; checkpoint #{checkpoint.sequence} "
            f"{checkpoint.chain_hash} ({checkpoint.created_at.isoformat()}) in "
            f"{anchor_directory()}."
        )
