"""``Prefer: return=minimal`` (RFC 7240) on create, update and copy: broker software that holds
the document it has just sent gets the declaration's summary, not the document echoed back."""

from __future__ import annotations

import pytest

from tests.api.api_helpers import assert_problem, document_json
from tests.api.test_api_step_summaries import SUMMARY

MINIMAL = {"Prefer": "return=minimal"}


def test_a_create_asked_minimal_answers_with_the_summary(walk):
    response = walk.api.post("/declarations", document_json(), headers={**MINIMAL, "Idempotency-Key": "min-1"})
    assert response.status_code == 201, response.content[:500]
    assert response["Preference-Applied"] == "return=minimal"
    created = response.json()
    assert set(created) == SUMMARY
    assert created["state"] == "draft" and created["version"] == 1
    assert response["Location"] == f"/api/v1/declarations/{created['id']}" == created["links"]["self"]
    # Nothing the client sent was dropped: the stored document is the one a full answer shows.
    whole = walk.api.get(created["links"]["self"]).json()
    full = walk.create()
    assert whole["document"] == full["document"]
    # Replayed under the same key: the same stored answer.
    again = walk.api.post("/declarations", document_json(), headers={**MINIMAL, "Idempotency-Key": "min-1"})
    assert again.json() == created


@pytest.mark.parametrize("prefer", ["return=representation", "", "respond-async", "return=minimalist"])
def test_without_return_minimal_the_document_is_echoed(walk, prefer):
    response = walk.api.post("/declarations", document_json(), headers={"Prefer": prefer} if prefer else {})
    assert response.status_code == 201
    assert "Preference-Applied" not in response
    assert "document" in response.json()


@pytest.mark.parametrize("prefer", ['RETURN="minimal"', "handling=strict, return=minimal; foo=bar", "wait=5,return = minimal"])
def test_the_preference_is_read_as_rfc_7240_writes_it(walk, prefer):
    response = walk.api.post("/declarations", document_json(), headers={"Prefer": prefer})
    assert response.status_code == 201
    assert response["Preference-Applied"] == "return=minimal"
    assert "document" not in response.json()


def test_update_and_copy_honour_it_too(walk):
    declaration_id = walk.create()["id"]
    document = document_json()
    document["goods"][0]["description"] = "Dəyişdirilmiş təsvir"
    updated = walk.api.put(f"/declarations/{declaration_id}", document, headers=MINIMAL)
    assert updated.status_code == 200, updated.content[:500]
    assert set(updated.json()) == SUMMARY
    stored = walk.api.get(f"/declarations/{declaration_id}").json()["document"]
    assert stored["goods"][0]["description"] == "Dəyişdirilmiş təsvir"
    copied = walk.api.post(f"/declarations/{declaration_id}/copy", headers=MINIMAL)
    assert copied.status_code == 201, copied.content[:500]
    assert set(copied.json()) == SUMMARY and copied.json()["id"] != declaration_id


def test_an_xml_client_gets_the_headers_alone(walk):
    from gomruk.declarations.xmldoc import document_to_xml
    from gomruk.document.model import Declaration as Document

    xml = document_to_xml(Document.model_validate(document_json()))
    response = walk.api.request(
        "POST", "/declarations", xml, content_type="application/xml",
        headers={**MINIMAL, "Accept": "application/xml"},
    )
    assert response.status_code == 201, response.content[:500]
    assert response.content == b""
    assert response["X-Declaration-State"] == "draft"
    assert response["Location"] == f"/api/v1/declarations/{response['X-Declaration-Id']}"


def test_a_refused_document_is_refused_whatever_the_preference(walk):
    body = assert_problem(walk.api.post("/declarations", {"goods": "none"}, headers=MINIMAL), 422)
    assert body["code"] == "invalid_document"
