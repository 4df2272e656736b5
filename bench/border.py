"""Border goods at scale: the trader's query against PostgreSQL (and SQLite), and over HTTP
against a bare ceiling (issue 8, issue 17).

    .venv/bin/python bench/border.py [--database postgres|sqlite|both] [--rows 10000000]
        [--voens 100000] [--sqlite-rows 200000] [--reuse] [--samples 2000] [--users 200]
        [--clients 1,8,16] [--seconds 10] [--rounds 2] [--workers 2] [--gomruk-src ../main/src]
        [--redis redis://127.0.0.1:6379/9]

1. Load. PostgreSQL: (re)creates ``gomruk_bench_border`` on postgres://postgres@127.0.0.1:5432,
   migrates it and loads ``--rows`` arrivals for ``--voens`` VÖENs with ``INSERT … SELECT
   generate_series`` (indexes dropped during the load and rebuilt after, then ANALYZE);
   ``--reuse`` keeps a database already loaded with the same row count. SQLite: a file in a
   temporary GOMRUK_HOME with ``--sqlite-rows`` arrivals, as many per VÖEN as on PostgreSQL.
2. DB (PostgreSQL): the selector's SQL (``waiting_query``, one random VÖEN, first page of 100)
   run ``--samples`` times over a psycopg connection: p50/p99 in ms, plus the plan of one sample.
3. HTTP, A/B: ``gomruk serve`` (with its task worker, which seals the audit entries in deferred
   mode) on port 8180 and the bare ceiling (``bench/ceiling/``: the token's hash looked up in
   ``accounts_apitoken``, the same indexed SELECT, one audit INSERT; served by the same server)
   on port 8182, against the same database. ``--users`` declarants, each with its own bearer
   token and VÖEN; each client thread sends GET …/border/goods with the tokens in turn. For each
   client count, ``--rounds`` rounds of Gömrük then the ceiling, ``--seconds`` each after an
   unmeasured ramp (``_harness.RAMP_SECONDS``), interleaved: a busy machine slows both alike.
   Printed: req/s, p50/p99 ms, server CPU ms per request (utime + stime of the server's whole
   process tree, /proc), the machine's PostgreSQL and Redis processes' and the load generator's
   CPU ms per request (``DB ms``, ``client``; ``all`` the three, as ``bench/submit.py``), and the
   ratio.
4. Sealing: Gömrük again with ``GOMRUK_SERVE_WORKER=0`` (nothing sealed while it serves),
   interleaved with the ceiling at the ratio's client count: the worker's share is the
   difference in CPU per request (and in req/s, each relative to its own ceiling runs), two
   runs one after the other. Beside it, the direct share: the task worker's own CPU (/proc)
   over the ratio's rounds with the worker on, per request, against the web workers'. Then
   the backlog is sealed here and every audit entry must be in one intact chain.

Targets (issue 8): DB p99 ≤ 5 ms; (issue 17) border ≥ 60 % of the bare ceiling, ≤ 3.5 ms CPU
per request, sealing ≤ 10 % on top. The last line: ``border: ratio to bare ceiling <r>``
(PostgreSQL, 8 clients; the first database run otherwise).
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import httpx
from _harness import (
    Ceiling,
    Contender,
    Totals,
    interleaved,
    load,
    percentile,
    redis_env,
    tree_cpu_ms,
)
from tests.served import Served, children

SERVER = "postgres://postgres@127.0.0.1:5432"
ROOT = Path(__file__).resolve().parent.parent
PORT, CEILING_PORT = 8180, 8182
RATIO_CLIENTS = 8


def figures(values: list[float]) -> str:
    return (
        f"n={len(values)} p50={percentile(values, 0.5):.2f} ms p90={percentile(values, 0.9):.2f} ms "
        f"p99={percentile(values, 0.99):.2f} ms max={max(values):.2f} ms mean={statistics.fmean(values):.2f} ms"
    )


def voen_of(k: int) -> str:
    """The k-th synthetic VÖEN (format only: the bench needs distinct 10-digit keys)."""
    return f"{1000000000 + k:010d}"


# --- 1. Load -------------------------------------------------------------------------------------


def setup_django(url: str) -> None:
    os.environ["DATABASE_URL"] = url
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


def load_postgres(database: str, rows: int, voens: int, cleared: float) -> None:
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

    from gomruk.border.selectors import waiting_query

    sql, params = waiting_query([voen_of(0)], cursor=None, limit=101)
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


def load_sqlite(path: Path, rows: int, voens: int, cleared: float) -> None:
    """The same synthetic arrivals as ``LOAD_SQL``, in Django's SQLite representation."""
    import uuid

    rng = random.Random(5)
    started = time.perf_counter()
    now = time.time()
    with sqlite3.connect(path) as conn:
        batch = []
        for n in range(1, rows + 1):
            k = rng.randrange(voens)
            arrived = time.strftime("%Y-%m-%d %H:%M:%S", time.gmtime(now - rng.randrange(3 * 365 * 86400)))
            state = "cleared" if rng.random() < cleared else ("in_storage" if n % 2 == 0 else "registered")
            batch.append((
                uuid.uuid4().hex, ("00102", "00117", "00201", "00401", "00501")[n % 5], voen_of(k), f"Şirkət {k}",
                f"{arrived}.000000", "30", f"10-AB-{n % 1000}", 1, "268", f"Consignor {n % 977}", "Tbilisi", "268",
                f"Mal təsviri {n}", '["0902300000"]', 1 + n % 40, "paletlər", round((1 + n % 20000) / 3, 3),
                '[{"kind":"transport","code":"2015","number":"CMR-1","issued_on":"2026-01-15"}]',
                f"TSW-{n % 50}" if n % 3 == 0 else "", state, f"{arrived}.000000", f"{arrived}.000000",
            ))
            if len(batch) == 50_000 or n == rows:
                conn.executemany(f"INSERT INTO border_arrival ({ARRIVAL_COLUMNS}) VALUES ({', '.join(['?'] * 22)})", batch)
                batch.clear()
        conn.execute("ANALYZE")
    print(f"load: {rows:,} rows, {voens:,} VÖENs into SQLite in {time.perf_counter() - started:.0f} s")


ARRIVAL_COLUMNS = (
    "id, post_code, consignee_voen, consignee_name, arrived_at, transport_mode, vehicle_identifiers, "
    "vehicle_count, transport_country, consignor_name, consignor_address, consignor_country, description, "
    "commodity_codes, package_count, package_kind, gross_mass, documents, storage_place, state, created_at, updated_at"
)


def goods_work(base_url: str, path: str, tokens: list[str], clients: int) -> Any:
    """Each client thread its own connection; request n of thread i carries token i + n·clients."""
    pool = [httpx.Client(base_url=base_url, timeout=60) for _ in range(clients)]

    def work(index: int, n: int, times: dict[str, list[float]]) -> None:
        token = tokens[(index + n * clients) % len(tokens)]
        started = time.perf_counter()
        response = pool[index].get(path, headers={"Authorization": f"Bearer {token}"})
        times["goods"].append((time.perf_counter() - started) * 1000)
        if response.status_code != 200:
            raise RuntimeError(f"{base_url}{path}: {response.status_code} {response.text[:300]}")
        times["items"].append(len(response.json()["items"]))

    return work


def task_worker_pid(master: int) -> int:
    """The task worker ``gomruk serve`` starts beside its web workers (``gomruk worker``)."""
    for pid in children(master):
        try:
            command = Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")
        except OSError:
            continue
        if b"worker" in command:
            return pid
    raise RuntimeError("gomruk serve started no task worker")


def row(clients: int, name: str, total: Totals) -> str:
    goods = total.times["goods"]
    items = statistics.fmean(total.times["items"]) if total.times["items"] else 0.0
    return (f"{clients:>7} {name:<14}{total.per_second:>9.1f}{percentile(goods, 0.5):>9.2f}"
            f"{percentile(goods, 0.99):>9.2f}{total.cpu_per_unit:>9.2f}{total.services_per_unit:>8.2f}"
            f"{total.client_per_unit:>8.2f}{total.machine_per_unit:>8.2f}{items:>8.1f}")


HEADER = (f"{'clients':>7} {'server':<14}{'req/s':>9}{'p50 ms':>9}{'p99 ms':>9}{'CPU ms':>9}{'DB ms':>8}"
          f"{'client':>8}{'all':>8}{'items':>8}")


def http_ab(database: str, url: str, home: Path, args: argparse.Namespace, tokens: list[str]) -> float:
    """Gömrük (worker on, then off) against the ceiling; the ratio at RATIO_CLIENTS (or the
    largest client count)."""
    sealing = os.environ.get("GOMRUK_AUDIT_SEALING", "deferred" if database == "postgres" else "immediate")

    def served(worker: bool) -> Served:
        extra = {"GOMRUK_SERVE_WORKER": "1" if worker else "0", "GOMRUK_AUDIT_SEALING": sealing}
        extra.update(redis_env(args.redis))  # the rate-limit counter where production keeps it (ADR 0013)
        if args.threads:
            extra["GOMRUK_REQUEST_THREADS"] = str(args.threads)
        if args.gomruk_src:  # another checkout's code served (before/after), the same bench and ceiling
            extra["PYTHONPATH"] = str(Path(args.gomruk_src).resolve())
        return Served(database, name=args.pg_name, workers=args.workers, port=PORT, home=home, extra_env=extra)

    ceiling = Ceiling(url, CEILING_PORT, args.workers, home=home, threads=args.threads or None)
    ceiling.start()
    bare = goods_work(f"http://127.0.0.1:{CEILING_PORT}", "/api/border/goods", tokens, max(args.clients))
    ratio_clients = RATIO_CLIENTS if RATIO_CLIENTS in args.clients else max(args.clients)
    gomruk = served(worker=True)
    ratios: dict[int, float] = {}
    try:
        gomruk.start()
        print(f"\nHTTP ({database}, audit sealing {sealing}): gomruk serve :{PORT} and the ceiling "
              f":{CEILING_PORT}, {args.workers} workers each; {args.rounds} rounds × {args.seconds:.0f} s "
              f"per client count, interleaved; CPU ms = server process tree per request; rate-limit counter "
              f"{'in Redis' if 'REDIS_URL' in gomruk.extra_env else 'on the database cache'}", flush=True)
        ours = goods_work(gomruk.base_url, "/api/v1/border/goods", tokens, max(args.clients))
        load(2, 3, ours, gomruk.master_pid)  # warm-up: imports, snapshots, connections
        load(2, 2, bare, ceiling.pid)
        print(HEADER)
        on: dict[str, Totals] = {}
        task_worker = task_worker_pid(gomruk.master_pid)
        worker_ms = 0.0
        for clients in args.clients:
            worker_before = tree_cpu_ms(task_worker)
            totals = interleaved(
                (Contender("gomruk", ours, gomruk.master_pid), Contender("ceiling", bare, ceiling.pid)),
                clients, args.rounds, args.seconds,
            )
            if clients == ratio_clients:
                worker_ms = tree_cpu_ms(task_worker) - worker_before
            print(row(clients, "gomruk", totals["gomruk"]))
            print(row(clients, "ceiling", totals["ceiling"]))
            ratios[clients] = totals["gomruk"].per_second / totals["ceiling"].per_second
            print(f"{clients:>7} ratio {ratios[clients]:.3f}  (Gömrük req/s ÷ ceiling req/s)", flush=True)
            if clients == ratio_clients:
                on = totals
        gomruk.stop()

        gomruk = served(worker=False)
        gomruk.start()
        ours = goods_work(gomruk.base_url, "/api/v1/border/goods", tokens, max(args.clients))
        load(2, 3, ours, gomruk.master_pid)
        off = interleaved(
            (Contender("gomruk", ours, gomruk.master_pid), Contender("ceiling", bare, ceiling.pid)),
            ratio_clients, args.rounds, args.seconds,
        )
        print(row(ratio_clients, "gomruk no wkr", off["gomruk"]))
        print(row(ratio_clients, "ceiling", off["ceiling"]))
        cpu_share = on["gomruk"].cpu_per_unit / off["gomruk"].cpu_per_unit - 1
        rate_on = on["gomruk"].per_second / on["ceiling"].per_second
        rate_off = off["gomruk"].per_second / off["ceiling"].per_second
        print(f"sealing ({database}, {ratio_clients} clients): worker on {on['gomruk'].cpu_per_unit:.2f} vs off "
              f"{off['gomruk'].cpu_per_unit:.2f} CPU ms per request ({cpu_share:+.1%}); ratio to ceiling "
              f"{rate_on:.3f} on vs {rate_off:.3f} off ({rate_off / rate_on - 1:+.1%} throughput without it)")
        # The difference above compares two runs made one after the other; the task worker's
        # own CPU, read from /proc over the same rounds as the web workers', is the direct share
        # (its idle polling during the ceiling's turns included).
        worker_per_request = worker_ms / max(on["gomruk"].done, 1)
        web_per_request = on["gomruk"].cpu_per_unit - worker_per_request
        print(f"sealing ({database}, {ratio_clients} clients): the task worker's own CPU "
              f"{worker_per_request:.2f} ms per request, {worker_per_request / web_per_request:+.1%} on top of the "
              f"web workers' {web_per_request:.2f} ms")
    finally:
        gomruk.stop()
        ceiling.stop(remove_home=False)
    audit_check()
    return ratios[ratio_clients]


def run_database(database: str, args: argparse.Namespace) -> float:
    reused = database == "postgres" and args.reuse and loaded_rows(args.pg_name) == args.rows
    if database == "postgres":  # kept with its database: --reuse needs the audit key it sealed with
        home = Path(tempfile.gettempdir()) / f"gomruk-bench-border-{args.pg_name}"
        if not reused:
            # A new database starts a new audit chain: the checkpoints an earlier run signed in
            # this home vouch for the old one, and audit_check would call the new one rewritten.
            shutil.rmtree(home, ignore_errors=True)
        home.mkdir(exist_ok=True)
    else:
        home = Path(tempfile.mkdtemp(prefix="gomruk-bench-border-"))
    os.environ["GOMRUK_HOME"] = str(home)  # the audit key the server MACs with, for audit_check
    if database == "postgres":
        url = f"{SERVER}/{args.pg_name}"
        if not reused:
            load_postgres(args.pg_name, args.rows, args.voens, args.cleared)
        voens = args.voens
    else:
        url = f"sqlite:///{home / 'gomruk.sqlite3'}"
        voens = max(1, args.sqlite_rows * args.voens // args.rows)
    env = dict(os.environ, DATABASE_URL=url)
    subprocess.run([sys.executable, "-m", "gomruk", "migrate", "-v", "0"], check=True, env=env, cwd=ROOT)
    subprocess.run([sys.executable, "-m", "gomruk", "init"], check=False, env=env, cwd=ROOT, stdout=subprocess.DEVNULL)
    if database == "sqlite":
        load_sqlite(home / "gomruk.sqlite3", args.sqlite_rows, voens, args.cleared)
    setup_django(url)
    if database == "postgres":
        db_bench(voens, args.samples)
    tokens = make_users(args.users, voens)
    return http_ab(database, url, home, args, tokens)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--database", choices=("postgres", "sqlite", "both"), default="both")
    parser.add_argument("--pg-name", default="gomruk_bench_border", help="the PostgreSQL database to load")
    parser.add_argument("--rows", type=int, default=10_000_000)
    parser.add_argument("--voens", type=int, default=100_000)
    parser.add_argument("--sqlite-rows", type=int, default=200_000)
    parser.add_argument("--cleared", type=float, default=0.9, help="share of arrivals already cleared")
    parser.add_argument("--reuse", action="store_true", help="keep a PostgreSQL database loaded with --rows")
    parser.add_argument("--samples", type=int, default=2000)
    parser.add_argument("--users", type=int, default=200)
    parser.add_argument("--clients", default="1,8,16", type=lambda v: [int(c) for c in v.split(",")])
    parser.add_argument("--seconds", type=float, default=10)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--threads", type=int, default=0,
                        help="request threads per worker, both servers (GOMRUK_REQUEST_THREADS; 0: the default)")
    parser.add_argument("--redis", metavar="URL", default="redis://127.0.0.1:6379/9",
                        help="Gömrük's rate-limit counter in this Redis database (REDIS_URL, as production runs, "
                        "ADR 0013; emptied first); '' or no Redis answering: the database cache")
    parser.add_argument("--gomruk-src", help="serve Gömrük from this src/ directory (e.g. main's worktree) "
                        "instead of the installed one; everything else stays as it is")
    args = parser.parse_args()
    if args.database == "both":
        # One Django set-up per process: each database in a child run of this script.
        ratio = None
        for database in ("sqlite", "postgres"):
            argv = [a for a in sys.argv[1:] if a != "both"]
            argv = [sys.executable, __file__, *(a for a in argv if a != "--database"), "--database", database]
            done = subprocess.run(argv, check=True, stdout=subprocess.PIPE, text=True)
            lines = done.stdout.splitlines()
            print("\n".join(lines[:-1]), flush=True)
            if ratio is None or database == "postgres":
                ratio = lines[-1].rsplit(" ", 1)[1]
        print(f"border: ratio to bare ceiling {ratio}")
        return
    ratio = run_database(args.database, args)
    print(f"({args.database}, {RATIO_CLIENTS if RATIO_CLIENTS in args.clients else max(args.clients)} clients)")
    print(f"border: ratio to bare ceiling {ratio:.3f}")


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
