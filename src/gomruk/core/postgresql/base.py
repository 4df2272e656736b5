"""Django's PostgreSQL backend; only the per-request health check differs (ADR 0048).

With ``CONN_HEALTH_CHECKS`` Django makes sure, before a request first uses a persistent
connection, that the server still holds it: a ``SELECT 1``. That is a round trip and a statement
for each request — five of them in a declarant's journey. A server that ends a connection
(``pg_terminate_backend``, a restart, an idle timeout) sends its FATAL message and closes the
socket, so an idle connection it has dropped has something to read; one it still holds has
nothing. The socket is polled first (no wait): nothing waiting, and psycopg saw no failure — the
connection is usable. Anything waiting, and Django's ``SELECT 1`` decides as before.
"""

from __future__ import annotations

import select

from django.db.backends.postgresql.base import DatabaseWrapper as PostgresDatabaseWrapper


def _has_something_to_read(fileno: int) -> bool:
    poller = select.poll()
    poller.register(fileno, select.POLLIN | select.POLLPRI | select.POLLERR | select.POLLHUP)
    return bool(poller.poll(0))


class DatabaseWrapper(PostgresDatabaseWrapper):
    def is_usable(self) -> bool:
        connection = self.connection
        if connection is None or connection.closed or connection.broken:
            return False
        try:
            waiting = _has_something_to_read(connection.fileno())
        except (OSError, ValueError):
            return False
        return not waiting or bool(super().is_usable())
