"""bench/_harness.py's load: a measured phase counts only what its clients do after their ramp
(issue 17: clients started together pile up on the same step for the first seconds)."""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Callable

from tests.system.bench_modules import bench_module


def _harness():  # type: ignore[no-untyped-def]
    return bench_module("_harness.py")


def _recording() -> tuple[dict[int, float], Callable[[int, int, dict[str, list[float]]], None]]:
    """A unit of work that records when it ran, and the time each client first ran one."""
    first: dict[int, float] = {}
    lock = threading.Lock()

    def work(index: int, n: int, times: dict[str, list[float]]) -> None:
        now = time.monotonic()
        with lock:
            first.setdefault(index, now)
            times["at"].append(now)
        time.sleep(0.01)

    return first, work


# The bounds leave this shared, loaded machine room: a thread may start, or a counter be read,
# a tenth of a second late. What they tell apart is wider: a counted ramp would add its whole
# length, a stagger without a ramp a whole (widened) stagger per client.
SLACK = 0.25
STAGGER = 0.3


def test_a_ramp_is_run_but_not_counted_and_clients_start_apart(monkeypatch):
    harness = _harness()
    monkeypatch.setattr(harness, "STAGGER_SECONDS", STAGGER)
    first, work = _recording()
    before = time.monotonic()
    phase = harness.load(3, 0.5, work, os.getpid(), ramp=1.0)
    # The clients ran from the start, one stagger apart...
    assert min(first.values()) < before + SLACK
    for index in range(1, 3):
        assert first[index] - first[0] >= index * STAGGER * 0.9
    # ...but only what they did after the ramp was kept and counted.
    kept = phase.times["at"]
    assert kept and min(kept) >= before + 1.0 - 0.02
    assert abs(phase.done - len(kept)) <= 3  # units in flight at the boundary
    assert 0.5 - SLACK <= phase.elapsed <= 0.5 + SLACK


def test_without_a_ramp_everything_counts_from_the_start(monkeypatch):
    harness = _harness()
    monkeypatch.setattr(harness, "STAGGER_SECONDS", STAGGER)
    first, work = _recording()
    before = time.monotonic()
    phase = harness.load(3, 0.3, work, os.getpid())
    assert min(phase.times["at"]) < before + SLACK
    assert phase.done == len(phase.times["at"])
    assert first[2] - first[0] < STAGGER  # not held back a stagger each
