"""Checks on files sent with a signal: photos (JPEG, PNG) and PDFs only, judged by parsing them,
not by their name, the type the browser claims or their first bytes alone.

- The first bytes only pick the parser; anything that is not JPEG, PNG or PDF is refused.
  WebP, HEIC and GIF are refused too: Pillow could decode some of them, but every extra decoder
  is extra attack surface (libwebp's CVE-2023-4863), and a phone exports JPEG on request.
- A photo's size in pixels is read from its header and refused above SCHAKEL_ATTACHMENT_MAX_PIXELS
  (and Pillow's own Image.MAX_IMAGE_PIXELS) before anything is decoded; then it is decoded in
  full, turned upright by its EXIF orientation and encoded again. The re-encoded photo is what is
  stored: its EXIF (GPS position, camera, time), XMP, comments and text chunks are gone, and so
  is anything appended to or hidden in the file (a JPEG that is also an HTML page). Only the
  colour profile (ICC) and PNG transparency stay: without them the colours or the picture change.
- A PDF must be read by pypdf within tight limits (no decompression beyond a few MB), must not be
  encrypted, may have at most SCHAKEL_ATTACHMENT_MAX_PDF_PAGES pages, and none of the objects
  reachable from its trailer may hold JavaScript, an embedded file, a launch action or another
  action that runs or opens something. Page contents are never decompressed. The PDF is stored
  as it was sent (it may be evidence; its hash is the reporter's file's hash).
"""

from __future__ import annotations

import hashlib
import io
import warnings
import zipfile
from collections.abc import Iterator
from typing import Any

import pypdf
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile, UploadedFile
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from PIL import Image, ImageOps
from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject

from schakel.core import uploads

JPEG, PNG, PDF = "image/jpeg", "image/png", "application/pdf"
SIGNATURES: tuple[tuple[bytes, str], ...] = (
    (b"\xff\xd8\xff", JPEG),
    (b"\x89PNG\r\n\x1a\n", PNG),
    (b"%PDF-", PDF),
)
PILLOW_FORMAT = {JPEG: "JPEG", PNG: "PNG"}
JPEG_QUALITY = 90

# A PDF whose objects reference more than this many others is not checked but refused.
PDF_MAX_OBJECTS = 100_000
# Object and cross-reference streams are the only streams pypdf inflates to read a PDF; real ones
# are kilobytes. A deflate bomb behind them stops at this many bytes instead of filling memory.
PDF_MAX_INFLATED = 8 * 1024 * 1024
# Keys that hold a script or an embedded file wherever they appear (actions, name trees, XFA).
PDF_FORBIDDEN_KEYS = frozenset({"/JS", "/JavaScript", "/EmbeddedFiles", "/EF", "/XFA"})
# Action types (/S) that run a script, start a program or open an embedded or external file.
PDF_FORBIDDEN_ACTIONS = frozenset(
    {"/JavaScript", "/Launch", "/ImportData", "/GoToE", "/RichMediaExecute"}
)
PDF_FORBIDDEN_SUBTYPES = frozenset({"/FileAttachment", "/RichMedia"})


# The limits are the request-size guard's (core/uploads.py), so that both say the same.
max_bytes = uploads.per_file_limit
max_files = uploads.files_limit
max_total_bytes = uploads.total_limit


def max_pixels() -> int:
    limit: int = getattr(settings, "SCHAKEL_ATTACHMENT_MAX_PIXELS", 50_000_000)
    return limit


def max_pdf_pages() -> int:
    limit: int = getattr(settings, "SCHAKEL_ATTACHMENT_MAX_PDF_PAGES", 200)
    return limit


class CheckedUpload(SimpleUploadedFile):
    """A file that passed the checks, holding what is stored: the re-encoded photo, or the PDF."""


def checked(upload: UploadedFile[bytes]) -> CheckedUpload:
    """The file to store, or a ValidationError that names the file. A file checked before (the
    form's cleaned value, passed on to the service) is not parsed again."""
    if isinstance(upload, CheckedUpload):
        return upload
    name = upload.name or ""
    if (upload.size or 0) > max_bytes():
        raise ValidationError(
            _("%(name)s is too large: at most %(limit)s per file.")
            % {"name": name, "limit": filesizeformat(max_bytes())}
        )
    upload.seek(0)
    data = upload.read(max_bytes() + 1)
    upload.seek(0)
    if len(data) > max_bytes():  # the size an upload claims is not checked here on trust
        raise ValidationError(
            _("%(name)s is too large: at most %(limit)s per file.")
            % {"name": name, "limit": filesizeformat(max_bytes())}
        )
    content_type = _sniff(name, data)
    if content_type == PDF:
        _check_pdf(name, data)
        content = data
    else:
        content = _reencode_image(name, data, PILLOW_FORMAT[content_type])
    return CheckedUpload(name, content, content_type)


def content_type_of(upload: UploadedFile[bytes]) -> str:
    """The file's real type, or a ValidationError that names the file."""
    return checked(upload).content_type or ""


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


def _sniff(name: str, data: bytes) -> str:
    for signature, content_type in SIGNATURES:
        if data.startswith(signature):
            return content_type
    if data[4:8] == b"ftyp" and data[8:12] in {b"heic", b"heix", b"mif1", b"msf1", b"avif"}:
        kind = "HEIC"
    elif data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        kind = "WebP"
    else:
        raise ValidationError(_("%(name)s is not a photo (JPEG, PNG) or a PDF.") % {"name": name})
    raise ValidationError(
        _(
            "%(name)s is a %(kind)s photo, which Schakel does not accept. Save or share it as "
            "JPEG (on a phone: choose JPEG or 'most compatible') and send it again."
        )
        % {"name": name, "kind": kind}
    )


# --- Photos ----------------------------------------------------------------------------------


def _too_many_pixels(name: str, width: int, height: int) -> ValidationError:
    return ValidationError(
        _(
            "%(name)s has too many pixels (%(width)s × %(height)s): at most %(limit)s megapixels. "
            "Send a smaller version of the photo."
        )
        % {"name": name, "width": width, "height": height, "limit": max_pixels() // 1_000_000}
    )


def _damaged_photo(name: str) -> ValidationError:
    return ValidationError(
        _("%(name)s cannot be opened as a photo: the file is damaged or incomplete.")
        % {"name": name}
    )


def _reencode_image(name: str, data: bytes, pillow_format: str) -> bytes:
    limit = min(max_pixels(), Image.MAX_IMAGE_PIXELS or max_pixels())
    # catch_warnings is process-wide, not per thread; the explicit limit above, checked on the
    # header before any decoding, is what holds when another thread resets the filter meanwhile.
    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            image = Image.open(io.BytesIO(data), formats=[pillow_format])  # reads the header only
        except (Image.DecompressionBombError, Image.DecompressionBombWarning):
            raise _too_many_pixels(name, *_header_size(data, pillow_format)) from None
        except Exception:  # any parser error on untrusted bytes: refuse, never a server error
            raise _damaged_photo(name) from None
        with image:
            width, height = image.size
            if width * height > limit:
                raise _too_many_pixels(name, width, height)
            try:
                image.load()
                upright = ImageOps.exif_transpose(image)  # a copy, turned as the camera was held
            except (Image.DecompressionBombError, Image.DecompressionBombWarning):
                raise _too_many_pixels(name, width, height) from None
            except Exception:
                raise _damaged_photo(name) from None
            kept = {
                key: image.info[key] for key in ("icc_profile", "transparency") if key in image.info
            }
    # Everything else in .info (exif, xmp, comment, text chunks, dpi) is metadata: dropped.
    upright.info = {}
    out = io.BytesIO()
    if pillow_format == "JPEG":
        upright.save(out, "JPEG", quality=JPEG_QUALITY, **kept)
    else:
        upright.save(out, "PNG", **kept)
    return out.getvalue()


def _header_size(data: bytes, pillow_format: str) -> tuple[int, int]:
    """Width and height as a PNG header claims them (for the message; Pillow refused the file)."""
    if pillow_format == "PNG" and len(data) >= 24:
        return int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")
    return 0, 0


# --- PDFs ------------------------------------------------------------------------------------


def _damaged_pdf(name: str) -> ValidationError:
    return ValidationError(
        _("%(name)s cannot be read as a PDF: the file is damaged, incomplete or too complex.")
        % {"name": name}
    )


def _check_pdf(name: str, data: bytes) -> None:
    limits = pypdf.get_configuration().with_overwrites(
        maximum_declared_stream_length=max_bytes(),
        page_tree_maximum_entries=10_000,
        **dict.fromkeys(
            (
                "zlib_maximum_output_length",
                "lzw_maximum_output_length",
                "run_length_maximum_output_length",
                "brotli_maximum_output_length",
                "jbig2_maximum_output_length",
                "array_based_stream_maximum_output_length",
                "stream_decoding_work_maximum_length",
            ),
            PDF_MAX_INFLATED,
        ),
    )
    with pypdf.apply_configuration(limits):
        try:
            reader = pypdf.PdfReader(io.BytesIO(data), strict=False)
            encrypted = reader.is_encrypted
            if not encrypted:
                if "/Root" not in reader.trailer:
                    raise ValueError("no document catalogue")
                pages = len(reader.pages)
                active = _has_active_content(reader)
        except Exception:  # pypdf's errors, recursion and limits alike: unreadable is refused
            raise _damaged_pdf(name) from None
    if encrypted:
        raise ValidationError(
            _("%(name)s is protected with a password. Send the PDF without its protection.")
            % {"name": name}
        )
    if pages == 0:
        raise _damaged_pdf(name)
    if pages > max_pdf_pages():
        raise ValidationError(
            _("%(name)s has %(count)s pages: at most %(limit)s.")
            % {"name": name, "count": pages, "limit": max_pdf_pages()}
        )
    # A PDF is stored as sent, so one that is also a ZIP archive (its directory at the end, where
    # a PDF reader does not look) would be handed out with the archive inside: an embedded file.
    if active or zipfile.is_zipfile(io.BytesIO(data)):
        raise _active_pdf(name)


def _active_pdf(name: str) -> ValidationError:
    return ValidationError(
        _(
            "%(name)s contains a script, an embedded file or an action that opens another "
            "program. Send a PDF without them (for instance: print it to a new PDF)."
        )
        % {"name": name}
    )


def _resolved(value: Any) -> Any:
    return value.get_object() if isinstance(value, IndirectObject) else value


def _has_active_content(reader: pypdf.PdfReader) -> bool:
    """Walk every object reachable from the trailer (catalogue, pages, annotations, name trees,
    actions, form fields) once; stream dictionaries are read, their data never decoded."""
    for dictionary in _dictionaries(reader.trailer):
        for key, value in dictionary.items():
            if key in PDF_FORBIDDEN_KEYS:
                return True
            if key == "/S" and _resolved(value) in PDF_FORBIDDEN_ACTIONS:
                return True
            if key == "/Subtype" and _resolved(value) in PDF_FORBIDDEN_SUBTYPES:
                return True
    return False


def _dictionaries(start: DictionaryObject) -> Iterator[DictionaryObject]:
    stack: list[Any] = [start]
    seen: set[tuple[int, int]] = set()
    visited = 0
    while stack:
        item = stack.pop()
        if isinstance(item, IndirectObject):
            key = (item.idnum, item.generation)
            if key in seen:
                continue
            seen.add(key)
            item = item.get_object()
        visited += 1
        if visited > PDF_MAX_OBJECTS:
            raise ValueError("too many objects to check")
        if isinstance(item, DictionaryObject):  # a stream's dictionary too
            yield item
            stack.extend(item.values())
        elif isinstance(item, ArrayObject):
            stack.extend(item)
