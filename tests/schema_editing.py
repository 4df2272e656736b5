"""A schema editor that records the statements a migration operation would run: SQLite's own
cannot open inside a test's transaction."""

from __future__ import annotations

from django.db import connection


class RecordingEditor:
    def __init__(self) -> None:
        self.connection = connection
        self.executed: list[str] = []

    def execute(self, sql: str, params: object = None) -> None:
        self.executed.append(sql)

    def quote_name(self, name: str) -> str:
        return connection.ops.quote_name(name)
