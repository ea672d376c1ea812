"""The public rate limit holds across worker processes: a real gunicorn with four workers, on the
PostgreSQL test database when DATABASE_URL points there and on a SQLite file otherwise, gets
twenty simultaneous reports from one form session and twenty from twenty sessions behind one
address, and stores exactly what each limit allows. (The old counter, per process and counted
after storing, let all twenty through.)"""

import http.client
import os
import re
import socket
import sqlite3
import subprocess
import sys
import threading
import time
import urllib.parse
import uuid
from http.cookies import SimpleCookie
from pathlib import Path

import pytest
from django.conf import settings
from django.core import signing
from django.db import connection
from django.utils import timezone

from schakel.intake.forms import PUBLIC_FORM_SALT
from schakel.intake.models import Signal

pytestmark = pytest.mark.django_db(transaction=True)

ROOT = Path(__file__).resolve().parent.parent
GUNICORN = Path(sys.executable).with_name("gunicorn")
WORKERS = 4
PER_SESSION, PER_ADDRESS = 5, 8
SIMULTANEOUS = 20
FORM = "/melden/"


def request(port: int, method: str, headers: dict[str, str], body: str = ""):
    """One request on a connection of its own: (status, Set-Cookie headers, body)."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        if body:
            headers = {**headers, "Content-Type": "application/x-www-form-urlencoded"}
        conn.request(method, FORM, body=body or None, headers=headers)
        response = conn.getresponse()
        return response.status, response.headers.get_all("Set-Cookie") or [], response.read()
    finally:
        conn.close()


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def database_for_the_server(tmp_path):
    """The URL the server uses and a way to count the signals it stored."""
    if connection.vendor == "postgresql":
        db = connection.settings_dict
        auth = urllib.parse.quote(db["USER"] or "")
        if db["PASSWORD"]:
            auth += ":" + urllib.parse.quote(db["PASSWORD"])
        host = f"{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}"
        return f"postgres://{auth}@{host}/{db['NAME']}", Signal.objects.count
    if connection.vendor == "sqlite":
        # The test database lives in memory: the server gets a file copy of it, schema and all.
        path = tmp_path / "server.sqlite3"
        connection.ensure_connection()
        target = sqlite3.connect(path)
        connection.connection.backup(target)
        target.close()

        def stored() -> int:
            with sqlite3.connect(path) as db:
                return int(db.execute("SELECT count(*) FROM intake_signal").fetchone()[0])

        return f"sqlite:///{path}", stored
    # Schakel runs on SQLite and PostgreSQL only (settings/test.py): else the set-up is broken.
    pytest.fail(f"no multi-process server for a {connection.vendor} test database")


@pytest.fixture
def server(tmp_path, municipality):
    if not GUNICORN.exists():
        # gunicorn is a runtime dependency (requirements/runtime.txt): missing, the set-up is off.
        pytest.fail("gunicorn is not installed in this environment (make test installs it)")
    url, stored = database_for_the_server(tmp_path)
    port = free_port()
    env = {
        **os.environ,
        # The demo's settings: the code path `make demo` runs, with the database given here.
        "DJANGO_SETTINGS_MODULE": "schakel.config.settings.demo",
        "DATABASE_URL": url,
        "SECRET_KEY": settings.SECRET_KEY,  # the test signs the forms' tokens
        "DEBUG": "false",
        "ALLOWED_HOSTS": "127.0.0.1",
        "SCHAKEL_PROXY_COUNT": "1",  # each scenario comes from its own client address
        "SCHAKEL_PUBLIC_REPORTS_PER_HOUR": str(PER_SESSION),
        "SCHAKEL_PUBLIC_REPORTS_PER_ADDRESS_PER_HOUR": str(PER_ADDRESS),
        "SCHAKEL_AUDIT_CHECKPOINT_DIR": str(tmp_path / "checkpoints"),
        "PYTHONPATH": str(ROOT / "src"),
    }
    log = (tmp_path / "gunicorn.log").open("w")
    process = subprocess.Popen(
        [
            str(GUNICORN),
            "schakel.config.wsgi:application",
            f"--workers={WORKERS}",
            f"--bind=127.0.0.1:{port}",
            "--preload",
            "--timeout=30",
        ],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        deadline = time.monotonic() + 20
        while True:
            try:
                request(port, "GET", {})
                break
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    log.flush()
                    started = (tmp_path / "gunicorn.log").read_text()
                    pytest.fail(f"gunicorn did not start:\n{started}")
                time.sleep(0.2)
        yield port, municipality, stored
    finally:
        process.terminate()
        process.wait(10)
        log.close()


class Browser:
    """One form session: its cookies and its CSRF token, from one GET of the form."""

    def __init__(self, port: int, address: str) -> None:
        self.port, self.address = port, address
        status, set_cookies, page = request(port, "GET", {"X-Forwarded-For": address})
        assert status == 200
        cookies = SimpleCookie()
        for header in set_cookies:
            cookies.load(header)
        self.cookie = "; ".join(f"{name}={morsel.value}" for name, morsel in cookies.items())
        self.csrf = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
        assert "schakel_form_session" in self.cookie

    def report(self, municipality) -> int:
        # A token opened a minute ago (the server refuses forms sent faster than a person can).
        token = signing.dumps(
            {"token": str(uuid.uuid4()), "started": time.time() - 60}, salt=PUBLIC_FORM_SALT
        )
        body = urllib.parse.urlencode(
            {
                "csrfmiddlewaretoken": self.csrf.decode(),
                "municipality": municipality.pk,
                "sector": "public",
                "observed_on": timezone.localdate().isoformat(),
                "place": "Parkeerterrein Zuidpoort",
                "exploitation_forms": "labour",
                "description": "Elke ochtend haalt een busje dezelfde groep op bij de loods.",
                "website": "",
                "form_token": token,
            }
        )
        headers = {"Cookie": self.cookie, "X-Forwarded-For": self.address}
        return int(request(self.port, "POST", headers, body)[0])


def all_at_once(calls) -> list[int]:
    start = threading.Barrier(len(calls))
    statuses: list[int] = []

    def run(call):
        start.wait(10)
        statuses.append(call())

    threads = [threading.Thread(target=run, args=(call,)) for call in calls]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    return sorted(statuses)


def test_twenty_simultaneous_reports_store_no_more_than_the_limits(server):
    port, municipality, stored = server

    # One form session: its own limit binds (the address has room for more).
    one = Browser(port, "203.0.113.1")
    statuses = all_at_once([lambda: one.report(municipality)] * SIMULTANEOUS)
    assert statuses == [200] * PER_SESSION + [429] * (SIMULTANEOUS - PER_SESSION)
    assert stored() == PER_SESSION

    # Twenty sessions behind another address: the address's cap binds.
    many = [Browser(port, "203.0.113.2") for _ in range(SIMULTANEOUS)]
    statuses = all_at_once([lambda b=b: b.report(municipality) for b in many])
    assert statuses == [200] * PER_ADDRESS + [429] * (SIMULTANEOUS - PER_ADDRESS)
    assert stored() == PER_SESSION + PER_ADDRESS
