"""A node's keep-alive connections spread over its workers (gomruk.core.balance, ADR 0047)."""

from __future__ import annotations

import asyncio
import os
import socket
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from types import SimpleNamespace

import pytest

from gomruk.core import balance
from gomruk.core.balance import BalancedLoop, BalancedWorker, ConnectionLedger

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "bench"))
from slowloris import HOST, served  # noqa: E402


def test_the_ledger_knows_the_fewest_connections_another_live_worker_holds():
    ledger = ConnectionLedger(slots=4)
    first = ledger.assign(set())
    second = ledger.assign({first})
    assert (first, second) == (0, 1)
    # A worker still starting is nobody's sibling yet: nobody waits for it.
    assert ledger.fewest_elsewhere(first) is None
    ledger.listening(first)
    ledger.listening(second)
    assert ledger.fewest_elsewhere(first) == 0
    ledger.publish(first, 5)
    ledger.publish(second, 2)
    assert ledger.fewest_elsewhere(first) == 2
    assert ledger.fewest_elsewhere(second) == 5
    # A worker that exited is nobody's sibling; its slot goes to the next one, counting from 0.
    ledger.release(second)
    assert ledger.fewest_elsewhere(first) is None
    assert ledger.assign({first}) == 1 and ledger.fewest_elsewhere(first) is None
    assert ConnectionLedger(slots=1).assign({0}) is None


def test_the_worker_publishes_its_connections_as_gunicorn_counts_them(monkeypatch):
    ledger = ConnectionLedger(slots=2)
    monkeypatch.setattr(balance, "LEDGER", ledger)
    worker = BalancedWorker.__new__(BalancedWorker)
    worker.slot = ledger.assign(set())
    sibling = ledger.assign({worker.slot})
    worker.listening()
    ledger.listening(sibling)
    worker.nr_conns = 0
    worker.nr_conns += 1
    worker.nr_conns += 1
    assert ledger.fewest_elsewhere(sibling) == 2
    assert worker.crowded()  # two against the sibling's none
    ledger.publish(sibling, 2)
    assert not worker.crowded()
    worker.nr_conns -= 1
    assert ledger.fewest_elsewhere(sibling) == 1


def test_the_master_gives_each_worker_a_free_slot_and_takes_it_back(monkeypatch):
    monkeypatch.setattr(balance, "LEDGER", ConnectionLedger(slots=3))
    server = SimpleNamespace(WORKERS={})
    workers = []
    for pid in (101, 102):
        worker = SimpleNamespace()
        balance.pre_fork(server, worker)
        server.WORKERS[pid] = worker
        workers.append(worker)
    assert [w.slot for w in workers] == [0, 1]
    balance.child_exit(server, workers[0])
    del server.WORKERS[101]
    replacement = SimpleNamespace()
    balance.pre_fork(server, replacement)
    assert replacement.slot == 0


def _accept_after(crowded: bool) -> tuple[float, int]:
    """Seconds the loop takes to accept one connection when its worker is (or is not) crowded,
    and how often it asked whether the worker was crowded (once per look: deferring asks again)."""
    asked = [0]

    def crowded_now() -> bool:
        asked[0] += 1
        return crowded

    async def scenario() -> float:
        accepted = asyncio.get_running_loop().create_future()

        class Protocol(asyncio.Protocol):
            def connection_made(self, transport: asyncio.BaseTransport) -> None:
                if not accepted.done():
                    accepted.set_result(time.monotonic())
                transport.close()

        server = await asyncio.get_running_loop().create_server(Protocol, HOST, 0)
        port = server.sockets[0].getsockname()[1]
        client = socket.create_connection((HOST, port))
        started = time.monotonic()
        try:
            return await asyncio.wait_for(accepted, 5) - started
        finally:
            client.close()
            server.close()
            await server.wait_closed()

    def in_a_thread_of_its_own() -> float:
        # The test's thread may have a running loop (Playwright's sync API leaves one).
        worker = SimpleNamespace(crowded=crowded_now, arriving=lambda change: None, listening=lambda: None)
        loop = BalancedLoop(worker)  # type: ignore[arg-type]
        try:
            return loop.run_until_complete(scenario())
        finally:
            loop.close()

    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(in_a_thread_of_its_own).result(), asked[0]


def test_a_worker_that_is_not_crowded_accepts_at_once_and_a_crowded_one_after_a_short_wait():
    # Told apart by the looks, not by a clock: a busy machine may delay any accept.
    waited, looks = _accept_after(crowded=False)
    assert looks == 1 and waited < 2.0
    # No sibling took it: the crowded worker takes it itself, a few milliseconds late.
    waited, looks = _accept_after(crowded=True)
    assert looks > 1 and balance.LONGEST_DEFERRAL <= waited < 2.0


def _connections_by_worker(port: int) -> dict[int, int]:
    """Established connections to ``port`` held by each process, from /proc."""
    established = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        for line in Path(table).read_text().splitlines()[1:]:
            fields = line.split()
            local_port = int(fields[1].rsplit(":", 1)[1], 16)
            if local_port == port and fields[3] == "01":  # 01: ESTABLISHED
                established.add(fields[9])  # the socket's inode
    held: dict[int, int] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            links = [os.readlink(fd) for fd in (entry / "fd").iterdir()]
        except OSError:
            continue
        count = sum(1 for link in links if link.startswith("socket:[") and link[8:-1] in established)
        if count:
            held[int(entry.name)] = count
    return held


@pytest.mark.slow
def test_eight_keep_alive_clients_connecting_at_once_are_served_four_by_each_of_two_workers():
    with served("serve", listening=2) as port:
        clients = []
        try:
            # All at once, as a pool of broker software's connections opens: asyncio alone
            # lets the worker woken first accept every connection waiting.
            clients = [socket.create_connection((HOST, port)) for _ in range(8)]
            for client in clients:
                client.sendall(f"GET /login/ HTTP/1.1\r\nHost: {HOST}\r\n\r\n".encode())
            for client in clients:
                head = b""
                while b"\r\n\r\n" not in head:
                    head += client.recv(65536)
                assert head.startswith(b"HTTP/1.1 200")
            held = _connections_by_worker(port)
            # The clients' own ends are in this process: leave them out.
            held.pop(os.getpid(), None)
        finally:
            for client in clients:
                client.close()
    assert sorted(held.values()) == [4, 4], held
