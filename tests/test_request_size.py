"""A request is bounded before its body is read (core/uploads.py): a declared length above the
bound is a 413 before a byte of the body is read, a body without a length a 411, and a body that
streams past the bound, whatever its Content-Length said, is cut off there."""

import io
import socket
import time
import uuid
from urllib.parse import urlsplit

import pytest
from django.core.handlers.asgi import ASGIRequest
from django.http import HttpResponse
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone

from schakel.core.uploads import RequestSizeMiddleware, request_bound
from schakel.intake.models import Signal

MB = 1024 * 1024
BOUNDARY = "schakel-grens"


class Untouchable(io.RawIOBase):
    """A request body that fails the test when anything reads it."""

    def readable(self):
        return True

    def readinto(self, buffer):
        pytest.fail("the body was read")


class Counting(io.BytesIO):
    """A request body that counts what is read from it."""

    consumed = 0

    def read(self, size=-1):
        data = super().read(size)
        self.consumed += len(data)
        return data


def multipart(fields: dict[str, str], files: dict[str, tuple[str, bytes]]) -> bytes:
    parts = []
    for key, value in fields.items():
        disposition = f'Content-Disposition: form-data; name="{key}"'
        parts.append(f"--{BOUNDARY}\r\n{disposition}\r\n\r\n{value}\r\n".encode())
    for key, (filename, content) in files.items():
        parts.append(
            f"--{BOUNDARY}\r\nContent-Disposition: form-data; "
            f'name="{key}"; filename="{filename}"\r\nContent-Type: image/jpeg\r\n\r\n'.encode()
            + content
            + b"\r\n"
        )
    return b"".join(parts) + f"--{BOUNDARY}--\r\n".encode()


def view_not_reached(request):
    pytest.fail("the view was reached")


def declared(path: str, length: int, **extra):
    request = RequestFactory().generic(
        "POST",
        path,
        b"",
        content_type=f"multipart/form-data; boundary={BOUNDARY}",
        CONTENT_LENGTH=str(length),
        **extra,
    )
    request._stream = Untouchable()
    return request


# --- The bound ---------------------------------------------------------------------------------


def test_the_forms_that_take_attachments_allow_every_file_plus_the_fields_others_less(settings):
    factory = RequestFactory()
    assert request_bound(factory.post(reverse("intake:report"))) == 25 * MB + 1 * MB
    # The public form takes no files.
    assert request_bound(factory.post(reverse("intake:public_report"))) == 5 * MB
    assert request_bound(factory.post(reverse("login"))) == 5 * MB
    settings.SCHAKEL_ATTACHMENTS_PER_SIGNAL = 2  # two files of 10 MB are less than 25 MB
    assert request_bound(factory.post(reverse("intake:report"))) == 2 * 10 * MB + 1 * MB


@pytest.mark.parametrize(
    ("path", "length"),
    [("/melden/", 5 * MB + 1), ("/signals/report/", 40 * MB), ("/login/", 5 * MB + 1)],
)
def test_a_body_declared_above_its_bound_is_refused_before_a_byte_is_read(path, length):
    response = RequestSizeMiddleware(view_not_reached)(declared(path, length))
    assert response.status_code == 413


def test_a_body_declared_at_its_bound_is_let_through():
    request = RequestFactory().post(
        "/login/", "username=x", "application/x-www-form-urlencoded", CONTENT_LENGTH=str(5 * MB)
    )
    assert RequestSizeMiddleware(lambda r: HttpResponse("ok"))(request).status_code == 200


def test_a_body_without_a_length_is_refused_before_it_is_read():
    request = declared("/melden/", 0, HTTP_TRANSFER_ENCODING="chunked")
    del request.META["CONTENT_LENGTH"]
    assert RequestSizeMiddleware(view_not_reached)(request).status_code == 411


def test_the_413_page_says_nothing_was_sent_the_limit_and_that_going_back_keeps_the_form(client):
    response = client.post(
        "/signals/report/",
        b"--",
        content_type=f"multipart/form-data; boundary={BOUNDARY}",
        CONTENT_LENGTH=str(40 * MB),
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 413
    page = response.content.decode()
    assert "Nothing was sent" in page and "26.0" in page  # 26 MB: 25 MB of files and the form
    assert "5 files of at most 10.0\xa0MB each and 25.0\xa0MB together" in page
    assert "what you filled in is still in the form" in page
    assert 'class="utrecht-skip-link' in page  # the site's own layout


# --- Cut off while streaming ---------------------------------------------------------------------


@pytest.fixture
def small_limits(settings):
    """100 KB a file, 2 files, 100 KB of fields: a bound of 300 KB."""
    settings.SCHAKEL_ATTACHMENT_MAX_BYTES = 100 * 1024
    settings.SCHAKEL_ATTACHMENTS_PER_SIGNAL = 2
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 100 * 1024
    return 300 * 1024


def asgi_request(body: bytes, content_length: bytes | None) -> tuple[ASGIRequest, Counting]:
    stream = Counting(body)
    headers = [(b"content-type", f"multipart/form-data; boundary={BOUNDARY}".encode())]
    if content_length is not None:
        headers.append((b"content-length", content_length))
    scope = {"type": "http", "method": "POST", "path": "/signals/report/", "headers": headers}
    return ASGIRequest(scope, stream), stream


def test_a_body_streaming_past_the_bound_is_cut_off_whatever_its_length_said(small_limits):
    """Behind an ASGI server the body reaches Django as a file, not held to its Content-Length:
    the upload handler stops reading it at the bound."""
    eight_mb = multipart({"description": "Vier mannen"}, {"attachments": ("a.jpg", b"x" * 8 * MB)})
    request, body = asgi_request(eight_mb, content_length=b"1000")
    response = RequestSizeMiddleware(view_not_reached)(request)
    assert response.status_code == 413
    assert small_limits < body.consumed <= small_limits + 3 * 64 * 1024  # of the 8 MB sent
    assert body.consumed < len(eight_mb) / 20


def test_a_body_without_any_length_is_not_read_at_all(small_limits):
    """Without a Content-Length (chunked, and no Transfer-Encoding header passed on) Django reads
    the body as empty: the form sees no files, and nothing of the body is parsed."""
    eight_mb = multipart({"description": "Vier mannen"}, {"attachments": ("a.jpg", b"x" * 8 * MB)})
    request, body = asgi_request(eight_mb, content_length=None)
    response = RequestSizeMiddleware(lambda r: HttpResponse(str(len(r.FILES))))(request)
    assert response.content == b"0"
    assert body.consumed == 0


def test_a_file_above_its_limit_is_kept_no_further_and_refused_next_to_the_field(small_limits):
    body = multipart({"description": "Vier mannen"}, {"attachments": ("groot.jpg", b"x" * 250_000)})
    request = RequestFactory().generic(
        "POST", "/melden/", body, content_type=f"multipart/form-data; boundary={BOUNDARY}"
    )
    response = RequestSizeMiddleware(lambda r: HttpResponse("ok"))(request)
    assert response.status_code == 200  # within the bound: the form answers, not a 413
    kept = request.FILES["attachments"]
    assert 100 * 1024 < kept.size <= 100 * 1024 + 64 * 1024  # not the 250 KB that was sent
    assert request.POST["description"] == "Vier mannen"


@pytest.mark.django_db
def test_the_form_names_the_file_that_was_too_large_and_keeps_what_was_typed(
    client, municipal_reporter, small_limits, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path / "media"
    membership = municipal_reporter.memberships.get()
    client.force_login(municipal_reporter)
    fields = {
        "reporting_as": f"{membership.organisation_id}:{membership.role}",
        "municipality": str(membership.organisation.municipality_id),
        "observed_on": timezone.localdate().isoformat(),
        "place": "Havenweg 12",
        "exploitation_forms": "labour",
        "description": "Zes mensen slapen in de loods.",
        "submission_token": str(uuid.uuid4()),
        "persons-TOTAL_FORMS": "1",
        "persons-INITIAL_FORMS": "0",
        "persons-MIN_NUM_FORMS": "0",
        "persons-MAX_NUM_FORMS": "5",
    }
    # The file comes first, the typed fields after it: they must survive the cut-off file.
    body = multipart({}, {"attachments": ("busje.jpg", b"\xff\xd8\xff" + b"x" * 250_000)})
    body = body.removesuffix(f"--{BOUNDARY}--\r\n".encode()) + multipart(fields, {})
    response = client.post(
        reverse("intake:report"), body, content_type=f"multipart/form-data; boundary={BOUNDARY}"
    )
    assert response.status_code == 200
    (error,) = response.context["form"].errors["attachments"]
    assert "busje.jpg" in error and "100" in error
    assert "Zes mensen slapen in de loods." in response.content.decode()
    assert not Signal.objects.exists()


# --- Over a real socket ------------------------------------------------------------------------


def open_post(live_server, path: str, headers: dict[str, str]) -> socket.socket:
    url = urlsplit(live_server.url)
    connection = socket.create_connection((url.hostname, url.port), timeout=10)
    head = f"POST {path} HTTP/1.1\r\nHost: {url.netloc}\r\n"
    head += "".join(f"{key}: {value}\r\n" for key, value in headers.items())
    connection.sendall((head + "\r\n").encode())
    return connection


def read_response_head(connection: socket.socket) -> bytes:
    received = b""
    while b"\r\n\r\n" not in received:
        chunk = connection.recv(65536)
        if not chunk:
            break
        received += chunk
    return received


@pytest.mark.parametrize(
    ("path", "length"),
    [("/signals/report/", 40 * MB), ("/melden/", 40 * MB), ("/login/", 40 * MB)],
)
def test_the_server_answers_413_while_almost_all_of_the_body_is_still_unsent(
    live_server, path, length
):
    connection = open_post(
        live_server,
        path,
        {
            "Content-Type": f"multipart/form-data; boundary={BOUNDARY}",
            "Content-Length": str(length),
        },
    )
    try:
        first = multipart({"description": "Vier mannen"}, {"attachments": ("a.jpg", b"x" * 4096)})
        connection.sendall(first[: -len(f"--{BOUNDARY}--\r\n")])
        started = time.perf_counter()
        head = read_response_head(connection)  # a server reading the body would wait forever
        seconds = time.perf_counter() - started
    finally:
        connection.close()
    assert head.startswith(b"HTTP/1.1 413")
    assert len(first) / length < 0.001  # sent: under a thousandth of the declared body
    assert seconds < 5


def test_the_server_refuses_a_chunked_body_after_its_first_chunk(live_server):
    connection = open_post(
        live_server,
        "/melden/",
        {
            "Content-Type": f"multipart/form-data; boundary={BOUNDARY}",
            "Transfer-Encoding": "chunked",
        },
    )
    try:
        chunk = b"x" * 4096
        connection.sendall(b"%x\r\n%s\r\n" % (len(chunk), chunk))
        head = read_response_head(connection)
    finally:
        connection.close()
    assert head.startswith(b"HTTP/1.1 411")
