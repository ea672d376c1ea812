"""Files sent with a signal are judged by parsing them: each disguise of the issue has a test.
Every file here is real: PDFs written by pypdf (or WeasyPrint), photos by Pillow, and the hand-made
ones (a PNG header, a PDF around a deflate bomb) byte for byte with valid checksums."""

import io
import struct
import time
import tracemalloc
import zipfile
import zlib

import pypdf
import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation
from PIL import Image, features
from pypdf.generic import (
    ArrayObject,
    DictionaryObject,
    NameObject,
    NumberObject,
    TextStringObject,
)

from schakel.intake import attachments
from schakel.intake.models import Signal, SignalAttachment

from .test_signal_details import report as report_signal

# --- Makers ----------------------------------------------------------------------------------


def name(value: str) -> NameObject:
    return NameObject(value)


def pdf(change=None, pages: int = 1) -> bytes:
    writer = pypdf.PdfWriter()
    for _ in range(pages):
        writer.add_blank_page(595, 842)
    if change is not None:
        change(writer)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def javascript_action() -> DictionaryObject:
    return DictionaryObject(
        {name("/S"): name("/JavaScript"), name("/JS"): TextStringObject("app.alert('hoi')")}
    )


def open_action_javascript(writer):
    writer.root_object[name("/OpenAction")] = javascript_action()


def link_annotation(action: DictionaryObject):
    def change(writer):
        annotation = DictionaryObject(
            {
                name("/Type"): name("/Annot"),
                name("/Subtype"): name("/Link"),
                name("/Rect"): ArrayObject([NumberObject(n) for n in (10, 10, 200, 40)]),
                name("/A"): action,
            }
        )
        writer.add_annotation(0, annotation)

    return change


def launch_action() -> DictionaryObject:
    return DictionaryObject({name("/S"): name("/Launch"), name("/F"): TextStringObject("cmd.exe")})


def file_attachment_annotation(writer):
    annotation = DictionaryObject(
        {
            name("/Type"): name("/Annot"),
            name("/Subtype"): name("/FileAttachment"),
            name("/Rect"): ArrayObject([NumberObject(n) for n in (10, 10, 30, 30)]),
            name("/FS"): TextStringObject("factuur.exe"),
        }
    )
    writer.add_annotation(0, annotation)


def real_pdf() -> bytes:
    from weasyprint import HTML

    return HTML(string="<h1>Verklaring</h1><p>Gezien op de Havenweg.</p>").write_pdf()


def objstm_bomb_pdf(inflated: int = 200_000_000) -> bytes:
    """A well-formed PDF 1.5 whose catalogue points to an object kept in a compressed object
    stream: 200 MB of spaces that deflate to a few hundred KB."""
    compressor = zlib.compressobj(9)
    block = b" " * 1_000_000
    bomb = compressor.compress(b"6 0 ")
    for _ in range(inflated // len(block)):
        bomb += compressor.compress(block)
    bomb += compressor.flush()
    parts = [b"%PDF-1.7\n"]
    offsets: dict[int, int] = {}

    def add(number: int, body: bytes) -> None:
        offsets[number] = sum(map(len, parts))
        parts.append(b"%d 0 obj\n" % number + body + b"\nendobj\n")

    add(1, b"<< /Type /Catalog /Pages 2 0 R /Extra 6 0 R >>")
    add(2, b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>")
    add(3, b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] >>")
    add(
        4,
        b"<< /Type /ObjStm /N 1 /First 4 /Filter /FlateDecode /Length %d >>\nstream\n" % len(bomb)
        + bomb
        + b"\nendstream",
    )
    xref_at = sum(map(len, parts))
    rows = [(0, 0, 65535)] + [(1, offsets[n], 0) for n in (1, 2, 3, 4)]
    rows += [(1, xref_at, 0), (2, 4, 0)]
    table = b"".join(struct.pack(">BIH", *row) for row in rows)
    add(
        5,
        b"<< /Type /XRef /Size 7 /W [1 4 2] /Root 1 0 R /Length %d >>\nstream\n" % len(table)
        + table
        + b"\nendstream",
    )
    parts.append(b"startxref\n%d\n%%%%EOF\n" % xref_at)
    return b"".join(parts)


def zip_bomb_behind_pdf_header() -> bytes:
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as bomb:
        for number in range(4):
            bomb.writestr(f"nul-{number}.bin", b"\0" * 50_000_000)
    return b"%PDF-1.7\n" + archive.getvalue() + b"\nstartxref\n9\n%%EOF\n"


def photo(fmt: str = "JPEG", size=(64, 48), colour=(200, 30, 30), mode="RGB", **save) -> bytes:
    out = io.BytesIO()
    Image.new(mode, size, colour).save(out, fmt, **save)
    return out.getvalue()


def png_chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def png_claiming(width: int, height: int) -> bytes:
    """A PNG whose header claims width × height, with one tiny compressed row after it."""
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + png_chunk(b"IHDR", header)
        + png_chunk(b"IDAT", zlib.compress(b"\0" * 1024))
        + png_chunk(b"IEND", b"")
    )


def gps_jpeg(orientation: int = 1) -> bytes:
    """A camera photo: EXIF with the GPS position of the Havenweg, a camera model, orientation."""
    exif = Image.Exif()
    exif[0x0110] = "Telefoon X"  # Model
    exif[0x0112] = orientation
    exif[0x8825] = {1: "N", 2: (51.0, 55.0, 12.5), 3: "E", 4: (4.0, 29.0, 3.25)}  # GPS IFD
    return photo(size=(60, 40), exif=exif.tobytes())


def upload(data: bytes, filename: str = "bestand") -> SimpleUploadedFile:
    return SimpleUploadedFile(filename, data)


@pytest.fixture(autouse=True)
def english():
    """Messages are asserted in English, the source language, unless a test says Dutch."""
    with translation.override("en"):
        yield


def refusal(data: bytes, filename: str) -> str:
    with pytest.raises(ValidationError) as refused:
        attachments.checked(upload(data, filename))
    (message,) = refused.value.messages
    assert filename in message  # the message names the file
    return message


# --- PDFs ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "change",
    [
        pytest.param(open_action_javascript, id="openaction-javascript"),
        pytest.param(link_annotation(javascript_action()), id="link-annotation-js"),
        pytest.param(link_annotation(launch_action()), id="link-annotation-launch"),
        pytest.param(
            lambda w: w.add_open_action(pypdf.actions.JavaScript("app.alert(1)")),
            id="names-javascript-tree",
        ),
        pytest.param(lambda w: w.add_attachment("loon.xlsm", b"PK macro"), id="embedded-file"),
        pytest.param(file_attachment_annotation, id="file-attachment-annotation"),
    ],
)
def test_a_pdf_with_a_script_an_embedded_file_or_a_launch_action_is_refused(change):
    good = pdf()
    attachments.checked(upload(good, "goed.pdf"))  # the same PDF without it passes
    message = refusal(pdf(change), "verklaring.pdf")
    assert "script" in message


def test_a_script_under_a_hex_escaped_name_is_still_found():
    data = pdf(link_annotation(javascript_action()))
    disguised = data.replace(b"/JS ", b"/J#53 ").replace(b"/JavaScript", b"/Java#53cript")
    assert b"/JS " not in disguised and b"/JavaScript" not in disguised
    assert "script" in refusal(disguised, "verklaring.pdf")


def test_a_script_in_an_annotations_additional_actions_is_refused():
    action = DictionaryObject(
        {name("/S"): name("/URI"), name("/URI"): TextStringObject("https://x")}
    )
    data = pdf(link_annotation(action))
    attachments.checked(upload(data, "link.pdf"))  # a plain web link is fine
    with_aa = data.replace(b"/Subtype /Link", b"/Subtype /Link /AA << /E << /S /JavaScript >> >>")
    assert "script" in refusal(with_aa, "link.pdf")


def test_an_encrypted_pdf_is_refused():
    message = refusal(pdf(lambda w: w.encrypt("geheim")), "beveiligd.pdf")
    assert "password" in message


def test_an_encrypted_pdf_without_a_user_password_is_refused_too():
    assert "password" in refusal(pdf(lambda w: w.encrypt("", "eigenaar")), "beveiligd.pdf")


@pytest.mark.parametrize(
    "make", [zip_bomb_behind_pdf_header, objstm_bomb_pdf], ids=["zip", "object-stream"]
)
def test_a_deflate_bomb_behind_a_pdf_header_is_refused_quickly_without_inflating(make):
    data = make()
    assert data.startswith(b"%PDF-") and len(data) < 2_000_000  # 200 MB inflated
    tracemalloc.start()
    started = time.perf_counter()
    try:
        message = refusal(data, "scan.pdf")
        seconds = time.perf_counter() - started
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert "cannot be read" in message
    assert seconds < 2
    assert peak < 40_000_000  # never more than the inflation limit (8 MB) and the file


@pytest.mark.parametrize(
    "data",
    [
        pytest.param(pdf()[: len(pdf()) // 2], id="truncated"),
        pytest.param(b"%PDF-1.4\n" + bytes(range(256)) * 40, id="garbage"),
        pytest.param(b"%PDF-1.4\n%%EOF\n", id="empty"),
    ],
)
def test_a_truncated_or_garbage_pdf_is_refused(data):
    assert "cannot be read" in refusal(data, "kapot.pdf")


def test_a_pdf_with_too_many_pages_is_refused(settings):
    settings.SCHAKEL_ATTACHMENT_MAX_PDF_PAGES = 3
    attachments.checked(upload(pdf(pages=3), "drie.pdf"))
    assert "4" in refusal(pdf(pages=4), "vier.pdf")


def test_a_real_pdf_is_accepted_and_stored_as_sent():
    data = real_pdf()
    checked = attachments.checked(upload(data, "verklaring.pdf"))
    assert checked.content_type == "application/pdf"
    assert checked.read() == data


# --- Photos ----------------------------------------------------------------------------------


def test_a_png_claiming_65535_by_65535_pixels_is_refused_before_decoding():
    data = png_claiming(65535, 65535)
    assert len(data) < 200
    tracemalloc.start()
    try:
        message = refusal(data, "kaart.png")
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert "65535 × 65535" in message
    assert peak < 5_000_000  # 4.3 gigapixels were never allocated


def test_a_png_just_above_the_pixel_limit_is_refused_and_one_below_accepted(settings):
    settings.SCHAKEL_ATTACHMENT_MAX_PIXELS = 10_000
    attachments.checked(upload(photo("PNG", size=(100, 100)), "klein.png"))
    assert "101 × 100" in refusal(photo("PNG", size=(101, 100)), "groot.png")


def test_a_pillow_decompression_bomb_is_refused():
    bomb = photo("PNG", size=(12_000, 12_000), colour=0, mode="1")  # 144 megapixels
    assert len(bomb) < 100_000
    assert "too many pixels" in refusal(bomb, "bom.png")


def test_pillows_own_pixel_limit_is_honoured(settings, monkeypatch):
    settings.SCHAKEL_ATTACHMENT_MAX_PIXELS = 10**9
    monkeypatch.setattr(Image, "MAX_IMAGE_PIXELS", 1_000)
    assert "too many pixels" in refusal(photo("PNG", size=(40, 40)), "foto.png")


def test_a_jpeg_html_polyglot_is_stored_without_its_html():
    html = b"<html><body><script>alert(document.cookie)</script></body></html>"
    polyglot = photo(comment=html) + html  # in a comment segment and after the image
    assert Image.open(io.BytesIO(polyglot)).format == "JPEG"
    stored = attachments.checked(upload(polyglot, "foto.jpg")).read()
    assert b"<html" not in stored.lower() and b"<script" not in stored.lower()
    assert Image.open(io.BytesIO(stored)).getpixel((5, 5)) == pytest.approx((200, 30, 30), abs=3)


@pytest.mark.parametrize(
    "data",
    [
        pytest.param(photo("GIF"), id="gif"),
        pytest.param(b"<!doctype html><html><script>alert(1)</script></html>", id="html"),
        pytest.param(b"MZ\x90\x00\x03\x00\x00\x00\x04\x00" + b"\0" * 200, id="exe"),
        pytest.param(b"\xff\xd8\xff\xe0 not really a jpeg at all", id="jpeg-magic-only"),
        pytest.param(photo()[:300], id="truncated-jpeg"),
    ],
)
def test_a_file_that_is_not_a_photo_is_refused_whatever_its_name(data):
    with translation.override("nl"):
        message = refusal(data, "foto.jpg")
    assert "foto.jpg" in message


def test_a_file_of_another_type_gets_the_known_dutch_message():
    with translation.override("nl"):
        assert refusal(photo("GIF"), "foto.jpg") == "foto.jpg is geen foto (JPEG, PNG) of pdf."


@pytest.mark.skipif(not features.check("webp"), reason="this Pillow cannot write WebP")
def test_a_webp_photo_is_refused_with_advice():
    assert "WebP" in refusal(photo("WEBP"), "foto.webp")


def test_a_heic_photo_is_refused_with_advice():
    heic = struct.pack(">I", 24) + b"ftypheic" + b"\0\0\0\0mif1heic" + b"\0" * 100
    assert "HEIC" in refusal(heic, "IMG_0001.HEIC")


def test_exif_with_the_gps_position_is_removed_and_the_orientation_applied():
    original = gps_jpeg(orientation=6)  # taken with the phone on its side
    assert Image.open(io.BytesIO(original)).getexif().get_ifd(0x8825)
    stored = attachments.checked(upload(original, "foto.jpg")).read()
    image = Image.open(io.BytesIO(stored))
    assert not image.getexif()  # no GPS, no camera, no orientation left
    assert b"Exif" not in stored and b"Telefoon" not in stored
    assert image.size == (40, 60)  # turned upright: the viewer needs no orientation tag


def test_a_png_keeps_its_transparency_and_loses_its_text_chunks():
    from PIL import PngImagePlugin

    text = PngImagePlugin.PngInfo()
    text.add_text("Comment", "gemaakt bij Havenweg 12")
    data = photo("PNG", colour=(0, 0, 0, 0), mode="RGBA", pnginfo=text)
    stored = attachments.checked(upload(data, "schets.png")).read()
    assert b"Havenweg" not in stored
    assert Image.open(io.BytesIO(stored)).getpixel((0, 0)) == (0, 0, 0, 0)


@pytest.mark.parametrize(
    ("data", "content_type"),
    [(photo("JPEG"), "image/jpeg"), (photo("PNG"), "image/png"), (pdf(), "application/pdf")],
    ids=["jpeg", "png", "pdf"],
)
def test_a_good_photo_or_pdf_is_accepted(data, content_type):
    assert attachments.content_type_of(upload(data, "bijlage")) == content_type


def test_a_checked_file_is_not_parsed_a_second_time():
    checked = attachments.checked(upload(photo(), "foto.jpg"))
    assert attachments.checked(checked) is checked


# --- Through the form: the stored file is the re-encoded one ----------------------------------


@pytest.fixture
def private_media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def report(client, user, files):
    return report_signal(client, user, files=files)


@pytest.mark.django_db
def test_the_stored_photo_is_the_clean_one_and_its_hash_and_size_are_of_what_is_stored(
    client, municipal_reporter, private_media
):
    import hashlib

    html = b"<html><script>alert(1)</script></html>"
    client.force_login(municipal_reporter)
    files = [upload(gps_jpeg() + html, "busje.jpg"), upload(real_pdf(), "verklaring.pdf")]
    assert report(client, municipal_reporter, files).status_code == 302
    photo_row, pdf_row = SignalAttachment.objects.order_by("-content_type")
    with photo_row.file.open("rb") as stored_file:
        stored = stored_file.read()
    assert b"<script" not in stored and b"Exif" not in stored
    assert photo_row.content_type == "image/jpeg" and photo_row.original_name == "busje.jpg"
    assert photo_row.size == len(stored)
    assert photo_row.sha256 == hashlib.sha256(stored).hexdigest()
    assert pdf_row.content_type == "application/pdf"


@pytest.mark.django_db
def test_every_refused_file_is_named_next_to_the_field_and_the_typed_text_is_kept(
    client, municipal_reporter, private_media
):
    client.force_login(municipal_reporter)
    files = [
        upload(pdf(open_action_javascript), "verklaring.pdf"),
        upload(photo(), "goed.jpg"),
        upload(png_claiming(65535, 65535), "kaart.png"),
    ]
    response = report(client, municipal_reporter, files)
    assert response.status_code == 200
    errors = response.context["form"].errors["attachments"]
    assert len(errors) == 2
    assert "verklaring.pdf" in errors[0] and "kaart.png" in errors[1]
    assert "Zes mensen slapen in de loods." in response.content.decode()
    assert not Signal.objects.exists() and not SignalAttachment.objects.exists()
