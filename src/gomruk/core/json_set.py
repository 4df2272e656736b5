"""Set one key of a JSON column in the database, without sending the whole value back.

A declaration's document is ~100 KB for a hundred items; sending it gives box 7 its number,
and writing the document whole for that one key is what ``send`` should not pay.
"""

from __future__ import annotations

from typing import Any

from django.db import NotSupportedError
from django.db.models import F, Func, JSONField


class JSONKeySet(Func):
    """``field`` with its top-level ``key`` set to the string ``value`` (added if absent)."""

    #: Written into an UPDATE of its own row without a compiler too (``core.rawrows.update``):
    #: the column is then the field's own, named as the field is.
    standalone_sql = True

    def __init__(self, field: str, key: str, value: str) -> None:
        super().__init__(F(field), output_field=JSONField())
        self.field_name = field
        self.key = key
        self.value = value

    def as_sql(self, compiler: Any, connection: Any, **extra_context: Any) -> tuple[str, tuple[Any, ...]]:  # type: ignore[override]
        if compiler is None:
            column, params = connection.ops.quote_name(self.field_name), ()
        else:
            column, params = compiler.compile(self.source_expressions[0])
        if connection.vendor == "postgresql":
            return f"jsonb_set({column}, ARRAY[%s]::text[], to_jsonb(%s::text))", (*params, self.key, self.value)
        if connection.vendor == "sqlite":
            return f'json_set({column}, %s, %s)', (*params, f'$."{self.key}"', self.value)
        raise NotSupportedError(f"JSONKeySet: {connection.vendor}")
