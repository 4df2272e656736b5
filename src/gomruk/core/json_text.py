"""JSON columns kept and written as JSON text.

:class:`JSONDocumentField` keeps a declaration's document in PostgreSQL's ``json`` (the text,
checked) rather than ``jsonb`` (parsed into a tree): a 100-item document costs the backend
~0.6 ms to store and ~0.2 ms to read as ``json``, ~2.6 and ~1.0 ms as ``jsonb`` (ADR 0054).

The rest: a JSON column written from JSON text rather than handed to the driver as a dict.

Django hands a dict to psycopg, which encodes it with the standard library's encoder (14
million instructions for a 100-item document) and quotes it in Python. On PostgreSQL the text
is cast to ``json`` in the statement instead (a document's column keeps it as it is; a ``jsonb``
column would take it by assignment): freezing a version passes the canonical text it already
encoded to hash it, a new draft the text orjson writes (:meth:`JSONText.encoded`, 1.4
million). Elsewhere the column is written as Django writes it, from the dict, so that SQLite's
stored texts of a draft and of its version stay comparable (ADR 0033).
"""

from __future__ import annotations

import json
from typing import Any

import orjson
from django.db.models import Expression, JSONField


class JSONDocumentField(JSONField):
    """A JSONField stored as ``json`` on PostgreSQL (elsewhere as JSONField is).

    ``json`` keeps the text it was given, checked to be JSON; ``jsonb`` parses it into a tree,
    which pays off for queries inside the value (containment, indexes, equality), and a
    document is queried inside only by a few keys (``->``, ``->>``, ``json_each``), which ``json``
    answers too. What ``json`` lacks: ``=`` (compare ``::jsonb`` casts where documents must be
    compared, ADR 0045's fallback), ``jsonb_set`` (:class:`gomruk.core.json_set.JSONKeySet`
    rebuilds the top level instead) and the containment lookups (``has_key``, ``contains``),
    which nothing asks of a document."""

    def db_type(self, connection: Any) -> str | None:
        if connection.vendor == "postgresql":
            return "json"
        return super().db_type(connection)

    def get_db_prep_value(self, value: Any, connection: Any, prepared: bool = False) -> Any:
        if connection.vendor != "postgresql":
            return super().get_db_prep_value(value, connection, prepared)
        from django.db.backends.postgresql.operations import get_json_dumps
        from psycopg.types.json import Json

        if not prepared:
            value = self.get_prep_value(value)
        # Django's Jsonb would send the value as jsonb, parsed on its way into the json column.
        return Json(value, dumps=get_json_dumps(self.encoder))


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
            return "%s::json", [self.text]
        return "%s", [self.output_field.get_db_prep_value(self.data, connection)]


class JSONOfRow(Expression):
    """The JSON value the row ``pk`` of ``model`` holds in ``field``, copied by
    the statement: a frozen version of a draft created in the same transaction takes the
    draft's stored value instead of sending its 100 KB of text to be parsed again (PostgreSQL
    parses that as JSON in about half a millisecond; the copy takes a fraction of it, and
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
