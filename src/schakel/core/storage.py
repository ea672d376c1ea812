"""Uploaded files encrypted at rest, with the same keys as the encrypted fields (crypto.py).

Attachments can show people, documents and identity papers: on disk they are Fernet tokens, and
they are decrypted only when a view that passed the access policy opens them. Files are small
(at most SCHAKEL_ATTACHMENT_MAX_BYTES), so they are encrypted whole, in memory."""

from __future__ import annotations

import os
import tempfile
from typing import Any

from django.core.files.base import ContentFile, File
from django.core.files.storage import FileSystemStorage

from . import crypto


class EncryptedFileSystemStorage(FileSystemStorage):
    def _save(self, name: str, content: File[Any]) -> str:
        content.seek(0)
        plain = content.read()
        data = plain.encode() if isinstance(plain, str) else plain
        # FileSystemStorage._save is not in the type stubs; it returns the stored name.
        saved: str = super()._save(name, ContentFile(crypto.encrypt_bytes(data)))  # type: ignore[misc]
        return saved

    def _open(self, name: str, mode: str = "rb") -> File[Any]:
        if "w" in mode or "a" in mode or "+" in mode:
            raise ValueError("encrypted files are written through save(), not opened for writing")
        with open(self.path(name), "rb") as stored:
            token = stored.read()
        return ContentFile(crypto.decrypt_bytes(token), name=name)

    def reencrypt(self, name: str) -> None:
        """Rewrite the file under the first key (key rotation), atomically in place."""
        path = self.path(name)
        with open(path, "rb") as stored:
            plain = crypto.decrypt_bytes(stored.read())
        handle, temporary = tempfile.mkstemp(dir=os.path.dirname(path))
        try:
            with os.fdopen(handle, "wb") as out:
                out.write(crypto.encrypt_bytes(plain))
            os.chmod(temporary, 0o600)
            os.replace(temporary, path)
        except BaseException:
            os.unlink(temporary)
            raise
