from typing import Any

from django.apps import AppConfig
from django.db.backends.signals import connection_created


def _postgresql_connected(sender: Any, connection: Any, **kwargs: Any) -> None:
    if connection.vendor == "postgresql":  # psycopg is imported only where it is used
        from gomruk.core.pgtimestamps import use_compiled_timestamps

        use_compiled_timestamps(connection)


class CoreConfig(AppConfig):
    name = "gomruk.core"
    label = "core"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        connection_created.connect(_postgresql_connected, dispatch_uid="gomruk-compiled-timestamps")
