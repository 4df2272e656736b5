"""The whole submission journey over HTTP against a bare ceiling (issue 17.3).

    .venv/bin/python bench/submit.py [--database postgres|sqlite|both] [--clients 1,8,16]
        [--seconds 20] [--rounds 2] [--items 100] [--workers 2] [--threads N] [--redis URL]
    .venv/bin/python bench/submit.py --in-process [--journeys 5] [--instructions]   # bench/submit_inprocess.py

Served: ``gomruk init --demo`` in a database of its own (PostgreSQL ``gomruk_bench_submit_journey``
on postgres://postgres@127.0.0.1:5432, or an SQLite file) and ``gomruk serve`` on port 8107;
the bare ceiling (``bench/ceiling/``: Django + django-ninja, the same pydantic parse, one INSERT
of the document, one counter ``UPDATE … RETURNING``, the same server and database settings) on
port 8117 with ``gomruk_ceiling_journey``. Both get ``--workers`` workers. The node keeps its
shared counters (rate limits, login throttles) in Redis (``--redis``, database 8, emptied first)
as a deployment does (docs/deploy.md); with ``--redis ''`` or no Redis answering, in the database.

A journey: create a ``--items``-item declaration → signing payload → signature (the demo key of
``deklarant``, signed in the client) → confirm → send, every POST with its Idempotency-Key; the
create asks ``Prefer: return=minimal`` as broker software holding the document does (``--echo``:
the whole document echoed back, as without it), and the signing payload is read as the bytes
to sign (``Accept: application/octet-stream``, the version in ``X-Declaration-Version``), as
software that signs bytes does (``--base64-payload``: the JSON answer, the payload in base64). A ceiling submission: one POST. For each client count, ``--rounds`` rounds, each running Gömrük
then the ceiling for ``--seconds`` (interleaved, so a busy machine slows both alike), each phase
after a ramp its clients run unmeasured (``_harness.RAMP_SECONDS``: started together, they would
all create at once for the first seconds, a pile-up independent brokers do not make). Printed per
database and client count: sends/s (journeys completed per second) and submissions/s of the
ceiling, p50/p99 milliseconds of each step, and the servers' CPU milliseconds per journey or
submission (utime + stime of the server's whole process tree, from /proc/<pid>/stat), and per
unit what the rest of the machine spent: ``DB ms`` (every PostgreSQL and Redis process),
``client`` (this load generator: each client thread one kept-alive connection on
``http.client``, ``bench/_lean_http.py``; ``--httpx``: on httpx, which spent three times the
CPU) and ``all`` (the three). The contenders share two cores with the database and the load
generator, so their rates stand roughly as the inverse of ``all``;
the ratio line prints that quotient beside the measured one. The last line:
``submit: ratio to bare ceiling <r> (PostgreSQL, 8 clients)``.
"""

from __future__ import annotations

import argparse
import base64
import itertools
import json
import runpy
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
if "--in-process" in sys.argv:
    runpy.run_path(str(HERE / "submit_inprocess.py"), run_name="__main__")
    raise SystemExit(0)

import httpx  # noqa: E402
from _harness import Ceiling, Contender, interleaved, load, percentile, redis_env  # noqa: E402
from _lean_http import LeanClient  # noqa: E402
from tests.served import PG_SERVER, Served  # noqa: E402

PORT, CEILING_PORT = 8107, 8117
DATABASE, CEILING_DATABASE = "gomruk_bench_submit_journey", "gomruk_ceiling_journey"
STEPS = ("create", "signing-payload", "signature", "confirm", "send")


def hundred_items(items: int) -> dict[str, Any]:
    """The demo's import declaration (İD 40) with ``items`` items under an HS subheading."""
    from gomruk.demo import factories

    document = factories.import_gb(items=items)
    for item in document.goods:
        item.commodity_code = "8516100000"
    return document.to_data()


def submit_ceiling(database: str, workers: int, threads: int | None = None) -> Ceiling:
    """The ceiling with a database of its own (a fresh PostgreSQL database, or an SQLite file)."""
    home = Path(tempfile.mkdtemp(prefix="gomruk-ceiling-journey-"))
    if database == "postgres":
        return Ceiling(f"{PG_SERVER}/{CEILING_DATABASE}", CEILING_PORT, workers, fresh=CEILING_DATABASE, home=home, threads=threads)
    return Ceiling(f"sqlite:///{home / 'c.sqlite3'}", CEILING_PORT, workers, home=home, threads=threads)


def journey(
    client: LeanClient | httpx.Client, served: Served, body: bytes, terms: str, tag: str, times: dict[str, list[float]],
    *, echo: bool = False, base64_payload: bool = False,
) -> None:
    def timed(step: str, method: str, path: str, content: bytes | None = None, key: str | None = None,
              extra: dict[str, str] | None = None) -> Any:
        headers = {"Content-Type": "application/json", **(extra or {})}
        if key:
            headers["Idempotency-Key"] = f"{tag}-{key}"
        start = time.perf_counter()
        response = client.request(method, path, content=content, headers=headers)
        # What a client does with "busy" (SQLite's write lock, a key still in progress): wait
        # as told and ask again with the same key; the step's time includes the wait.
        while response.status_code in (429, 503) or (response.status_code == 409 and "in_progress" in response.text):
            times["retries"].append(1)
            retry_after = response.headers.get("retry-after", "")
            time.sleep(min(float(retry_after), 2.0) if retry_after.isdigit() else 0.2)
            response = client.request(method, path, content=content, headers=headers)
        times[step].append((time.perf_counter() - start) * 1000)
        if response.status_code not in (200, 201):
            raise RuntimeError(f"{step}: {response.status_code} {response.text[:300]}")
        return response

    # Broker software holds the document it has just sent: it asks for the summary (RFC 7240).
    created = timed("create", "POST", "/declarations", body, "create", extra=None if echo else {"Prefer": "return=minimal"}).json()
    base = f"/declarations/{created['id']}"
    if base64_payload:
        answer = timed("signing-payload", "GET", f"{base}/signing-payload").json()
        payload, version = base64.b64decode(answer["payload"]), int(answer["version"])
    else:
        raw = timed("signing-payload", "GET", f"{base}/signing-payload", extra={"Accept": "application/octet-stream"})
        payload, version = raw.content, int(raw.headers["X-Declaration-Version"])
    signature = served.sign(payload)
    timed("signature", "POST", f"{base}/signature", json.dumps(
        {"provider": "certificate", "signature": base64.b64encode(signature).decode(), "version": version}
    ).encode(), "sign")
    timed("confirm", "POST", f"{base}/confirm", json.dumps({"terms_version": terms, "accepted": True}).encode(), "confirm")
    sent = timed("send", "POST", f"{base}/send", b'{"office": "00100"}', "send").json()
    assert sent["state"] == "sent" and sent["registration_number"], sent


def ceiling_submit(client: LeanClient | httpx.Client, body: bytes, times: dict[str, list[float]]) -> None:
    start = time.perf_counter()
    response = client.post("/api/submit", content=body, headers={"Content-Type": "application/json"})
    times["submit"].append((time.perf_counter() - start) * 1000)
    if response.status_code != 200:
        raise RuntimeError(f"ceiling: {response.status_code} {response.text[:300]}")


def run_database(database: str, args: argparse.Namespace, body: bytes) -> dict[int, float]:
    env = redis_env(args.redis)
    counters = "Redis" if env else "the database"
    if args.threads:
        env = {**env, "GOMRUK_REQUEST_THREADS": str(args.threads)}
    env.update(setting.split("=", 1) for setting in args.setting)  # type: ignore[misc]
    served = Served(database, name=DATABASE, workers=args.workers, port=PORT, extra_env=env)
    ceiling = submit_ceiling(database, args.workers, args.threads)
    print(f"\n== {database}: gomruk init --demo, gomruk serve :{PORT}, ceiling :{CEILING_PORT} "
          f"({args.workers} workers each, {args.threads or 'default'} request threads; rate-limit counters in {counters})", flush=True)
    served.create()
    served.start()
    ratios: dict[int, float] = {}
    try:
        ceiling.start()
        token = served.token()
        if args.httpx:
            pool: list[Any] = [served.client(token, timeout=120) for _ in range(max(args.clients))]
            ceiling_pool: list[Any] = [httpx.Client(base_url=f"http://127.0.0.1:{CEILING_PORT}", timeout=120)
                                       for _ in range(max(args.clients))]
        else:
            pool = [LeanClient(f"{served.base_url}/api/v1", timeout=120,
                               headers={"Authorization": f"Bearer {token}", "Accept-Language": "en"})
                    for _ in range(max(args.clients))]
            ceiling_pool = [LeanClient(f"http://127.0.0.1:{CEILING_PORT}", timeout=120) for _ in range(max(args.clients))]
        terms = pool[0].get("/declarations/terms").json()["version"]
        run_tag = f"{time.time_ns():x}"

        serial = itertools.count()  # every journey's keys its own (a key reused is a replay)

        def gomruk_work(index: int, n: int, times: dict[str, list[float]]) -> None:
            journey(pool[index], served, body, terms, f"{run_tag}-{next(serial)}", times, echo=args.echo,
                        base64_payload=args.base64_payload)

        def ceiling_work(index: int, n: int, times: dict[str, list[float]]) -> None:
            ceiling_submit(ceiling_pool[index], body, times)

        # Warm-up: imports, caches (the nomenclature alone is ~0.3 s to build), connections, in
        # every worker: one client at a time is mostly answered by one worker.
        warm = min(max(args.clients), 2 * args.workers)
        load(warm, 4, gomruk_work, served.master_pid)
        load(warm, 2, ceiling_work, ceiling.pid)
        contenders = (Contender("gomruk", gomruk_work, served.master_pid), Contender("ceiling", ceiling_work, ceiling.pid))
        print(f"{'clients':>7} {'server':<8}{'per s':>8}{'CPU ms':>9}{'DB ms':>8}{'client':>8}{'all':>8}  "
              + "  ".join(f"{s + ' p50/p99':>22}" for s in STEPS))
        for clients in args.clients:
            totals = interleaved(contenders, clients, args.rounds, args.seconds)
            for name, total in totals.items():
                steps = STEPS if name == "gomruk" else ("submit",)
                times = total.times
                cells = "  ".join(f"{percentile(times[s], 0.5):>10.1f}/{percentile(times[s], 0.99):>10.1f}" for s in steps)
                retried = f"  ({len(times['retries'])} answers 'busy', asked again)" if times["retries"] else ""
                print(f"{clients:>7} {name:<8}{total.per_second:>8.2f}{total.cpu_per_unit:>9.1f}{total.services_per_unit:>8.1f}"
                      f"{total.client_per_unit:>8.1f}{total.machine_per_unit:>8.1f}  {cells}{retried}", flush=True)
            ratios[clients] = totals["gomruk"].per_second / totals["ceiling"].per_second
            print(f"{clients:>7} ratio    {ratios[clients]:>8.3f}  (sends/s ÷ ceiling submissions/s; machine CPU per unit "
                  f"ceiling ÷ journey {totals['ceiling'].machine_per_unit / max(totals['gomruk'].machine_per_unit, 1e-9):.3f})", flush=True)
        for client in pool + ceiling_pool:
            client.close()
    finally:
        ceiling.stop()
        served.destroy()
    return ratios


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--database", choices=("postgres", "sqlite", "both"), default="both")
    parser.add_argument("--clients", default="1,8,16", type=lambda v: [int(c) for c in v.split(",")])
    parser.add_argument("--seconds", type=float, default=20)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--items", type=int, default=100)
    parser.add_argument("--echo", action="store_true",
                        help="create without Prefer: return=minimal (the whole document echoed back)")
    parser.add_argument("--base64-payload", action="store_true",
                        help="read the signing payload as JSON (base64) instead of as bytes")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--httpx", action="store_true",
                        help="the clients on httpx (as before 2026-12-07) instead of http.client (bench/_lean_http.py)")
    parser.add_argument("--threads", type=int, default=0,
                        help="request threads per worker, both servers (GOMRUK_REQUEST_THREADS; 0: the default)")
    parser.add_argument("--redis", default="redis://127.0.0.1:6379/8",
                        help="Redis for the node's shared counters, as deployed ('' or no Redis: the database)")
    parser.add_argument("--setting", action="append", default=[], metavar="NAME=VALUE",
                        help="an environment setting of Gömrük's server only, for an A/B of one setting "
                             "(e.g. GOMRUK_TOKEN_MEMO_SECONDS=0)")
    args = parser.parse_args()
    body = json.dumps(hundred_items(args.items)).encode()
    print(f"journey of a {args.items}-item declaration ({len(body) / 1024:.0f} KiB JSON); "
          f"{args.rounds} rounds × {args.seconds:.0f} s per client count, interleaved with the ceiling")
    databases = ("sqlite", "postgres") if args.database == "both" else (args.database,)
    results = {database: run_database(database, args, body) for database in databases}
    if "postgres" in results and 8 in results["postgres"]:
        print(f"submit: ratio to bare ceiling {results['postgres'][8]:.3f} (PostgreSQL, 8 clients)")
    else:
        database, ratios = next(iter(results.items()))
        clients = max(ratios)
        print(f"submit: ratio to bare ceiling {ratios[clients]:.3f} ({database}, {clients} clients)")


if __name__ == "__main__":
    main()
