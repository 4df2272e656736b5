"""Migration operation: a counter column the database moves on whenever a statement writes a
watched column (PostgreSQL).

A frozen version records the draft's counter; "is the draft still what was frozen?" is then one
integer comparison instead of comparing two ~100 KB ``jsonb`` documents (ADR 0045). The
database keeps the counter, so no code path that writes the column can forget it: a ``BEFORE
UPDATE OF <column>, <counter>`` trigger sets ``counter = OLD.counter + 1`` whenever either is a
target of an UPDATE. A statement cannot set the counter, not even back (a full ``save()`` of a
stale instance names it). It moves on even when the value written is the same; the readers
then compare the documents, as they did before.

Other databases get no trigger: their readers never trust the counter (SQLite compares the
stored texts, a memcmp). Django's state is untouched: the counter is an ordinary field.
"""

from __future__ import annotations

from typing import Any

from django.db import migrations


def trigger_name(table: str, counter: str) -> str:
    return f"{table}_{counter}_bump"[:63]


class RevisionTrigger(migrations.operations.base.Operation):
    """``counter`` of ``model_name`` moves on by one in every UPDATE that writes ``watched`` (or
    names ``counter`` itself)."""

    reversible = True
    reduces_to_sql = True

    def __init__(self, model_name: str, watched: str, counter: str) -> None:
        self.model_name, self.watched, self.counter = model_name, watched, counter

    def state_forwards(self, app_label: str, state: Any) -> None:
        pass  # a trigger: the model's fields do not change

    def _names(self, app_label: str, state: Any, schema_editor: Any) -> tuple[str, str, str, str]:
        model = state.apps.get_model(app_label, self.model_name)
        table = model._meta.db_table
        quote = schema_editor.quote_name
        name = trigger_name(table, model._meta.get_field(self.counter).column)
        return (
            quote(table), quote(model._meta.get_field(self.watched).column),
            quote(model._meta.get_field(self.counter).column), quote(name),
        )

    def database_forwards(self, app_label: str, schema_editor: Any, from_state: Any, to_state: Any) -> None:
        if schema_editor.connection.vendor != "postgresql":
            return
        table, watched, counter, name = self._names(app_label, to_state, schema_editor)
        schema_editor.execute(
            f"CREATE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql AS $$ "
            f"BEGIN NEW.{counter} := OLD.{counter} + 1; RETURN NEW; END $$"
        )
        schema_editor.execute(
            f"CREATE TRIGGER {name} BEFORE UPDATE OF {watched}, {counter} ON {table} "
            f"FOR EACH ROW EXECUTE FUNCTION {name}()"
        )

    def database_backwards(self, app_label: str, schema_editor: Any, from_state: Any, to_state: Any) -> None:
        if schema_editor.connection.vendor != "postgresql":
            return
        table, _, _, name = self._names(app_label, from_state, schema_editor)
        schema_editor.execute(f"DROP TRIGGER IF EXISTS {name} ON {table}")
        schema_editor.execute(f"DROP FUNCTION IF EXISTS {name}()")

    def describe(self) -> str:
        return f"Move {self.model_name}.{self.counter} on whenever {self.watched} is written (PostgreSQL)"

    @property
    def migration_name_fragment(self) -> str:
        return f"{self.model_name.lower()}_{self.counter.lower()}_trigger"

    def deconstruct(self) -> tuple[str, list[Any], dict[str, Any]]:
        return (self.__class__.__qualname__, [self.model_name, self.watched, self.counter], {})


class RevisionTriggerDropped(RevisionTrigger):
    """:class:`RevisionTrigger` undone, e.g. while the watched column's type changes (PostgreSQL
    refuses to alter a column named in a trigger's ``UPDATE OF``)."""

    def database_forwards(self, app_label: str, schema_editor: Any, from_state: Any, to_state: Any) -> None:
        super().database_backwards(app_label, schema_editor, from_state, from_state)

    def database_backwards(self, app_label: str, schema_editor: Any, from_state: Any, to_state: Any) -> None:
        super().database_forwards(app_label, schema_editor, to_state, to_state)

    def describe(self) -> str:
        return f"Drop the trigger moving {self.model_name}.{self.counter} on (PostgreSQL)"

    @property
    def migration_name_fragment(self) -> str:
        return f"{self.model_name.lower()}_{self.counter.lower()}_trigger_dropped"
