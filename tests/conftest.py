from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def _audit_checkpoints_per_test(settings, tmp_path):
    """Checkpoints go to a file outside the database, which no test rollback undoes: each test
    gets its own, or one test's checkpoints would accuse the next test's chain of truncation."""
    settings.GOMRUK_AUDIT_CHECKPOINT_FILE = tmp_path / "audit-checkpoints.jsonl"


@pytest.fixture
def reference():
    from gomruk.reference.snapshot import packaged_reference

    return packaged_reference()


@pytest.fixture
def loaded_classifiers(db):
    from gomruk.reference.services import classifiers_load

    return classifiers_load()


def require_tool(executable: str, why: str) -> str:
    """Path of a system tool a test needs. Without it the test is skipped on a developer's
    machine, but fails in CI (GOMRUK_REQUIRE_TOOLS=1), where .ci/run installs every tool."""
    import os
    import shutil

    path = shutil.which(executable)
    if path:
        return path
    message = f"{executable} is not installed ({why})"
    if os.environ.get("GOMRUK_REQUIRE_TOOLS") == "1":
        pytest.fail(message)
    pytest.skip(message)


@pytest.fixture
def run_worker(monkeypatch):
    """Run `gomruk worker` in this process until no task is due (it would then wait for the
    next). Inside a test's transaction the worker must not drop the connection between tasks,
    as it does in production to recover from a lost one."""
    from django.core.management import call_command

    monkeypatch.setattr("django_tasks_db.management.commands.db_worker.close_old_connections", lambda: None)

    def run() -> None:
        call_command("worker", batch=True, startup_delay=False, reload=False, verbosity=0)

    return run


@pytest.fixture
def redis_cache(settings):
    """The shared store in Redis, as with ``REDIS_URL`` (emptied before and after); skipped
    where no Redis answers."""
    url = "redis://127.0.0.1:6379/5"  # this branch's Redis database (TEAM.md)
    try:
        import redis

        redis.Redis.from_url(url, socket_connect_timeout=1).flushdb()
    except Exception as exc:  # noqa: BLE001 — no Redis here: nothing to check
        pytest.skip(f"Redis is not reachable at {url}: {exc}")
    # Django's setting_changed handler rebuilds the cache connections.
    settings.CACHES = {"default": {"BACKEND": "gomruk.core.cache.RedisCache", "LOCATION": url}}
    yield url
    redis.Redis.from_url(url).flushdb()
