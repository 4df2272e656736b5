"""What the HTTP benches against a bare ceiling share (``bench/submit.py``, ``bench/border.py``):
the ceiling server (``bench/ceiling/``, served like ``gomruk serve``), the CPU of a server's
process tree from /proc, a closed-loop load of client threads, and A/B rounds interleaved so
that a busy machine slows both contenders alike.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import NamedTuple

import httpx

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))  # tests.served: a served instance, /proc helpers

from tests.served import children, pg_admin, processes  # noqa: E402

TICK = os.sysconf("SC_CLK_TCK")

#: ``work(client_index, n, times)``: one unit of load from one client thread; it appends its
#: step times (ms) to ``times[step]`` and raises on a wrong answer.
Work = Callable[[int, int, dict[str, list[float]]], None]


def tree_cpu_ms(pid: int) -> float:
    """utime + stime of ``pid`` and its descendants (live ones), in milliseconds."""
    total = 0.0
    stack = [pid]
    while stack:
        current = stack.pop()
        try:
            stat = Path(f"/proc/{current}/stat").read_text()
        except OSError:
            continue
        fields = stat[stat.rindex(")") + 2 :].split()
        # fields[0] is field 3 (state): utime is field 14, stime 15; cutime/cstime 16, 17.
        total += sum(int(f) for f in fields[11:15]) * 1000 / TICK
        stack.extend(children(current))
    return total


#: The shared services both contenders use on this machine (their CPU is the database's share).
SERVICES = ("postgres", "redis-server")


def services_cpu_ms(names: Sequence[str] = SERVICES) -> float:
    """utime + stime of every process named one of ``names`` (with what its exited children
    used: a PostgreSQL backend that ends counts in its postmaster), in milliseconds."""
    return sum(
        sum(int(f) for f in fields[11:15]) * 1000 / TICK for _, name, fields in processes() if name in names
    )


def own_cpu_ms() -> float:
    """This process's CPU (all its threads: the load generator's clients), in milliseconds."""
    times = os.times()
    return (times.user + times.system) * 1000


def percentile(samples: list[float], share: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))] if ordered else float("nan")


class Ceiling:
    """The bare ceiling app (``bench/ceiling/ceiling``) on ``port`` against ``database_url``.
    ``fresh`` names a PostgreSQL database created for it and dropped afterwards."""

    def __init__(self, database_url: str, port: int, workers: int, *, fresh: str | None = None,
                 home: Path | None = None, threads: int | None = None) -> None:
        self.url = database_url
        self.threads = threads
        self.port = port
        self.workers = workers
        self.fresh = fresh
        self.home = home or Path(tempfile.mkdtemp(prefix="gomruk-ceiling-"))
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        if self.fresh:
            pg_admin(f'DROP DATABASE IF EXISTS "{self.fresh}" WITH (FORCE)')
            pg_admin(f'CREATE DATABASE "{self.fresh}"')
        env = {k: v for k, v in os.environ.items() if not k.startswith(("GOMRUK_", "DJANGO_", "DATABASE_"))}
        env.update(DATABASE_URL=self.url, GOMRUK_HOME=str(self.home), PYTHONPATH=str(HERE / "ceiling"))
        if self.threads:
            env["GOMRUK_REQUEST_THREADS"] = str(self.threads)
        log = (self.home / "ceiling.log").open("ab")
        self.process = subprocess.Popen(
            [sys.executable, "-m", "ceiling.serve", "--port", str(self.port), "--workers", str(self.workers)],
            env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"ceiling exited: {(self.home / 'ceiling.log').read_text()[-2000:]}")
            try:
                httpx.get(f"http://127.0.0.1:{self.port}/api/docs", timeout=2)
                return
            except httpx.HTTPError:
                time.sleep(0.2)
        raise RuntimeError("ceiling did not start")

    @property
    def pid(self) -> int:
        assert self.process is not None
        return self.process.pid

    def stop(self, *, remove_home: bool = True) -> None:
        if self.process is not None:
            os.killpg(self.process.pid, 15)
            self.process.wait(30)
            self.process = None
        if self.fresh:
            pg_admin(f'DROP DATABASE IF EXISTS "{self.fresh}" WITH (FORCE)')
        if remove_home:
            shutil.rmtree(self.home, ignore_errors=True)


class Phase(NamedTuple):
    """What one :func:`load` measured."""

    done: int
    elapsed: float
    #: CPU ms of the server's process tree.
    cpu_ms: float
    times: dict[str, list[float]]
    #: CPU ms of the machine's PostgreSQL and Redis processes (all of them: nothing else runs).
    services_ms: float = 0.0
    #: CPU ms of the load generator (this process).
    client_ms: float = 0.0


#: A measured phase's clients first run this long unmeasured. They start together, so their
#: first units pile up on the same step (eight creates at once) until their different paces
#: spread them out: a transient of a few seconds that independent clients of a service do not
#: make, which put most of a phase's slowest steps in its first seconds.
RAMP_SECONDS = 3.0
#: Client threads start this far apart, so that the pile-up is smaller to begin with.
STAGGER_SECONDS = 0.05


class _WindowSamples(list[float]):
    """A step's times, kept only once the phase is measured (after its ramp)."""

    def __init__(self, measuring: threading.Event) -> None:
        super().__init__()
        self._measuring = measuring

    def append(self, value: float) -> None:
        if self._measuring.is_set():
            super().append(value)


def load(clients: int, seconds: float, work: Work, pid: int, *, ramp: float = 0.0) -> Phase:
    """``clients`` threads repeating ``work(client_index, n, times)`` for ``seconds``: units
    done, elapsed seconds, server CPU ms, step times, and where the rest of the machine's CPU
    went (the database and Redis, the load generator): the contenders share two cores with
    them, so a contender's rate follows what all three cost it per unit. With ``ramp``, the
    clients start :data:`STAGGER_SECONDS` apart and run ``ramp`` seconds before anything is
    counted: units, CPU and step times are those of the ``seconds`` after it."""
    measuring = threading.Event()
    times: dict[str, list[float]] = defaultdict(lambda: _WindowSamples(measuring))
    done = [0] * clients
    errors: list[str] = []
    stop = time.monotonic() + ramp + seconds

    def run(index: int) -> None:
        if ramp:
            time.sleep(index * STAGGER_SECONDS)
        n = 0
        while time.monotonic() < stop and not errors:
            try:
                work(index, n, times)
            except Exception as exc:  # noqa: BLE001 (reported, ends the run)
                errors.append(repr(exc))
                return
            if measuring.is_set():
                done[index] += 1
            n += 1

    def measure() -> tuple[float, float, float, float]:
        counters = tree_cpu_ms(pid), services_cpu_ms(), own_cpu_ms(), time.monotonic()
        measuring.set()
        return counters

    threads = [threading.Thread(target=run, args=(i,)) for i in range(clients)]
    if not ramp:
        cpu, services, client, started = measure()
    for thread in threads:
        thread.start()
    if ramp:
        time.sleep(ramp)
        cpu, services, client, started = measure()
    for thread in threads:
        thread.join()
    elapsed = time.monotonic() - started
    if errors:
        raise RuntimeError(errors[0])
    return Phase(
        sum(done), elapsed, tree_cpu_ms(pid) - cpu, times,
        services_cpu_ms() - services, own_cpu_ms() - client,
    )


@dataclass
class Totals:
    """One contender's sums over the rounds of one client count."""

    done: int = 0
    elapsed: float = 0.0
    cpu_ms: float = 0.0
    times: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    services_ms: float = 0.0
    client_ms: float = 0.0

    @property
    def per_second(self) -> float:
        return self.done / self.elapsed if self.elapsed else 0.0

    @property
    def cpu_per_unit(self) -> float:
        return self.cpu_ms / max(self.done, 1)

    @property
    def services_per_unit(self) -> float:
        return self.services_ms / max(self.done, 1)

    @property
    def client_per_unit(self) -> float:
        return self.client_ms / max(self.done, 1)

    @property
    def machine_per_unit(self) -> float:
        """Server, database and load generator: what one unit cost the shared cores."""
        return self.cpu_per_unit + self.services_per_unit + self.client_per_unit


@dataclass(frozen=True)
class Contender:
    name: str
    work: Work
    pid: int


def interleaved(
    contenders: Sequence[Contender], clients: int, rounds: int, seconds: float, *, ramp: float = RAMP_SECONDS,
) -> dict[str, Totals]:
    """``rounds`` rounds of A, B, … each measured for ``seconds`` with ``clients`` client
    threads, after a ramp of ``ramp`` seconds (:func:`load`)."""
    totals = {c.name: Totals() for c in contenders}
    for _ in range(rounds):
        for contender in contenders:
            phase = load(clients, seconds, contender.work, contender.pid, ramp=ramp)
            total = totals[contender.name]
            total.done += phase.done
            total.elapsed += phase.elapsed
            total.cpu_ms += phase.cpu_ms
            total.services_ms += phase.services_ms
            total.client_ms += phase.client_ms
            for step, samples in phase.times.items():
                total.times[step].extend(samples)
    return totals


def redis_env(url: str) -> dict[str, str]:
    """``{"REDIS_URL": url}`` after emptying that Redis database, as a deployment's nodes share
    their counters there (docs/deploy.md); ``{}`` when ``url`` is empty or Redis does not answer
    (the counters then stay in the database)."""
    if not url:
        return {}
    try:
        import redis

        redis.Redis.from_url(url, socket_connect_timeout=1).flushdb()
    except Exception:  # noqa: BLE001 (no Redis here)
        return {}
    return {"REDIS_URL": url}
