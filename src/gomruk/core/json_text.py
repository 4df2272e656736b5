"""A JSON column written from JSON text rather than handed to the driver as a dict.

Django hands a dict to psycopg, which encodes it with the standard library's encoder (14
million instructions for a 100-item document) and quotes it in Python. On PostgreSQL the text
is cast to ``jsonb`` in the statement instead (the same value: ``jsonb`` keeps no key order or
spacing): freezing a version passes the canonical text it already encoded to hash it, a new
draft the text orjson writes (:meth:`JSONText.encoded`, 1.4 million). Elsewhere the column is
written as Django writes it, from the dict, so that SQLite's stored texts of a draft and of its
version stay comparable (ADR 0033).
"""

from __future__ import annotations

import json
from typing import Any

import orjson
from django.db.models import Expression, JSONField


class JSONText(Expression):
    """The JSON value ``data``, whose JSON text is ``text``."""

    #: Its SQL needs no compiler (``core.rawrows.insert`` writes it into an INSERT of its own).
    standalone_sql = True

    def __init__(self, data: Any, text: str) -> None:
        super().__init__(output_field=JSONField())
        self.data = data
        self.text = text

    @classmethod
    def encoded(cls, data: Any) -> JSONText:
        """``data`` with the text orjson writes (the standard encoder's where orjson refuses
        the value, such as an integer beyond 64 bits)."""
        try:
            text = orjson.dumps(data).decode()
        except orjson.JSONEncodeError:
            text = json.dumps(data)
        return cls(data, text)

    def as_sql(self, compiler: Any, connection: Any) -> tuple[str, list[Any]]:  # type: ignore[override]
        if connection.vendor == "postgresql":
            return "%s::jsonb", [self.text]
        return "%s", [self.output_field.get_db_prep_value(self.data, connection)]


class JSONOfRow(Expression):
    """The JSON value the row ``pk`` of ``model`` holds in ``field``, copied by
    the statement: a frozen version of a draft created in the same transaction takes the
    draft's stored value instead of sending its 100 KB of text to be parsed again (PostgreSQL
    parses that into ``jsonb`` in about a millisecond; the copy takes a tenth of it, and
    SQLite's two texts are the same by construction)."""

    standalone_sql = True

    def __init__(self, model: Any, field: str, pk: Any) -> None:
        super().__init__(output_field=JSONField())
        self.model, self.column_field, self.pk = model, field, pk

    def as_sql(self, compiler: Any, connection: Any) -> tuple[str, list[Any]]:  # type: ignore[override]
        meta = self.model._meta
        quote = connection.ops.quote_name
        column, key = quote(meta.get_field(self.column_field).column), quote(meta.pk.column)
        # Names of our own model's table and columns, quoted by the backend; the key is a parameter.
        sql = f"(SELECT {column} FROM {quote(meta.db_table)} WHERE {key} = %s)"  # noqa: S608
        return sql, [meta.pk.get_db_prep_value(self.pk, connection)]
