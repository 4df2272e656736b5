"""The submission journey in process (issue 17.3): Django's test client, no network.
``bench/submit.py --in-process`` runs this; the served journey and its ceiling are ``bench/submit.py``.

    .venv/bin/python bench/submit.py --in-process [--journeys 5] [--items 100]
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/test GOMRUK_TEST_DB=bench_submit_journey \
        .venv/bin/python bench/submit.py --in-process

Runs in a throw-away test database (``GOMRUK_TEST_DB`` names it on PostgreSQL) with the demo
users and keys (``gomruk init --demo``). Each journey of a ``--items``-item declaration —
create → signing payload → signature → confirm → send — runs under ``CaptureQueriesContext``;
printed per step and per journey: SQL statements, SQL bytes (the statements as executed, their
parameters included), milliseconds and this process's CPU milliseconds (median), and on a local
PostgreSQL the CPU milliseconds of the backend that served the step (``/proc/<pid>/schedstat``
of ``pg_backend_pid()``): the database shares this machine's two cores. The cheapest way to see
progress.

    .venv/bin/python bench/submit.py --in-process --instructions [--journeys 3]

runs the same journeys under valgrind's callgrind (``bench/instructions.py``) and prints the
instructions each step ran (median, in millions, this process only): the figure that does not
wander with the machine's load, for comparing two checkouts (``PYTHONPATH=<checkout>/src``).

    .venv/bin/python bench/submit.py --in-process --statements [--journeys 5]   # PostgreSQL
    .venv/bin/python bench/submit.py --in-process --profile confirm [--sort cumulative] [--top 40]

prints, after the table, the statements that cost the PostgreSQL backend most CPU per journey
(their first 90 characters, by step; ``--top N`` of them): where the database's share goes.

The create asks ``Prefer: return=minimal`` as bench/submit.py's journey does (``--echo``: the
document echoed back). After the warm-up journey the collector is tuned as a served worker tunes
it (``gomruk.core.memory``; ``--default-gc``: CPython's defaults kept).
"""

from __future__ import annotations

import argparse
import base64
import cProfile
import json
import os
import pstats
import statistics
import sys
import time
from contextlib import contextmanager
from pathlib import Path

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gomruk.settings_test")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext, setup_databases, teardown_databases  # noqa: E402
from instructions import Callgrind  # noqa: E402 (bench/, this script's directory)

STEPS = ("create", "signing-payload", "signature", "confirm", "send")


class Journey:
    #: --profile STEP: that step's calls run under cProfile, printed after the table
    profiler: cProfile.Profile | None = None
    profiled = ""
    def __init__(self, token: str, document: dict[str, object], counter: Callgrind | None = None) -> None:
        from gomruk.signatures.local import sign_payload

        self.counter = counter

        demo = Path(settings.GOMRUK_HOME) / "demo"
        self.key_pem = (demo / "deklarant-key.pem").read_bytes()
        self.cert_pem = (demo / "deklarant.pem").read_bytes()
        self.sign_payload = sign_payload
        self.client = Client()
        self.headers = {"Authorization": f"Bearer {token}", "Accept-Language": "en"}
        self.body = json.dumps(document)
        self.terms = self.get("/api/v1/declarations/terms").json()["version"]

    def get(self, url: str, extra: dict[str, str] | None = None):  # type: ignore[no-untyped-def]
        return self.client.get(url, headers=dict(self.headers, **(extra or {})))

    def post(self, url: str, body: str, key: str | None = None, extra: dict[str, str] | None = None):  # type: ignore[no-untyped-def]
        headers = dict(self.headers, **({"Idempotency-Key": key} if key else {}), **(extra or {}))
        return self.client.post(url, data=body, content_type="application/json", headers=headers)

    #: --echo: the create answered with the whole document (no ``Prefer: return=minimal``)
    echo = False
    #: (step, statement's first 90 characters) → [times run, backend CPU ns], with --statements
    statements: dict[tuple[str, str], list[int]] | None = None

    @contextmanager
    def statement_costs(self, step: str):  # type: ignore[no-untyped-def]
        if self.statements is None:
            yield
            return
        costs = self.statements

        def measured(execute, sql, params, many, context):  # type: ignore[no-untyped-def]
            before = backend_cpu_ns()
            try:
                return execute(sql, params, many, context)
            finally:
                cost = costs.setdefault((step, sql[:90]), [0, 0])
                cost[0] += 1
                cost[1] += backend_cpu_ns() - before

        with connection.execute_wrapper(measured):
            yield

    def run(self, n: int) -> dict[str, tuple[int, int, float, float, float]]:
        """Statements, SQL bytes, milliseconds, CPU milliseconds of this process and of the
        PostgreSQL backend (0 where it cannot be read) of each step (the signing itself not
        counted)."""
        measured: dict[str, tuple[int, int, float, float, float]] = {}
        base = "/api/v1/declarations"
        state: dict[str, object] = {}

        def step(name: str, call):  # type: ignore[no-untyped-def]
            if self.counter is not None:  # counting instructions: nothing else measured, nothing captured
                response = self.counter.count(name, call)
                assert response.status_code in (200, 201), (name, response.status_code, response.content[:300])
                return response
            with CaptureQueriesContext(connection) as queries, self.statement_costs(name):
                start, cpu, backend = time.perf_counter(), time.process_time(), backend_cpu_ns()
                response = self.profiler.runcall(call) if self.profiler is not None and name == self.profiled else call()
                elapsed = (time.perf_counter() - start) * 1000
                cpu_ms = (time.process_time() - cpu) * 1000
                backend_ms = (backend_cpu_ns() - backend) / 1e6
            assert response.status_code in (200, 201), (name, response.status_code, response.content[:300])
            if os.environ.get("SUBMIT_SQL_DUMP"):
                for q in queries.captured_queries:
                    print(f"[{name}] {len(q['sql']):>8} {q['sql'][:int(os.environ.get('SUBMIT_SQL_WIDTH', '150'))]}")
            measured[name] = (len(queries), sum(len(q["sql"]) for q in queries.captured_queries), elapsed, cpu_ms, backend_ms)
            return response

        minimal = None if self.echo else {"Prefer": "return=minimal"}  # as bench/submit.py's journey asks
        created = step("create", lambda: self.post(base, self.body, key=f"create-{n}", extra=minimal)).json()
        did = created["id"]
        # The bytes to sign, as bench/submit.py's journey reads them.
        raw = step("signing-payload", lambda: self.get(f"{base}/{did}/signing-payload",
                                                       extra={"Accept": "application/octet-stream"}))
        payload = {"version": int(raw.headers["X-Declaration-Version"])}
        signature = self.sign_payload(raw.content, key_pem=self.key_pem, cert_pem=self.cert_pem)
        state["sig"] = json.dumps({"provider": "certificate", "signature": base64.b64encode(signature).decode(),
                                   "version": payload["version"]})
        step("signature", lambda: self.post(f"{base}/{did}/signature", str(state["sig"]), key=f"sign-{n}"))
        step("confirm", lambda: self.post(f"{base}/{did}/confirm",
                                          json.dumps({"terms_version": self.terms, "accepted": True}), key=f"confirm-{n}"))
        sent = step("send", lambda: self.post(f"{base}/{did}/send", json.dumps({"office": "00100"}), key=f"send-{n}"))
        assert sent.json()["state"] == "sent"
        return measured


def backend_cpu_ns() -> int:
    """CPU nanoseconds the PostgreSQL backend of this connection has run, when it runs on this
    machine (0 otherwise, and on SQLite)."""
    if connection.vendor != "postgresql":
        return 0
    global _BACKEND
    if _BACKEND is None:
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_backend_pid()")
            _BACKEND = cursor.fetchone()[0]
    try:
        return int(Path(f"/proc/{_BACKEND}/schedstat").read_text().split()[0])
    except (OSError, ValueError, IndexError):
        return 0


_BACKEND: int | None = None


def hundred_items(items: int) -> dict[str, object]:
    """The demo's import declaration (İD 40, water heaters) with ``items`` items, under an HS
    subheading (8516.10) as tests/after do: the factory's own codes are not HS subheadings."""
    from gomruk.demo import factories

    document = factories.import_gb(items=items)
    for item in document.goods:
        item.commodity_code = "8516100000"
    return document.to_data()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--journeys", type=int, default=5)
    parser.add_argument("--items", type=int, default=100)
    parser.add_argument("--in-process", action="store_true", help="(as passed on by bench/submit.py)")
    parser.add_argument("--instructions", action="store_true", help="count each step's instructions under callgrind")
    parser.add_argument("--statements", action="store_true", help="the statements costing PostgreSQL most CPU")
    parser.add_argument("--echo", action="store_true", help="create without Prefer: return=minimal")
    parser.add_argument("--top", type=int, default=15, help="with --statements: how many statements to print")
    parser.add_argument("--profile", choices=STEPS, help="run this step under cProfile and print where its time goes")
    parser.add_argument("--sort", default="tottime", help="with --profile: pstats sort key (tottime, cumulative)")
    parser.add_argument("--default-gc", action="store_true",
                        help="keep CPython's collector settings (a served worker tunes them: gomruk.core.memory)")
    args = parser.parse_args()
    counter = Callgrind.here()
    if args.instructions and counter is None:
        Callgrind.reexec(sys.argv)

    settings.GOMRUK_API_RATE = "1000000/minute"
    settings.GOMRUK_API_AUTH_RATE = "100000/minute"
    old = setup_databases(verbosity=0, interactive=False)
    try:
        from django.core.management import call_command


        call_command("createcachetable", verbosity=0)
        from gomruk.demo.setup import initialise

        for _ in initialise(demo=True):
            pass
        token = Client().post(
            "/api/v1/auth/token", data=json.dumps({"username": "deklarant", "password": "gomruk-demo"}),
            content_type="application/json",
        ).json()["access_token"]
        journey = Journey(token, hundred_items(args.items))
        journey.echo = args.echo
        journey.run(-1)  # warm-up
        if not args.default_gc:  # as a served worker does once it has loaded (gomruk.core.memory)
            from gomruk.core.memory import long_lived_process

            long_lived_process()
        journey.counter = counter
        if args.statements:
            journey.statements = {}
        if args.profile:
            journey.profiler, journey.profiled = cProfile.Profile(), args.profile
        runs = [journey.run(n) for n in range(args.journeys)]
    finally:
        teardown_databases(old, verbosity=0)

    if counter is not None:
        print(f"in-process journey under callgrind, {args.items} items, {connection.vendor}, {args.journeys} journeys "
              f"(median; switching the count on and off, {counter.overhead:,} instructions, taken off each step)")
        print(f"{'step':<16}{'instructions':>16}")
        steps = {name: statistics.median(counter.counts[name]) for name in STEPS}
        for name, value in steps.items():
            print(f"{name:<16}{value / 1e6:>14.1f} M")
        print(f"{'journey':<16}{sum(steps.values()) / 1e6:>14.1f} M")
        print(f"submit in-process: {sum(steps.values()) / 1e6:.1f} M instructions per journey")
        return

    print(f"in-process journey, {args.items} items, {connection.vendor}, {args.journeys} journeys (median)")
    print(f"{'step':<16}{'statements':>11}{'SQL bytes':>12}{'ms':>9}{'CPU ms':>9}{'DB CPU ms':>11}")
    totals = [0.0] * 5
    for name in STEPS:
        row = [statistics.median(r[name][column] for r in runs) for column in range(5)]
        totals = [total + value for total, value in zip(totals, row, strict=True)]
        print(f"{name:<16}{row[0]:>11.0f}{row[1]:>12,.0f}{row[2]:>9.1f}{row[3]:>9.1f}{row[4]:>11.1f}")
    print(f"{'journey':<16}{totals[0]:>11.0f}{totals[1]:>12,.0f}{totals[2]:>9.1f}{totals[3]:>9.1f}{totals[4]:>11.1f}")
    if journey.statements:
        costs = sorted(journey.statements.items(), key=lambda item: -item[1][1])
        print(f"\nPostgreSQL backend CPU per journey, the costliest statements ({sum(c for _, c in journey.statements.values()) / 1e6 / args.journeys:.1f} ms in all)")
        for (name, sql), (times, cost) in costs[: args.top]:
            print(f"{cost / 1e6 / args.journeys:>7.2f} ms  {times / args.journeys:>4.0f}×  {name:<16}{sql}")
    if journey.profiler is not None:
        print(f"\n{args.profile} under cProfile, {args.journeys} journeys, by {args.sort}")
        pstats.Stats(journey.profiler).sort_stats(args.sort).print_stats(args.top)
    print(f"submit in-process: {totals[0]:.0f} statements, {totals[1] / 1024:.0f} KiB SQL per journey")


if __name__ == "__main__":
    main()
