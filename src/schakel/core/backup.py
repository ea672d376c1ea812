"""Backup and restore of one installation: the database, the encrypted attachments and the audit
log's checkpoint files, in one archive with a manifest (`manage.py backup` / `restore`).

The archive (a tar file, or the directory it unpacks to) holds:

    schakel-backup-<UTC time>/
      manifest.json           what is in it, and what a restore must find again
      database.pgdump         PostgreSQL: pg_dump --format=custom (or database.sqlite3: a copy
                              made with SQLite's online backup API)
      media/...               MEDIA_ROOT as it is on disk: the attachments, still encrypted
      audit-checkpoints/...   SCHAKEL_AUDIT_CHECKPOINT_DIR

The keys are never in it (docs/operations.md, "Keys"): the manifest names them by an id (a hash
of the key that does not reveal it), so a restore can say which key from the vault it needs.

The counts and the facts in the manifest are read from the same state as the dump: on
PostgreSQL pg_dump uses the snapshot of the transaction that counts (`--snapshot`); on SQLite
they are read from the copy. The database is dumped first, then the files: an attachment is on
disk before its row commits, and the checkpoint files are never older than the dump.

This module knows no domain app: the audit app's commands add the chain's position and its
verification (audit/management/commands/backup.py and restore.py)."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path
from typing import Any

from cryptography.fernet import Fernet, InvalidToken
from django.apps import apps
from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connection, connections, models, transaction
from django.db.migrations.loader import MigrationLoader

from .crypto import BYTES_PREFIX, PREFIX
from .fields import EncryptedTextField

FORMAT = 1
MANIFEST = "manifest.json"
PG_DUMP = "database.pgdump"
SQLITE_COPY = "database.sqlite3"
MEDIA = "media"
CHECKPOINTS = "audit-checkpoints"
# A key's id: enough to tell keys apart, nothing to learn the key from.
KEY_ID_LENGTH = 16

Facts = Callable[[Any], dict[str, Any]]  # reads extra facts with a DB-API cursor


class BackupError(Exception):
    """The backup or restore cannot go on; the message says why and what to do."""


def key_id(key: str) -> str:
    return hashlib.sha256(b"schakel key id\0" + key.encode()).hexdigest()[:KEY_ID_LENGTH]


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as file:
        for block in iter(lambda: file.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _files(root: Path) -> Iterator[Path]:
    if root.is_dir():
        yield from sorted(path for path in root.rglob("*") if path.is_file())


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def counted_models() -> list[type[models.Model]]:
    """Every model with a table of its own, the many-to-many tables included."""
    return [
        model
        for model in apps.get_models(include_auto_created=True)
        if model._meta.managed and not model._meta.proxy
    ]


def _counts(cursor: Any) -> dict[str, int]:
    counts = {}
    for model in counted_models():
        table = _quote(model._meta.db_table)
        cursor.execute(f"SELECT COUNT(*) FROM {table}")  # noqa: S608 (names only)
        counts[model._meta.label] = int(cursor.fetchone()[0])
    return counts


def _applied_migrations(cursor: Any) -> list[list[str]]:
    cursor.execute("SELECT app, name FROM django_migrations ORDER BY app, name")
    return [[str(app), str(name)] for app, name in cursor.fetchall()]


def _encryption_keys_used(cursor: Any, media_root: Path) -> dict[str, dict[str, int]]:
    """Per encryption key (by id): how many values and files it decrypts. A token carries no
    key id, so each is tried against the keys, the first (the usual one) first."""
    keys = [(key_id(key), Fernet(key.encode())) for key in settings.SCHAKEL_ENCRYPTION_KEYS]
    used = {identifier: {"values": 0, "files": 0} for identifier, _ in keys}
    unreadable = {"values": 0, "files": 0}

    def which(token: bytes) -> str | None:
        for identifier, fernet in keys:
            try:
                fernet.decrypt(token)
            except InvalidToken:
                continue
            return identifier
        return None

    for model in counted_models():
        for column in [
            str(f.column) for f in model._meta.local_fields if isinstance(f, EncryptedTextField)
        ]:
            name, table = _quote(column), _quote(model._meta.db_table)
            cursor.execute(
                f"SELECT {name} FROM {table} WHERE {name} LIKE '{PREFIX}%'"  # noqa: S608 (names only)
            )
            for (value,) in cursor.fetchall():
                identifier = which(str(value)[len(PREFIX) :].encode())
                bucket = used[identifier] if identifier else unreadable
                bucket["values"] += 1
    for path in _files(media_root):
        token = path.read_bytes()
        if not token.startswith(BYTES_PREFIX):
            continue
        identifier = which(token[len(BYTES_PREFIX) :])
        bucket = used[identifier] if identifier else unreadable
        bucket["files"] += 1
    needed = {identifier: n for identifier, n in used.items() if n["values"] or n["files"]}
    if unreadable["values"] or unreadable["files"]:
        needed["unknown (no configured key decrypts it)"] = unreadable
    return needed


def _keys(cursor: Any, media_root: Path) -> dict[str, Any]:
    matching = settings.SCHAKEL_MATCHING_KEY
    return {
        "SCHAKEL_ENCRYPTION_KEYS": _encryption_keys_used(cursor, media_root),
        "SCHAKEL_BLIND_INDEX_KEY": key_id(settings.SCHAKEL_BLIND_INDEX_KEY),
        "SCHAKEL_AUDIT_KEY": key_id(settings.SCHAKEL_AUDIT_KEY),
        "SCHAKEL_MATCHING_KEY": key_id(matching) if matching else None,
        "SECRET_KEY": key_id(settings.SECRET_KEY),
    }


def configured_key_ids() -> dict[str, Any]:
    matching = settings.SCHAKEL_MATCHING_KEY
    return {
        "SCHAKEL_ENCRYPTION_KEYS": [key_id(key) for key in settings.SCHAKEL_ENCRYPTION_KEYS],
        "SCHAKEL_BLIND_INDEX_KEY": key_id(settings.SCHAKEL_BLIND_INDEX_KEY),
        "SCHAKEL_AUDIT_KEY": key_id(settings.SCHAKEL_AUDIT_KEY),
        "SCHAKEL_MATCHING_KEY": key_id(matching) if matching else None,
        "SECRET_KEY": key_id(settings.SECRET_KEY),
    }


def _version() -> str:
    try:
        return metadata.version("schakel")
    except metadata.PackageNotFoundError:
        return "unknown"


# PostgreSQL ---------------------------------------------------------------------------------


def _pg_environment(database: dict[str, Any]) -> dict[str, str]:
    """The connection settings for pg_dump/pg_restore as libpq's variables: the password never
    appears on a command line (where `ps` shows it to every user of the machine)."""
    environment = dict(os.environ)
    for variable, key in (
        ("PGHOST", "HOST"),
        ("PGPORT", "PORT"),
        ("PGUSER", "USER"),
        ("PGPASSWORD", "PASSWORD"),
        ("PGDATABASE", "NAME"),
    ):
        if database.get(key):
            environment[variable] = str(database[key])
    options = database.get("OPTIONS", {})
    for variable, key in (
        ("PGSSLMODE", "sslmode"),
        ("PGSSLROOTCERT", "sslrootcert"),
        ("PGSSLCERT", "sslcert"),
        ("PGSSLKEY", "sslkey"),
    ):
        if options.get(key):
            environment[variable] = str(options[key])
    return environment


def _pg_tool(name: str) -> str:
    found = shutil.which(name)
    if found is None:
        raise BackupError(
            f"{name} is not installed; install the PostgreSQL client of the server's version "
            "(Debian: postgresql-client)."
        )
    return found


def _pg_tool_major(tool: str) -> int:
    # The tools are found on PATH by shutil.which; no argument comes from a user.
    out = subprocess.run(  # noqa: S603
        [tool, "--version"], capture_output=True, text=True, check=True
    ).stdout
    # "pg_dump (PostgreSQL) 15.20 (Debian …)"
    return int(out.split(")")[1].split()[0].split(".")[0])


def _pg_server_major() -> int:
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version_num")
        return int(cursor.fetchone()[0]) // 10000


def _pg_check_version(tool: str) -> str:
    path = _pg_tool(tool)
    client, server = _pg_tool_major(path), _pg_server_major()
    if client < server:
        raise BackupError(
            f"{tool} is version {client}, the server {server}: {tool} must be at least the "
            "server's version. Install the matching PostgreSQL client."
        )
    return path


def _run(command: list[str], environment: dict[str, str]) -> None:
    done = subprocess.run(command, env=environment, capture_output=True, text=True)  # noqa: S603
    if done.returncode != 0:
        raise BackupError(f"{Path(command[0]).name} failed: {done.stderr.strip()}")


# The archive --------------------------------------------------------------------------------


@dataclass
class BackupResult:
    archive: Path
    manifest: dict[str, Any]
    seconds: float


def _copy_tree(source: Path, target: Path) -> dict[str, str]:
    hashes = {}
    for path in _files(source):
        relative = path.relative_to(source)
        destination = target / relative
        destination.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(path, destination)
        hashes[relative.as_posix()] = _sha256(destination)
    return hashes


def _dump_postgresql(work: Path, extra: Facts) -> dict[str, Any]:
    pg_dump = _pg_check_version("pg_dump")
    environment = _pg_environment(connection.settings_dict)
    with transaction.atomic(), connection.cursor() as cursor:
        # One snapshot for pg_dump and for the counts: what the manifest says is what was dumped.
        cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
        cursor.execute("SELECT pg_export_snapshot()")
        snapshot = cursor.fetchone()[0]
        _run(
            [
                pg_dump,
                "--format=custom",
                f"--snapshot={snapshot}",
                f"--file={work / PG_DUMP}",
            ],
            environment,
        )
        facts = {
            "counts": _counts(cursor),
            "migrations": _applied_migrations(cursor),
            "keys": _keys(cursor, Path(settings.MEDIA_ROOT)),
            **extra(cursor),
        }
    facts["server_version"] = _pg_server_major()
    return facts


def _dump_sqlite(work: Path, extra: Facts) -> dict[str, Any]:
    connection.ensure_connection()
    copy = sqlite3.connect(work / SQLITE_COPY)
    try:
        connection.connection.backup(copy)
        cursor = copy.cursor()
        return {
            "counts": _counts(cursor),
            "migrations": _applied_migrations(cursor),
            "keys": _keys(cursor, Path(settings.MEDIA_ROOT)),
            **extra(cursor),
        }
    finally:
        copy.close()


def backup_create(destination: Path, *, extra: Facts) -> BackupResult:
    """Write the archive as the tar file `destination` (a name ending in .tar), or as a new,
    dated file in the directory `destination`; readable by its owner only, and nothing is left
    behind when it fails."""
    started = datetime.now(UTC)
    name = f"schakel-backup-{started:%Y%m%dT%H%M%SZ}"
    is_file = destination.suffix == ".tar" and not destination.is_dir()
    archive = destination if is_file else destination / f"{name}.tar"
    if archive.exists():
        raise BackupError(f"{archive} exists already; choose another name.")
    vendor = connection.vendor
    if vendor not in ("postgresql", "sqlite"):
        raise BackupError(f"Backups of {vendor} databases are not supported.")
    archive.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=archive.parent, prefix=".schakel-backup-") as scratch:
        work = Path(scratch) / name
        work.mkdir()
        os.chmod(scratch, 0o700)
        facts = (_dump_postgresql if vendor == "postgresql" else _dump_sqlite)(work, extra)
        database_file = PG_DUMP if vendor == "postgresql" else SQLITE_COPY
        media = _copy_tree(Path(settings.MEDIA_ROOT), work / MEDIA)
        checkpoints = _copy_tree(Path(settings.SCHAKEL_AUDIT_CHECKPOINT_DIR), work / CHECKPOINTS)
        manifest = {
            "format": FORMAT,
            "schakel_version": _version(),
            "created_at": started.isoformat(),
            "database": {
                "vendor": vendor,
                "file": database_file,
                "sha256": _sha256(work / database_file),
                **(
                    {"server_version": facts.pop("server_version")}
                    if vendor == "postgresql"
                    else {}
                ),
            },
            "migrations": facts.pop("migrations"),
            "counts": facts.pop("counts"),
            "keys": facts.pop("keys"),
            "files": {MEDIA: media, CHECKPOINTS: checkpoints},
            **facts,
        }
        (work / MANIFEST).write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")
        partial = archive.with_name(f".{archive.name}.partial")
        descriptor = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        try:
            with os.fdopen(descriptor, "wb") as out, tarfile.open(fileobj=out, mode="w") as tar:
                tar.add(work, arcname=name)
            os.replace(partial, archive)
        except BaseException:
            partial.unlink(missing_ok=True)
            raise
    seconds = (datetime.now(UTC) - started).total_seconds()
    return BackupResult(archive, manifest, seconds)


# Restore ------------------------------------------------------------------------------------


@contextmanager
def archive_opened(source: Path) -> Iterator[tuple[Path, dict[str, Any]]]:
    """The archive's directory and manifest; a tar file is unpacked into a private directory
    (with tarfile's `data` filter: no links, devices or paths outside it)."""
    if source.is_dir():
        yield source, _manifest(source)
        return
    if not source.is_file():
        raise BackupError(f"No archive at {source}.")
    with tempfile.TemporaryDirectory(prefix=".schakel-restore-") as scratch:
        os.chmod(scratch, 0o700)
        try:
            with tarfile.open(source) as tar:
                tar.extractall(scratch, filter="data")
        except tarfile.TarError as error:
            raise BackupError(f"{source} is not a readable archive: {error}") from None
        tops = [path for path in Path(scratch).iterdir() if path.is_dir()]
        if len(tops) != 1:
            raise BackupError(f"{source} is not a Schakel backup (one top directory expected).")
        yield tops[0], _manifest(tops[0])


def _manifest(root: Path) -> dict[str, Any]:
    try:
        manifest: dict[str, Any] = json.loads((root / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:
        raise BackupError(f"No readable {MANIFEST} in the archive: {error}") from None
    if manifest.get("format") != FORMAT:
        raise BackupError(f"The archive's format {manifest.get('format')} is not {FORMAT}.")
    return manifest


def archive_check(root: Path, manifest: dict[str, Any]) -> list[str]:
    """The archive itself: every file the manifest names, with its hash, and no other."""
    problems = []
    database = manifest["database"]
    if _sha256(root / database["file"]) != database["sha256"]:
        problems.append(f"archive: {database['file']} does not match its hash in the manifest")
    for folder, hashes in manifest["files"].items():
        present = {p.relative_to(root / folder).as_posix() for p in _files(root / folder)}
        for missing in sorted(set(hashes) - present):
            problems.append(f"archive: {folder}/{missing} is missing")
        for extra in sorted(present - set(hashes)):
            problems.append(f"archive: {folder}/{extra} is not in the manifest")
        for relative in sorted(set(hashes) & present):
            if _sha256(root / folder / relative) != hashes[relative]:
                problems.append(f"archive: {folder}/{relative} does not match its hash")
    return problems


def keys_missing(manifest: dict[str, Any]) -> list[str]:
    """The keys the data needs that this installation is not configured with (by id)."""
    configured = configured_key_ids()
    missing = []
    for needed in manifest["keys"]["SCHAKEL_ENCRYPTION_KEYS"]:
        if needed not in configured["SCHAKEL_ENCRYPTION_KEYS"]:
            missing.append(f"SCHAKEL_ENCRYPTION_KEYS: the key with id {needed}")
    for name in ("SCHAKEL_BLIND_INDEX_KEY", "SCHAKEL_AUDIT_KEY", "SCHAKEL_MATCHING_KEY"):
        needed = manifest["keys"].get(name)
        if needed and needed != configured[name]:
            missing.append(f"{name}: the key with id {needed} (configured: {configured[name]})")
    return missing


def database_is_empty() -> bool:
    return not connection.introspection.table_names()


def _checkpoint_conflicts(manifest: dict[str, Any], root: Path) -> list[Path]:
    """Files in the checkpoint directory that the archive does not hold as they are: newer
    checkpoints of the live system, which are evidence and never overwritten."""
    target = Path(settings.SCHAKEL_AUDIT_CHECKPOINT_DIR)
    hashes = manifest["files"][CHECKPOINTS]
    return [
        path
        for path in _files(target)
        if hashes.get(path.relative_to(target).as_posix()) != _sha256(path)
    ]


def _media_conflicts(manifest: dict[str, Any]) -> list[Path]:
    target = Path(settings.MEDIA_ROOT)
    return [
        target / relative
        for relative, digest in manifest["files"][MEDIA].items()
        if (target / relative).exists() and _sha256(target / relative) != digest
    ]


def restore_preflight(root: Path, manifest: dict[str, Any], *, force: bool) -> list[str]:
    """Why the restore must not start (empty when it may); with force only what force cannot
    overrule (a broken archive, a missing key, another database, unknown migrations)."""
    problems = archive_check(root, manifest)
    problems += [f"key missing: {missing}" for missing in keys_missing(manifest)]
    vendor = manifest["database"]["vendor"]
    if vendor != connection.vendor:
        problems.append(
            f"the archive holds a {vendor} database; this installation uses {connection.vendor}"
        )
    if connection.vendor == "sqlite" and str(connection.settings_dict["NAME"]) in ("", ":memory:"):
        problems.append("the configured SQLite database is in memory: restore into a file")
    known = MigrationLoader(None, ignore_no_migrations=True).disk_migrations
    unknown = [f"{app}.{name}" for app, name in manifest["migrations"] if (app, name) not in known]
    if unknown:
        problems.append(
            "the archive was made by a newer Schakel (migrations this version does not have: "
            f"{', '.join(unknown[:5])}{' …' if len(unknown) > 5 else ''}); install that version"
        )
    if force:
        return problems
    if not database_is_empty():
        problems.append(
            "the database is not empty: restore into a new, empty database, or add --force to "
            "delete everything in it first"
        )
    conflicts = _media_conflicts(manifest)
    if conflicts:
        problems.append(
            f"{len(conflicts)} file(s) in MEDIA_ROOT differ from the archive's (for example "
            f"{conflicts[0]}): restore into an empty MEDIA_ROOT, or add --force to replace them"
        )
    newer = _checkpoint_conflicts(manifest, root)
    if newer:
        problems.append(
            f"{len(newer)} checkpoint file(s) in SCHAKEL_AUDIT_CHECKPOINT_DIR are not in the "
            f"archive as they are (for example {newer[0].name}): the live log reached further "
            "than this backup. Record the loss with the privacy officer; --force moves these "
            "files aside (kept as evidence) before restoring"
        )
    return problems


def _empty_database() -> None:
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("DROP SCHEMA public CASCADE")
            cursor.execute("CREATE SCHEMA public")
    # SQLite: the online backup API replaces every page of the target.


def _restore_postgresql(root: Path, manifest: dict[str, Any]) -> None:
    pg_restore = _pg_check_version("pg_restore")
    if _pg_tool_major(pg_restore) < int(manifest["database"].get("server_version", 0)):
        raise BackupError(
            "pg_restore is older than the server the dump was made on; install a newer client."
        )
    connection.close()
    _run(
        [
            pg_restore,
            "--exit-on-error",
            "--single-transaction",
            "--no-owner",
            "--no-privileges",
            f"--dbname={connection.settings_dict['NAME']}",
            str(root / manifest["database"]["file"]),
        ],
        _pg_environment(connection.settings_dict),
    )


def _restore_sqlite(root: Path, manifest: dict[str, Any]) -> None:
    connection.ensure_connection()
    source = sqlite3.connect(root / manifest["database"]["file"])
    try:
        source.backup(connection.connection)
    finally:
        source.close()
    connection.close()


@dataclass
class RestoreResult:
    rows: int = 0
    media_files: int = 0
    checkpoint_files: int = 0
    moved_aside: Path | None = None
    notes: list[str] = field(default_factory=list)


def _place_files(source: Path, target: Path) -> int:
    placed = 0
    for path in _files(source):
        destination = target / path.relative_to(source)
        destination.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(path, destination)
        os.chmod(destination, 0o600)
        placed += 1
    return placed


def restore_apply(root: Path, manifest: dict[str, Any], *, force: bool) -> RestoreResult:
    """Put the archive's database and files in place (after restore_preflight found nothing)."""
    result = RestoreResult()
    checkpoints = Path(settings.SCHAKEL_AUDIT_CHECKPOINT_DIR)
    newer = _checkpoint_conflicts(manifest, root)
    if newer:
        aside = checkpoints.with_name(
            f"{checkpoints.name}-superseded-{datetime.now(UTC):%Y%m%dT%H%M%SZ}"
        )
        aside.mkdir(parents=True)
        for path in newer:
            path.rename(aside / path.name)
        result.moved_aside = aside
    if force and not database_is_empty():
        _empty_database()
    if connection.vendor == "postgresql":
        _restore_postgresql(root, manifest)
    else:
        _restore_sqlite(root, manifest)
    result.media_files = _place_files(root / MEDIA, Path(settings.MEDIA_ROOT))
    result.checkpoint_files = _place_files(root / CHECKPOINTS, checkpoints)
    result.rows = sum(manifest["counts"].values())
    return result


def restore_verify(manifest: dict[str, Any]) -> list[str]:
    """What the restored installation holds against the manifest: the rows per model, every
    file by its hash, every file a row points at present."""
    problems = []
    with connection.cursor() as cursor:
        counts = _counts(cursor)
    for label, expected in sorted(manifest["counts"].items()):
        found = counts.get(label)
        if found is None:
            problems.append(f"{label}: in the archive, not a model of this version")
        elif found != expected:
            problems.append(f"{label}: {found} row(s), the archive {expected}")
    for folder, root in (
        (MEDIA, Path(settings.MEDIA_ROOT)),
        (CHECKPOINTS, Path(settings.SCHAKEL_AUDIT_CHECKPOINT_DIR)),
    ):
        for relative, digest in sorted(manifest["files"][folder].items()):
            path = root / relative
            if not path.is_file():
                problems.append(f"{folder}/{relative}: missing after the restore")
            elif _sha256(path) != digest:
                problems.append(f"{folder}/{relative}: does not match its hash")
    media = Path(settings.MEDIA_ROOT)
    for model in counted_models():
        for file_field in [f for f in model._meta.local_fields if isinstance(f, models.FileField)]:
            names = model._base_manager.exclude(**{file_field.name: ""}).values_list(
                file_field.name, flat=True
            )
            for name in names.iterator(chunk_size=500):
                if not (media / name).is_file():
                    problems.append(f"{model._meta.label} points at {name}, which is missing")
    return problems


def pending_migrations() -> list[str]:
    """Migrations of this version that the restored database has not had yet."""
    loader = MigrationLoader(connections[DEFAULT_DB_ALIAS])
    return sorted(
        f"{app}.{name}"
        for app, name in loader.disk_migrations
        if (app, name) not in loader.applied_migrations
    )
