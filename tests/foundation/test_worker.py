"""Background work runs as django-tasks tasks with `gomruk worker` (no thread of our own):
periodic tasks keep exactly one run waiting, and `gomruk serve` starts a worker beside itself."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path

import pytest
from django.utils import timezone
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from gomruk.core.audit import audit_record
from gomruk.core.models import AuditCheckpoint, AuditEntry
from gomruk.core.tasks import AUDIT_MAINTENANCE, audit_maintain

SEAL_TASK = "gomruk.core.tasks.audit_maintain"



def _waiting() -> list[DBTaskResult]:
    return list(DBTaskResult.objects.filter(task_path=SEAL_TASK, status=TaskResultStatus.READY))


@pytest.fixture
def deferred(settings):
    settings.GOMRUK_AUDIT_SEALING = "deferred"
    return settings


@pytest.mark.django_db
def test_scheduling_twice_leaves_one_run_waiting(deferred):
    assert AUDIT_MAINTENANCE.schedule() is True
    assert AUDIT_MAINTENANCE.schedule() is False
    (waiting,) = _waiting()
    assert waiting.queue_name == "audit"
    assert waiting.run_after > timezone.now()  # deferred mode: the next second or so


@pytest.mark.django_db
def test_a_worker_starting_runs_the_sealing_task_at_once_and_it_schedules_its_next_run(deferred, run_worker):
    audit_record(actor=None, action="test.event")
    run_worker()
    assert AuditEntry.objects.get().sequence == 1
    assert DBTaskResult.objects.filter(task_path=SEAL_TASK, status=TaskResultStatus.SUCCESSFUL).count() == 1
    (following,) = _waiting()
    delay = (following.run_after - timezone.now()).total_seconds()
    assert 0 < delay <= deferred.GOMRUK_AUDIT_SEAL_INTERVAL


@pytest.mark.django_db
def test_two_chains_of_sealing_runs_merge_into_one(deferred, run_worker):
    now = timezone.now()
    audit_maintain.using(run_after=now).enqueue()  # e.g. two workers that started at once
    audit_maintain.using(run_after=now).enqueue()
    run_worker()
    assert DBTaskResult.objects.filter(task_path=SEAL_TASK, status=TaskResultStatus.SUCCESSFUL).count() == 2
    assert len(_waiting()) == 1


@pytest.mark.django_db
def test_in_immediate_mode_the_task_only_writes_checkpoints_now_and_then(settings, run_worker):
    settings.GOMRUK_AUDIT_SEALING = "immediate"
    audit_record(actor=None, action="test.event")
    run_worker()
    assert AuditCheckpoint.objects.get().sequence == 1
    (following,) = _waiting()
    delay = (following.run_after - timezone.now()).total_seconds()
    assert settings.GOMRUK_AUDIT_SEAL_INTERVAL < delay <= settings.GOMRUK_AUDIT_CHECKPOINT_INTERVAL


@pytest.mark.django_db
def test_old_successful_runs_are_pruned(deferred, monkeypatch):
    monkeypatch.setattr("gomruk.core.periodic._pruned", {})
    result = audit_maintain.enqueue()
    DBTaskResult.objects.filter(pk=result.id).update(
        status=TaskResultStatus.SUCCESSFUL, finished_at=timezone.now() - timedelta(hours=2)
    )
    AUDIT_MAINTENANCE.schedule()
    assert not DBTaskResult.objects.filter(pk=result.id).exists()
    assert len(_waiting()) == 1


def test_the_worker_command_takes_every_queue():
    from gomruk.core.management.commands.worker import Command

    parser = Command().create_parser("gomruk", "worker")
    assert parser.parse_args([]).queue_name == "*"


# --- real processes -----------------------------------------------------------------------------

def _env(home: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "GOMRUK_ENV", "SECRET_KEY")}
    env.update({
        "GOMRUK_HOME": str(home), "DJANGO_SETTINGS_MODULE": "gomruk.settings",
        "GOMRUK_AUDIT_SEALING": "deferred", "GOMRUK_AUDIT_SEAL_INTERVAL": "0.2",
    })
    return env


def _gomruk(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "gomruk", *args], env=env, capture_output=True, text=True,
                          timeout=300)


def _python(env: dict[str, str], code: str) -> str:
    setup = "import django; django.setup()\n"
    done = subprocess.run([sys.executable, "-c", setup + code], env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    return done.stdout.strip()


WRITE = ("from gomruk.core.audit import audit_record\n"
         "for n in range(5): audit_record(actor=None, action='test.process', object_id=n)")
PENDING = "from gomruk.core.models import AuditEntry; print(AuditEntry.objects.filter(sequence=None).count())"


def _until_sealed(env: dict[str, str], timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while _python(env, PENDING) != "0":
        assert time.monotonic() < deadline, "entries were not sealed"
        time.sleep(0.5)


def _free_port() -> int:
    for port in range(9200, 9300):
        with socket.socket() as probe:
            if probe.connect_ex(("127.0.0.1", port)) != 0:
                return port
    raise RuntimeError("no free port in 9200-9299")


def _children(pid: int) -> list[int]:
    path = Path(f"/proc/{pid}/task/{pid}/children")
    return [int(p) for p in path.read_text().split()] if path.exists() else []


def _cmdline(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode()
    except FileNotFoundError:
        return ""


@pytest.mark.slow
def test_gomruk_worker_seals_what_another_process_wrote(tmp_path):
    env = _env(tmp_path / "home")
    assert _gomruk(env, "migrate", "--verbosity", "0").returncode == 0
    _python(env, WRITE)
    assert _python(env, PENDING) == "5"
    worker = subprocess.Popen([sys.executable, "-m", "gomruk", "worker", "--no-startup-delay"], env=env,
                              stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        _until_sealed(env)
        _python(env, WRITE)  # written while the worker runs: sealed by its next run
        _until_sealed(env)
    finally:
        worker.send_signal(signal.SIGINT)
        output, _ = worker.communicate(timeout=30)
    assert worker.returncode == 0, output
    assert "Periodic tasks scheduled: audit_maintain." in output
    verified = _gomruk(env, "audit", "verify")
    assert verified.returncode == 0 and "OK: 10 audit entries, chain intact, 1 checkpoints match" in verified.stdout


@pytest.mark.slow
@pytest.mark.skipif(sys.platform != "linux", reason="reads child processes from /proc")
def test_serve_starts_a_worker_beside_itself_and_stops_it(tmp_path):
    import httpx

    env = _env(tmp_path / "home")
    assert _gomruk(env, "migrate", "--verbosity", "0").returncode == 0
    _python(env, WRITE)
    port = _free_port()
    server = subprocess.Popen([sys.executable, "-m", "gomruk", "serve", "--port", str(port), "--workers", "1"],
                              env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        _until_sealed(env)
        workers = [pid for pid in _children(server.pid) if " worker" in _cmdline(pid)]
        assert len(workers) == 1
        deadline = time.monotonic() + 30
        while True:
            response = httpx.get(f"http://127.0.0.1:{port}/api/v1/audit/checkpoints/latest", timeout=5)
            if response.status_code == 200 or time.monotonic() > deadline:
                break
            time.sleep(0.5)
        assert response.status_code == 200 and response.json()["sequence"] == 5
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=60)
    deadline = time.monotonic() + 30
    while _cmdline(workers[0]) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert not _cmdline(workers[0]), "the worker outlived the server"
