"""A draft's and a version's document are PostgreSQL ``json`` (ADR 0054): written and read as
their text, box 7 set in the statement without a ``jsonb`` tree, and compared as ``jsonb`` where
two documents must be."""

from __future__ import annotations

import pytest
from django.db import connection

from gomruk.core import rawrows
from gomruk.core.json_set import JSONKeySet
from gomruk.declarations.models import Declaration, DeclarationVersion
from gomruk.declarations.selectors import draft_version

postgresql_only = pytest.mark.skipif(connection.vendor != "postgresql", reason="the json type is PostgreSQL's")


def _column_type(table: str, column: str) -> str:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT data_type FROM information_schema.columns WHERE table_name = %s AND column_name = %s",
            [table, column],
        )
        return str(cursor.fetchone()[0])


def _stored_text(declaration_id: object) -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT document::text FROM declarations_declaration WHERE id = %s", [declaration_id])
        return str(cursor.fetchone()[0])


@postgresql_only
def test_the_documents_are_json_and_the_other_json_columns_jsonb(db):
    assert _column_type("declarations_declaration", "document") == "json"
    assert _column_type("declarations_declarationversion", "document") == "json"
    assert _column_type("declarations_declaration", "pending_input") == "jsonb"
    assert _column_type("declarations_amendmentrequest", "document") == "jsonb"


@postgresql_only
def test_a_draft_is_stored_as_the_text_written_and_read_back_as_the_document(walk):
    declaration_id = walk.create()["id"]
    draft = Declaration.objects.get(pk=declaration_id)
    stored = _stored_text(declaration_id)
    assert stored.startswith('{"') and '": ' not in stored[:200]  # orjson's compact text, not jsonb's
    assert isinstance(draft.document, dict) and draft.document["goods"]
    version = DeclarationVersion.objects.get(declaration_id=declaration_id)
    assert version.document == draft.document


@postgresql_only
def test_box_7_is_set_replaced_and_every_other_key_kept(walk):
    declaration_id = walk.create()["id"]
    draft = Declaration.objects.get(pk=declaration_id)
    before = dict(draft.document)
    assert "registration_number" not in before
    for number in ("00100/071226/0000001", "00100/071226/0000002"):
        Declaration.objects.filter(pk=declaration_id).update(document=JSONKeySet("document", "registration_number", number))
        after = Declaration.objects.get(pk=declaration_id).document
        assert after == {**before, "registration_number": number}
    # The same expression in a statement written without a compiler (rawrows.update).
    draft.registration_number = "00100/071226/0000003"
    rawrows.update(draft, ["registration_number"], assignments={
        "document": JSONKeySet("document", "registration_number", draft.registration_number),
    })
    assert Declaration.objects.get(pk=declaration_id).document == {**before, "registration_number": "00100/071226/0000003"}


@postgresql_only
def test_a_document_written_in_another_key_order_and_spacing_is_still_the_frozen_one(walk):
    declaration_id = walk.create()["id"]
    draft = Declaration.objects.get(pk=declaration_id)
    reordered = "{" + ",  ".join(
        f'"{key}" : {value}' for key, value in reversed(list(_members(declaration_id)))
    ) + "}"
    with connection.cursor() as cursor:
        cursor.execute("UPDATE declarations_declaration SET document = %s::json WHERE id = %s", [reordered, declaration_id])
    assert _stored_text(declaration_id) == reordered  # json keeps the text as written...
    assert draft_version(draft).unchanged  # ...and the documents still compare equal (as jsonb)
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE declarations_declaration SET document = json_build_object('goods', '[]'::json) WHERE id = %s",
            [declaration_id],
        )
    assert not draft_version(draft).unchanged


def _members(declaration_id: object) -> list[tuple[str, str]]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT key, value::text FROM json_each((SELECT document FROM declarations_declaration WHERE id = %s))", [declaration_id])
        return [(str(key), str(value)) for key, value in cursor.fetchall()]
