"""Backup and restore (`manage.py backup` / `restore`): the demo region with attachments is
written to one archive, restored into a second, empty database (a new process, as on the server
that takes over), and comes back with every row, every file and an intact audit log."""

import io
import json
import os
import sqlite3
import subprocess
import sys
import tarfile
import time
import uuid
from pathlib import Path

import pytest
from cryptography.fernet import Fernet
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from schakel.accounts.models import User
from schakel.audit.models import AuditSeal
from schakel.core.backup import counted_models, key_id
from schakel.intake.models import SignalAttachment

from .test_signal_details import PNG

ROOT = Path(__file__).resolve().parent.parent
pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def private_media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def _report_with_photos(client, username: str, photos: int) -> None:
    user = User.objects.get(username=username)
    membership = user.memberships.get()
    client.force_login(user)
    response = client.post(
        reverse("intake:report"),
        {
            "reporting_as": f"{membership.organisation_id}:{membership.role}",
            "municipality": membership.organisation.municipality_id,
            "observed_on": timezone.localdate().isoformat(),
            "place": "Loods aan de Havenweg",
            "exploitation_forms": ["labour"],
            "description": "Matrassen in de loods; een busje haalt de groep om vijf uur op.",
            "submission_token": str(uuid.uuid4()),
            "persons-TOTAL_FORMS": "1",
            "persons-INITIAL_FORMS": "0",
            "persons-MIN_NUM_FORMS": "0",
            "persons-MAX_NUM_FORMS": "5",
            "attachments": [
                SimpleUploadedFile(f"foto-{n}.png", PNG, content_type="image/png")
                for n in range(photos)
            ],
        },
    )
    assert response.status_code == 302


@pytest.fixture
def world(demo_settings, client, seal):
    from schakel.demo.loader import load_demo

    load_demo()
    _report_with_photos(client, "medewerker", 3)
    _report_with_photos(client, "medewerker", 2)
    seal()
    _report_with_photos(client, "medewerker", 1)  # audit entries not sealed yet: backed up too
    assert SignalAttachment.objects.count() == 6


def _counts_now() -> dict[str, int]:
    return {m._meta.label: m._base_manager.count() for m in counted_models()}


def _backup(tmp_path: Path) -> tuple[Path, dict]:
    out = io.StringIO()
    call_command("backup", str(tmp_path), stdout=out)
    archives = list(tmp_path.glob("schakel-backup-*.tar"))
    assert len(archives) == 1, out.getvalue()
    with tarfile.open(archives[0]) as tar:
        manifest_member = next(m for m in tar.getmembers() if m.name.endswith("/manifest.json"))
        manifest = json.load(tar.extractfile(manifest_member))
    return archives[0], manifest


def _restore_elsewhere(archive: Path, target: Path, database_url: str, *extra: str):
    """`manage.py restore` in a new process against another database, media and checkpoint
    directory: the installation that takes over."""
    environment = {
        **os.environ,
        "PYTHONPATH": str(ROOT / "src"),
        "DJANGO_SETTINGS_MODULE": "schakel.config.settings.test",
        "DATABASE_URL": database_url,
        "SCHAKEL_MEDIA_ROOT": str(target / "media"),
        "SCHAKEL_AUDIT_CHECKPOINT_DIR": str(target / "audit-checkpoints"),
    }
    return subprocess.run(
        [sys.executable, str(ROOT / "manage.py"), "restore", str(archive), *extra],
        env=environment,
        capture_output=True,
        text=True,
        timeout=600,
    )


def _postgres_restore_database():
    import psycopg

    name = f"schakel_restore_{uuid.uuid4().hex[:8]}"
    params = connection.settings_dict
    admin = psycopg.connect(
        host=params["HOST"] or None,
        port=params["PORT"] or None,
        user=params["USER"] or None,
        password=params["PASSWORD"] or None,
        dbname="postgres",
        autocommit=True,
    )
    admin.execute(f'CREATE DATABASE "{name}"')
    user = params["USER"] or "postgres"
    url = f"postgres://{user}@{params['HOST'] or '127.0.0.1'}:{params['PORT'] or 5432}/{name}"
    return admin, name, url


def _table_counts(database_url: str, target: Path) -> dict[str, int]:
    """Counted by the test itself, not by the command under test (with the whole audit chain:
    every seal's number and hash, under the label `chain`)."""
    tables = {m._meta.label: m._meta.db_table for m in counted_models()}
    if database_url.startswith("sqlite"):
        db = sqlite3.connect(database_url.removeprefix("sqlite:///"))
    else:
        import psycopg

        db = psycopg.connect(database_url)
    try:
        cursor = db.cursor()
        counts = {}
        for label, table in tables.items():
            cursor.execute(f'SELECT COUNT(*) FROM "{table}"')
            counts[label] = cursor.fetchone()[0]
        cursor.execute("SELECT sequence, chain_hash FROM audit_auditseal ORDER BY sequence")
        counts["chain"] = [tuple(row) for row in cursor.fetchall()]
        return counts
    finally:
        db.close()


def test_a_backup_restores_into_an_empty_database_with_every_row_file_and_the_audit_chain(
    world, tmp_path, capsys
):
    before = _counts_now()
    before_chain = [tuple(seal) for seal in AuditSeal.objects.values_list("sequence", "chain_hash")]
    started = time.monotonic()
    archive, manifest = _backup(tmp_path / "backups")
    backup_seconds = time.monotonic() - started
    assert manifest["counts"] == before
    assert len(manifest["files"]["media"]) == 6
    assert manifest["files"]["audit-checkpoints"]  # the sealing run wrote one
    assert manifest["audit"]["last_sealed"]["sequence"] > 0
    assert manifest["audit"]["not_sealed"] > 0
    # The keys are named by id; none of them is in the archive.
    assert list(manifest["keys"]["SCHAKEL_ENCRYPTION_KEYS"]) == [
        key_id(settings.SCHAKEL_ENCRYPTION_KEYS[0])
    ]
    content = archive.read_bytes()
    for key in (
        *settings.SCHAKEL_ENCRYPTION_KEYS,
        settings.SCHAKEL_AUDIT_KEY,
        settings.SCHAKEL_BLIND_INDEX_KEY,
    ):
        assert key.encode() not in content
    assert oct(archive.stat().st_mode & 0o777) == "0o600"

    target = tmp_path / "elsewhere"
    target.mkdir()
    admin = name = None
    if connection.vendor == "postgresql":
        admin, name, url = _postgres_restore_database()
    else:
        url = f"sqlite:///{target / 'restored.sqlite3'}"
    try:
        started = time.monotonic()
        done = _restore_elsewhere(archive, target, url)
        restore_seconds = time.monotonic() - started
        assert done.returncode == 0, done.stderr + done.stdout
        assert "audit log intact" in done.stdout
        assert _table_counts(url, target) == {**before, "chain": before_chain}
        restored = {
            p.relative_to(target / "media").as_posix(): p.read_bytes()
            for p in (target / "media").rglob("*")
            if p.is_file()
        }
        originals = {
            a.file.name: (Path(settings.MEDIA_ROOT) / a.file.name).read_bytes()
            for a in SignalAttachment.objects.all()
        }
        assert restored == originals  # still encrypted, byte for byte

        # Restoring again into the now filled database is refused, and changes nothing.
        again = _restore_elsewhere(archive, target, url)
        assert again.returncode != 0
        assert "the database is not empty" in again.stderr
        assert _table_counts(url, target) == {**before, "chain": before_chain}
        # With --force, everything in it is deleted first and the archive restored again.
        forced = _restore_elsewhere(archive, target, url, "--force")
        assert forced.returncode == 0, forced.stderr + forced.stdout
        assert "audit log intact" in forced.stdout
        assert _table_counts(url, target) == {**before, "chain": before_chain}
    finally:
        if admin is not None:
            admin.execute(f'DROP DATABASE "{name}" WITH (FORCE)')
            admin.close()
    with capsys.disabled():
        print(
            f"\n[{connection.vendor}] {sum(before.values())} rows in {len(before)} tables "
            f"({len(before_chain)} sealed audit entries), "
            f"{len(originals)} attachments, {len(manifest['files']['audit-checkpoints'])} "
            f"checkpoint file(s): backup {backup_seconds:.1f} s, restore (new process, "
            f"with checks) {restore_seconds:.1f} s"
        )


def test_restore_refuses_a_tampered_archive_and_a_database_that_is_not_empty(world, tmp_path):
    archive, _ = _backup(tmp_path / "backups")
    unpacked = tmp_path / "unpacked"
    with tarfile.open(archive) as tar:
        tar.extractall(unpacked, filter="data")
    (root,) = unpacked.iterdir()
    photo = next(p for p in (root / "media").rglob("*") if p.is_file())
    photo.write_bytes(photo.read_bytes()[:-1] + b"x")
    with pytest.raises(CommandError) as refused:
        call_command("restore", str(root), stdout=io.StringIO())
    message = str(refused.value)
    assert "Restore refused, nothing changed" in message
    assert "does not match its hash" in message
    assert "the database is not empty" in message


def test_restore_names_the_key_it_needs_when_the_vault_copy_is_not_configured(
    world, tmp_path, settings
):
    archive, manifest = _backup(tmp_path / "backups")
    needed = next(iter(manifest["keys"]["SCHAKEL_ENCRYPTION_KEYS"]))
    settings.SCHAKEL_ENCRYPTION_KEYS = [Fernet.generate_key().decode()]
    with pytest.raises(CommandError) as refused:
        call_command("restore", str(archive), "--force", stdout=io.StringIO())
    assert f"SCHAKEL_ENCRYPTION_KEYS: the key with id {needed}" in str(refused.value)
