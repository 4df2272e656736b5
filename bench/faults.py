"""Fault run (issue 13): 200 declarations sent at once through a served instance while
workers, the master and database connections are killed and SQLite's write lock is held;
every answer must still arrive exactly once.

    .venv/bin/python bench/faults.py [--database sqlite|postgres|both] [--clients 200]
        [--workers 2] [--deadline 300] [--preparers 8]

For each database: a database of its own (an SQLite file, or the PostgreSQL database
``gomruk_trust_faults`` on postgres://postgres@127.0.0.1:5432), ``gomruk init --demo``,
``gomruk serve`` on a port of 9400-9499. First each of ``--clients`` declarations is created,
signed (the demo key of ``deklarant``) and confirmed over HTTP, ``--preparers`` at a time —
signing validates the whole declaration, which SQLite serialises. Then all of them are sent
at once, while faults are injected (by the share of sends answered, so they meet traffic on
any machine). Every POST carries its own Idempotency-Key and is retried with that key after
a refused connection, a timeout or a 5xx (waiting Retry-After) until it is answered or
``--deadline`` passes. The faults:

* kill -9 of one worker (found in the process tree: the master's children);
* kill -9 of the master and its workers, then ``gomruk serve`` again;
* PostgreSQL: ``pg_terminate_backend`` of every connection of the served database, ×4;
* SQLite: another process holds the write lock (BEGIN IMMEDIATE) for 25 s.

Printed: registration numbers issued, gaps and duplicates in their sequence, keys that never
got their answer or got one that disagrees with the database (target 0), 5xx answers that were
not problem+json (target 0), and per fault the seconds to recover: from the fault's start to
the first request answered after its end. Afterwards every send key is replayed once: the same number must come back.
"""

from __future__ import annotations

import argparse
import asyncio
import base64
import os
import random
import re
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # tests.served: the served instance the fault tests use too

from tests.served import PG_SERVER, Served  # noqa: E402

SEQUENCE = re.compile(r"/(\d+)$")


@dataclass
class Tally:
    started: float = field(default_factory=time.monotonic)
    answered_posts: int = 0
    successes: list[float] = field(default_factory=list)  # monotonic times of 2xx answers
    bare_5xx: list[str] = field(default_factory=list)
    problem_5xx: Counter[int] = field(default_factory=Counter)
    refused_connections: int = 0
    unanswered: list[str] = field(default_factory=list)
    unexpected: list[str] = field(default_factory=list)
    numbers: dict[str, str] = field(default_factory=dict)  # declaration id → number answered
    send_keys: dict[str, str] = field(default_factory=dict)  # declaration id → its send key
    faults: list[tuple[str, float, float]] = field(default_factory=list)  # name, start, end

    def now(self) -> float:
        return time.monotonic() - self.started


async def call(
    client: httpx.AsyncClient, tally: Tally, method: str, path: str, *, key: str | None, deadline: float,
    body: Any = None,
) -> httpx.Response | None:
    """One request, retried (same Idempotency-Key) until a non-5xx answer or the deadline."""
    headers = {"Idempotency-Key": key} if key else {}
    pause = 0.2
    while time.monotonic() < deadline:
        try:
            response = await client.request(method, path, json=body, headers=headers)
        except httpx.HTTPError:
            tally.refused_connections += 1
            await asyncio.sleep(pause)
            pause = min(pause * 1.5, 2.0)
            continue
        if response.status_code >= 500 or response.status_code == 409 and "in_progress" in response.text:
            if response.status_code >= 500:
                if response.headers.get("content-type", "").startswith("application/problem+json"):
                    tally.problem_5xx[response.status_code] += 1
                else:
                    tally.bare_5xx.append(f"{response.status_code} {method} {path}: {response.text[:120]!r}")
            retry_after = response.headers.get("retry-after", "")
            await asyncio.sleep(min(float(retry_after), 2.0) if retry_after.isdigit() else pause)
            continue
        if method == "POST":
            tally.answered_posts += 1
        if response.is_success:
            tally.successes.append(time.monotonic())
        return response
    tally.unanswered.append(f"{method} {path} key={key}")
    return None


async def prepare(n: int, server: Served, client: httpx.AsyncClient, tally: Tally, document: dict[str, Any],
                  terms: str, deadline: float) -> str | None:
    """create → signing-payload → sign → confirm, each POST with its own key: a confirmed id."""
    tag = f"c{n}-{random.getrandbits(32):08x}"
    created = await call(client, tally, "POST", "/declarations", key=f"{tag}-create", deadline=deadline, body=document)
    if created is None or created.status_code != 201:
        tally.unexpected.append(f"create {tag}: {created.status_code if created else '—'}")
        return None
    declaration_id = str(created.json()["id"])
    payload = await call(client, tally, "GET", f"/declarations/{declaration_id}/signing-payload", key=None,
                         deadline=deadline)
    if payload is None or payload.status_code != 200:
        tally.unexpected.append(f"payload {tag}: {payload.status_code if payload else '—'}")
        return None
    body = payload.json()
    signature = await asyncio.to_thread(server.sign, base64.b64decode(body["payload"]))
    signed = await call(
        client, tally, "POST", f"/declarations/{declaration_id}/signature", key=f"{tag}-sign", deadline=deadline,
        body={"provider": "certificate", "signature": base64.b64encode(signature).decode(), "version": body["version"]},
    )
    if signed is None or signed.status_code != 200:
        tally.unexpected.append(f"sign {tag}: {signed.status_code if signed else '—'} {signed.text[:200] if signed else ''}")
        return None
    confirmed = await call(client, tally, "POST", f"/declarations/{declaration_id}/confirm", key=f"{tag}-confirm",
                           deadline=deadline, body={"terms_version": terms, "accepted": True})
    if confirmed is None or confirmed.status_code != 200:
        tally.unexpected.append(f"confirm {tag}: {confirmed.status_code if confirmed else '—'}")
        return None
    tally.send_keys[declaration_id] = f"{tag}-send"
    return declaration_id


async def send(declaration_id: str, client: httpx.AsyncClient, tally: Tally, deadline: float) -> None:
    sent = await call(client, tally, "POST", f"/declarations/{declaration_id}/send",
                      key=tally.send_keys[declaration_id], deadline=deadline, body={"office": "00100"})
    if sent is None or sent.status_code != 200:
        tally.unexpected.append(f"send {declaration_id}: {sent.status_code if sent else '—'} {sent.text[:200] if sent else ''}")
        return
    tally.numbers[declaration_id] = sent.json()["registration_number"]


async def bounded(limit: int, jobs: list[Any]) -> list[Any]:
    gate = asyncio.Semaphore(limit)

    async def one(job: Any) -> Any:
        async with gate:
            return await job

    return await asyncio.gather(*(one(job) for job in jobs))


# --- Faults ----------------------------------------------------------------------------------


def kill_worker(server: Served) -> None:
    workers = server.worker_pids()
    if workers:
        os.kill(random.choice(workers), signal.SIGKILL)


def kill_master_and_restart(server: Served) -> None:
    server.kill_master()
    server.start()


def terminate_connections(server: Served) -> None:
    import psycopg

    with psycopg.connect(f"{PG_SERVER}/postgres", autocommit=True) as admin:
        admin.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s AND pid <> pg_backend_pid()",
            [server.name],
        )


def hold_sqlite_lock(server: Served, seconds: float = 25) -> None:
    """Another process takes the write lock and keeps it."""
    holder = subprocess.Popen(
        [sys.executable, "-c",
         "import sqlite3, sys, time\n"
         "c = sqlite3.connect(sys.argv[1], isolation_level=None, timeout=120)\n"
         "c.execute('BEGIN IMMEDIATE'); print('locked', flush=True)\n"
         "time.sleep(float(sys.argv[2])); c.execute('ROLLBACK')\n",
         str(server.home / "gomruk.sqlite3"), str(seconds)],
        stdout=subprocess.PIPE, text=True,
    )
    assert holder.stdout is not None
    holder.stdout.readline()
    holder.wait()


async def inject(server: Served, tally: Tally, total_posts: int) -> None:
    plan: list[tuple[float, str, Any]] = [(0.05, "kill -9 worker", kill_worker),
                                          (0.20, "kill -9 master (and restart)", kill_master_and_restart)]
    if server.database == "postgres":
        plan += [(0.35 + 0.05 * k, f"pg_terminate_backend #{k + 1}", terminate_connections) for k in range(4)]
    else:
        plan += [(0.35, "SQLite write lock held 25 s", hold_sqlite_lock)]
    for share, name, fault in plan:
        while tally.answered_posts < share * total_posts:
            await asyncio.sleep(0.05)
        start = tally.now()
        await asyncio.to_thread(fault, server)
        tally.faults.append((name, start, tally.now()))


# --- Checking ---------------------------------------------------------------------------------


def stored_numbers(server: Served) -> dict[str, str]:
    query = "SELECT id, registration_number FROM declarations_declaration WHERE registration_number IS NOT NULL"
    if server.database == "postgres":
        import psycopg

        with psycopg.connect(f"{PG_SERVER}/{server.name}") as conn:
            return {str(row[0]): row[1] for row in conn.execute(query)}
    with sqlite3.connect(server.home / "gomruk.sqlite3") as conn:
        rows = conn.execute(query).fetchall()
    # SQLite stores UUIDs as 32 hex digits.
    return {f"{r[0][:8]}-{r[0][8:12]}-{r[0][12:16]}-{r[0][16:20]}-{r[0][20:]}" if "-" not in r[0] else r[0]: r[1]
            for r in rows}


def recovery(tally: Tally, end: float) -> float | None:
    moment = tally.started + end
    after = [t for t in tally.successes if t >= moment]
    return min(after) - moment if after else None


async def run(database: str, clients: int, workers: int, deadline_seconds: float, preparers: int) -> dict[str, Any]:
    server = Served(database, name="gomruk_trust_faults", workers=workers)
    print(f"\n== {database}: gomruk init --demo …", flush=True)
    server.create()
    server.start()
    try:
        token = server.token()
        from gomruk.demo import factories as examples

        document = examples.export_gb().to_data()
        limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients)
        async with httpx.AsyncClient(
            base_url=f"{server.base_url}/api/v1", timeout=120, limits=limits,
            headers={"Authorization": f"Bearer {token}", "Accept-Language": "en"},
        ) as client:
            terms = (await client.get("/declarations/terms")).json()["version"]
            setup = Tally()
            print(f"== {database}: {clients} declarations created, signed, confirmed ({preparers} at a time) …",
                  flush=True)
            deadline = time.monotonic() + deadline_seconds * 4
            ready = [d for d in await bounded(preparers, [
                prepare(n, server, client, setup, document, terms, deadline) for n in range(clients)
            ]) if d]
            prepared_in = setup.now()
            print(f"   {len(ready)} confirmed in {prepared_in:.1f} s", flush=True)
            tally = Tally(send_keys=setup.send_keys, unexpected=list(setup.unexpected), unanswered=list(setup.unanswered))
            print(f"== {database}: {len(ready)} concurrent sends, faults as they go …", flush=True)
            deadline = time.monotonic() + deadline_seconds
            injector = asyncio.create_task(inject(server, tally, total_posts=len(ready)))
            await asyncio.gather(*(send(d, client, tally, deadline) for d in ready))
            elapsed = tally.now()
            if not injector.done():
                print("   (the sends were answered before every fault was injected: waiting for the rest)")
                await injector
            # Each send key once more, after every fault: the stored answer must be the same number.
            replay_mismatch = 0
            for declaration_id in ready:
                again = await call(client, tally, "POST", f"/declarations/{declaration_id}/send",
                                   key=tally.send_keys[declaration_id], deadline=time.monotonic() + 120,
                                   body={"office": "00100"})
                if again is None or again.status_code != 200 or (
                    again.json().get("registration_number") != tally.numbers.get(declaration_id)
                ):
                    replay_mismatch += 1
        stored = stored_numbers(server)
    finally:
        server.destroy()

    sequences = sorted(int(SEQUENCE.search(n).group(1)) for n in stored.values() if SEQUENCE.search(n))
    duplicates = sum(count - 1 for count in Counter(stored.values()).values() if count > 1)
    gaps = sorted(set(range(1, (max(sequences) if sequences else 0) + 1)) - set(sequences))
    disagree = sum(1 for d, number in tally.numbers.items() if stored.get(d) != number)
    missing_answers = len(tally.unanswered) + len(tally.unexpected) + disagree
    return {
        "database": database,
        "clients": clients,
        "prepared": len(ready),
        "prepare_seconds": prepared_in,
        "seconds": elapsed,
        "numbers": len(stored),
        "answered_numbers": len(tally.numbers),
        "gaps": gaps,
        "duplicates": duplicates,
        "unanswered": tally.unanswered,
        "unexpected": tally.unexpected,
        "disagree": disagree,
        "replay_mismatch": replay_mismatch,
        "missing_answers": missing_answers,
        "bare_5xx": setup.bare_5xx + tally.bare_5xx,
        "problem_5xx": dict(tally.problem_5xx),
        "refused_connections": tally.refused_connections,
        "faults": [(name, start, end, recovery(tally, end)) for name, start, end in tally.faults],
    }


def report(result: dict[str, Any]) -> None:
    print(f"\n--- {result['database']}: {result['prepared']} of {result['clients']} declarations confirmed "
          f"(in {result['prepare_seconds']:.1f} s); their concurrent sends answered in {result['seconds']:.1f} s")
    for name, start, end, recovered in result["faults"]:
        if recovered is None:
            print(f"fault at {start:6.1f} s–{end:6.1f} s  {name:<30} never answered again")
            continue
        print(f"fault at {start:6.1f} s–{end:6.1f} s  {name:<30} recovered {end - start + recovered:6.2f} s after "
              f"it began ({recovered:.2f} s after it ended)")
    print(f"registration numbers issued:       {result['numbers']} (answered to clients: {result['answered_numbers']})")
    print(f"gaps in the sequence:              {len(result['gaps'])} {result['gaps'][:10]}")
    print(f"duplicate numbers:                 {result['duplicates']}")
    print(f"5xx answers as problem+json:       {result['problem_5xx']} (retried with the same key)")
    print(f"refused connections / timeouts:    {result['refused_connections']} (retried with the same key)")
    print(f"replayed send keys with another number: {result['replay_mismatch']}")
    for line in (result["unanswered"] + result["unexpected"])[:10]:
        print(f"   not answered: {line}")
    for line in result["bare_5xx"][:10]:
        print(f"   bare 5xx: {line}")
    print(f"keys that could not get their answer: {result['missing_answers']} (target 0)")
    print(f"5xx that were not problem+json:       {len(result['bare_5xx'])} (target 0)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database", choices=["sqlite", "postgres", "both"], default="both")
    parser.add_argument("--clients", type=int, default=200)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--deadline", type=float, default=300, help="seconds a send may take to be answered")
    parser.add_argument("--preparers", type=int, default=8, help="declarations prepared at a time before the sends")
    args = parser.parse_args()
    # The demo keys sign in this process: Django settings of a throw-away home.
    os.environ.setdefault("GOMRUK_HOME", tempfile.mkdtemp(prefix="gomruk-bench-"))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gomruk.settings")
    import django

    django.setup()
    databases = ["sqlite", "postgres"] if args.database == "both" else [args.database]
    results = [asyncio.run(run(db, args.clients, args.workers, args.deadline, args.preparers)) for db in databases]
    for result in results:
        report(result)
    failed = any(r["missing_answers"] or r["bare_5xx"] or r["duplicates"] or r["gaps"] or r["replay_mismatch"]
                 for r in results)
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
