"""Benchmark of the list pages at scale (make bench-lists -> bench/lists.json).

On PostgreSQL, one municipality with 50,000 signals and 10,000 cases (made with bulk_create, kept
between runs): the AF's queue and the case list are each requested ROUNDS times with Django's
test client, logged in as the municipality's aandachtsfunctionaris OOV, and timed (p50, p95).
Beside each page runs its floor: a bare view, through the same middleware, that runs the
page's essential queries (the same rows of the same page, the bounded counts) and renders the
same number of rows in a minimal template, without the policy, the filters, the audit entry or
the layout. The ratio page / floor is what the issue asks to keep within 2.

    python bench/lists.py [--rounds 30] [--signals 50000] [--cases 10000]

BENCH_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/bench_lists) names the database;
it is created when missing. Not part of `make test`.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import sys
import time
import types
from datetime import timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parents[1]
OUT = Path(__file__).with_name("lists.json")
DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/bench_lists"
BATCH = 5000


def _create_database(url: str) -> None:
    import psycopg

    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    server = urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(server, autocommit=True) as db:
        if not db.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            db.execute(f'CREATE DATABASE "{name}"')


def _setup(url: str) -> None:
    sys.path[:0] = [str(ROOT / "src"), str(ROOT)]
    os.environ["DJANGO_SETTINGS_MODULE"] = "schakel.config.settings.test"
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("SCHAKEL_AUDIT_CHECKPOINT_DIR", str(ROOT / "var" / "bench-checkpoints"))
    import django

    django.setup()


# --- The data -------------------------------------------------------------------------------


def _data(signals: int, cases: int) -> dict[str, Any]:
    """The municipality, its AF and the rows; made once and found again on the next run."""
    from django.core.management import call_command
    from django.utils import timezone
    from tests.factories import MunicipalityFactory, user_with_role

    from schakel.cases.choices import AgreementStatus, CaseStatus, DirectionHolder
    from schakel.cases.models import Agreement, Case
    from schakel.catalogue.models import ExploitationForm
    from schakel.intake.choices import EntryPoint, SignalStatus
    from schakel.intake.models import Signal
    from schakel.organisations.choices import Role
    from schakel.organisations.models import Membership, Municipality

    call_command("migrate", verbosity=0)
    municipality = Municipality.objects.filter(name="Benchdam").first()
    if municipality is None:
        municipality = MunicipalityFactory(name="Benchdam")
        user_with_role(Role.AF_OOV, municipality=municipality)
    af = Membership.objects.filter(
        role=Role.AF_OOV, organisation__municipality=municipality
    ).first()
    if af is None:
        raise SystemExit("Benchdam has no aandachtsfunctionaris OOV: drop the bench database")
    now = timezone.now()
    forms = list(ExploitationForm.objects.all())
    statuses = [
        SignalStatus.NEW,
        SignalStatus.IN_PROGRESS,
        SignalStatus.ROUTED,
        SignalStatus.CLOSED,
    ]
    entry_points = list(EntryPoint.values)
    have = Signal.objects.filter(municipality=municipality).count()
    while have < signals:
        batch = [
            Signal(
                reference=f"MH-B{n:07d}",
                municipality=municipality,
                entry_point=entry_points[n % len(entry_points)],
                reporter_organisation=af.organisation,
                description="Bench",
                place=f"Straat {n}",
                observed_on=(now - timedelta(minutes=17 * n)).date(),
                reported_at=now - timedelta(minutes=17 * n),
                status=statuses[n % len(statuses)],
            )
            for n in range(have, min(have + BATCH, signals))
        ]
        made = Signal.objects.bulk_create(batch)
        through = Signal.exploitation_forms.through
        through.objects.bulk_create(
            through(signal_id=s.pk, exploitationform_id=forms[i % len(forms)].pk)
            for i, s in enumerate(made)
        )
        have += len(batch)
    have = Case.objects.filter(municipality=municipality).count()
    holders = list(DirectionHolder.values)
    while have < cases:
        batch_cases = [
            Case(
                reference=f"CA-B{n:07d}",
                municipality=municipality,
                direction_holder=holders[n % len(holders)],
                status=CaseStatus.CLOSED if n % 4 == 3 else CaseStatus.OPEN,
                last_activity_at=now - timedelta(hours=n),
            )
            for n in range(have, min(have + BATCH, cases))
        ]
        made_cases = Case.objects.bulk_create(batch_cases)
        through = Case.exploitation_forms.through
        through.objects.bulk_create(
            through(case_id=c.pk, exploitationform_id=forms[i % len(forms)].pk)
            for i, c in enumerate(made_cases)
        )
        Agreement.objects.bulk_create(
            Agreement(
                case=c,
                text="Huisbezoek",
                owner=af.organisation,
                due_on=(now + timedelta(days=(i % 20) - 10)).date(),
                status=AgreementStatus.OPEN,
                made_by=af.user,
            )
            for i, c in enumerate(made_cases)
            for _ in range(2)
        )
        have += len(batch_cases)
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return {"user": af.user, "municipality": municipality}


# --- The floors: the essential queries, a minimal template ------------------------------------

FLOOR_TEMPLATE = (
    "<!doctype html><title>floor</title><table>{% for s in rows %}<tr>"
    '<td><a href="/{{ s.reference }}/">{{ s.reference }}</a></td>'
    '<td>{{ s.reported_at|date:"DATETIME_FORMAT" }}</td><td>{{ s.get_entry_point_display }}</td>'
    '<td>{{ s.place }}</td><td>{{ s.exploitation_forms.all|join:", " }}</td>'
    "<td>{{ s.get_status_display }}</td></tr>{% endfor %}</table><p>{{ counts }}</p>"
)
CASE_FLOOR_TEMPLATE = (
    "<!doctype html><title>floor</title><table>{% for c in rows %}<tr>"
    '<td><a href="/{{ c.reference }}/">{{ c.reference }}</a></td><td>{{ c.municipality }}</td>'
    '<td>{{ c.get_direction_holder_display }}</td><td>{{ c.exploitation_forms.all|join:", " }}</td>'
    '<td>{{ c.last_activity_at|date:"DATE_FORMAT" }}</td><td>{{ c.get_status_display }}</td>'
    "</tr>{% endfor %}</table><p>{{ counts }}</p>"
)


def _bounded_count(queryset: Any) -> int:
    from schakel.core.pagination import COUNT_LIMIT

    return queryset.order_by()[: COUNT_LIMIT + 1].count()


def queue_floor(request: Any) -> Any:
    from django.http import HttpResponse
    from django.template import engines

    from schakel.intake.choices import SignalStatus
    from schakel.intake.models import Signal

    municipality = request.GET["m"]
    open_signals = (
        Signal.objects.filter(municipality_id=municipality)
        .exclude(status=SignalStatus.CLOSED)
        .select_related("municipality", "reporter_organisation")
        .prefetch_related("exploitation_forms")
        .order_by("reported_at", "pk")
    )
    new = open_signals.filter(status=SignalStatus.NEW)
    in_hand = open_signals.exclude(status=SignalStatus.NEW)
    rows = [*new[:50], *in_hand[:50]]
    counts = (_bounded_count(new), _bounded_count(in_hand))
    template = engines["django"].from_string(FLOOR_TEMPLATE)
    return HttpResponse(template.render({"rows": rows, "counts": counts}))


def case_floor(request: Any) -> Any:
    from django.http import HttpResponse
    from django.template import engines

    from schakel.cases.choices import CaseStatus
    from schakel.cases.models import Case

    cases = (
        Case.objects.filter(municipality_id=request.GET["m"], status=CaseStatus.OPEN)
        .select_related("municipality")
        .prefetch_related("exploitation_forms")
        .order_by("-created_at", "-pk")
    )
    rows = list(cases[:50])
    template = engines["django"].from_string(CASE_FLOOR_TEMPLATE)
    return HttpResponse(template.render({"rows": rows, "counts": _bounded_count(cases)}))


def _urls() -> str:
    from django.urls import include, path

    module = types.ModuleType("bench_lists_urls")
    module.urlpatterns = [  # type: ignore[attr-defined]
        path("floor/queue/", queue_floor),
        path("floor/cases/", case_floor),
        path("", include("schakel.config.urls")),
    ]
    sys.modules[module.__name__] = module
    return module.__name__


# --- Timing -----------------------------------------------------------------------------------


def _summary(times: list[float], size: int) -> dict[str, Any]:
    times = sorted(times)
    return {
        "p50_ms": round(statistics.median(times), 1),
        "p95_ms": round(times[max(0, round(0.95 * len(times)) - 1)], 1),
        "bytes": size,
    }


def _time(client: Any, urls: tuple[str, str], rounds: int) -> tuple[dict[str, Any], ...]:
    """The page and its floor, requested in turn (each round in the other order), so that a
    noisy shared machine slows both alike."""
    sizes = []
    for url in urls:
        for _ in range(3):
            response = client.get(url)
            if response.status_code != 200:
                raise SystemExit(f"{url} answered {response.status_code}")
        sizes.append(len(response.content))
    times: tuple[list[float], list[float]] = ([], [])
    for n in range(rounds):
        for which in (0, 1) if n % 2 == 0 else (1, 0):
            start = time.perf_counter()
            client.get(urls[which])
            times[which].append((time.perf_counter() - start) * 1000)
    return tuple(_summary(t, size) for t, size in zip(times, sizes, strict=True))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=30)
    parser.add_argument("--signals", type=int, default=50_000)
    parser.add_argument("--cases", type=int, default=10_000)
    args = parser.parse_args()
    url = os.environ.get("BENCH_DATABASE_URL", DEFAULT_URL)
    _create_database(url)
    _setup(url)
    from django.db import connection
    from django.test import Client, override_settings

    data = _data(args.signals, args.cases)
    m = data["municipality"].pk
    pages = {
        "queue": ("/signals/queue/", f"/floor/queue/?m={m}"),
        "cases": ("/cases/", f"/floor/cases/?m={m}"),
    }
    results: dict[str, Any] = {}
    with override_settings(ROOT_URLCONF=_urls(), DEBUG=False, ALLOWED_HOSTS=["*"]):
        client = Client()
        client.force_login(data["user"])
        for name, urls in pages.items():
            page, floor = _time(client, urls, args.rounds)
            results[name] = {
                "page": page,
                "floor": floor,
                "p50_ratio": round(page["p50_ms"] / floor["p50_ms"], 2),
                "p95_ratio": round(page["p95_ms"] / floor["p95_ms"], 2),
            }
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        server = cursor.fetchone()[0]
    report = {
        "signals": args.signals,
        "cases": args.cases,
        "rounds": args.rounds,
        "postgresql": server,
        "python": platform.python_version(),
        "cpus": os.cpu_count(),
        "results": results,
    }
    OUT.write_text(json.dumps(report, indent=2) + "\n")
    print(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
