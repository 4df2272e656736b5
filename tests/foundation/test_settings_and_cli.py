from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest


def _run(code: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=60)


def _env(tmp_path: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("SECRET_KEY", "DATABASE_URL", "GOMRUK_ENV")}
    env.update({"GOMRUK_HOME": str(tmp_path / "home"), "DJANGO_SETTINGS_MODULE": "gomruk.settings"})
    env.update(extra)
    return env


PRODUCTION_AUDIT_KEYS = {"GOMRUK_AUDIT_KEY": "k" * 40, "GOMRUK_AUDIT_SIGNING_KEY": "A" * 43 + "="}


def test_secret_key_is_generated_once_into_home(tmp_path):
    code = "import django; django.setup(); from django.conf import settings; print(settings.SECRET_KEY, settings.DEBUG)"
    first = _run(code, _env(tmp_path))
    second = _run(code, _env(tmp_path))
    assert first.returncode == 0, first.stderr
    assert first.stdout == second.stdout
    key, debug = first.stdout.split()
    assert len(key) > 40 and debug == "False"
    assert (tmp_path / "home" / "secret_key").read_text().strip() == key


def test_production_requires_secret_key(tmp_path):
    code = "import django; django.setup()"
    result = _run(code, _env(tmp_path, GOMRUK_ENV="production"))
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr
    ok = _run(code, _env(tmp_path, GOMRUK_ENV="production", SECRET_KEY="x" * 50, **PRODUCTION_AUDIT_KEYS))
    assert ok.returncode == 0, ok.stderr


def test_database_defaults_to_sqlite_in_home(tmp_path):
    code = "import django; django.setup(); from django.conf import settings; print(settings.DATABASES['default']['NAME'])"
    result = _run(code, _env(tmp_path))
    assert result.stdout.strip() == str(tmp_path / "home" / "gomruk.sqlite3")


def test_postgresql_binds_on_the_server_and_prepares_unless_told_not_to(tmp_path):
    # ADR 0037; settings only: no connection is opened.
    code = (
        "import django; django.setup(); from django.conf import settings; "
        "o = settings.DATABASES['default']['OPTIONS']; "
        "print(o.get('server_side_binding'), o.get('prepare_threshold'))"
    )
    url = "postgres://postgres@127.0.0.1:5432/none"
    assert _run(code, _env(tmp_path, DATABASE_URL=url)).stdout.split() == ["True", "5"]
    assert _run(code, _env(tmp_path, DATABASE_URL=url, GOMRUK_DB_SERVER_BINDING="0")).stdout.split() == ["None", "None"]
    assert _run(code, _env(tmp_path)).stdout.split() == ["None", "None"]  # SQLite


@pytest.mark.django_db
def test_the_postgresql_suite_runs_with_server_binding():
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL only: run with DATABASE_URL=postgres://…")
    connection.ensure_connection()
    assert connection.connection.prepare_threshold == 5
    with connection.cursor() as cursor:
        assert type(cursor.cursor).__name__ == "ServerBindingCursor"
        # The same statement, a sixth time on this connection, runs prepared.
        for _ in range(6):
            cursor.execute("SELECT %s::int + 1", [41])
            assert cursor.fetchone() == (42,)
        cursor.execute("SELECT count(*) FROM pg_prepared_statements WHERE statement LIKE 'SELECT $1::int + 1%%'")
        assert cursor.fetchone() == (1,)


@pytest.mark.slow
def test_gomruk_init_demo_from_the_console_script(tmp_path):
    gomruk = Path(sys.executable).with_name("gomruk")
    result = subprocess.run(
        [str(gomruk), "init", "--demo"], env=_env(tmp_path), capture_output=True, text=True, timeout=300
    )
    assert result.returncode == 0, result.stderr
    assert "deklarant" in result.stdout and "inspektor" in result.stdout
    assert "Example declarations: 3" in result.stdout
    assert (tmp_path / "home" / "gomruk.sqlite3").exists()


AUDIT_KEYS = "import django; django.setup(); from django.conf import settings; print(settings.GOMRUK_AUDIT_KEY.hex(), settings.GOMRUK_AUDIT_SIGNING_KEY.hex())"


def test_audit_keys_are_generated_once_into_home_and_kept_private(tmp_path):
    env = {k: v for k, v in _env(tmp_path).items() if not k.startswith("GOMRUK_AUDIT_")}
    first = _run(AUDIT_KEYS, env)
    second = _run(AUDIT_KEYS, env)
    assert first.returncode == 0, first.stderr
    assert first.stdout == second.stdout
    mac_key, signing_key = first.stdout.split()
    assert len(bytes.fromhex(mac_key)) >= 32 and len(bytes.fromhex(signing_key)) == 32
    for name in ("audit_key", "audit_signing_key"):
        assert (tmp_path / "home" / name).stat().st_mode & 0o077 == 0


def test_production_requires_the_audit_keys(tmp_path):
    env = {k: v for k, v in _env(tmp_path, GOMRUK_ENV="production", SECRET_KEY="x" * 50).items()
           if not k.startswith("GOMRUK_AUDIT_")}
    result = _run("import django; django.setup()", env)
    assert result.returncode != 0 and "GOMRUK_AUDIT_KEY must be set" in result.stderr
    env["GOMRUK_AUDIT_KEY"] = "k" * 40
    result = _run("import django; django.setup()", env)
    assert result.returncode != 0 and "GOMRUK_AUDIT_SIGNING_KEY must be set" in result.stderr
    env["GOMRUK_AUDIT_SIGNING_KEY"] = "not base64 of 32 bytes"
    result = _run("import django; django.setup()", env)
    assert result.returncode != 0 and "must be 32 bytes in base64" in result.stderr
    env["GOMRUK_AUDIT_SIGNING_KEY"] = "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8="
    ok = _run(AUDIT_KEYS, env)
    assert ok.returncode == 0, ok.stderr
    assert ok.stdout.split() == [("k" * 40).encode().hex(), bytes(range(32)).hex()]
    assert not (tmp_path / "home" / "audit_key").exists()
