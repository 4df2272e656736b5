"""Set one key of a JSON column in the database, without sending the whole value back.

A declaration's document is ~100 KB for a hundred items; sending it gives box 7 its number,
and writing the document whole for that one key is what ``send`` should not pay.
"""

from __future__ import annotations

from typing import Any

from django.db import NotSupportedError
from django.db.models import F, Func, JSONField


class JSONKeySet(Func):
    """``field`` (a :class:`~gomruk.core.json_text.JSONDocumentField`) with its top-level
    ``key`` set to the string ``value`` (added if absent)."""

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
            # A document is ``json`` (ADR 0054), which has no json_set: its top level rebuilt
            # from its members' texts, the key's replaced (json_each reads the text without
            # building a tree, as the jsonb_set of a jsonb column read the tree it had).
            # ``column``: the field's column as the compiler or the backend quoted it; the key
            # and the value are parameters.
            sql = (
                "(SELECT json_object_agg(member.key, member.value) FROM ("  # noqa: S608
                f"SELECT key, value FROM json_each({column}) WHERE key <> %s "
                "UNION ALL SELECT %s, to_json(%s::text)) AS member)"
            )
            return sql, (*params, self.key, self.key, self.value)
        if connection.vendor == "sqlite":
            return f'json_set({column}, %s, %s)', (*params, f'$."{self.key}"', self.value)
        raise NotSupportedError(f"JSONKeySet: {connection.vendor}")
