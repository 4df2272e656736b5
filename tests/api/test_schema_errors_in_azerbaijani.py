"""Schema (pydantic) errors reach Azerbaijani users in Azerbaijani: the document's SCHEMA
errors and the 422 ``invalid_request`` problem (issue 14 item 4). English stays pydantic's."""

from __future__ import annotations

from tests.api.api_helpers import assert_problem


def test_a_document_field_of_the_wrong_type_is_explained_in_azerbaijani(walk):
    walk.api.language = "az"
    body = assert_problem(walk.api.post("/declarations", {"goods": [{"net_mass": "x"}]}), 422, "invalid_document")
    message = body["errors"][0]["message"]
    assert message["az"] == "Sahənin dəyəri oxuna bilmir: Dəyər ədəd olmalıdır."
    assert message["en"].startswith("The field's value cannot be read: Input should be")


def test_request_validation_problem_speaks_the_callers_language(walk):
    declaration_id = walk.create()["id"]
    walk.api.language = "az"
    body = assert_problem(walk.api.post(f"/declarations/{declaration_id}/send", {}), 422, "invalid_request")
    assert body["errors"] and all("Input should" not in e["message"] for e in body["errors"])
    assert "Sahə doldurulmalıdır." in {e["message"] for e in body["errors"]}
    walk.api.language = "en"
    body = assert_problem(walk.api.post(f"/declarations/{declaration_id}/send", {}), 422, "invalid_request")
    assert "Field required" in {e["message"] for e in body["errors"]}
