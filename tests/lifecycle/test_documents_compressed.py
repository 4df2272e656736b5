"""The large documents and signing payloads are stored compressed with lz4 on PostgreSQL
(``core.compression``, ADR 0039); elsewhere the operation changes nothing."""

from __future__ import annotations

import pytest
from django.apps import apps
from django.db import connection
from django.db.migrations.state import ProjectState

from gomruk.core.compression import ColumnCompression, lz4_available
from gomruk.declarations.models import Declaration, DeclarationVersion
from gomruk.declarations.services import declaration_create
from gomruk.declarations.signing import signing_payload
from gomruk.demo import factories
from tests.schema_editing import RecordingEditor

COMPRESSED = [
    ("declarations_declaration", "document"),
    ("declarations_declarationversion", "document"),
    ("declarations_declarationversion", "payload"),
    ("declarations_amendmentrequest", "document"),
]


def _lz4_here() -> None:
    if not lz4_available(connection):
        pytest.skip("PostgreSQL built with lz4 only: elsewhere values keep the database's own compression")


def _column_method(table: str, column: str) -> str:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT attcompression FROM pg_attribute WHERE attrelid = %s::regclass AND attname = %s", [table, column]
        )
        return cursor.fetchone()[0]


def _stored_method(model: type, column: str, pk: object) -> str | None:
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT pg_column_compression({connection.ops.quote_name(column)}) "  # noqa: S608 (our own names)
            f"FROM {connection.ops.quote_name(model._meta.db_table)} WHERE id = %s",
            [pk],
        )
        return cursor.fetchone()[0]


def test_the_document_columns_are_set_to_lz4(db):
    _lz4_here()
    assert {(table, column): _column_method(table, column) for table, column in COMPRESSED} == dict.fromkeys(COMPRESSED, "l")


def test_a_hundred_item_draft_and_its_frozen_version_are_stored_with_lz4(journey):
    _lz4_here()
    user = journey.users["deklarant"]
    document = factories.import_gb(items=100)
    for item in document.goods:
        item.commodity_code = "8516100000"  # an HS subheading, as the journey bench declares
    declaration = declaration_create(user=user, document=document)
    frozen = signing_payload(user=user, declaration_id=declaration.pk)
    version = DeclarationVersion.objects.get(declaration=declaration, number=frozen.version)
    assert _stored_method(Declaration, "document", declaration.pk) == "lz4"
    assert _stored_method(DeclarationVersion, "document", version.pk) == "lz4"
    assert _stored_method(DeclarationVersion, "payload", version.pk) == "lz4"
    # and they read back as written
    assert bytes(version.payload) == frozen.payload
    assert len(Declaration.objects.get(pk=declaration.pk).document["goods"]) == 100


def _apply(operation: ColumnCompression, backwards: bool = False) -> None:
    state = ProjectState.from_apps(apps)
    with connection.schema_editor(atomic=False) as editor:
        if backwards:
            operation.database_backwards("declarations", editor, state, state)
        else:
            operation.database_forwards("declarations", editor, state, state)


def test_the_operation_reverses_to_pglz_and_back(db):
    _lz4_here()
    operation = ColumnCompression("declaration", "document")
    _apply(operation, backwards=True)
    assert _column_method("declarations_declaration", "document") == "p"
    _apply(operation)
    assert _column_method("declarations_declaration", "document") == "l"


def test_without_lz4_the_operation_runs_no_statement(db):
    if lz4_available(connection):
        pytest.skip("this database has lz4: the statement runs (the tests above)")
    editor = RecordingEditor()
    state = ProjectState.from_apps(apps)
    ColumnCompression("declaration", "document").database_forwards("declarations", editor, state, state)
    assert editor.executed == []
    assert ColumnCompression("declaration", "document").describe() == "Compress declaration.document with lz4 (PostgreSQL)"


def test_an_unknown_method_is_refused(db):
    with pytest.raises(ValueError):
        _apply(ColumnCompression("declaration", "document", method="zstd"))
