"""The per-request health check of a persistent PostgreSQL connection asks the socket before
the server (gomruk.core.postgresql, ADR 0048)."""

from __future__ import annotations

import time

import psycopg
import pytest
from django.conf import settings
from django.db import connection, connections
from django.db.backends.postgresql.base import DatabaseWrapper as PostgresDatabaseWrapper

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def _postgresql() -> None:
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL only")


def _other_connection() -> psycopg.Connection:
    db = connection.settings_dict
    return psycopg.connect(
        host=db["HOST"] or "127.0.0.1", port=db["PORT"] or 5432, user=db["USER"], dbname=db["NAME"], autocommit=True,
    )


def _server_asked(monkeypatch) -> list[bool]:
    """Every time Django's own check (a ``SELECT 1``) runs, and what it answered."""
    asked: list[bool] = []
    original = PostgresDatabaseWrapper.is_usable

    def counted(self) -> bool:  # type: ignore[no-untyped-def]
        asked.append(original(self))
        return asked[-1]

    monkeypatch.setattr(PostgresDatabaseWrapper, "is_usable", counted)
    return asked


def test_the_project_runs_its_own_backend():
    _postgresql()
    assert settings.DATABASES["default"]["ENGINE"] == "gomruk.core.postgresql"
    assert type(connections["default"]).__module__ == "gomruk.core.postgresql.base"


def test_a_connection_the_server_holds_is_usable_without_a_statement(monkeypatch):
    _postgresql()
    connection.ensure_connection()
    asked = _server_asked(monkeypatch)
    assert connection.is_usable()
    assert asked == []


def test_a_connection_the_server_ended_is_not_usable(monkeypatch):
    _postgresql()
    connection.ensure_connection()
    pid = connection.connection.info.backend_pid
    with _other_connection() as other:
        other.execute("SELECT pg_terminate_backend(%s)", [pid])
    time.sleep(0.2)  # the server sends its FATAL message and closes the socket
    asked = _server_asked(monkeypatch)
    assert not connection.is_usable()
    assert asked == [False]  # something was waiting: the server was asked, and failed
    connection.close()


def test_a_message_waiting_on_a_live_connection_is_settled_by_asking_the_server(monkeypatch):
    _postgresql()
    connection.ensure_connection()
    connection.connection.execute("LISTEN gomruk_health_check")
    with _other_connection() as other:
        other.execute("NOTIFY gomruk_health_check")
    time.sleep(0.2)  # the notification reaches this connection's socket
    asked = _server_asked(monkeypatch)
    assert connection.is_usable()
    assert asked == [True]
    connection.connection.execute("UNLISTEN *")
