"""The served OpenAPI document is valid OpenAPI, checked by a real validator, and has no
duplicated keys: Swagger UI's YAML parser refuses those ("Parser error: duplicated mapping
key"), and Python's json module silently keeps the last one (issue 14 item 8)."""

from __future__ import annotations

import json
from typing import Any

import pytest
from openapi_spec_validator import validate
from openapi_spec_validator.validation.exceptions import OpenAPIValidationError


class DuplicateKey(ValueError):
    pass


def _no_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    seen: dict[str, Any] = {}
    for key, value in pairs:
        if key in seen:
            raise DuplicateKey(f"duplicated key {key!r} beside {sorted(seen)[:8]}")
        seen[key] = value
    return seen


def strict_json(text: bytes | str) -> Any:
    return json.loads(text, object_pairs_hook=_no_duplicates)


def test_strict_parsing_refuses_a_duplicated_key() -> None:
    with pytest.raises(DuplicateKey):
        strict_json('{"responses": {"200": {"description": "a"}, "200": {"description": "b"}}}')
    assert strict_json('{"a": {"b": 1}, "b": 2}') == {"a": {"b": 1}, "b": 2}


def test_the_validator_refuses_a_response_without_description() -> None:
    broken = {
        "openapi": "3.1.0", "info": {"title": "t", "version": "1"},
        "paths": {"/x": {"get": {"responses": {"200": {"content": {}}}}}},
    }
    with pytest.raises(OpenAPIValidationError):
        validate(broken)


def test_the_served_openapi_document_is_valid(client) -> None:
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    document = strict_json(response.content)
    validate(document)
    pdf = document["paths"]["/api/v1/declarations/{declaration_id}/pdf"]["get"]["responses"]["200"]
    assert "application/pdf" in pdf["content"]
