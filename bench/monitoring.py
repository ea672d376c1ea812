"""Benchmark of the monitoring dashboard and the annual report at scale (make bench ->
bench/report.json).

On PostgreSQL, a fictional region made by `generate_dataset` at its default scale (100,000
signals, 20,000 cases, 1,000,000 timeline entries, 200 organisations, 2,000 users, 24 months).
The dataset is kept between runs: when the database holds exactly the region this script made
with the same parameters (bench/.monitoring-dataset.json), it is reused and the report says so
(`"reused": true`, with the generate time of the run that made it); otherwise the database is
dropped, created again and the region generated.

Measured with Django's test client, logged in as the aandachtsfunctionaris OOV of the
municipality with the most signals: the dashboard /figures/ (default period: this year beside the
last), cold (the first request of this process, the chart cache of monitoring/charts.py empty)
and warm (median of ROUNDS); the annual report PDF of the last full year; and the number of
queries of the dashboard for the biggest and the smallest municipality (it does not grow with
the data). Targets (issue 15): dashboard under 1 s, PDF under 10 s.

    python bench/monitoring.py [--rounds 5] [--signals N --cases N --timeline N ...]

BENCH_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/bench_monitoring) names the
database. Not part of `make test`.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import sys
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parents[1]
OUT = Path(__file__).with_name("report.json")
MARKER = Path(__file__).with_name(".monitoring-dataset.json")
# The audit checkpoints of the bench database's chain: emptied with the database, or the
# sealer would rightly refuse a chain that starts again at #1.
CHECKPOINTS = ROOT / "var" / "bench-monitoring-checkpoints"
DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/bench_monitoring"
# generate_dataset's defaults (demo/dataset.py Scale); tests/test_generate_dataset.py checks.
SCALE = {
    "signals": 100_000,
    "cases": 20_000,
    "timeline": 1_000_000,
    "organisations": 200,
    "users": 2_000,
    "months": 24,
    "seed": 1,
}


def _server(url: str) -> tuple[str, str]:
    parts = urlsplit(url)
    return parts.path.lstrip("/"), urlunsplit(parts._replace(path="/postgres"))


def _database(url: str, *, fresh: bool) -> None:
    """Create the database when missing; drop and create it when `fresh`."""
    import psycopg

    name, server = _server(url)
    with psycopg.connect(server, autocommit=True) as db:
        if fresh:
            db.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        if not db.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            db.execute(f'CREATE DATABASE "{name}"')


def _setup(url: str) -> None:
    sys.path[:0] = [str(ROOT / "src"), str(ROOT)]
    os.environ["DJANGO_SETTINGS_MODULE"] = "schakel.config.settings.test"
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("SCHAKEL_AUDIT_CHECKPOINT_DIR", str(CHECKPOINTS))
    import django

    django.setup()


def _marker(url: str, scale: dict[str, int]) -> dict[str, Any] | None:
    if not MARKER.exists():
        return None
    found: dict[str, Any] = json.loads(MARKER.read_text())
    if found.get("url") != url or found.get("scale") != scale:
        return None
    return found


def _dataset(url: str, scale: dict[str, int]) -> tuple[float, bool]:
    """The region at `scale`: reused when it is there, made otherwise. (generate_s, reused)."""
    marker = _marker(url, scale)
    if marker is not None:
        _database(url, fresh=False)
        _setup(url)
        from schakel.organisations.models import Region

        if list(Region.objects.values_list("name", flat=True)) == [marker["region"]]:
            print(f"Reusing the dataset in {url} (made in {marker['generate_s']} s)")
            return float(marker["generate_s"]), True
        raise SystemExit(
            f"{url} does not hold the dataset of {MARKER.name}: remove that file and run again"
        )
    _database(url, fresh=True)
    if "SCHAKEL_AUDIT_CHECKPOINT_DIR" not in os.environ:
        for old in CHECKPOINTS.glob("*.json"):
            old.unlink()
    _setup(url)
    from django.core.management import call_command
    from django.db import connection

    from schakel.audit.sealing import audit_seal
    from schakel.demo.dataset import Scale, generate_region

    call_command("migrate", verbosity=0)
    print(f"Generating the dataset in {url} …")
    started = time.perf_counter()
    result = generate_region(Scale(**scale), _progress())
    audit_seal()
    generate_s = round(time.perf_counter() - started, 1)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    MARKER.write_text(
        json.dumps({"url": url, "scale": scale, "region": result.region, "generate_s": generate_s})
        + "\n"
    )
    return generate_s, False


def _progress() -> Any:
    from tqdm import tqdm

    bars: dict[str, Any] = {}

    def progress(what: str, n: int) -> None:
        if what not in bars:
            bars[what] = tqdm(desc=what, unit=" rows", file=sys.stderr)
        bars[what].update(n)

    return progress


def _counts() -> dict[str, int]:
    from schakel.audit.models import AuditEvent
    from schakel.cases.models import Agreement, Case, Intervention, TimelineEntry
    from schakel.intake.models import Signal, SignalPerson
    from schakel.meetings.models import Meeting
    from schakel.organisations.models import Organisation, User

    return {
        "signals": Signal.objects.count(),
        "cases": Case.objects.count(),
        "timeline_entries": TimelineEntry.objects.count(),
        "organisations": Organisation.objects.count(),
        "users": User.objects.count(),
        "persons": SignalPerson.objects.count(),
        "meetings": Meeting.objects.count(),
        "agreements": Agreement.objects.count(),
        "interventions": Intervention.objects.count(),
        "audit_entries": AuditEvent.objects.count(),
    }


def _af_of(municipality_id: int) -> Any:
    from schakel.organisations.choices import Role
    from schakel.organisations.models import Membership

    return (
        Membership.objects.filter(role=Role.AF_OOV, organisation__municipality_id=municipality_id)
        .select_related("user")
        .first()
        .user
    )


def _get(client: Any, url: str) -> tuple[float, int]:
    started = time.perf_counter()
    response = client.get(url)
    elapsed = time.perf_counter() - started
    if response.status_code != 200:
        raise SystemExit(f"{url} answered {response.status_code}")
    return elapsed, len(response.content)


def _queries(client: Any, url: str) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        _get(client, url)
    return len(captured.captured_queries)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5)
    for name, default in SCALE.items():
        parser.add_argument(f"--{name}", type=int, default=default)
    args = parser.parse_args()
    url = os.environ.get("BENCH_DATABASE_URL", DEFAULT_URL)
    scale = {name: getattr(args, name) for name in SCALE}
    generate_s, reused = _dataset(url, scale)

    from django.db.models import Count
    from django.test import Client, override_settings
    from django.utils import timezone

    from schakel.monitoring import charts
    from schakel.organisations.models import Municipality

    by_size = list(
        Municipality.objects.annotate(n=Count("signals")).order_by("-n").values_list("pk", "n")
    )
    (biggest, biggest_n), (smallest, smallest_n) = by_size[0], by_size[-1]
    year = timezone.localdate().year - 1
    with override_settings(DEBUG=False, ALLOWED_HOSTS=["*"]):
        client = Client()
        client.force_login(_af_of(biggest))
        charts._cache.clear()
        cold, size = _get(client, "/figures/")
        warm = [_get(client, "/figures/")[0] for _ in range(args.rounds)]
        pdf = [_get(client, f"/figures/annual-report/{year}/pdf/")[0] for _ in range(2)]
        queries_big = _queries(client, "/figures/")
        small_client = Client()
        small_client.force_login(_af_of(smallest))
        queries_small = _queries(small_client, "/figures/")
    report = {
        "dataset": _counts(),
        "scale": scale,
        "reused": reused,
        "generate_s": generate_s,
        "dashboard_s": {
            "cold": round(cold, 3),
            "warm": round(statistics.median(warm), 3),
            "rounds": args.rounds,
            "bytes": size,
            "signals_of_the_municipality": biggest_n,
        },
        "annual_report_pdf_s": round(min(pdf), 3),
        "annual_report_year": year,
        "dashboard_queries": {
            "biggest_municipality": {"signals": biggest_n, "queries": queries_big},
            "smallest_municipality": {"signals": smallest_n, "queries": queries_small},
        },
        "targets": {"dashboard_s": 1.0, "annual_report_pdf_s": 10.0},
        "machine": {
            "platform": platform.platform(),
            "python": platform.python_version(),
            "cpus": os.cpu_count(),
        },
        "date": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
    }
    OUT.write_text(json.dumps(report, indent=2) + "\n")
    print(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
