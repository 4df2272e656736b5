from __future__ import annotations

import base64

import pytest
from ninja.testing import TestClient

from gomruk.accounts.auth import token_issue_password
from gomruk.accounts.models import Role, User
from gomruk.core.errors import GomrukError
from gomruk.signatures.api import router

PAYLOAD = b'{"x":1}'
pytestmark = pytest.mark.django_db


@pytest.fixture
def client():
    return TestClient(router)


@pytest.fixture
def token():
    User.objects.create_user("broker-app", password="pw-123456", role=Role.REPRESENTATIVE, is_demo=True)
    return token_issue_password(username="broker-app", password="pw-123456").token


def test_trust_anchors_are_public(trusted, client):
    response = client.get("/trust-anchors")
    assert response.status_code == 200
    [anchor] = response.json()
    assert anchor["name"] == "Test Root CA"
    assert anchor["pem"].encode() == trusted.ca.cert_pem


def test_verify_needs_a_token(trusted, client):
    body = {"payload_base64": base64.b64encode(PAYLOAD).decode(), "signature": "x"}
    assert client.post("/verify", json=body).status_code == 401


@pytest.mark.parametrize("armour", ["der", "pem"])
def test_verify_reports_the_signer(trusted, client, token, armour):
    signature = trusted.sign(PAYLOAD)
    if armour == "pem":
        from asn1crypto import pem

        text = pem.armor("CMS", signature).decode()
    else:
        text = base64.b64encode(signature).decode()
    body = {"payload_base64": base64.b64encode(PAYLOAD).decode(), "signature": text}
    response = client.post("/verify", json=body, headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 200
    assert response.json()["voen"] == trusted.voen
    assert response.json()["provider"] == "certificate"


def test_verify_refuses_other_bytes(trusted, client, token):
    body = {
        "payload_base64": base64.b64encode(b"other").decode(),
        "signature": base64.b64encode(trusted.sign(PAYLOAD)).decode(),
    }
    with pytest.raises(GomrukError) as caught:
        client.post("/verify", json=body, headers={"Authorization": f"Bearer {token}"})
    assert caught.value.code == "signature_mismatch"


def test_mounted_api_answers_problem_json(trusted, token):
    """Through the project's /api/v1/: a refused signature is RFC 9457 problem+json."""
    from django.test import Client

    body = {
        "payload_base64": base64.b64encode(b"other").decode(),
        "signature": base64.b64encode(trusted.sign(PAYLOAD)).decode(),
    }
    response = Client().post(
        "/api/v1/signatures/verify", body, content_type="application/json",
        headers={"Authorization": f"Bearer {token}", "Accept-Language": "en"},
    )
    assert response.status_code == 422
    assert response["Content-Type"].startswith("application/problem+json")
    assert response.json()["code"] == "signature_mismatch"
