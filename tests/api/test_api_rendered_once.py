"""The declaration's answer is rendered from the model the request already holds, its document
written by pydantic in one pass (issue 17): the same JSON as the response schema's own
rendering, and the create's answer is what a GET of the stored draft gives."""

from __future__ import annotations

import datetime as dt
import json
import uuid

import pytest
from ninja.responses import NinjaJSONEncoder

from gomruk.declarations.api import DeclarationOut, declaration_json
from gomruk.demo import factories
from tests.api.api_helpers import document_json


@pytest.mark.parametrize("document", [
    factories.export_gb(), factories.import_gb(items=100), factories.transit_gb(),
], ids=["export", "import-100", "transit"])
def test_the_same_json_as_the_schema_renders(document):
    now = dt.datetime(2026, 12, 3, 16, 37, 12, 345678, tzinfo=dt.UTC)
    out = DeclarationOut(
        id=uuid.uuid4(), state="draft", declaration_type="01", direction="İD", procedure="40",
        trader_voen="1401555071", office_code="", registration_number=None, version=1, sent_at=None,
        acceptance_date=dt.date(2026, 12, 3), created_at=now, updated_at=now, actions=["sign"], requests=[],
        document=document,
    )
    rendered = declaration_json(out)
    assert rendered.isascii()
    assert json.loads(rendered) == json.loads(json.dumps(out.model_dump(), cls=NinjaJSONEncoder))
    assert list(json.loads(rendered)) == list(DeclarationOut.model_fields)


def test_the_create_answer_is_the_stored_draft(walk):
    data = document_json("import")
    data["direction"] = "ID"  # normalised to İD
    data["goods"][0]["gross_mass"] = "12.5"  # padded to 12.500
    data["goods"][0]["description"] = "  water heaters  "  # stripped
    created = walk.api.post("/declarations", data)
    assert created.status_code == 201, created.content[:2000]
    assert created["Content-Type"] == "application/json; charset=utf-8"
    assert created["Location"] == f"/api/v1/declarations/{created.json()['id']}"
    stored = walk.api.get(created["Location"])
    assert created.json() == stored.json()
    document = created.json()["document"]
    assert (document["direction"], document["goods"][0]["gross_mass"]) == ("İD", "12.500")
    assert document["goods"][0]["description"] == "water heaters"


def test_the_update_answer_is_the_stored_draft(walk):
    created = walk.create("import")
    data = document_json("import")
    data["goods"][0]["net_mass"] = "7.5"  # padded to 7.500
    updated = walk.api.put(f"/declarations/{created['id']}", data)
    assert updated.status_code == 200, updated.content[:2000]
    assert updated.json() == walk.api.get(f"/declarations/{created['id']}").json()
    assert updated.json()["document"]["goods"][0]["net_mass"] == "7.500"
