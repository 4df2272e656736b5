"""Normal requests while slow clients hold connections open (issue 13, item 4).

    .venv/bin/python bench/slowloris.py [--slow 500] [--idle 100] [--rounds 3] [--requests 20]
                                        [--server serve|gthread] [--port 9300]

Starts the server in a subprocess (``serve``: ``gomruk serve``, what the service runs;
``gthread``: the gunicorn gthread WSGI server it ran before, 2 workers x 4 threads) on a
throw-away SQLite GOMRUK_HOME. Then, in rounds, times ``--requests`` normal requests (GET
/login/, one at a time) with no other client — the ceiling — and again while ``--slow``
connections send a JSON body one byte a second (the body announced as 1 MB) and ``--idle``
connections have sent nothing at all. A request that takes longer than 5 s counts as a timeout.
Prints p50/p95/max of each phase, and last the ratio p50(slow clients) / p50(ceiling).

The helpers are imported by tests/edge/test_slow_clients.py.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

HOST = "127.0.0.1"
NORMAL_PATH = "/login/"
SLOW_PATH = "/api/v1/auth/token"
TIMEOUT = 5.0


def run(coroutine: Any) -> Any:
    """asyncio.run, in a thread of its own: the caller's thread may have a running event loop
    (Playwright's sync API leaves one in the test process)."""
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, coroutine).result()


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        return int(probe.getsockname()[1])


def _gomruk() -> str:
    return str(Path(sys.executable).with_name("gomruk"))


def server_command(kind: str, port: int) -> list[str]:
    if kind == "serve":
        return [_gomruk(), "serve", "--port", str(port)]
    if kind == "gthread":  # the server before ADR "http-server", for comparison
        return [
            sys.executable, "-m", "gunicorn", "--bind", f"{HOST}:{port}", "--workers", "2", "--threads", "4",
            "--worker-class", "gthread", "--timeout", "60", "--no-control-socket", "gomruk.wsgi:application",
        ]
    raise ValueError(kind)


def _listening(log: Path) -> int:
    """Workers of ``gomruk serve`` that have logged that they listen."""
    return log.read_text(errors="replace").count("ASGI server listening on")


@contextlib.contextmanager
def served(
    kind: str = "serve", port: int | None = None, env: dict[str, str] | None = None, init: tuple[str, ...] = ("init",),
    listening: int = 1,
) -> Iterator[int]:
    """A migrated throw-away instance (``gomruk <init>`` first) serving on ``port``; yields the port
    once it answers and (``listening``) that many of its workers have said they listen."""
    port = port or free_port()
    with tempfile.TemporaryDirectory(prefix="gomruk-slowloris-") as home:
        environ = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "GOMRUK_ENV")}
        environ.update({"GOMRUK_HOME": home, "DJANGO_SETTINGS_MODULE": "gomruk.settings", **(env or {})})
        subprocess.run([_gomruk(), *init], env=environ, check=True, capture_output=True, timeout=300)
        log = open(Path(home) / "server.log", "wb")  # noqa: SIM115 (closed below)
        process = subprocess.Popen(server_command(kind, port), env=environ, stdout=log, stderr=subprocess.STDOUT)
        try:
            deadline = time.monotonic() + 60
            while run(timed_get(port, timeout=1.0)) is None or _listening(Path(home) / "server.log") < listening:
                if process.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(f"the server did not start: {(Path(home) / 'server.log').read_text()[-2000:]}")
                time.sleep(0.3)
            yield port
        finally:
            process.terminate()
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
            log.close()


async def timed_get(port: int, path: str = NORMAL_PATH, timeout: float = TIMEOUT) -> float | None:
    """Seconds a whole GET takes (connect, answer, body); None if longer than ``timeout``."""
    started = time.perf_counter()
    writer = None
    try:
        async with asyncio.timeout(timeout):
            reader, writer = await asyncio.open_connection(HOST, port)
            writer.write(f"GET {path} HTTP/1.1\r\nHost: {HOST}\r\nConnection: close\r\n\r\n".encode())
            await writer.drain()
            head = await reader.readuntil(b"\r\n\r\n")
            if not head.startswith(b"HTTP/1.1 200"):
                return None
            await reader.read()
    except (TimeoutError, OSError, asyncio.IncompleteReadError):
        return None
    finally:
        if writer is not None:
            writer.close()
    return time.perf_counter() - started


class SlowClients:
    """``slow`` connections trickling a request body one byte a second, ``idle`` ones silent."""

    def __init__(self, port: int, slow: int, idle: int = 0) -> None:
        self.port, self.slow, self.idle = port, slow, idle
        self.writers: list[asyncio.StreamWriter] = []
        self._trickle: asyncio.Task[None] | None = None

    async def __aenter__(self) -> SlowClients:
        head = (
            f"POST {SLOW_PATH} HTTP/1.1\r\nHost: {HOST}\r\nContent-Type: application/json\r\n"
            f"Content-Length: 1000000\r\n\r\n{{"
        ).encode()
        for number in range(self.slow + self.idle):
            _reader, writer = await asyncio.open_connection(HOST, self.port)
            if number < self.slow:
                writer.write(head)
                await writer.drain()
            self.writers.append(writer)
        self._trickle = asyncio.create_task(self._send_a_byte_a_second())
        return self

    async def _send_a_byte_a_second(self) -> None:
        while True:
            await asyncio.sleep(1.0)
            for writer in self.writers[: self.slow]:
                if not writer.is_closing():
                    writer.write(b" ")

    def still_open(self) -> int:
        return sum(1 for writer in self.writers if not writer.is_closing() and not writer.transport.is_closing())

    async def __aexit__(self, *exc: object) -> None:
        if self._trickle is not None:
            self._trickle.cancel()
        for writer in self.writers:
            writer.close()


async def _phase(port: int, requests: int) -> list[float | None]:
    return [await timed_get(port) for _ in range(requests)]


def _summary(name: str, times: list[float | None]) -> float:
    done = sorted(t * 1000 for t in times if t is not None)
    timeouts = len(times) - len(done)
    if not done:
        print(f"{name:<28} all {len(times)} requests timed out (> {TIMEOUT:g} s)")
        return float("inf")
    p95 = done[min(len(done) - 1, int(0.95 * len(done)))]
    print(f"{name:<28} p50 {statistics.median(done):8.1f} ms  p95 {p95:8.1f} ms  max {done[-1]:8.1f} ms  timeouts {timeouts}/{len(times)}")
    return statistics.median(done) if timeouts * 2 < len(times) else float("inf")


async def _bench(port: int, args: argparse.Namespace) -> None:
    ceiling: list[float | None] = []
    loaded: list[float | None] = []
    held = []
    for _round in range(args.rounds):
        ceiling += await _phase(port, args.requests)
        async with SlowClients(port, args.slow, args.idle) as clients:
            await asyncio.sleep(1.5)  # every slow client has sent its headers and a byte or two
            loaded += await _phase(port, args.requests)
            held.append(clients.still_open())
    print(f"server: {args.server}; slow-body connections: {args.slow}; idle connections: {args.idle}; "
          f"still open after the timed requests: min {min(held)}")
    base = _summary("ceiling (no other client)", ceiling)
    slow = _summary("with slow clients", loaded)
    print(f"ratio p50 with slow clients / ceiling: {slow / base:.2f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--slow", type=int, default=500)
    parser.add_argument("--idle", type=int, default=100)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--requests", type=int, default=20)
    parser.add_argument("--server", choices=("serve", "gthread"), default="serve")
    parser.add_argument("--port", type=int, default=0, help="0: a free port")
    args = parser.parse_args()
    with served(args.server, args.port or None) as port:
        run(_bench(port, args))


if __name__ == "__main__":
    main()
