"""Every endpoint that takes a declaration id, tried by a party it does not belong to:
403 or 404, and never any of the declaration's data. The endpoints are read from the
OpenAPI document, so a new endpoint is covered without touching this test."""

from __future__ import annotations

import io
import json

import pytest

from gomruk.apiv1 import api
from tests.api.api_helpers import ApiClient, assert_problem, document_json, password_token

# A body each endpoint accepts, so the request reaches the scoping check.
BODIES = {
    ("PUT", "/declarations/{declaration_id}"): lambda: document_json(),
    ("POST", "/declarations/{declaration_id}/signature"): lambda: {"provider": "certificate", "signature": "MA=="},
    ("POST", "/declarations/{declaration_id}/asan"): lambda: {},
    ("POST", "/declarations/{declaration_id}/confirm"): lambda: {"terms_version": "1", "accepted": True},
    ("POST", "/declarations/{declaration_id}/send"): lambda: {"office": "00100"},
    ("POST", "/declarations/{declaration_id}/withdraw"): lambda: {"reason": "x"},
    ("POST", "/customs/declarations/{declaration_id}/channel"): lambda: {"channel": "red", "reason": "x"},
    ("POST", "/customs/declarations/{declaration_id}/control"): lambda: {"box_c": "x", "box_d": {"result": "x"}},
    ("POST", "/customs/declarations/{declaration_id}/release"): lambda: {"reason": ""},
    ("POST", "/customs/declarations/{declaration_id}/refuse"): lambda: {"reason": "x"},
    ("POST", "/customs/declarations/{declaration_id}/return"): lambda: {"reasons": {"33/1": "x"}, "reason": ""},
    ("POST", "/border/declarations/{declaration_id}/arrivals"): lambda: {"arrival_ids": ["00000000-0000-4000-8000-000000000001"]},
    # Issue 19: after sending.
    ("POST", "/declarations/{declaration_id}/amendments"): lambda: {"reason": "x"},
    ("POST", "/declarations/{declaration_id}/amendments/{number}/signature"): lambda: {"signature": "MA=="},
    ("POST", "/declarations/{declaration_id}/cancellation"): lambda: {"reason": "x"},
    ("POST", "/declarations/{declaration_id}/apply-saved"): lambda: {"entry": "00000000-0000-4000-8000-000000000003"},
    ("POST", "/declarations/{declaration_id}/complaints"): lambda: {"decision": 1, "grounds": "x"},
    ("POST", "/customs/declarations/{declaration_id}/amendments/{number}/refuse"): lambda: {"reasons": {"35/1": "x"}},
    ("POST", "/customs/declarations/{declaration_id}/cancellations/{number}/refuse"): lambda: {"reason": "x"},
}


def _operations():
    schema = api.get_openapi_schema(path_prefix="/api/v1")
    for path, item in schema["paths"].items():
        if "{declaration_id}" not in path:
            continue
        for method in item:
            yield method.upper(), path.removeprefix("/api/v1")


OPERATIONS = sorted(_operations())


def _call(client: ApiClient, method: str, path: str, declaration_id: str, attachment_id: str = ""):
    url = (
        path.replace("{declaration_id}", declaration_id)
        .replace("{transaction_id}", "00000000-0000-4000-8000-000000000000")
        .replace("{number}", "1")
        .replace("{attachment_id}", attachment_id or "00000000-0000-4000-8000-000000000002")
    )
    if path.endswith("/attachments") and method == "POST":
        upload = io.BytesIO(b"%PDF-1.4\n%%EOF\n")
        upload.name = "a.pdf"
        return client.client.post(
            f"/api/v1{url}", {"file": upload, "item_number": 1, "document_index": 1}, headers=client.headers()
        )
    body = BODIES.get((method, path), lambda: {})()
    return client.request(method, url, body if method in ("POST", "PUT") else None)


def test_operations_are_found():
    paths = {path for _, path in OPERATIONS}
    assert "/declarations/{declaration_id}/signing-payload" in paths
    assert "/customs/declarations/{declaration_id}/register" in paths
    assert "/declarations/{declaration_id}/attachments/{attachment_id}" in paths
    assert len(OPERATIONS) >= 20


@pytest.mark.parametrize("intruder", ["deklarant2", "inspektor2"])
def test_foreign_party_gets_403_or_404_and_no_data(walk, users, intruder):
    declaration_id = walk.create()["id"]
    attachment_id = _call(walk.api, "POST", "/declarations/{declaration_id}/attachments", declaration_id).json()["id"]
    walk.sign(declaration_id)
    walk.confirm(declaration_id)
    sent = walk.send(declaration_id).json()
    secrets = [sent["registration_number"], "Xəzər", "Kartli", "1401555071"]
    before = walk.api.get(f"/declarations/{declaration_id}").json()

    foreign = ApiClient(password_token(intruder))
    for method, path in OPERATIONS:
        response = _call(foreign, method, path, declaration_id, attachment_id)
        assert response.status_code in (403, 404), (method, path, response.status_code, response.content[:300])
        assert_problem(response, response.status_code)
        text = response.content.decode("utf-8", errors="replace")
        for secret in [*secrets, "%PDF"]:
            assert secret not in text, (method, path, secret)

    after = walk.api.get(f"/declarations/{declaration_id}").json()
    assert after == before


def test_foreign_list_and_queue_are_empty(walk, users):
    declaration_id = walk.confirmed()
    walk.send(declaration_id)
    assert ApiClient(password_token("deklarant2")).get("/declarations").json()["items"] == []
    assert ApiClient(password_token("inspektor2")).get("/customs/queue").json()["items"] == []
    assert_problem(ApiClient(password_token("deklarant2")).get("/customs/queue"), 403)


def test_anonymous_gets_401_everywhere(walk):
    declaration_id = walk.create()["id"]
    anonymous = ApiClient()
    for method, path in OPERATIONS:
        response = _call(anonymous, method, path, declaration_id)
        assert response.status_code == 401, (method, path, response.status_code)
        assert "Xəzər" not in response.content.decode()
        assert json.loads(response.content)["code"] in ("unauthenticated", "http_401")
