import hashlib
from typing import Any

from django.apps import AppConfig
from django.db.backends.signals import connection_created


def _postgresql_connected(sender: Any, connection: Any, **kwargs: Any) -> None:
    if connection.vendor == "postgresql":  # psycopg is imported only where it is used
        from gomruk.core.pgbinary import use_binary_jsonb_as_text
        from gomruk.core.pgtimestamps import use_compiled_timestamps

        use_compiled_timestamps(connection)
        use_binary_jsonb_as_text(connection)


def _sha256(value: Any) -> bytes | None:
    if value is None:
        return None
    return hashlib.sha256(value.encode() if isinstance(value, str) else bytes(value)).digest()


def _sqlite_connected(sender: Any, connection: Any, **kwargs: Any) -> None:
    """SQLite gets PostgreSQL's ``sha256(bytea)``: SQL that asks the database for a stored
    value's digest (rather than for the value) is then written once for both."""
    if connection.vendor == "sqlite":
        connection.connection.create_function("sha256", 1, _sha256, deterministic=True)


class CoreConfig(AppConfig):
    name = "gomruk.core"
    label = "core"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        connection_created.connect(_postgresql_connected, dispatch_uid="gomruk-compiled-timestamps")
        connection_created.connect(_sqlite_connected, dispatch_uid="gomruk-sqlite-sha256")
