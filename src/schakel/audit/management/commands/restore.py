from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import DatabaseError

from schakel.audit.backup import audit_restore_check
from schakel.core.backup import (
    BackupError,
    archive_opened,
    pending_migrations,
    restore_apply,
    restore_preflight,
    restore_verify,
)


class Command(BaseCommand):
    help = (
        "Restore an archive made by `backup` into an empty database (refused otherwise, unless "
        "--force, which deletes everything in the database first), with its attachments and "
        "audit checkpoints, then check: the archive's own hashes, the keys configured, the rows "
        "per model and every file's hash against the manifest, and verify_audit_log. Exits "
        "non-zero on any failure."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("archive", type=Path, help="the tar file (or its unpacked directory)")
        parser.add_argument(
            "--force",
            action="store_true",
            help=(
                "restore into a database that is not empty (everything in it is deleted), "
                "replace differing attachments, and move newer checkpoint files aside"
            ),
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            with archive_opened(options["archive"]) as (root, manifest):
                self._restore(root, manifest, force=options["force"])
        except (BackupError, DatabaseError, OSError) as error:
            raise CommandError(f"Restore failed: {error}") from error

    def _restore(self, root: Path, manifest: dict[str, Any], *, force: bool) -> None:
        self.stdout.write(
            f"Archive of {manifest['created_at']} (Schakel {manifest['schakel_version']}, "
            f"{manifest['database']['vendor']})."
        )
        refused = restore_preflight(root, manifest, force=force)
        if refused:
            raise CommandError(
                "Restore refused, nothing changed:\n" + "\n".join(f"  {p}" for p in refused)
            )
        result = restore_apply(root, manifest, force=force)
        if result.moved_aside:
            self.stdout.write(f"Moved the newer checkpoint files aside to {result.moved_aside}.")
        self.stdout.write(
            f"Restored the database ({result.rows} row(s)), {result.media_files} attachment "
            f"file(s) and {result.checkpoint_files} checkpoint file(s)."
        )
        problems = restore_verify(manifest)
        report, audit_problems = audit_restore_check(manifest)
        problems += audit_problems
        if problems:
            raise CommandError(
                f"Restored, but {len(problems)} check(s) failed:\n"
                + "\n".join(f"  {p}" for p in problems[:50])
            )
        self.stdout.write(
            f"Checked: rows of {len(manifest['counts'])} table(s) and "
            f"{sum(len(h) for h in manifest['files'].values())} file hash(es) equal the "
            f"manifest; audit log intact ({report.sealed} sealed, {report.open} not sealed yet)."
        )
        pending = pending_migrations()
        if pending:
            self.stdout.write(
                f"Note: {len(pending)} migration(s) of this version are not applied yet: run "
                "`manage.py migrate`."
            )
