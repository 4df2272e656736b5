"""Migration operation: how PostgreSQL compresses a large column out of line (TOAST).

A 100-item document is ~100 KB of JSON; PostgreSQL compresses every such value it stores
out of line, with pglz unless told otherwise. lz4 compresses the same document about five
times faster and decompresses it faster too, at a slightly larger size (ADR 0039). Other
databases have no such setting, and a PostgreSQL built without lz4 keeps pglz: the operation
then does nothing, and the schema is the same either way (Django's state is untouched).
"""

from __future__ import annotations

from typing import Any

from django.db import migrations


def lz4_available(connection: Any) -> bool:
    if connection.vendor != "postgresql":
        return False
    with connection.cursor() as cursor:
        cursor.execute("SELECT enumvals FROM pg_settings WHERE name = 'default_toast_compression'")
        row = cursor.fetchone()
    return row is not None and "lz4" in (row[0] or [])


class ColumnCompression(migrations.operations.base.Operation):
    """``ALTER TABLE … ALTER COLUMN … SET COMPRESSION <method>`` on PostgreSQL with lz4 (rows
    already stored keep their compression until rewritten); reversed by going back to pglz."""

    reversible = True
    reduces_to_sql = True

    METHODS = ("lz4", "pglz")

    def __init__(self, model_name: str, name: str, method: str = "lz4") -> None:
        if method not in self.METHODS:
            raise ValueError(f"unknown compression method {method!r}")
        self.model_name, self.name, self.method = model_name, name, method

    def state_forwards(self, app_label: str, state: Any) -> None:
        pass  # storage only: the model's fields do not change

    def _set(self, app_label: str, schema_editor: Any, to_state: Any, method: str) -> None:
        if not lz4_available(schema_editor.connection):
            return
        model = to_state.apps.get_model(app_label, self.model_name)
        column = model._meta.get_field(self.name).column
        quote = schema_editor.quote_name
        schema_editor.execute(
            f"ALTER TABLE {quote(model._meta.db_table)} ALTER COLUMN {quote(column)} SET COMPRESSION {method}"
        )

    def database_forwards(self, app_label: str, schema_editor: Any, from_state: Any, to_state: Any) -> None:
        self._set(app_label, schema_editor, to_state, self.method)

    def database_backwards(self, app_label: str, schema_editor: Any, from_state: Any, to_state: Any) -> None:
        self._set(app_label, schema_editor, from_state, "pglz")

    def describe(self) -> str:
        return f"Compress {self.model_name}.{self.name} with {self.method} (PostgreSQL)"

    @property
    def migration_name_fragment(self) -> str:
        return f"{self.model_name.lower()}_{self.name.lower()}_{self.method}"

    def deconstruct(self) -> tuple[str, list[Any], dict[str, Any]]:
        return (self.__class__.__qualname__, [self.model_name, self.name], {"method": self.method})
