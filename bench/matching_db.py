"""The registry's database lookup path at scale (bench/matching_db.py -> bench/matching_db.json).

On PostgreSQL (BENCH_DATABASE_URL, default postgres://postgres@127.0.0.1:5432/bench_matching,
created when missing), for each size N (default 100000 and 1000000):

- N synthetic people (bench/matching.py's synthetic_person over FEBRL's name pools), each
  encoded as services._register does (encode_person on services.Person's encode_kwargs, seal,
  the sorted block keys padded with encoding.padding_key to services.PADDED_KEYS) and
  bulk-loaded with COPY: Involvement rows, then InvolvementKey rows, per batch of 50,000. One in
  twenty registrations belongs to the asking organisation A, the rest to organisation B. The
  key table's secondary indexes and foreign key are dropped during the load and created again
  afterwards with the migration's own definitions (what pg_indexes / pg_constraint held), then
  VACUUM ANALYZE (what autovacuum does to an insert-only table);
- the app's lookup index built from the database as a worker's first lookup builds it (seconds,
  bytes per registration);
- LOOKUPS lookups by organisation A, half of people registered with B (exact copies), half
  newly drawn people, through the app's services.registry_matches (the index) and, interleaved,
  the database path it replaced in issue 14 (`database_matches`, with an index on the key the
  app no longer has, created here) and that path's fixes; the SQL of each
  lookup is timed with connection.execute_wrapper, so the split (candidate query, count,
  namesakes, the rest = unsealing and scoring in Python) comes from the app's own call;
  EXPLAIN (ANALYZE, BUFFERS) of the slowest candidate queries; interleaved with it the
  fixes that need no schema change (main_group);
- at every size, on the first --variants lookups, the fixes that change settings or the schema
  (run_variants), each group interleaved with its control and put back after; they live here
  only (a QuerySet with a cached count, plain SQL, side tables), src/ is not changed.

    python bench/matching_db.py [sizes...] [--lookups 2000] [--variants 500] [--keep]

The database is dropped at the end unless --keep. Not part of `make test`.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import platform
import random
import re
import statistics
import sys
import time
from datetime import date, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parents[1]
OUT = Path(__file__).with_name("matching_db.json")
OUT_VARIANTS = ROOT / "var" / "matching_db_variants.json"  # partial results while they run
DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/bench_matching"
BATCH = 50_000
SEED = 20261206
A_SHARE = 20  # every 20th registration belongs to the asking organisation


def _server(url: str) -> tuple[str, str]:
    parts = urlsplit(url)
    return parts.path.lstrip("/"), urlunsplit(parts._replace(path="/postgres"))


def _create_database(url: str) -> None:
    import psycopg

    name, server = _server(url)
    with psycopg.connect(server, autocommit=True) as db:
        if not db.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            db.execute(f'CREATE DATABASE "{name}"')


def _drop_database(url: str) -> None:
    import psycopg

    name, server = _server(url)
    with psycopg.connect(server, autocommit=True) as db:
        db.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _setup(url: str) -> None:
    sys.path[:0] = [str(ROOT / "src"), str(ROOT), str(ROOT / "bench")]
    os.environ["DJANGO_SETTINGS_MODULE"] = "schakel.config.settings.test"
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("SCHAKEL_AUDIT_CHECKPOINT_DIR", str(ROOT / "var" / "bench-checkpoints"))
    import django

    django.setup()


def _bench_module(name: str) -> Any:
    """A module of bench/ (a script, not a package), loaded as the bench tests load it."""
    path = ROOT / "bench" / f"{name}.py"
    spec = importlib.util.spec_from_file_location(f"bench_{name}", path)
    if spec is None or spec.loader is None:
        raise SystemExit(f"cannot load {path}")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


def percentile(values: list[float], q: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, int(q * len(values)))]


def summary(values: list[float]) -> dict[str, float]:
    return {
        "p50_ms": round(statistics.median(values), 3),
        "p95_ms": round(percentile(values, 0.95), 3),
        "p99_ms": round(percentile(values, 0.99), 3),
        "mean_ms": round(statistics.fmean(values), 3),
    }


# --- People, encoded as the app encodes them ---------------------------------------------------


def app_person(p: dict) -> Any:
    """bench/matching.py's person as the app's services.Person (the date back as a date or a
    year: normalise.birth_date gives the same BirthDate again)."""
    from schakel.matching import services

    dob = p["dob"]
    day = date(dob.year, dob.month, dob.day) if dob.precision == "full" else None
    year = dob.year if dob.precision == "year" else None
    return services.Person(p["given_names"], p["surname"], day, year)


def registration(k: Any, person: Any) -> tuple[bytes, list[str], int]:
    """What services._register stores for a person: the sealed blob and the padded key list
    (its own lines, on the same functions), and how many of the keys are real."""
    from schakel.matching import encoding, services

    encoded = encoding.encode_person(k, **person.encode_kwargs())
    block = sorted(encoded.block_keys)[: services.PADDED_KEYS]
    real = len(block)
    block += [encoding.padding_key(k) for _ in range(services.PADDED_KEYS - len(block))]
    return encoding.seal(k, encoded), block, real


# --- Loading -----------------------------------------------------------------------------------

KEY_TABLE = "matching_involvementkey"
INV_TABLE = "matching_involvement"


def _secondary(cursor: Any) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    """The key table's secondary indexes and foreign keys (name, definition)."""
    cursor.execute(
        "SELECT indexname, indexdef FROM pg_indexes WHERE tablename = %s"
        " AND indexname NOT LIKE %s AND indexname NOT LIKE 'bench_%%'",
        [KEY_TABLE, "%_pkey"],
    )
    indexes = cursor.fetchall()
    cursor.execute(
        "SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint"
        " WHERE conrelid = %s::regclass AND contype = 'f'",
        [KEY_TABLE],
    )
    return indexes, cursor.fetchall()


def load(url: str, size: int, organisations: tuple[int, int], lookups: int) -> dict[str, Any]:
    """Empty the registry, load `size` registrations; returns timings and the people to look up."""
    import psycopg
    from django.utils import timezone

    from schakel.matching import services

    matching = _bench_module("matching")
    k = services.keys()
    rng = random.Random(SEED + size)
    pools = matching.febrl_names()
    org_a, org_b = organisations
    wanted = set(rng.sample([i for i in range(size) if i % A_SHARE], lookups // 2))
    kept: list[dict] = []
    now = timezone.now()
    expires = now + timedelta(days=services.expiry_days())
    stamp, expiry = now.isoformat(), expires.isoformat()
    real_keys = 0
    encode_s = copy_s = 0.0
    start = time.perf_counter()
    with psycopg.connect(url) as db, db.cursor() as cursor:
        cursor.execute(
            f"TRUNCATE {INV_TABLE}, {KEY_TABLE}, matching_hit, matching_hittask,"
            " matching_lookup RESTART IDENTITY CASCADE"
        )
        cursor.execute("DROP TABLE IF EXISTS bench_real_keys")
        indexes, foreign = _secondary(cursor)
        for name, _definition in foreign:
            cursor.execute(f'ALTER TABLE {KEY_TABLE} DROP CONSTRAINT "{name}"')
        for name, _definition in indexes:
            cursor.execute(f'DROP INDEX "{name}"')
        # how many keys of each registration are real (the rest padding): only the variants
        # that drop the padding read it; the app's tables do not hold it
        cursor.execute(
            "CREATE TABLE bench_real_keys (involvement_id bigint, first_key bigint, real int)"
        )
        db.commit()
        key_id = 0
        for first in range(0, size, BATCH):
            t0 = time.perf_counter()
            inv_rows, key_rows, real_rows = [], [], []
            for i in range(first, min(first + BATCH, size)):
                p = matching.synthetic_person(rng, pools)
                pk = i + 1
                organisation = org_a if i % A_SHARE == 0 else org_b
                if i in wanted:
                    kept.append(p)
                sealed, block, real = registration(k, app_person(p))
                real_keys += real
                inv_rows.append(
                    f"{pk}\t{organisation}\t\\N\tBench contactpunct\t\t\\\\x{sealed.hex()}\t\t"
                    f"{stamp}\t{stamp}\t{expiry}\t\\N\t\\N\n"
                )
                real_rows.append(f"{pk}\t{key_id + 1}\t{real}\n")
                for key in block:
                    key_id += 1
                    key_rows.append(f"{key_id}\t{key}\t{pk}\n")
            t1 = time.perf_counter()
            with cursor.copy(
                f"COPY {INV_TABLE} (id, organisation_id, registered_by_id, contact_person,"
                " reference, sealed, address_key, created_at, updated_at, expires_at, ended_at,"
                " case_person_id) FROM STDIN"
            ) as copy:
                copy.write("".join(inv_rows))
            with cursor.copy(f"COPY {KEY_TABLE} (id, key, involvement_id) FROM STDIN") as copy:
                for j in range(0, len(key_rows), 100_000):
                    copy.write("".join(key_rows[j : j + 100_000]))
            with cursor.copy("COPY bench_real_keys FROM STDIN") as copy:
                copy.write("".join(real_rows))
            db.commit()
            t2 = time.perf_counter()
            encode_s += t1 - t0
            copy_s += t2 - t1
            done = min(first + BATCH, size)
            print(
                f"  {done:>9,} registrations  encode {encode_s:6.1f} s  copy {copy_s:6.1f} s",
                flush=True,
            )
        rows_s = time.perf_counter() - start
        t0 = time.perf_counter()
        cursor.execute("SET maintenance_work_mem = '512MB'")
        for _name, definition in indexes:
            cursor.execute(definition)
        for name, definition in foreign:
            cursor.execute(f'ALTER TABLE {KEY_TABLE} ADD CONSTRAINT "{name}" {definition}')
        for table, last in ((INV_TABLE, size), (KEY_TABLE, key_id)):
            cursor.execute("SELECT setval(pg_get_serial_sequence(%s, 'id'), %s)", [table, last])
        db.commit()
        index_s = time.perf_counter() - t0
        t0 = time.perf_counter()
        db.autocommit = True
        cursor.execute(f"VACUUM ANALYZE {INV_TABLE}")
        cursor.execute(f"VACUUM ANALYZE {KEY_TABLE}")
        cursor.execute("ANALYZE bench_real_keys")
        vacuum_s = time.perf_counter() - t0
    rng.shuffle(kept)
    people = []
    for i in range(lookups):
        registered = bool(i % 2) and bool(kept)
        people.append(
            (registered, kept.pop() if registered else matching.synthetic_person(rng, pools))
        )
    return {
        "load": {
            "encode_seconds": round(encode_s, 1),
            "copy_seconds": round(copy_s, 1),
            "rows_seconds": round(rows_s, 1),
            "index_seconds": round(index_s, 1),
            "vacuum_analyze_seconds": round(vacuum_s, 1),
            "total_seconds": round(rows_s + index_s + vacuum_s, 1),
            "real_keys_per_registration": round(real_keys / size, 2),
            "indexes_recreated": [d for _n, d in indexes],
            "foreign_keys_recreated": [d for _n, d in foreign],
        },
        "people": people,
    }


def sizes_mb(size: int) -> dict[str, Any]:
    from django.db import connection

    out: dict[str, Any] = {}
    with connection.cursor() as cursor:
        for table in (INV_TABLE, KEY_TABLE):
            cursor.execute(
                "SELECT pg_relation_size(%s), pg_indexes_size(%s), pg_total_relation_size(%s)",
                [table, table, table],
            )
            heap, indexes, total = cursor.fetchone()
            cursor.execute(
                "SELECT i.relname, pg_relation_size(i.oid) FROM pg_index x"
                " JOIN pg_class i ON i.oid = x.indexrelid WHERE x.indrelid = %s::regclass",
                [table],
            )
            out[table] = {
                "heap_mb": round(heap / 2**20, 1),
                "indexes_mb": round(indexes / 2**20, 1),
                "total_mb": round(total / 2**20, 1),
                "index_mb": {name: round(b / 2**20, 1) for name, b in cursor.fetchall()},
            }
    total = sum(t["total_mb"] for t in out.values())
    out["total_mb"] = round(total, 1)
    out["bytes_per_registration"] = round(total * 2**20 / size)
    return out


# --- Timing lookups ----------------------------------------------------------------------------


_ELIDE = re.compile(r"'\{[^}]*\}'")  # the query's ~200 keys in a plan line


class SqlTimer:
    """connection.execute_wrapper: the time of each statement, by kind."""

    def __init__(self) -> None:
        self.spent: dict[str, float] = {}
        self.last: dict[str, tuple[str, Any]] = {}

    @staticmethod
    def kind(sql: str) -> str:
        if sql.startswith("/* "):
            return sql[3 : sql.index(" */")]
        if "COUNT(*)" in sql and "GROUP BY" not in sql:
            return "count"
        if 'GROUP BY "matching_involvementkey"."key"' in sql:
            return "namesakes"
        if "ORDER BY" in sql:
            return "candidates"
        return "other"

    def __call__(self, execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        start = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            kind = self.kind(sql)
            self.spent[kind] = self.spent.get(kind, 0.0) + (time.perf_counter() - start) * 1000
            self.last[kind] = (sql, params)


KINDS = ("candidates", "count", "namesakes", "python")


def run_lookups(
    people: list[tuple[bool, dict]],
    organisation: int,
    functions: dict[str, Any] | None = None,
    explain: int = 0,
) -> dict[str, Any]:
    """Each person looked up by `organisation` through each of `functions` (name -> a
    registry_matches; default the app's services.registry_matches) as involvement_lookup calls
    it. With several, they take turns lookup by lookup (the order rotating), so a noisy machine
    slows them alike: compare them within one call."""
    from django.db import connection

    from schakel.matching import encoding, services

    functions = functions or {"app": app_matches(organisation)}
    names = list(functions)
    k = services.keys()
    total: dict[str, list[float]] = {n: [] for n in names}
    parts: dict[str, dict[str, list[float]]] = {n: {kind: [] for kind in KINDS} for n in names}
    slow: dict[str, list[tuple[float, tuple[str, Any]]]] = {n: [] for n in names}
    hits: dict[str, dict[bool, int]] = {n: {True: 0, False: 0} for n in names}
    encode: list[float] = []
    for i, (registered, p) in enumerate(people):
        person = app_person(p)
        t0 = time.perf_counter()
        query = encoding.encode_query(k, **person.encode_kwargs())
        encode.append((time.perf_counter() - t0) * 1000)
        turn = i % len(names)
        for name in names[turn:] + names[:turn]:
            timer = SqlTimer()
            with connection.execute_wrapper(timer):
                t1 = time.perf_counter()
                others = services._active().exclude(organisation_id=organisation)
                found = functions[name](k, query, others)
                t2 = time.perf_counter()
            hits[name][registered] += bool(found)
            total[name].append((t2 - t1) * 1000)
            sql = sum(timer.spent.values())
            timer.spent["python"] = (t2 - t1) * 1000 - sql
            for kind in KINDS:
                parts[name][kind].append(timer.spent.get(kind, 0.0))
            if explain and "candidates" in timer.last:
                slow[name].append((timer.spent["candidates"], timer.last["candidates"]))
    registered = sum(r for r, _p in people)
    results: dict[str, Any] = {}
    for name in names:
        result: dict[str, Any] = {
            "lookups": len(people),
            "registry_matches": summary(total[name]),
            "encode_query": summary(encode),
            "split_mean_ms": {
                kind: round(statistics.fmean(v), 3) for kind, v in parts[name].items()
            },
            "split_p50_ms": {
                kind: round(statistics.median(v), 3) for kind, v in parts[name].items()
            },
            "split_p99_ms": {
                kind: round(percentile(v, 0.99), 3) for kind, v in parts[name].items()
            },
            "registered_found": round(hits[name][True] / max(registered, 1), 4),
            "new_with_a_hit": round(hits[name][False] / max(len(people) - registered, 1), 4),
        }
        if explain:
            slow[name].sort(key=lambda item: -item[0])
            plans = []
            with connection.cursor() as cursor:
                for ms, (sql, params) in slow[name][:explain]:
                    cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql, params)
                    plan = [_ELIDE.sub("'{...}'", r[0]) for r in cursor.fetchall()]
                    plans.append({"ms_in_run": round(ms, 1), "plan": plan})
            result["slowest_candidate_plans"] = plans
        results[name] = result
    return results if len(names) > 1 else results[names[0]]


# --- Main --------------------------------------------------------------------------------------


def organisations() -> tuple[int, int]:
    from django.core.management import call_command
    from tests.factories import OrganisationFactory

    from schakel.organisations.models import Organisation

    call_command("migrate", verbosity=0)
    found = list(Organisation.objects.filter(name__startswith="Bench ").order_by("name"))
    if len(found) < 2:
        found = [OrganisationFactory(name="Bench A"), OrganisationFactory(name="Bench B")]
    return found[0].pk, found[1].pk


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("sizes", nargs="*", type=int, default=[100_000, 1_000_000])
    parser.add_argument("--lookups", type=int, default=2000)
    parser.add_argument(
        "--variants", type=int, default=500, help="lookups per variant group (0: none)"
    )
    parser.add_argument("--keep", action="store_true", help="keep the database afterwards")
    args = parser.parse_args()
    url = os.environ.get("BENCH_DATABASE_URL", DEFAULT_URL)
    _drop_database(url)  # a fresh schema, as the migrations make it
    _create_database(url)
    _setup(url)
    from django.db import connection

    org_a, org_b = organisations()
    report: dict[str, Any] = {
        "postgresql": connection.cursor().connection.info.parameter_status("server_version"),
        "python": platform.python_version(),
        "cpus": os.cpu_count(),
        "lookups": args.lookups,
        "sizes": {},
    }
    if OUT.exists():
        previous = json.loads(OUT.read_text())
        report["sizes"] = previous.get("sizes", {})
    for size in args.sizes:
        print(f"{size:,} registrations: loading", flush=True)
        loaded = load(url, size, (org_a, org_b), args.lookups)
        people = loaded.pop("people")
        entry = {"registrations": size, **loaded, "sizes": sizes_mb(size)}
        print(json.dumps(entry, indent=1), flush=True)
        entry["index_build"] = index_build(org_a)
        print("index build", entry["index_build"], flush=True)
        _ddl(REFERENCE_KEY_INDEX.format(table=KEY_TABLE), f"VACUUM ANALYZE {KEY_TABLE}")
        entry["lookup"] = run_lookups(people, org_a, main_group(org_a), explain=5)
        for name, result in entry["lookup"].items():
            brief = {k: v for k, v in result.items() if "plans" not in k and "encode" not in k}
            print(name, json.dumps(brief), flush=True)
        report["sizes"][str(size)] = entry
        OUT.write_text(json.dumps(report, indent=2) + "\n")
        if args.variants:
            entry["variants"] = run_variants(people[: args.variants], org_a)
            OUT.write_text(json.dumps(report, indent=2) + "\n")
    if not args.keep:
        connection.close()
        _drop_database(url)


# --- Variants (at the largest size) -----------------------------------------------------------


def database_matches(k: Any, query: Any, others: Any) -> dict[int, Any]:
    """The lookup path before issue 14, kept here as the reference: the candidates grouped in
    the database through the ORM (a join of the key table, GROUP BY the registration), the
    registry counted and the namesakes counted on every lookup. Needs an index on the key
    (`reference_key_index`), which the app no longer has."""
    from django.db.models import Count

    from schakel.matching import encoding, index
    from schakel.matching.models import InvolvementKey

    rows = (
        others.filter(keys__key__in=query.block_keys)
        .annotate(shared=Count("keys"))
        .order_by("-shared", "pk")
        .values_list("pk", "sealed")[: encoding.MAX_CANDIDATES]
    )
    candidates = [(pk, bytes(sealed)) for pk, sealed in rows]
    counts = (
        InvolvementKey.objects.filter(key__in=query.name_keys)
        .values("key")
        .annotate(n=Count("id"))
        .values_list("n", flat=True)
    )
    return index.decide_all(k, query, candidates, others.count(), max(counts, default=0))


def app_matches(organisation: int) -> Any:
    """The app's lookup path: services.registry_matches (this process's index, caught up with
    the database, the candidates confirmed and read by id)."""
    from schakel.matching import services
    from schakel.organisations.models import Organisation

    asker = Organisation.objects.get(pk=organisation)

    def matches(k: Any, query: Any, _others: Any) -> dict[int, Any]:
        return services.registry_matches(k, query, organisation=asker)[0]

    return matches


def cached_count_matches() -> Any:
    """The reference with others.count() answered from a cache (the bar uses the count rounded
    to two significant digits): counted once here, as a cache refreshed every few minutes would
    be."""
    from django.db.models import QuerySet

    cache: dict[str, int] = {}

    class CachedCount(QuerySet):
        def count(self) -> int:
            if "n" not in cache:
                cache["n"] = super().count()
            return cache["n"]

    def matches(k: Any, query: Any, others: Any) -> dict[int, Any]:
        others.__class__ = CachedCount
        return database_matches(k, query, others)

    return matches


REFERENCE_KEY_INDEX = "CREATE INDEX IF NOT EXISTS bench_reference_key ON {table} (key)"


def index_build(organisation: int) -> dict[str, float]:
    """The app's index built from the database, as a worker's first lookup builds it: seconds
    and the index's bytes per registration."""
    from schakel.matching import index, services

    index.LIVE.reset()
    start = time.perf_counter()
    with index.LIVE.lock:
        live = index.LIVE.current(services.keys())
    seconds = time.perf_counter() - start
    return {
        "seconds": round(seconds, 1),
        "registrations": len(live),
        "bytes_per_registration": round(live.nbytes / max(len(live), 1), 1),
    }


CANDIDATES_SQL = """/* candidates */
SELECT i.id, i.sealed FROM (
    SELECT involvement_id, COUNT(*) AS shared FROM {table} WHERE key = ANY(%s)
    GROUP BY involvement_id
) c JOIN matching_involvement i ON i.id = c.involvement_id
WHERE i.ended_at IS NULL AND i.expires_at > %s AND i.organisation_id <> %s
ORDER BY c.shared DESC, i.id LIMIT %s"""

# The same candidates, cheaper: the registrations sharing keys grouped and sorted on the key
# table alone (an index-only scan with a (key, involvement_id) index), then walked in that order
# through the involvement's primary key, filtered, until 15 remain: no row of the involvement
# table is read beyond those (and the few of the asker's own or inactive ones skipped).
TOP_K_SQL = """/* candidates */
SELECT i.id, i.sealed FROM (
    SELECT involvement_id, COUNT(*) AS shared FROM {table} WHERE key = ANY(%s)
    GROUP BY involvement_id ORDER BY shared DESC, involvement_id
) c CROSS JOIN LATERAL (
    SELECT id, sealed FROM matching_involvement WHERE id = c.involvement_id
    AND ended_at IS NULL AND expires_at > %s AND organisation_id <> %s
) i
ORDER BY c.shared DESC, c.involvement_id LIMIT %s"""

NAMESAKES_SQL = "/* namesakes */ SELECT COUNT(*) FROM {table} WHERE key = ANY(%s) GROUP BY key"


def sql_matches(
    organisation: int, table: str = KEY_TABLE, raw: bool = False, top_k: bool = False
) -> Any:
    """The same answer as services.registry_matches in two statements of plain SQL: the keys
    grouped by registration first (on the key table alone: an index-only scan with a (key,
    involvement_id) index), then joined to the active registrations of the others; the count
    cached; only id and sealed fetched, no model instances. `raw`: the keys as 16 bytes."""
    from django.db import connection
    from django.utils import timezone

    from schakel.matching import encoding, index, services

    registrations = services._active().exclude(organisation_id=organisation).count()
    candidates = (TOP_K_SQL if top_k else CANDIDATES_SQL).format(table=table)
    namesakes_sql = NAMESAKES_SQL.format(table=table)

    def convert(keys: Any) -> list[Any]:
        return [bytes.fromhex(key) for key in keys] if raw else list(keys)

    def matches(k: Any, query: Any, _others: Any) -> dict[int, str]:
        with connection.cursor() as cursor:
            cursor.execute(
                candidates,
                [convert(query.block_keys), timezone.now(), organisation, encoding.MAX_CANDIDATES],
            )
            rows = cursor.fetchall()
            cursor.execute(namesakes_sql, [convert(query.name_keys)])
            namesakes = max((n for (n,) in cursor.fetchall()), default=0)
        chosen = [(pk, bytes(sealed)) for pk, sealed in rows]
        return index.decide_all(k, query, chosen, registrations, namesakes)

    return matches


def _ddl(*statements: str) -> float:
    """Run maintenance statements (autocommit); returns the seconds they took."""
    from django.db import connection

    start = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute("SET maintenance_work_mem = '512MB'")
        for statement in statements:
            print("   ", statement.splitlines()[0][:100], flush=True)
            cursor.execute(statement)
        cursor.execute("RESET maintenance_work_mem")
    return round(time.perf_counter() - start, 1)


def _relation_mb(*names: str) -> dict[str, float]:
    from django.db import connection

    with connection.cursor() as cursor:
        out = {}
        for name in names:
            cursor.execute("SELECT pg_total_relation_size(%s)", [name])
            out[name] = round(cursor.fetchone()[0] / 2**20, 1)
        return out


LIKE_INDEX = "matching_involvementkey_key_53b5ced8_like"


def with_settings(matches: Any, **settings: str) -> Any:
    """`matches` under session settings (SET before, RESET after: two short statements more)."""
    from django.db import connection

    def run(k: Any, query: Any, others: Any) -> dict[int, str]:
        with connection.cursor() as cursor:
            for name, value in settings.items():
                cursor.execute(f"/* other */ SET {name} = '{value}'")
        try:
            return matches(k, query, others)
        finally:
            with connection.cursor() as cursor:
                for name in settings:
                    cursor.execute(f"/* other */ RESET {name}")

    return run


def main_group(organisation: int) -> dict[str, Any]:
    """What is measured at every size, interleaved: the app's lookup (the index), the database
    path it replaced (the reference) and the two fixes of that path that need no schema
    change."""
    return {
        "app": app_matches(organisation),
        "database_reference": database_matches,
        "cached_count": cached_count_matches(),
        "plain_sql_two_step": sql_matches(organisation),
    }


def run_variants(people: list, org_a: int) -> dict[str, Any]:
    """The fixes that change settings or the schema, each in a group of its own, interleaved
    with a control of the same group; what a group changed is put back after it. Every function
    but "app" has the count cached (the first fix), so the others are measured on top of it."""
    out: dict[str, Any] = {"lookups": len(people)}

    def measure(group: str, functions: dict[str, Any], **extra: Any) -> None:
        print(f"  {group}: {', '.join(functions)}", flush=True)
        results = run_lookups(people, org_a, functions, explain=1)
        out[group] = {**extra, "results": results}
        for name, result in results.items():
            print(f"    {name:28} {json.dumps(result['registry_matches'])}", flush=True)
        OUT_VARIANTS.parent.mkdir(exist_ok=True)
        OUT_VARIANTS.write_text(json.dumps(out, indent=2) + "\n")

    cached = cached_count_matches()
    measure(
        "settings",
        {
            "cached_count": cached,
            "cached_count_work_mem_64MB": with_settings(cached, work_mem="64MB"),
            "cached_count_no_parallel": with_settings(cached, max_parallel_workers_per_gather="0"),
        },
    )
    seconds = _ddl(
        f"CREATE INDEX bench_key_involvement ON {KEY_TABLE} (key, involvement_id)",
        f"VACUUM ANALYZE {KEY_TABLE}",
    )
    measure(
        "composite_index",
        {
            "cached_count": cached,
            "plain_sql_two_step": sql_matches(org_a),
            "plain_sql_top_k": sql_matches(org_a, top_k=True),
        },
        build_seconds=seconds,
        index_mb=_relation_mb("bench_key_involvement"),
        note="CREATE INDEX (key, involvement_id) beside the existing ones; VACUUM for the"
        " visibility map (index-only scans)",
    )
    _ddl("DROP INDEX bench_key_involvement")
    seconds = _ddl(
        "DROP TABLE IF EXISTS bench_key_bytea",
        "CREATE TABLE bench_key_bytea AS SELECT id, decode(key, 'hex') AS key, involvement_id"
        " FROM matching_involvementkey",
        "CREATE INDEX bench_key_bytea_key ON bench_key_bytea (key, involvement_id)",
        "CREATE INDEX bench_key_bytea_involvement ON bench_key_bytea (involvement_id)",
        "ALTER TABLE bench_key_bytea ADD PRIMARY KEY (id)",
        "VACUUM ANALYZE bench_key_bytea",
        "DROP TABLE IF EXISTS bench_key_real",
        "CREATE TABLE bench_key_real AS SELECT k.id, k.key, k.involvement_id"
        " FROM bench_key_bytea k JOIN bench_real_keys r USING (involvement_id)"
        " WHERE k.id < r.first_key + r.real",
        "CREATE INDEX bench_key_real_key ON bench_key_real (key, involvement_id)",
        "CREATE INDEX bench_key_real_involvement ON bench_key_real (involvement_id)",
        "ALTER TABLE bench_key_real ADD PRIMARY KEY (id)",
        "VACUUM ANALYZE bench_key_real",
    )
    measure(
        "key_tables",
        {
            "plain_sql_text_keys": sql_matches(org_a),
            "plain_sql_bytea_keys": sql_matches(org_a, "bench_key_bytea", raw=True),
            "plain_sql_top_k_bytea_keys": sql_matches(
                org_a, "bench_key_bytea", raw=True, top_k=True
            ),
            "plain_sql_bytea_no_padding": sql_matches(org_a, "bench_key_real", raw=True),
        },
        build_seconds=seconds,
        table_mb=_relation_mb(KEY_TABLE, "bench_key_bytea", "bench_key_real"),
        note="text keys: the app's table and indexes (key, key _like, involvement_id, pk);"
        " bytea: 16-byte keys with a (key, involvement_id), an involvement_id and a pk index;"
        " no_padding: the same without the padding keys (NOT acceptable as is: the number of"
        " keys per registration shows)",
    )
    _ddl("DROP TABLE bench_key_real", "DROP TABLE bench_key_bytea")
    out["like_index_mb"] = _relation_mb(LIKE_INDEX)
    return out


if __name__ == "__main__":
    main()
