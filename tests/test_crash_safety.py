"""A report that Schakel acknowledged survives the server dying, and nothing half-written does.

The real server (gunicorn with the production config, schakel.config.gunicorn, two workers, the
production settings) runs on the PostgreSQL test database. A burst of reports is sent from
several clients at once; after a fixed number of acknowledgements the whole server, master and
workers, is killed with SIGKILL, in the middle of the burst: requests in flight die with it and
the rest find no server. The server is started again, and the database and the media folder are
compared with what the clients saw:

- every report acknowledged with a reference is stored exactly once, under that reference;
- every stored report is whole: its forms, persons, attachments (the file present, decryptable,
  its hash the row's) and its audit entry; none is stored twice;
- a report whose answer was lost is sent again by its client (the same form), and is then stored
  once: a retry never makes a second signal;
- after the sweep of apply_retention, no file lies in the media folder without its row.

Once for the public form (no files: it takes a sketch only) and once for the report form of a
logged-in municipal reporter, with named persons and photos and PDFs. Skipped on SQLite: its
single writer and in-memory test database say nothing about a server losing its processes."""

from __future__ import annotations

import hashlib
import http.client
import io
import os
import re
import signal
import subprocess
import sys
import threading
import time
import urllib.parse
import uuid
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import timedelta
from http.cookies import SimpleCookie
from pathlib import Path

import pypdf
import pytest
from django.conf import settings
from django.contrib.auth.hashers import PBKDF2PasswordHasher
from django.core import signing
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import connection
from django.utils import timezone
from PIL import Image

from schakel.audit.models import AuditEvent
from schakel.catalogue.models import ExploitationForm
from schakel.intake.forms import PUBLIC_FORM_SALT
from schakel.intake.models import Signal, SignalAttachment
from schakel.intake.retention import sweep_orphan_files
from schakel.organisations.roles import Role
from tests.factories import SignalFactory, user_with_role
from tests.test_rate_limit_workers import database_for_the_server, free_port

pytestmark = pytest.mark.django_db(transaction=True)

ROOT = Path(__file__).resolve().parent.parent
GUNICORN = Path(sys.executable).with_name("gunicorn")
CLIENTS = 4  # requests in flight at once
PUBLIC_REPORTS, PUBLIC_KILL_AFTER = 20, 6
STAFF_REPORTS, STAFF_KILL_AFTER = 12, 4
PASSWORD = "crash-test-password-1"
REFERENCE = re.compile(rb'data-testid="reference">(MH-\d{4}-[A-Z0-9]+)<')
RECEIVED = re.compile(r"/signals/(MH-\d{4}-[A-Z0-9]+)/received/")


def _png(shade: int) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (64, 48), (shade, 120, 200)).save(out, "PNG")
    return out.getvalue()


def _pdf() -> bytes:
    writer = pypdf.PdfWriter()
    writer.add_blank_page(595, 842)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


class Server:
    """gunicorn as production runs it, in a process group of its own so that one SIGKILL
    reaches the master and every worker at once."""

    def __init__(self, tmp_path: Path, database_url: str) -> None:
        self.port = free_port()
        self.log_path = tmp_path / "gunicorn.log"
        self.process: subprocess.Popen[bytes] | None = None
        self.env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "tests.server_settings",
            "PYTHONPATH": os.pathsep.join([str(ROOT / "src"), str(ROOT)]),
            "DATABASE_URL": database_url,
            # The test process's keys: it signs the public forms' tokens and decrypts the files.
            "SECRET_KEY": settings.SECRET_KEY,
            "SCHAKEL_ENCRYPTION_KEYS": ",".join(settings.SCHAKEL_ENCRYPTION_KEYS),
            "SCHAKEL_BLIND_INDEX_KEY": settings.SCHAKEL_BLIND_INDEX_KEY,
            "SCHAKEL_AUDIT_KEY": settings.SCHAKEL_AUDIT_KEY,
            "SCHAKEL_MEDIA_ROOT": str(settings.MEDIA_ROOT),
            "SCHAKEL_AUDIT_CHECKPOINT_DIR": str(tmp_path / "checkpoints"),
            "ALLOWED_HOSTS": "127.0.0.1",
            "SCHAKEL_BIND": f"127.0.0.1:{self.port}",
            "SCHAKEL_WORKERS": "2",
            # The burst comes from one address and a few form sessions: the limits stay out of it.
            "SCHAKEL_PUBLIC_REPORTS_PER_HOUR": "1000",
            "SCHAKEL_PUBLIC_REPORTS_PER_ADDRESS_PER_HOUR": "1000",
        }

    def start(self) -> None:
        log = self.log_path.open("a")
        self.process = subprocess.Popen(
            [str(GUNICORN), "-c", "python:schakel.config.gunicorn", "schakel.config.wsgi"],
            cwd=ROOT,
            env=self.env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        log.close()
        deadline = time.monotonic() + 30
        while True:  # wait for the port: the master answers once a worker has booted
            try:
                if call(self.port, "GET", "/healthz")[0] == 200:
                    return
            except OSError:
                pass
            if self.process.poll() is not None or time.monotonic() > deadline:
                pytest.fail(f"gunicorn did not start:\n{self.log_path.read_text()}")
            time.sleep(0.1)

    def kill(self) -> None:
        """SIGKILL to the whole process group: no worker finishes its request or rolls back."""
        assert self.process is not None
        os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(10)
        deadline = time.monotonic() + 10
        while True:  # the workers, orphaned, are gone too (reaped by init)
            try:
                os.killpg(self.process.pid, 0)
            except ProcessLookupError:
                return
            assert time.monotonic() < deadline, "a worker survived the SIGKILL"
            time.sleep(0.05)

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(15)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(5)


def call(port: int, method: str, path: str, headers=None, body: bytes | None = None):
    """One request as nginx would pass it on (HTTPS at the proxy): (status, headers, body)."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        conn.request(
            method,
            path,
            body=body,
            headers={
                "X-Forwarded-Proto": "https",
                "Origin": f"https://127.0.0.1:{port}",  # CSRF over HTTPS checks the origin
                **(headers or {}),
            },
        )
        response = conn.getresponse()
        return response.status, response.headers, response.read()
    finally:
        conn.close()


class Browser:
    """Cookies and the CSRF token of one browser."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.cookies: dict[str, str] = {}
        self.csrf = ""

    def request(self, method: str, path: str, body: bytes | None = None, content_type: str = ""):
        headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())}
        if content_type:
            headers["Content-Type"] = content_type
        status, response_headers, page = call(self.port, method, path, headers, body)
        for header in response_headers.get_all("Set-Cookie") or []:
            jar = SimpleCookie()
            jar.load(header)
            self.cookies.update({name: morsel.value for name, morsel in jar.items()})
        found = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', page)
        if found:
            self.csrf = found.group(1).decode()
        return status, response_headers, page

    def post_form(self, path: str, fields: list[tuple[str, str]]):
        body = urllib.parse.urlencode([("csrfmiddlewaretoken", self.csrf), *fields]).encode()
        return self.request("POST", path, body, "application/x-www-form-urlencoded")

    def post_multipart(self, path: str, fields: list[tuple[str, str]], files):
        boundary = uuid.uuid4().hex
        parts: list[bytes] = []
        for name, value in [("csrfmiddlewaretoken", self.csrf), *fields]:
            parts.append(
                f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n'
                f"{value}\r\n".encode()
            )
        for filename, content_type, data in files:
            parts.append(
                f'--{boundary}\r\nContent-Disposition: form-data; name="attachments"; '
                f'filename="{filename}"\r\nContent-Type: {content_type}\r\n\r\n'.encode()
                + data
                + b"\r\n"
            )
        parts.append(f"--{boundary}--\r\n".encode())
        return self.request(
            "POST", path, b"".join(parts), f"multipart/form-data; boundary={boundary}"
        )


@dataclass
class Submission:
    """One report as its client sent it, and what the client saw."""

    token: uuid.UUID
    send: object  # () -> (status, headers, body), with the same form every time
    persons: int = 0
    files: list[tuple[str, str, bytes]] = field(default_factory=list)
    reference: str = ""  # the acknowledged reference, if an answer came back
    failed: str = ""


def burst(server: Server, submissions: list[Submission], kill_after: int, acknowledged) -> None:
    """Send every submission from CLIENTS threads; SIGKILL the server at the kill_after-th
    acknowledgement (no timing involved: the count decides). Afterwards every submission has
    either its reference or the error its client saw."""
    enough = threading.Event()
    lock = threading.Lock()
    count = [0]

    def send(submission: Submission) -> None:
        try:
            reference = acknowledged(submission.send())
        except (OSError, http.client.HTTPException) as error:
            submission.failed = type(error).__name__
            return
        if reference is None:
            submission.failed = "no acknowledgement"
            return
        submission.reference = reference
        with lock:
            count[0] += 1
            if count[0] == kill_after:
                enough.set()

    with ThreadPoolExecutor(CLIENTS) as pool:
        futures = [pool.submit(send, s) for s in submissions]
        assert enough.wait(45), f"fewer than {kill_after} reports acknowledged before the kill"
        server.kill()
        for future in futures:
            future.result(60)


def public_acknowledgement(answer) -> str | None:
    status, _headers, page = answer
    found = REFERENCE.search(page) if status == 200 else None
    return found.group(1).decode() if found else None


def staff_acknowledgement(answer) -> str | None:
    status, headers, _page = answer
    found = RECEIVED.search(headers.get("Location", "")) if status == 302 else None
    return found.group(1) if found else None


def stored_signals(submissions: list[Submission]) -> dict[uuid.UUID, list[Signal]]:
    tokens = [s.token for s in submissions]
    found: dict[uuid.UUID, list[Signal]] = {token: [] for token in tokens}
    for stored in Signal.objects.filter(submission_token__in=tokens):
        found[stored.submission_token].append(stored)
    return found


def assert_whole(stored: Signal, submission: Submission) -> None:
    """The signal with everything its form held, as one transaction wrote it."""
    assert list(stored.exploitation_forms.values_list("code", flat=True)) == ["labour"]
    assert stored.persons.count() == submission.persons, stored.reference
    rows = list(stored.attachments.order_by("pk"))
    assert len(rows) == len(submission.files), stored.reference
    for row, (filename, content_type, data) in zip(rows, submission.files, strict=True):
        assert row.original_name == filename and row.content_type == content_type
        with default_storage.open(row.file.name) as stored_file:  # present and decryptable
            plain = stored_file.read()
        assert hashlib.sha256(plain).hexdigest() == row.sha256 and len(plain) == row.size
        if content_type == "application/pdf":
            assert plain == data  # PDFs are kept as sent
        else:
            Image.open(io.BytesIO(plain)).verify()  # photos are stored re-encoded
    created = AuditEvent.objects.filter(
        action="create", object_type="intake.Signal", object_ids__contains=[str(stored.pk)]
    )
    assert created.count() == 1, stored.reference


def files_on_disk() -> set[str]:
    root = Path(settings.MEDIA_ROOT)
    return {str(p.relative_to(root)) for p in (root / "signals").rglob("*") if p.is_file()}


def check_after_the_crash(server: Server, submissions: list[Submission], resend_acknowledged):
    """What the clients saw against what is stored; then every client without an answer sends
    its form again, and every report is stored exactly once."""
    found = stored_signals(submissions)
    acknowledged = [s for s in submissions if s.reference]
    for submission in acknowledged:
        assert [s.reference for s in found[submission.token]] == [submission.reference]
    for submission in submissions:
        assert len(found[submission.token]) <= 1
        for stored in found[submission.token]:
            assert_whole(stored, submission)
    stored_before_retry = sum(len(v) for v in found.values())

    # An acknowledged form sent again (a reload, a double click) answers with its reference.
    for submission in acknowledged[:2]:
        assert resend_acknowledged(submission) == submission.reference
    # The clients that got no answer send their form again, now that the server is back.
    unanswered = [s for s in submissions if not s.reference]
    failures = Counter(s.failed for s in unanswered)  # cut off in flight, or no server at all
    for submission in unanswered:
        submission.reference = staff_or_public_reference(submission)
        assert submission.reference, submission.failed
    found = stored_signals(submissions)
    for submission in submissions:
        assert [s.reference for s in found[submission.token]] == [submission.reference]
        assert_whole(found[submission.token][0], submission)
    return {
        "sent": len(submissions),
        "acknowledged": len(acknowledged),
        "stored after the kill": stored_before_retry,
        "stored without an answer": stored_before_retry - len(acknowledged),
        "unanswered": dict(failures),
        "resent": len(unanswered),
        "stored after the retries": sum(len(v) for v in found.values()),
    }


def staff_or_public_reference(submission: Submission) -> str | None:
    answer = submission.send()
    return staff_acknowledgement(answer) or public_acknowledgement(answer)


@pytest.fixture
def server(tmp_path, settings):
    if connection.vendor != "postgresql":
        pytest.skip("the crash test runs on PostgreSQL (DATABASE_URL); SQLite has one writer")
    if not GUNICORN.exists():
        pytest.fail("gunicorn is not installed in this environment (requirements/runtime.txt)")
    settings.MEDIA_ROOT = tmp_path / "media"
    # The forms of exploitation come from a data migration, which a transactional test run
    # before this one may have flushed away.
    ExploitationForm.objects.get_or_create(code="labour", defaults={"position": 2})
    url, _count = database_for_the_server(tmp_path)
    running = Server(tmp_path, url)
    running.start()
    yield running
    running.stop()


def public_submission(port: int, browser: Browser, municipality) -> Submission:
    token = uuid.uuid4()
    # A form opened a minute ago: the server refuses forms sent faster than a person types.
    form_token = signing.dumps(
        {"token": str(token), "started": time.time() - 60}, salt=PUBLIC_FORM_SALT
    )
    fields = [
        ("municipality", str(municipality.pk)),
        ("sector", "public"),
        ("observed_on", timezone.localdate().isoformat()),
        ("place", "Parkeerterrein Zuidpoort"),
        ("exploitation_forms", "labour"),
        ("description", "Elke ochtend haalt een busje dezelfde groep op bij de loods."),
        ("website", ""),
        ("form_token", form_token),
    ]
    return Submission(token=token, send=lambda: browser.post_form("/melden/", fields))


def staff_submission(browser: Browser, membership, number: int) -> Submission:
    token = uuid.uuid4()
    persons = 1 + number % 2
    files = [("foto.png", "image/png", _png(number % 256))]
    if number % 3 == 0:
        files.append(("verslag.pdf", "application/pdf", _pdf()))
    fields = [
        ("reporting_as", f"{membership.organisation_id}:{membership.role}"),
        ("municipality", str(membership.organisation.municipality_id)),
        ("observed_on", timezone.localdate().isoformat()),
        ("place", "Havenweg 12"),
        ("exploitation_forms", "labour"),
        ("description", "Zes mensen slapen in de loods."),
        ("submission_token", str(token)),
        ("persons-TOTAL_FORMS", str(persons)),
        ("persons-INITIAL_FORMS", "0"),
        ("persons-MIN_NUM_FORMS", "0"),
        ("persons-MAX_NUM_FORMS", "5"),
    ]
    for index in range(persons):
        fields += [
            (f"persons-{index}-role", "victim"),
            (f"persons-{index}-name", f"Persoon {index} van melding {number}"),
            (f"persons-{index}-approximate_age", "30"),
        ]
    return Submission(
        token=token,
        send=lambda: browser.post_multipart("/signals/report/", fields, files),
        persons=persons,
        files=files,
    )


def test_acknowledged_public_reports_survive_a_killed_server_exactly_once(server, municipality):
    browsers = [Browser(server.port) for _ in range(CLIENTS)]
    for browser in browsers:
        assert browser.request("GET", "/melden/")[0] == 200
    submissions = [
        public_submission(server.port, browsers[n % CLIENTS], municipality)
        for n in range(PUBLIC_REPORTS)
    ]

    burst(server, submissions, PUBLIC_KILL_AFTER, public_acknowledgement)
    server.start()

    def resend(submission: Submission) -> str | None:
        return public_acknowledgement(submission.send())

    numbers = check_after_the_crash(server, submissions, resend)
    print("public form:", numbers)
    assert numbers["acknowledged"] >= PUBLIC_KILL_AFTER
    assert numbers["acknowledged"] < PUBLIC_REPORTS, "the kill came after the burst"
    assert numbers["stored after the retries"] == PUBLIC_REPORTS


def test_a_reporters_signals_with_files_survive_a_killed_server_whole_or_not_at_all(
    server, municipality
):
    reporter = user_with_role(Role.MUNICIPAL_REPORTER, municipality=municipality)
    # The production settings hash with PBKDF2 (the test settings' MD5 is not among them).
    reporter.password = PBKDF2PasswordHasher().encode(PASSWORD, uuid.uuid4().hex)
    reporter.save(update_fields=["password"])
    membership = reporter.memberships.get()
    browser = Browser(server.port)
    browser.request("GET", "/login/")
    status, headers, _page = browser.post_form(
        "/login/", [("username", reporter.username), ("password", PASSWORD)]
    )
    # A municipal reporter sees no personal data of others: no second factor for this role.
    assert status == 302 and "/login/" not in headers["Location"], headers["Location"]
    assert browser.request("GET", "/signals/report/")[0] == 200
    submissions = [staff_submission(browser, membership, n) for n in range(STAFF_REPORTS)]

    burst(server, submissions, STAFF_KILL_AFTER, staff_acknowledgement)
    # A file written by a request the kill cut off, before its transaction committed.
    orphans_after_kill = files_on_disk() - set(
        SignalAttachment.objects.values_list("file", flat=True)
    )
    server.start()  # the session lives in the database: the reporter is still logged in

    def resend(submission: Submission) -> str | None:
        return staff_acknowledgement(submission.send())

    numbers = check_after_the_crash(server, submissions, resend)
    numbers["orphan files after the kill"] = len(orphans_after_kill)
    print("report form:", numbers)
    assert numbers["acknowledged"] >= STAFF_KILL_AFTER
    assert numbers["acknowledged"] < STAFF_REPORTS, "the kill came after the burst"
    assert numbers["stored after the retries"] == STAFF_REPORTS

    # apply_retention's sweep removes the files of transactions that never committed, and only
    # those (bound 0 here: no request is in flight; in production, files older than an hour).
    kept = set(SignalAttachment.objects.values_list("file", flat=True))
    removed = sweep_orphan_files(older_than=timedelta(0))
    assert removed == len(orphans_after_kill)
    assert files_on_disk() == kept


@pytest.mark.django_db
def test_the_sweep_removes_only_old_files_that_no_attachment_names(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    stored = SignalFactory()
    row = SignalAttachment(
        signal=stored, original_name="foto.png", content_type="image/png", size=3, sha256="0" * 64
    )
    row.file.save("upload", ContentFile(b"png"), save=True)
    orphan = default_storage.save(f"signals/{stored.pk + 1000}/left-behind", ContentFile(b"x"))
    in_flight = default_storage.save(f"signals/{stored.pk + 1001}/being-written", ContentFile(b"x"))
    two_hours_ago = time.time() - 2 * 3600
    for name in (row.file.name, orphan):
        os.utime(default_storage.path(name), (two_hours_ago, two_hours_ago))

    assert sweep_orphan_files() == 1
    assert files_on_disk() == {row.file.name, in_flight}  # a young file may be a commit to come
    assert not (Path(settings.MEDIA_ROOT) / "signals" / str(stored.pk + 1000)).exists()
