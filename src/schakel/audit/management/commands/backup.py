from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import DatabaseError

from schakel.audit.backup import audit_backup_facts
from schakel.core.backup import BackupError, backup_create


class Command(BaseCommand):
    help = (
        "Write one archive (a tar file, readable by its owner only) with the database "
        "(PostgreSQL: pg_dump --format=custom; SQLite: an online copy), the encrypted "
        "attachments (MEDIA_ROOT), the audit checkpoints (SCHAKEL_AUDIT_CHECKPOINT_DIR) and a "
        "manifest: version, migrations, rows per model, the audit chain's last sealed number "
        "and hash, the SHA-256 of every file and the ids of the keys the data needs. The keys "
        "themselves are never in it. Exits non-zero on any failure."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "destination",
            type=Path,
            help="a directory (the archive gets a dated name in it) or a file name ending in .tar",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            result = backup_create(options["destination"], extra=audit_backup_facts)
        except (BackupError, DatabaseError, OSError) as error:
            raise CommandError(f"Backup failed: {error}") from error
        manifest = result.manifest
        audit = manifest["audit"]
        last = audit["last_sealed"]
        files = manifest["files"]
        keys = manifest["keys"]
        self.stdout.write(
            f"Database ({manifest['database']['vendor']}): {sum(manifest['counts'].values())} "
            f"row(s) in {len(manifest['counts'])} table(s), "
            f"{len(manifest['migrations'])} migration(s) applied."
        )
        self.stdout.write(
            f"Files: {len(files['media'])} attachment file(s), "
            f"{len(files['audit-checkpoints'])} audit checkpoint file(s)."
        )
        self.stdout.write(
            "Audit log: "
            + (
                f"sealed up to #{last['sequence']} {last['chain_hash']}"
                if last
                else "nothing sealed"
            )
            + f", {audit['not_sealed']} not sealed yet."
        )
        self.stdout.write(
            "Keys needed (ids; not in the archive): encryption "
            + (", ".join(keys["SCHAKEL_ENCRYPTION_KEYS"]) or "none")
            + f"; audit {keys['SCHAKEL_AUDIT_KEY']}; blind index {keys['SCHAKEL_BLIND_INDEX_KEY']}."
        )
        self.stdout.write(f"Wrote {result.archive} in {result.seconds:.1f} s.")
