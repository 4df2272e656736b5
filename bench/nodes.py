"""Two-node scaling (issue 17.4): journeys/s through one node vs two, each node its own core.

    .venv/bin/python bench/nodes.py [--clients 8] [--seconds 20] [--rounds 2] [--items 100]
        [--workers 2] [--cpus 0,1] [--budget 0.4]

Two ``gomruk serve`` nodes (``tests.served.nodes``: a GOMRUK_HOME each, one PostgreSQL database
``gomruk_bench_nodes`` on postgres://postgres@127.0.0.1:5432, Redis database 7 for the shared
counters when Redis answers on 127.0.0.1:6379, else the database), ports 8190-8199, each started
under ``taskset -c <cpu>``: the node's server, its ``--workers`` worker processes and its task
worker inherit the one-core affinity. PostgreSQL and this load generator are not pinned.

The journey is bench/submit.py's (create a ``--items``-item declaration → signing payload →
signature signed in the client → confirm → send, keys on every POST). "one node": ``--clients``
client threads, all on the first node, the second node's processes stopped (SIGSTOP, SIGCONT after:
its task worker would otherwise take the first node's background work, outside the first node's
core or budget). "two nodes": 2 × ``--clients`` threads, half on each node (a load balancer pinning each
connection to one node). The two are interleaved for ``--rounds`` rounds of ``--seconds`` so a
busy machine slows both alike. Printed: journeys/s, send p50/p99 ms, each node's and the load
generator's CPU ms per journey, and how busy the whole machine was (/proc/stat: other agents'
work and PostgreSQL included); the last line ``nodes: two-node scaling <r>`` (two nodes' journeys/s ÷ one node's).

``--budget B`` gives each node a CPU budget of ``B`` cores instead of (or besides) a pinned core:
the node's whole process tree goes into a cgroup of its own (``/sys/fs/cgroup/cpu/gomruk-bench-
node-<i>``, cgroup v1 ``cpu.cfs_quota_us`` = B × ``cpu.cfs_period_us``; cgroup v2's ``cpu.max``
where that is mounted instead; processes the node starts later inherit it). On 2 cores a pinned
node shares its core with PostgreSQL and the load generator, so "each node its own core" cannot
hold; two budgets of 0.4 core leave 1.2 cores to the rest, and the scaling then says whether the
nodes themselves scale (shared counters, locks, the audit chain) rather than how many cores are
left. Needs root (it is here); without a writable cgroup the bench says so and stops.
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import signal
import sys
import time
from collections import defaultdict
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))  # tests.served: nodes with the demo keys

from _harness import load, own_cpu_ms, percentile, redis_env, tree_cpu_ms  # noqa: E402
from submit import hundred_items, journey  # noqa: E402
from tests.served import Served, children, nodes  # noqa: E402

DATABASE = "gomruk_bench_nodes"
PORTS = range(8190, 8200)
REDIS = "redis://127.0.0.1:6379/7"


CGROUP_V1 = Path("/sys/fs/cgroup/cpu")
CGROUP_V2 = Path("/sys/fs/cgroup")


def descendants(pid: int) -> list[int]:
    found, stack = [], [pid]
    while stack:
        current = stack.pop()
        found.append(current)
        stack.extend(children(current))
    return found


class Budget:
    """A CPU budget of ``cores`` for one node's process tree (a cgroup of its own)."""

    def __init__(self, index: int, cores: float) -> None:
        if (CGROUP_V1 / "cpu.cfs_quota_us").exists():
            self.path = CGROUP_V1 / f"gomruk-bench-node-{index}"
            self.path.mkdir(exist_ok=True)
            period = int((self.path / "cpu.cfs_period_us").read_text())
            (self.path / "cpu.cfs_quota_us").write_text(str(int(cores * period)))
        elif (CGROUP_V2 / "cgroup.controllers").exists():
            self.path = CGROUP_V2 / f"gomruk-bench-node-{index}"
            self.path.mkdir(exist_ok=True)
            (self.path / "cpu.max").write_text(f"{int(cores * 100000)} 100000")
        else:
            raise SystemExit("--budget: no writable cpu cgroup here (needs cgroup v1 cpu or v2 cpu.max, as root)")

    def take(self, pid: int) -> None:
        for member in descendants(pid):
            try:
                (self.path / "cgroup.procs").write_text(str(member))
            except OSError:  # gone meanwhile
                continue

    def release(self) -> None:
        parent = self.path.parent / "cgroup.procs"
        for member in (self.path / "cgroup.procs").read_text().split():
            try:
                parent.write_text(member)
            except OSError:
                continue
        self.path.rmdir()


def machine_ticks() -> tuple[int, int]:
    """Busy and total clock ticks of every core since boot (/proc/stat)."""
    fields = [int(v) for v in Path("/proc/stat").read_text().splitlines()[0].split()[1:]]
    idle = fields[3] + fields[4]  # idle + iowait
    return sum(fields) - idle, sum(fields)


def measure(
    active: list[Served], everyone: list[Served], clients: int, seconds: float, work: Any
) -> tuple[int, float, list[float], dict[str, list[float]]]:
    """``clients`` threads per active node for ``seconds``: journeys, elapsed s, CPU ms of each
    node (all of them: an idle node's costs count too) and of this load generator, the
    machine's busy ticks and all ticks, step times."""
    idle = [node for node in everyone if node not in active]
    frozen = [pid for node in idle for pid in descendants(node.master_pid)]
    for pid in frozen:  # an idle node's task worker would otherwise do the active node's background work
        os.kill(pid, signal.SIGSTOP)
    try:
        return _measure(active, everyone, clients, seconds, work)
    finally:
        for pid in frozen:
            os.kill(pid, signal.SIGCONT)


def _measure(
    active: list[Served], everyone: list[Served], clients: int, seconds: float, work: Any
) -> tuple[int, float, list[float], dict[str, list[float]]]:
    before = [tree_cpu_ms(node.master_pid) for node in everyone] + [own_cpu_ms()]
    busy, ticks = machine_ticks()
    done, elapsed, _, times, *_ = load(clients * len(active), seconds, work(active), active[0].master_pid)
    busy_after, ticks_after = machine_ticks()
    after = [tree_cpu_ms(node.master_pid) for node in everyone] + [own_cpu_ms()]
    cpu = [end - start for end, start in zip(after, before, strict=True)]
    return done, elapsed, [*cpu, busy_after - busy, ticks_after - ticks], times


def run(cluster: list[Served], args: argparse.Namespace, body: bytes) -> dict[str, list[Any]]:
    tokens = [node.token() for node in cluster]
    pools = [[node.client(token, timeout=120) for _ in range(args.clients)]
             for node, token in zip(cluster, tokens, strict=True)]
    terms = pools[0][0].get("/declarations/terms").json()["version"]
    run_tag = f"{time.time_ns():x}"
    serial = itertools.count()

    def work(active: list[Served]) -> Any:
        def one(index: int, n: int, times: dict[str, list[float]]) -> None:
            node = index % len(active)
            client = pools[node][index // len(active)]
            journey(client, cluster[0], body, terms, f"{run_tag}-{next(serial)}", times)
        return one

    for node in cluster:  # warm-up: imports, caches, connections of every worker
        load(args.clients, 3, work([node]), node.master_pid)
    totals: dict[str, list[Any]] = {name: [0, 0.0, [0.0] * 5, defaultdict(list)] for name in ("one", "two")}
    for _ in range(args.rounds):
        for name, active in (("one", cluster[:1]), ("two", cluster)):
            done, elapsed, cpu, times = measure(active, cluster, args.clients, args.seconds, work)
            total = totals[name]
            total[0] += done
            total[1] += elapsed
            total[2] = [a + b for a, b in zip(total[2], cpu, strict=True)]
            for step, samples in times.items():
                total[3][step].extend(samples)
    for pool in pools:
        for client in pool:
            client.close()
    return totals


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--clients", type=int, default=8, help="client threads per node")
    parser.add_argument("--seconds", type=float, default=20)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--items", type=int, default=100)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--cpus", default="0,1", help="the core of each node (taskset -c; '' for none)")
    parser.add_argument("--budget", type=float, default=0.0, help="each node's CPU budget in cores (a cgroup)")
    args = parser.parse_args()
    cpus: list[str | None] = [c.strip() or None for c in args.cpus.split(",")] if args.cpus else [None, None]
    body = json.dumps(hundred_items(args.items)).encode()
    env = redis_env(REDIS)
    print(f"{os.cpu_count()} cores, load average {Path('/proc/loadavg').read_text().split()[0]} at start; "
          f"journey of a {args.items}-item declaration; nodes pinned to cores {args.cpus or 'none'}"
          f"{f', a budget of {args.budget} core each' if args.budget else ''}, "
          f"{args.workers} workers each; counters in {'Redis' if env else 'PostgreSQL'}; "
          f"{args.rounds} rounds × {args.seconds:.0f} s, one node and two interleaved", flush=True)
    with nodes(2, DATABASE, env=env, ports=PORTS, workers=args.workers, cpus=cpus) as cluster:
        budgets = [Budget(i, args.budget) for i in range(len(cluster))] if args.budget else []
        try:
            for budget, node in zip(budgets, cluster, strict=False):
                budget.take(node.master_pid)
            totals = run(cluster, args, body)
        finally:
            for budget in budgets:
                budget.release()
    rates = {}
    print(f"{'nodes':<6}{'clients':>8}{'journeys/s':>12}{'send p50/p99 ms':>17}"
          f"{'CPU ms/journey: node 1, node 2, load generator':>48}{'machine busy':>14}")
    for name, (done, elapsed, cpu, times) in totals.items():
        rates[name] = done / elapsed
        clients = args.clients * (1 if name == "one" else 2)
        send = f"{percentile(times['send'], 0.5):.0f}/{percentile(times['send'], 0.99):.0f}"
        per = ", ".join(f"{c / max(done, 1):.0f}" for c in cpu[:3])
        busy = f"{100 * cpu[3] / max(cpu[4], 1):.0f} %"
        print(f"{name:<6}{clients:>8}{rates[name]:>12.2f}{send:>17}{per:>48}{busy:>14}", flush=True)
    print(f"load average {Path('/proc/loadavg').read_text().split()[0]} at the end")
    print(f"nodes: two-node scaling {rates['two'] / rates['one']:.2f}")


if __name__ == "__main__":
    main()
