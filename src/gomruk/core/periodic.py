"""Tasks that schedule their own next run.

django-tasks runs tasks but has no clock. A periodic task here enqueues its own next run when
it finishes (``Periodic.schedule``), and every worker schedules each of
``GOMRUK_PERIODIC_TASKS`` when it starts, which revives a chain whose run died with its worker.
Scheduling takes a lock and looks for a run already waiting, so however many workers start or
finish at once, one run waits per task: chains that started twice merge at their next run.
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import cache

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone
from django.utils.module_loading import import_string
from django_tasks.base import Task, TaskResultStatus
from django_tasks_db.models import DBTaskResult, get_date_max

from gomruk.core import rawrows

PRUNE_EVERY = 600.0  # seconds between deletions of a task's old finished runs, per process
_pruned: dict[str, float] = {}


@dataclass(frozen=True)
class Periodic:
    task: Task  # type: ignore[type-arg]
    # When the next run is due, given the time now; None while the task is switched off.
    next_run: Callable[[datetime], datetime | None]
    keep: timedelta = timedelta(hours=1)  # successful runs stay this long for inspection
    # A worker that starts runs it at once (catching up on what waited while no worker ran),
    # rather than at the next time it is due.
    start_now: bool = False

    def schedule(self, *, at: datetime | None = None) -> bool:
        """Enqueue the next run (at ``at``, or when ``next_run`` says) unless one is waiting
        already. True if this call enqueued it."""
        now = timezone.now()
        when = at or self.next_run(now)
        if when is None:
            return False
        path = self.task.module_path
        with transaction.atomic():
            _serialise(path)
            if run_waiting(self.task):
                return False
            self.task.using(run_after=when).enqueue()
        self._prune(now)
        return True

    def _prune(self, now: datetime) -> None:
        path = self.task.module_path
        if time.monotonic() - _pruned.get(path, -PRUNE_EVERY) < PRUNE_EVERY:
            return
        _pruned[path] = time.monotonic()
        DBTaskResult.objects.filter(
            queue_name=self.task.queue_name, task_path=path, status=TaskResultStatus.SUCCESSFUL,
            finished_at__lt=now - self.keep,
        ).delete()


def run_waiting(task: Task, *, due: datetime | None = None) -> bool:  # type: ignore[type-arg]
    """A run of ``task`` enqueued and not started yet; with ``due``, one that runs by then (a
    run without a time runs as soon as a worker takes it)."""
    # Every send asks it (the notification dispatch): SQL written once (ADR 0028, ADR 0031).
    params = [task.module_path, TaskResultStatus.READY.value]
    if due is not None:
        params += [rawrows.param(DBTaskResult, "run_after", get_date_max()), rawrows.param(DBTaskResult, "run_after", due)]
    with connection.cursor() as cursor:
        cursor.execute(_waiting_sql(connection.vendor, due is not None), params)
        return cursor.fetchone() is not None


@cache
def _waiting_sql(vendor: str, due: bool) -> str:
    result = DBTaskResult
    run_after = rawrows.column(result, "run_after", "r")
    return (
        f"SELECT 1 FROM {rawrows.table(result)} r WHERE {rawrows.column(result, 'task_path', 'r')} = %s "  # noqa: S608
        f"AND {rawrows.column(result, 'status', 'r')} = %s"
        + (f" AND ({run_after} = %s OR {run_after} <= %s)" if due else "")
        + " LIMIT 1"
    )


def _serialise(path: str) -> None:
    """Hold a lock named by the task until the transaction ends. SQLite needs none: its
    transactions here take the write lock when they begin (``transaction_mode`` IMMEDIATE)."""
    if connection.vendor == "postgresql":
        name = int.from_bytes(hashlib.sha256(path.encode()).digest()[:8], "big", signed=True)
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [name])


def periodic_tasks() -> list[Periodic]:
    return [import_string(path) for path in settings.GOMRUK_PERIODIC_TASKS]


def periodic_schedule_all() -> list[str]:
    """Make sure every periodic task has a run waiting (what a worker does when it starts);
    return the names of those switched on."""
    names = []
    for periodic in periodic_tasks():
        now = timezone.now()
        if periodic.next_run(now) is None:
            continue
        periodic.schedule(at=now if periodic.start_now else None)
        names.append(periodic.task.name)
    return names
