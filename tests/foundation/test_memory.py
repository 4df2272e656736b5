"""The collector of a long-running process (gomruk.core.memory, ADR 0042): tuned and its
start-up heap frozen in served workers and ``gomruk worker``; left alone everywhere else."""

from __future__ import annotations

import gc
import subprocess
import sys
import textwrap

import pytest


def _in_fresh_interpreter(code: str) -> str:
    # The tuning lasts for the process: tried in its own interpreter, not in the test run's.
    result = subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code)], capture_output=True, text=True, timeout=120, check=False
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


def test_a_served_worker_tunes_the_collector_and_freezes_what_it_loaded():
    out = _in_fresh_interpreter(
        """
        import gc
        from gomruk.core import memory
        from gomruk.core.server import _worker_loaded

        loaded = [[i] for i in range(10_000)]  # what a worker loads: kept for its life
        assert gc.get_freeze_count() == 0 and not memory.is_long_lived()
        _worker_loaded(worker=None)  # as gunicorn calls it once the application is loaded
        frozen = gc.get_freeze_count()
        assert frozen >= 10_000, frozen
        assert gc.get_threshold() == memory.THRESHOLD
        snapshot = [[i] for i in range(5_000)]  # a snapshot built while serving
        memory.long_lived_built()
        assert gc.get_freeze_count() >= frozen + 5_000
        print("ok")
        """
    )
    assert out == "ok"


def test_serve_runs_the_hook_after_loading_the_application(settings, tmp_path):
    from gomruk.core.server import _worker_loaded, options

    settings.GOMRUK_HOME = tmp_path
    assert options("127.0.0.1", 9399, 2)["post_worker_init"] is _worker_loaded


def test_outside_a_long_running_process_nothing_is_frozen_or_tuned():
    from gomruk.core import memory

    before = (gc.get_freeze_count(), gc.get_threshold())
    memory.long_lived_built()
    assert not memory.is_long_lived()
    assert (gc.get_freeze_count(), gc.get_threshold()) == before


@pytest.mark.django_db
def test_the_task_worker_tunes_the_collector_before_taking_tasks(monkeypatch):
    from gomruk.core.management.commands import worker

    calls: list[str] = []
    monkeypatch.setattr(worker, "long_lived_process", lambda: calls.append("tuned"))
    monkeypatch.setattr(worker.DatabaseWorker, "handle", lambda self, *a, **o: calls.append("tasks taken"))
    worker.Command().handle(verbosity=0)
    assert calls == ["tuned", "tasks taken"]
    calls.clear()
    worker.Command().handle(verbosity=0, batch=True)  # drains the queue and exits (as the tests do)
    assert calls == ["tasks taken"]
