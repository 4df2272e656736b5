"""Rows PostgreSQL sends in its binary format, for the read of a ~100 KB ``bytea`` (ADR 0049).

In the text format, which Django asks for, PostgreSQL spells a ``bytea`` as hex: the server
encodes 100 KB into 200 KB of text and psycopg decodes it back. In the binary format the bytes
travel as they are. The format is per statement, for every column of its rows, so the other
columns of such a row must load in the binary format as they do in text:

* ``jsonb``: Django reads it as text (``TextLoader``) and parses it itself
  (``JSONField.from_db_value``); psycopg's binary loader would give it parsed. The binary
  ``jsonb`` is a version byte (1) and the same text, so :class:`JsonbAsText` hands the text on;
* ``json``: the text, in either format;
* ``timestamptz``: psycopg's binary loader gives the instant in the session's time zone, which
  Django sets to the connection's (UTC), as its text loader does;
* the rest (integers, ``uuid``, ``date``, text, booleans, ``bytea``): psycopg's binary loaders
  give the same Python values as its text ones.
"""

from __future__ import annotations

from typing import Any

from psycopg import DataError, pq
from psycopg.adapt import Loader
from psycopg.types.string import TextBinaryLoader, TextLoader

JSONB = "jsonb"
JSON = "json"
_VERSION = b"\x01"


class JsonbAsText(Loader):
    """A binary ``jsonb`` as its JSON text, as Django reads a text one."""

    format = pq.Format.BINARY

    def load(self, data: Any) -> str:
        data = bytes(data)
        if data[:1] != _VERSION:
            raise DataError(f"jsonb binary format version {data[:1]!r} unknown")
        return data[1:].decode()


def use_binary_jsonb_as_text(connection: Any) -> None:
    """On a new PostgreSQL connection of Django's (``connection_created``). ``json`` (a
    document's column, ADR 0054) is read as its text too, in either format (its binary form is
    the text itself), as Django reads ``jsonb``: psycopg would otherwise hand Django the value
    parsed."""
    adapters = connection.connection.adapters
    adapters.register_loader(JSONB, JsonbAsText)
    adapters.register_loader(JSON, TextLoader)
    adapters.register_loader(JSON, TextBinaryLoader)


def binary_rows(cursor: Any) -> None:
    """The rows of the next statement on this cursor (Django's) in the binary format, on
    PostgreSQL; elsewhere nothing changes."""
    raw: Any = getattr(cursor, "cursor", None)
    if isinstance(getattr(raw, "format", None), pq.Format):
        raw.format = pq.Format.BINARY
