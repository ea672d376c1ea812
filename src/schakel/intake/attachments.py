"""Checks on files sent with a signal: photos and PDFs only, judged by their first bytes (not by
the name or the type the browser claims), and not too large."""

from __future__ import annotations

import hashlib

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import UploadedFile
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

SIGNATURES: tuple[tuple[bytes, str], ...] = (
    (b"\xff\xd8\xff", "image/jpeg"),
    (b"\x89PNG\r\n\x1a\n", "image/png"),
    (b"%PDF-", "application/pdf"),
)


def max_bytes() -> int:
    limit: int = getattr(settings, "SCHAKEL_ATTACHMENT_MAX_BYTES", 10 * 1024 * 1024)
    return limit


def max_files() -> int:
    count: int = getattr(settings, "SCHAKEL_ATTACHMENTS_PER_SIGNAL", 5)
    return count


def content_type_of(upload: UploadedFile[bytes]) -> str:
    """The file's real type, or a ValidationError that names the file."""
    name = upload.name or ""
    if (upload.size or 0) > max_bytes():
        raise ValidationError(
            _("%(name)s is too large: at most %(limit)s per file.")
            % {"name": name, "limit": filesizeformat(max_bytes())}
        )
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    for signature, content_type in SIGNATURES:
        if head.startswith(signature):
            return content_type
    raise ValidationError(_("%(name)s is not a photo (JPEG, PNG) or a PDF.") % {"name": name})


def sha256_of(upload: UploadedFile[bytes]) -> str:
    digest = hashlib.sha256()
    upload.seek(0)
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    return digest.hexdigest()


def delete_files(names: list[str]) -> None:
    """Remove stored files (a signal that was not stored, or one past its retention term)."""
    for name in names:
        default_storage.delete(name)
