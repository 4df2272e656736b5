"""Issue #13 item 2 against a served instance: a worker killed (kill -9) in the middle of a
send; the client's retry with the same Idempotency-Key gets a registration number within
10 seconds, and the declaration is sent once.

The send is held in the middle of its work by a lock the test takes (PostgreSQL: the
declaration's row; SQLite: the file's write lock), the worker is killed while it waits,
then the lock is released. Before the fix the key's "in progress" row was already committed
and the retry got 409 for five minutes. Runs on the database the suite runs on
(``DATABASE_URL``), in a database of its own.
"""

from __future__ import annotations

import os
import sqlite3
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager

import httpx
import pytest

from gomruk.demo import factories as examples
from tests.served import PG_SERVER, Served, served

pytestmark = pytest.mark.slow


def _database() -> str:
    return "postgres" if os.environ.get("DATABASE_URL", "").startswith("postgres") else "sqlite"


@contextmanager
def _send_held(server: Served, declaration_id: str) -> Iterator[None]:
    """The send blocks in its transaction until the block ends."""
    if server.database == "postgres":
        import psycopg

        with psycopg.connect(f"{PG_SERVER}/{server.name}") as holder:
            holder.execute("SELECT id FROM declarations_declaration WHERE id = %s FOR UPDATE", [declaration_id])
            yield
            holder.rollback()
    else:
        holder = sqlite3.connect(server.home / "gomruk.sqlite3", timeout=30, isolation_level=None)
        holder.execute("BEGIN IMMEDIATE")
        try:
            yield
        finally:
            holder.execute("ROLLBACK")
            holder.close()


def _wait_until_blocked(server: Served, timeout: float = 30) -> None:
    if server.database != "postgres":
        time.sleep(2)  # the request is queued on SQLite's busy timeout
        return
    import psycopg

    deadline = time.monotonic() + timeout
    with psycopg.connect(f"{PG_SERVER}/postgres", autocommit=True) as watcher:
        while time.monotonic() < deadline:
            row = watcher.execute(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = %s AND wait_event_type = 'Lock'",
                [server.name],
            ).fetchone()
            if row and row[0]:
                return
            time.sleep(0.05)
    raise AssertionError("the send never waited on the held row")


def _wait_until_abandoned(server: Served, timeout: float = 6) -> None:
    """PostgreSQL: the killed worker's backend gives up its lock wait (and rolls back its
    claim) while the lock is still held: client_connection_check_interval."""
    if server.database != "postgres":
        return
    import psycopg

    deadline = time.monotonic() + timeout
    with psycopg.connect(f"{PG_SERVER}/postgres", autocommit=True) as watcher:
        while time.monotonic() < deadline:
            row = watcher.execute(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = %s AND wait_event_type = 'Lock'",
                [server.name],
            ).fetchone()
            if row and not row[0]:
                return
            time.sleep(0.1)
    raise AssertionError("the dead worker's backend still waits on the lock")


def test_a_retry_after_a_killed_worker_gets_the_number_within_10_seconds():
    name = f"{os.environ.get('GOMRUK_TEST_DB') or 'test_gomruk'}_served"
    with served(_database(), name=name) as server:
        token = server.token()
        with server.client(token) as api:
            declaration_id = server.confirmed(api, examples.export_gb().to_data())
        key = {"Idempotency-Key": "killed-1"}
        outcome: list[object] = []

        def first_try() -> None:
            try:
                with server.client(token, timeout=60) as api:
                    outcome.append(api.post(f"/declarations/{declaration_id}/send", json={"office": "00100"}, headers=key))
            except httpx.HTTPError as exc:
                outcome.append(exc)

        with _send_held(server, declaration_id):
            thread = threading.Thread(target=first_try)
            thread.start()
            _wait_until_blocked(server)
            assert server.kill_workers(), "no worker process found"
            thread.join(30)
            _wait_until_abandoned(server)
        killed_at = time.monotonic()
        # The killed request got no answer (or the master's 5xx for a dead worker).
        assert outcome, "the first request did not end"
        assert not isinstance(outcome[0], httpx.Response) or outcome[0].status_code >= 500, outcome

        answer = None
        with server.client(token, timeout=10) as api:
            while time.monotonic() - killed_at < 30:
                try:
                    response = api.post(f"/declarations/{declaration_id}/send", json={"office": "00100"}, headers=key)
                except httpx.HTTPError:
                    time.sleep(0.2)  # the master is starting a new worker
                    continue
                if response.status_code == 200:
                    answer = response
                    break
                assert response.status_code in (409, 503), response.text  # wait, or retry shortly
                time.sleep(0.2)
            elapsed = time.monotonic() - killed_at
            assert answer is not None, server.log_tail()
            assert elapsed < 10, f"the retry took {elapsed:.1f} s"
            number = answer.json()["registration_number"]
            assert number
            events = api.get(f"/declarations/{declaration_id}/events").json()
            assert [e["to_state"] for e in events].count("sent") == 1
            replay = api.post(f"/declarations/{declaration_id}/send", json={"office": "00100"}, headers=key)
            assert replay.json()["registration_number"] == number
