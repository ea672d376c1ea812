"""Benchmark of appending to the audit log under concurrency (make bench-audit -> bench/audit.json).

Audited reads per second, and their latency, with READERS processes doing audited reads (each a
new AccessContext, as a request would, one entry with one object and one person concerned, in
autocommit) while one writer process runs service-like transactions: it appends its entry and
keeps the transaction open for HOLD seconds of further work before committing. PostgreSQL only.

"before" is the main branch's code, run from a temporary `git worktree` of main in /tmp (never
committed, removed afterwards); "after" is this tree, with `seal_audit_log`'s work running every
second alongside. Both run against the same database server, each in a schema of its own in the
database of DATABASE_URL (default the `audit` database), one after the other and interleaved
over ROUNDS rounds, so that a noisy shared machine affects both alike: compare the ratios.

    python bench/audit.py [--seconds 20] [--rounds 3] [--readers 10] [--hold 0.01]

The child mode (`--run TREE`) is what each measurement runs in; it prints its result as JSON.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
OUT = Path(__file__).with_name("audit.json")
DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/audit"
SIGNALS = 50


# --- One measurement, in a child process with one tree's code on the path ----------------------


def _setup(tree: Path, url: str, schema: str, checkpoints: str) -> None:
    sys.path[:0] = [str(tree / "src"), str(tree)]
    os.environ["DJANGO_SETTINGS_MODULE"] = "schakel.config.settings.test"
    os.environ["DATABASE_URL"] = f"{url}?options=-c%20search_path%3D{schema}"
    os.environ["SCHAKEL_AUDIT_CHECKPOINT_DIR"] = checkpoints
    import django

    django.setup()


def _fixtures() -> dict[str, Any]:
    from django.core.management import call_command
    from tests.factories import SignalFactory, user_with_role

    from schakel.intake.models import SignalPerson
    from schakel.organisations.choices import Role

    call_command("migrate", verbosity=0)
    user = user_with_role(Role.AF_OOV)
    municipality = user.memberships.get().organisation.municipality
    signals = SignalFactory.create_batch(SIGNALS, municipality=municipality)
    people = [SignalPerson.objects.create(signal=s, role="victim", name="B") for s in signals]
    return {"user": user.pk, "signals": [s.pk for s in signals], "people": [p.pk for p in people]}


def _worker(role: str, ids: dict[str, Any], start: float, stop: float, hold: float, out) -> None:
    """One process: `reader`, `writer` or `sealer`, from `start` until `stop`."""
    from django.db import connection, transaction

    from schakel.audit.choices import AuditAction
    from schakel.audit.services import audit_record
    from schakel.core.context import AccessContext
    from schakel.core.policies import actor_for
    from schakel.intake.models import Signal, SignalPerson
    from schakel.organisations.models import User

    connection.close()  # never share the parent's connection
    user = User.objects.get(pk=ids["user"])
    signals = list(Signal.objects.filter(pk__in=ids["signals"]))
    people = {p.signal_id: p for p in SignalPerson.objects.filter(pk__in=ids["people"])}
    latencies, done, n = [], 0, os.getpid()
    while time.time() < start:
        time.sleep(0.001)
    while time.time() < stop:
        signal = signals[n % len(signals)]
        n += 1
        began = time.perf_counter()
        context = AccessContext(actor=actor_for(user), access_point="GET /signals/bench/")
        if role == "reader":
            audit_record(
                context=context,
                action=AuditAction.READ,
                objects=[signal],
                fields=["description", "place"],
                purpose="read signal",
                subjects=[people[signal.pk]],
            )
        elif role == "writer":
            with transaction.atomic():
                audit_record(
                    context=context,
                    action=AuditAction.CHANGE,
                    objects=[signal],
                    purpose="signal routed",
                    subjects=[people[signal.pk]],
                )
                time.sleep(hold)  # the rest of the service's transaction
        else:
            from schakel.audit.sealing import audit_seal

            audit_seal()
            time.sleep(1)
        latencies.append(time.perf_counter() - began)
        done += 1
    connection.close()
    out.put((role, done, latencies))


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))] if ordered else 0.0


def run(args: argparse.Namespace) -> dict[str, Any]:
    tree = Path(args.run)
    _setup(tree, args.database_url, args.schema, args.checkpoints)
    from django.db import connection

    ids = _fixtures()
    sealing = (tree / "src" / "schakel" / "audit" / "sealing.py").exists()
    connection.close()
    context = multiprocessing.get_context("fork")
    out = context.Queue()
    start = time.time() + 2
    stop = start + args.seconds
    roles = ["reader"] * args.readers + ["writer"] + (["sealer"] if sealing else [])
    workers = [
        context.Process(target=_worker, args=(role, ids, start, stop, args.hold, out))
        for role in roles
    ]
    for worker in workers:
        worker.start()
    results = [out.get(timeout=args.seconds + 120) for _ in workers]
    for worker in workers:
        worker.join()
    reads = [lat for role, _, lats in results if role == "reader" for lat in lats]
    writes = sum(done for role, done, _ in results if role == "writer")
    result: dict[str, Any] = {
        "audited_reads": len(reads),
        "reads_per_second": round(len(reads) / args.seconds, 1),
        "read_p50_ms": round(1000 * _percentile(reads, 0.50), 2),
        "read_p95_ms": round(1000 * _percentile(reads, 0.95), 2),
        "read_p99_ms": round(1000 * _percentile(reads, 0.99), 2),
        "writer_transactions_per_second": round(writes / args.seconds, 1),
    }
    if sealing:
        from schakel.audit.models import AuditEvent
        from schakel.audit.sealing import audit_seal

        began = time.perf_counter()
        left = audit_seal().sealed
        took = time.perf_counter() - began
        result["sealed_at_the_end"] = left
        result["seal_entries_per_second"] = round(left / took, 1) if left else None
        result["entries_total"] = AuditEvent.objects.count()
    connection.close()
    return result


# --- The driver ---------------------------------------------------------------------------------


def _psql(url: str, statement: str) -> str:
    import psycopg

    with psycopg.connect(url, autocommit=True) as db:
        cursor = db.execute(statement)
        return str(cursor.fetchone()[0]) if cursor.description else ""


def _measure(tree: Path, variant: str, args: argparse.Namespace, scratch: Path) -> dict[str, Any]:
    schema = f"bench_{variant}"
    _psql(args.database_url, f"DROP SCHEMA IF EXISTS {schema} CASCADE")
    _psql(args.database_url, f"CREATE SCHEMA {schema}")
    checkpoints = scratch / f"checkpoints-{variant}-{time.time_ns()}"
    command = [
        sys.executable,
        str(Path(__file__).resolve()),
        "--run",
        str(tree),
        "--schema",
        schema,
        "--checkpoints",
        str(checkpoints),
        "--database-url",
        args.database_url,
        "--seconds",
        str(args.seconds),
        "--readers",
        str(args.readers),
        "--hold",
        str(args.hold),
    ]
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "PYTHONPATH")}
    try:
        done = subprocess.run(command, check=True, capture_output=True, text=True, env=env)  # noqa: S603
    finally:
        _psql(args.database_url, f"DROP SCHEMA IF EXISTS {schema} CASCADE")
    return json.loads(done.stdout.strip().splitlines()[-1])


def _summary(runs: list[dict[str, Any]]) -> dict[str, Any]:
    keys = ("reads_per_second", "read_p50_ms", "read_p95_ms", "writer_transactions_per_second")
    return {key: statistics.median(run[key] for run in runs) for key in keys}


def _git(*arguments: str) -> str:
    done = subprocess.run(["git", *arguments], check=True, capture_output=True, text=True)  # noqa: S603, S607
    return done.stdout.strip()


def drive(args: argparse.Namespace) -> None:
    scratch = Path(tempfile.mkdtemp(prefix="schakel-bench-audit-", dir="/tmp"))
    main_tree = scratch / "main"
    _git("-C", str(ROOT), "worktree", "add", "--detach", str(main_tree), "main")
    main_commit = _git("-C", str(main_tree), "rev-parse", "--short", "HEAD")
    this_commit = _git("-C", str(ROOT), "rev-parse", "--short", "HEAD")
    rounds: list[dict[str, Any]] = []
    try:
        for number in range(args.rounds):
            order = [("before", main_tree), ("after", ROOT)]
            if number % 2:
                order.reverse()  # interleaved, so drift on the machine hits both alike
            for variant, tree in order:
                print(f"round {number + 1}: {variant} …", file=sys.stderr, flush=True)
                rounds.append(
                    {
                        "round": number + 1,
                        "variant": variant,
                        **_measure(tree, variant, args, scratch),
                    }
                )
    finally:
        _git("-C", str(ROOT), "worktree", "remove", "--force", str(main_tree))
        shutil.rmtree(scratch, ignore_errors=True)
    before = _summary([r for r in rounds if r["variant"] == "before"])
    after = _summary([r for r in rounds if r["variant"] == "after"])
    report = {
        "what": "audited reads under 1 concurrent writer transaction, PostgreSQL",
        "settings": {
            "readers": args.readers,
            "writer_hold_seconds": args.hold,
            "seconds_per_measurement": args.seconds,
            "rounds": args.rounds,
            "before": f"main at {main_commit} (temporary worktree)",
            "after": f"this tree at {this_commit}, sealing every second alongside",
        },
        "machine": {
            "cpus": os.cpu_count(),
            "python": platform.python_version(),
            "postgresql": _psql(args.database_url, "SHOW server_version"),
        },
        "median": {"before": before, "after": after},
        "ratio_after_to_before": {
            key: round(after[key] / before[key], 2) if before[key] else None for key in before
        },
        "runs": rounds,
    }
    OUT.write_text(json.dumps(report, indent=2) + "\n")
    print(json.dumps(report["median"], indent=2))
    print(json.dumps(report["ratio_after_to_before"], indent=2))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=20)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--readers", type=int, default=10)
    parser.add_argument("--hold", type=float, default=0.01)
    parser.add_argument("--database-url", default=os.environ.get("BENCH_DATABASE_URL", DEFAULT_URL))
    parser.add_argument("--run", help=argparse.SUPPRESS)
    parser.add_argument("--schema", help=argparse.SUPPRESS)
    parser.add_argument("--checkpoints", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.run:
        print(json.dumps(run(args)))
    else:
        drive(args)


if __name__ == "__main__":
    main()
