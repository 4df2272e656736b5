"""Border goods at scale: load N arrivals for V VÖENs into PostgreSQL, time the trader's query.

    .venv/bin/python bench/border.py [--rows 10000000] [--voens 100000] [--reuse]
        [--samples 2000] [--concurrency 1 10 100] [--rate 50 100 150] [--workers 2 --threads 8]

1. (Re)creates the database ``gomruk_bench_border`` on postgres://postgres@127.0.0.1:5432,
   migrates it, and loads the arrivals with ``INSERT … SELECT generate_series`` (indexes
   dropped during the load and rebuilt after, then ANALYZE). ``--reuse`` keeps a database
   already loaded with the same row count.
2. DB: the selector's SQL (``waiting_queryset`` for one random VÖEN, first page of 100) run
   ``--samples`` times over a psycopg connection: p50/p99 in ms, plus the plan of one sample.
3. HTTP: ``gunicorn`` (the same server as ``gomruk serve``) on 127.0.0.1 against that
   database; GET /api/v1/border/goods, each request from one of ``--users`` declarants with
   its own bearer token, each writing its audit entry as in production
   (``GOMRUK_AUDIT_SEALING`` chooses the sealing mode; deferred is PostgreSQL's default).
   a. open model (``--rate``): requests start on a fixed schedule over up to
      ``max(--concurrency)`` connections; latency counts from the scheduled start;
   b. closed model (``--concurrency``): wrk keeps exactly N requests in flight for
      ``--wrk-seconds`` (the Python client with ``--httpx`` or when wrk is missing).
   Afterwards every audit entry must be sealed into one intact chain.

Targets (issue 8): DB p99 ≤ 5 ms; HTTP p99 ≤ 30 ms with 100 concurrent requests.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

SERVER = "postgres://postgres@127.0.0.1:5432"
ROOT = Path(__file__).resolve().parent.parent


def p(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * share))]


def figures(values: list[float]) -> str:
    return (
        f"n={len(values)} p50={p(values, 0.5):.2f} ms p90={p(values, 0.9):.2f} ms "
        f"p99={p(values, 0.99):.2f} ms max={max(values):.2f} ms mean={statistics.fmean(values):.2f} ms"
    )


def voen_of(k: int) -> str:
    """The k-th synthetic VÖEN (format only: the bench needs distinct 10-digit keys)."""
    return f"{1000000000 + k:010d}"


# --- 1. Load -------------------------------------------------------------------------------------


def setup_django(database: str) -> None:
    os.environ["DATABASE_URL"] = f"{SERVER}/{database}"
    os.environ.setdefault("GOMRUK_HOME", tempfile.mkdtemp(prefix="gomruk-bench-border-"))
    os.environ["DJANGO_SETTINGS_MODULE"] = "gomruk.settings"
    import django

    django.setup()


def admin_sql(sql: str) -> None:
    import psycopg

    with psycopg.connect(f"{SERVER}/postgres", autocommit=True) as conn:
        conn.execute(sql)


def loaded_rows(database: str) -> int | None:
    import psycopg

    try:
        with psycopg.connect(f"{SERVER}/{database}") as conn:
            row = conn.execute("SELECT value FROM bench_meta WHERE key = 'rows'").fetchone()
            return int(row[0]) if row else None
    except psycopg.Error:
        return None


LOAD_SQL = """
INSERT INTO border_arrival (id, post_code, consignee_voen, consignee_name, arrived_at,
    transport_mode, vehicle_identifiers, vehicle_count, transport_country, consignor_name,
    consignor_address, consignor_country, description, commodity_codes, package_count,
    package_kind, gross_mass, documents, storage_place, state, created_at, updated_at)
SELECT gen_random_uuid(),
       (ARRAY['00102','00117','00201','00401','00501'])[1 + (n %% 5)],
       lpad((1000000000 + (hashint %% %(voens)s))::text, 10, '0'),
       'Şirkət ' || (hashint %% %(voens)s),
       now() - make_interval(secs => (hashint2 %% (3 * 365 * 86400))),
       '30', '10-AB-' || (n %% 1000), 1, '268', 'Consignor ' || (n %% 977), 'Tbilisi', '268',
       'Mal təsviri ' || n, '["0902300000"]'::jsonb, 1 + n %% 40, 'paletlər',
       round((1 + n %% 20000)::numeric / 3, 3),
       '[{"kind":"transport","code":"2015","number":"CMR-1","issued_on":"2026-01-15"}]'::jsonb,
       CASE WHEN n %% 3 = 0 THEN 'TSW-' || (n %% 50) ELSE '' END,
       CASE WHEN (hashint2 %% 1000) < %(cleared_per_mille)s THEN 'cleared'
            WHEN n %% 2 = 0 THEN 'in_storage' ELSE 'registered' END,
       now(), now()
FROM (SELECT n, abs(hashint4(n::int)) AS hashint, abs(hashint4(n::int + 7919)) AS hashint2
      FROM generate_series(%(start)s::bigint, %(stop)s::bigint) AS n) AS g
"""


def load(database: str, rows: int, voens: int, cleared: float) -> None:
    import psycopg

    admin_sql(f'DROP DATABASE IF EXISTS "{database}"')
    admin_sql(f'CREATE DATABASE "{database}"')
    env = dict(os.environ, DATABASE_URL=f"{SERVER}/{database}")
    subprocess.run([sys.executable, "-m", "gomruk", "migrate", "-v", "0"], check=True, env=env, cwd=ROOT)
    subprocess.run([sys.executable, "-m", "gomruk", "init"], check=False, env=env, cwd=ROOT,
                   stdout=subprocess.DEVNULL)
    started = time.perf_counter()
    with psycopg.connect(f"{SERVER}/{database}", autocommit=True) as conn:
        conn.execute("SET maintenance_work_mem = '1GB'")
        indexes = conn.execute(
            "SELECT indexname, indexdef FROM pg_indexes WHERE tablename = 'border_arrival' "
            "AND indexname NOT LIKE '%%_pkey'"
        ).fetchall()
        # Foreign keys from the link tables point at the primary key; drop them while loading.
        conn.execute("ALTER TABLE border_arrival DROP CONSTRAINT border_arrival_pkey CASCADE")
        for name, _definition in indexes:
            conn.execute(f'DROP INDEX "{name}"')
        step = 1_000_000
        for start in range(1, rows + 1, step):
            stop = min(start + step - 1, rows)
            conn.execute(
                LOAD_SQL,
                {"start": start, "stop": stop, "voens": voens, "cleared_per_mille": int(cleared * 1000)},
            )
            rate = stop / (time.perf_counter() - started)
            print(f"\r  loaded {stop:,}/{rows:,} ({rate:,.0f} rows/s)", end="", file=sys.stderr, flush=True)
        print(file=sys.stderr)
        print("  building indexes …", file=sys.stderr, flush=True)
        conn.execute("ALTER TABLE border_arrival ADD PRIMARY KEY (id)")
        for _name, definition in indexes:
            conn.execute(definition)
        conn.execute("VACUUM ANALYZE border_arrival")
        conn.execute("CREATE TABLE bench_meta (key text PRIMARY KEY, value text)")
        conn.execute("INSERT INTO bench_meta VALUES ('rows', %s), ('voens', %s)", (str(rows), str(voens)))
        size = conn.execute(
            "SELECT pg_size_pretty(pg_total_relation_size('border_arrival')), "
            "pg_size_pretty(pg_relation_size('border_goods_waiting')), "
            "(SELECT count(*) FROM border_arrival WHERE state <> 'cleared')"
        ).fetchone()
    print(f"load: {rows:,} rows, {voens:,} VÖENs in {time.perf_counter() - started:.0f} s; "
          f"table+indexes {size[0]}, partial index {size[1]}, not cleared {size[2]:,}")


# --- 2. DB ---------------------------------------------------------------------------------------


def db_bench(voens: int, samples: int) -> None:
    import psycopg

    from gomruk.border.selectors import waiting_queryset

    compiled = waiting_queryset([voen_of(0)])[:101].query.sql_with_params()
    sql, params = compiled
    voen_index = params.index(voen_of(0))
    rng = random.Random(8)
    with psycopg.connect(os.environ["DATABASE_URL"]) as conn:
        def run(k: int) -> tuple[float, int]:
            args = list(params)
            args[voen_index] = voen_of(k)
            started = time.perf_counter()
            found = conn.execute(sql, args).fetchall()
            return (time.perf_counter() - started) * 1000, len(found)

        cold = [run(rng.randrange(voens))[0] for _ in range(200)]
        times, counts = [], []
        for _ in range(samples):
            elapsed, count = run(rng.randrange(voens))
            times.append(elapsed)
            counts.append(count)
        plan = conn.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql, [
            voen_of(rng.randrange(voens)) if i == voen_index else v for i, v in enumerate(params)
        ]).fetchall()
    print(f"DB first 200 (cold-ish): {figures(cold)}")
    print(f"DB query, one VÖEN, page of ≤100: {figures(times)}; rows/answer mean {statistics.fmean(counts):.1f}")
    print("plan of one sample:")
    for (line,) in plan:
        print("   ", line)


# --- 3. HTTP -------------------------------------------------------------------------------------

def make_users(count: int, voens: int) -> list[str]:
    from django.db import transaction

    from gomruk.accounts.auth import token_issue
    from gomruk.accounts.models import Role, Trader, TraderBinding, User

    rng = random.Random(11)
    picks = rng.sample(range(voens), count)
    tokens = []
    with transaction.atomic():
        # Users stay between runs (audit entries refer to them); each run takes new tokens.
        for i, k in enumerate(picks):
            trader, _ = Trader.objects.get_or_create(voen=voen_of(k), defaults={"name": f"Şirkət {k}"})
            user, _ = User.objects.get_or_create(username=f"bench-{i}", defaults={"role": Role.DECLARANT})
            TraderBinding.objects.filter(user=user).exclude(trader=trader).delete()
            TraderBinding.objects.get_or_create(user=user, trader=trader)
            tokens.append(token_issue(user=user, method="password").token)
    return tokens


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def serve(port: int, workers: int, threads: int) -> None:
    """Run in a child process: gunicorn (as ``gomruk serve``) with the bench URLs, and the task
    worker ``gomruk serve`` starts beside it (it seals the audit entries in deferred mode)."""
    from gunicorn.app.base import BaseApplication

    from gomruk.core.serve_worker import worker_alongside

    class App(BaseApplication):  # type: ignore[misc]
        def load_config(self) -> None:
            for key, value in {
                "bind": f"127.0.0.1:{port}", "workers": workers, "threads": threads,
                "worker_class": "gthread", "timeout": 60, "accesslog": None, "loglevel": "warning",
            }.items():
                self.cfg.set(key, value)

        def load(self):  # type: ignore[no-untyped-def]
            from django.core.wsgi import get_wsgi_application

            return get_wsgi_application()

    worker_alongside()
    App().run()


WRK_SCRIPT = """
local tokens = {}
for line in io.lines(os.getenv("GOMRUK_BENCH_TOKENS")) do tokens[#tokens + 1] = line end
local n = math.random(#tokens)
request = function()
  n = n % #tokens + 1
  return wrk.format("GET", "/api/v1/border/goods", {["Authorization"] = "Bearer " .. tokens[n]})
end
"""


def wrk_bench(port: int, tokens: list[str], concurrency: int, seconds: float) -> None:
    """wrk (C, one thread) keeps exactly ``concurrency`` requests in flight for ``seconds``."""
    workdir = Path(tempfile.mkdtemp(prefix="gomruk-bench-wrk-"))
    (workdir / "tokens").write_text("\n".join(tokens) + "\n")
    (workdir / "script.lua").write_text(WRK_SCRIPT)
    result = subprocess.run(
        ["wrk", "-t", "1", "-c", str(concurrency), "-d", f"{seconds:.0f}s", "--latency", "--timeout", "30s",
         "-s", str(workdir / "script.lua"), f"http://127.0.0.1:{port}/api/v1/border/goods"],
        env=dict(os.environ, GOMRUK_BENCH_TOKENS=str(workdir / "tokens")),
        capture_output=True, text=True, check=True,
    )
    lines = result.stdout.splitlines()
    wanted = ("Latency", "50%", "75%", "90%", "99%", "requests in", "Requests/sec", "Non-2xx", "Socket errors")
    summary = [line.strip() for line in lines if line.strip().startswith(wanted) or "requests in" in line]
    print(f"HTTP {concurrency} in flight (wrk, {seconds:.0f} s):")
    for line in summary:
        print(f"    {line}")


async def http_bench(port: int, tokens: list[str], total: int, concurrency: int, seconds: float) -> None:
    """Fallback without wrk: asyncio + httpx (the client itself then costs CPU the server lacks)."""
    import httpx

    url = f"http://127.0.0.1:{port}/api/v1/border/goods"
    latencies: list[float] = []
    statuses: dict[int | str, int] = {}
    queue: asyncio.Queue[int] = asyncio.Queue()
    for i in range(total):
        queue.put_nowait(i)
    deadline = time.perf_counter() + seconds
    limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)
    async with httpx.AsyncClient(limits=limits, timeout=30) as client:
        async def worker() -> None:
            while time.perf_counter() < deadline:
                try:
                    i = queue.get_nowait()
                except asyncio.QueueEmpty:
                    return
                headers = {"Authorization": f"Bearer {tokens[i % len(tokens)]}"}
                started = time.perf_counter()
                try:
                    response = await client.get(url, headers=headers)
                    status: int | str = response.status_code
                except httpx.TransportError as exc:
                    status = type(exc).__name__
                latencies.append((time.perf_counter() - started) * 1000)
                statuses[status] = statuses.get(status, 0) + 1

        started = time.perf_counter()
        await asyncio.gather(*[worker() for _ in range(concurrency)])
        elapsed = time.perf_counter() - started
    print(f"HTTP {concurrency} in flight (httpx): {figures(latencies)}; {len(latencies) / elapsed:,.0f} req/s; "
          f"status {statuses}")


async def open_loop_bench(
    port: int, tokens: list[str], rate: float, connections: int, seconds: float, *, report: bool = True
) -> None:
    """Open model: requests start on a fixed schedule (``rate`` per second) over up to
    ``connections`` connections, whatever the server's pace; latency counts from the scheduled
    start, so a queue in front of a slow server is measured, not hidden."""
    import httpx

    url = f"http://127.0.0.1:{port}/api/v1/border/goods"
    latencies: list[float] = []
    statuses: dict[int | str, int] = {}
    total = int(rate * seconds)
    slots = asyncio.Semaphore(connections)
    limits = httpx.Limits(max_connections=connections, max_keepalive_connections=connections)
    async with httpx.AsyncClient(limits=limits, timeout=30) as client:
        began = time.perf_counter()

        async def one(i: int) -> None:
            scheduled = began + i / rate
            await asyncio.sleep(max(0.0, scheduled - time.perf_counter()))
            async with slots:
                try:
                    response = await client.get(url, headers={"Authorization": f"Bearer {tokens[i % len(tokens)]}"})
                    status: int | str = response.status_code
                except httpx.TransportError as exc:
                    status = type(exc).__name__
            latencies.append((time.perf_counter() - scheduled) * 1000)
            statuses[status] = statuses.get(status, 0) + 1

        await asyncio.gather(*[one(i) for i in range(total)])
    if report:
        print(f"HTTP open model, {rate:.0f} req/s over ≤{connections} connections: {figures(latencies)}; status {statuses}")


def wait_for(port: int, timeout: float = 60) -> None:
    deadline = time.time() + timeout
    while time.time() < deadline:
        with socket.socket() as s:
            if s.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.2)
    raise SystemExit("server did not start")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--database", default="gomruk_bench_border")
    parser.add_argument("--rows", type=int, default=10_000_000)
    parser.add_argument("--voens", type=int, default=100_000)
    parser.add_argument("--cleared", type=float, default=0.9, help="share of arrivals already cleared")
    parser.add_argument("--reuse", action="store_true", help="keep a database loaded with --rows")
    parser.add_argument("--samples", type=int, default=2000)
    parser.add_argument("--users", type=int, default=2000)
    parser.add_argument("--http-requests", type=int, default=5000)
    parser.add_argument("--concurrency", type=int, nargs="+", default=[100])
    parser.add_argument("--http-seconds", type=float, default=120)
    parser.add_argument("--wrk-seconds", type=float, default=20, help="length of each wrk run")
    parser.add_argument("--rate", type=float, nargs="*", default=[50, 100, 150],
                        help="open-model runs: requests per second, over --concurrency connections")
    parser.add_argument("--httpx", action="store_true", help="use the Python client even if wrk is installed")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--threads", type=int, default=8)
    parser.add_argument("--serve", type=int, help=argparse.SUPPRESS)  # internal: child server
    args = parser.parse_args()

    if args.serve:
        setup_django(args.database)
        serve(args.serve, args.workers, args.threads)
        return
    if not (args.reuse and loaded_rows(args.database) == args.rows):
        load(args.database, args.rows, args.voens, args.cleared)
    else:
        env = dict(os.environ, DATABASE_URL=f"{SERVER}/{args.database}")
        subprocess.run([sys.executable, "-m", "gomruk", "migrate", "-v", "0"], check=True, env=env, cwd=ROOT)
    setup_django(args.database)
    db_bench(args.voens, args.samples)
    if args.http_requests <= 0:
        return
    tokens = make_users(args.users, args.voens)
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, __file__, "--database", args.database, "--serve", str(port),
         "--workers", str(args.workers), "--threads", str(args.threads)],
        env=dict(os.environ), cwd=ROOT,
    )
    try:
        wait_for(port)
        print(f"server: gunicorn gthread, {args.workers} workers × {args.threads} threads, "
              f"{os.cpu_count()} CPU cores shared with the load generator and PostgreSQL; "
              f"audit sealing {os.environ.get('GOMRUK_AUDIT_SEALING', 'deferred')}")
        if args.rate:  # warm every worker's connections, caches and reference snapshot first
            asyncio.run(open_loop_bench(port, tokens, min(args.rate), max(args.concurrency), 3, report=False))
        for rate in args.rate:
            asyncio.run(open_loop_bench(port, tokens, rate, max(args.concurrency), args.wrk_seconds))
        for concurrency in args.concurrency:
            if shutil.which("wrk") and not args.httpx:
                wrk_bench(port, tokens, concurrency, args.wrk_seconds)
            else:
                asyncio.run(http_bench(port, tokens, args.http_requests, concurrency, args.http_seconds))
    finally:
        server.terminate()
        server.wait(timeout=30)
    audit_check()


def audit_check() -> None:
    """Every request above wrote an audit entry; after the server stops, all of them must be
    sealed into one intact chain (deferred sealing loses nothing)."""
    from gomruk.core.audit import audit_seal, audit_verify

    left = audit_seal().sealed
    started = time.perf_counter()
    report = audit_verify()
    print(f"audit: {left} entries were still pending at shutdown (sealed now); chain of {report.checked:,} "
          f"entries {'intact' if report.ok else 'BROKEN: ' + report.reason}, verified in "
          f"{time.perf_counter() - started:.1f} s")


if __name__ == "__main__":
    main()
