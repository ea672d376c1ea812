"""Identifying fields are encrypted at rest; searching uses keyed hashes, not plaintext."""

import pytest
from cryptography.fernet import Fernet

from schakel.core import crypto


@pytest.fixture
def keys(settings):
    old, new = Fernet.generate_key().decode(), Fernet.generate_key().decode()
    settings.SCHAKEL_ENCRYPTION_KEYS = [old]
    return settings, old, new


def test_a_value_is_encrypted_differently_every_time_and_decrypts(keys):
    first, second = crypto.encrypt("Anna Kowalska"), crypto.encrypt("Anna Kowalska")
    assert first != second
    assert "Anna" not in first and "Kowalska" not in first
    assert crypto.decrypt(first) == crypto.decrypt(second) == "Anna Kowalska"


def test_key_rotation_reads_old_values_and_writes_under_the_new_key(keys):
    settings, old, new = keys
    token = crypto.encrypt("1 januari 1990")
    settings.SCHAKEL_ENCRYPTION_KEYS = [new, old]
    assert crypto.decrypt(token) == "1 januari 1990"
    rotated = crypto.reencrypt(token)
    settings.SCHAKEL_ENCRYPTION_KEYS = [new]
    assert crypto.decrypt(rotated) == "1 januari 1990"
    with pytest.raises(ValueError, match="key"):
        crypto.decrypt(token)


def test_plaintext_is_never_taken_for_ciphertext(keys):
    with pytest.raises(ValueError):
        crypto.decrypt("Anna Kowalska")


def test_blind_index_ignores_case_accents_and_spacing():
    a = crypto.blind_index("José  de Vries", purpose="name")
    assert a == crypto.blind_index("jose de vries", purpose="name")
    assert a != crypto.blind_index("jose de vries", purpose="street")
    assert a != crypto.blind_index("Josef de Vries", purpose="name")
    assert "vries" not in a


def test_blind_index_depends_on_the_key(settings):
    before = crypto.blind_index("Marek", purpose="name")
    settings.SCHAKEL_BLIND_INDEX_KEY = "another key"
    assert crypto.blind_index("Marek", purpose="name") != before


def test_an_invalid_key_is_a_configuration_error(settings):
    from django.core.exceptions import ImproperlyConfigured

    settings.SCHAKEL_ENCRYPTION_KEYS = ["not-a-key"]
    with pytest.raises(ImproperlyConfigured):
        crypto.encrypt("x")


def test_encrypted_fields_refuse_text_search():
    from schakel.core.fields import EncryptedTextField

    field = EncryptedTextField()
    with pytest.raises(TypeError):
        field.get_lookup("icontains")
    assert field.get_lookup("isnull") is not None


@pytest.mark.django_db
def test_rotating_keys_reencrypts_stored_persons(keys, capsys):
    from django.core.management import call_command
    from django.db import connection

    from schakel.intake.models import SignalPerson

    from .factories import SignalFactory

    settings, old, new = keys
    person = SignalPerson.objects.create(
        signal=SignalFactory(), role="victim", name="Anna Kowalska", date_of_birth="1990"
    )
    settings.SCHAKEL_ENCRYPTION_KEYS = [new, old]
    call_command("rotate_encryption_keys")
    assert "Re-encrypted" in capsys.readouterr().out
    settings.SCHAKEL_ENCRYPTION_KEYS = [new]  # the old key is gone
    person.refresh_from_db()
    assert (person.name, person.date_of_birth) == ("Anna Kowalska", "1990")
    with connection.cursor() as cursor:
        cursor.execute("SELECT name FROM intake_signalperson")
        assert "Anna" not in cursor.fetchone()[0]


@pytest.mark.django_db
def test_attachments_are_encrypted_on_disk_and_follow_key_rotation(keys, tmp_path, capsys):
    """A photo or PDF is a Fernet token on disk; it is readable through the storage only, also
    after the key that wrote it was rotated out."""
    from pathlib import Path

    from django.core.files.base import ContentFile
    from django.core.management import call_command

    from schakel.intake.models import SignalAttachment

    from .factories import SignalFactory

    settings, old, new = keys
    settings.MEDIA_ROOT = tmp_path
    content = b"%PDF-1.4 paspoort van Anna Kowalska"
    attachment = SignalAttachment(
        signal=SignalFactory(), original_name="a.pdf", content_type="application/pdf", size=1
    )
    attachment.file.save("upload", ContentFile(content), save=True)
    on_disk = Path(attachment.file.path).read_bytes()
    assert b"%PDF" not in on_disk and b"Kowalska" not in on_disk
    with attachment.file.open("rb") as stored:
        assert stored.read() == content
    settings.SCHAKEL_ENCRYPTION_KEYS = [new, old]
    call_command("rotate_encryption_keys")
    assert "1 file(s)" in capsys.readouterr().out
    settings.SCHAKEL_ENCRYPTION_KEYS = [new]  # the old key is gone
    attachment = SignalAttachment.objects.get(pk=attachment.pk)
    with attachment.file.open("rb") as stored:
        assert stored.read() == content
    assert Path(attachment.file.path).read_bytes() != on_disk
