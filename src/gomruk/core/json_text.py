"""A JSON column written from JSON text the caller has already encoded.

Freezing a version encodes its ~100 KB document as canonical JSON to hash it; handing the same
document to the driver as a dict encodes it a second time and quotes it in Python. On PostgreSQL
the canonical text is cast to ``jsonb`` in the statement instead (the same value: ``jsonb`` keeps
no key order or spacing). Elsewhere the column is written as Django writes it, from the dict, so
that SQLite's stored text stays comparable with a draft's (ADR 0033).
"""

from __future__ import annotations

from typing import Any

from django.db.models import Expression, JSONField


class JSONText(Expression):
    """The JSON value ``data``, whose JSON text is ``text``."""

    def __init__(self, data: Any, text: str) -> None:
        super().__init__(output_field=JSONField())
        self.data = data
        self.text = text

    def as_sql(self, compiler: Any, connection: Any) -> tuple[str, list[Any]]:  # type: ignore[override]
        if connection.vendor == "postgresql":
            return "%s::jsonb", [self.text]
        return "%s", [self.output_field.get_db_prep_value(self.data, connection)]
