"""Tokens: challenge + certificate, demo password, revocation, expiry, binding."""

from __future__ import annotations

from datetime import timedelta

from cryptography.hazmat.primitives.serialization import Encoding
from cryptography.x509 import load_pem_x509_certificate
from django.utils import timezone

from gomruk.accounts.models import ApiToken, User
from tests.api.api_helpers import ApiClient, assert_problem, b64


def _certificate_login(pki, who: str, *, sign_as: str | None = None, nonce: str | None = None):
    client = ApiClient()
    challenge = client.post("/auth/challenge")
    assert challenge.status_code == 201
    nonce = nonce or challenge.json()["nonce"]
    signature = pki.sign(sign_as or who, nonce.encode("ascii"))
    certificate = pki.leaves[who].cert_pem.decode("ascii")
    return client.post("/auth/token", {"nonce": nonce, "certificate": certificate, "signature": b64(signature)}), nonce


def test_certificate_login_gives_a_token_bound_to_the_users_voens(users, pki):
    response, _ = _certificate_login(pki, "deklarant")
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["token_type"] == "Bearer"
    assert body["user"]["username"] == "deklarant"
    assert body["user"]["voens"] == ["1401555071"]
    assert body["expires_in"] > 0
    me = ApiClient(body["access_token"]).get("/auth/me")
    assert me.status_code == 200
    assert me.json()["voens"] == ["1401555071"]


def test_certificate_login_with_der_base64_certificate(users, pki):
    client = ApiClient()
    nonce = client.post("/auth/challenge").json()["nonce"]
    der = load_pem_x509_certificate(pki.leaves["broker"].cert_pem).public_bytes(Encoding.DER)
    response = client.post("/auth/token", {
        "nonce": nonce, "certificate": b64(der), "signature": b64(pki.sign("broker", nonce.encode())),
    })
    assert response.status_code == 201, response.content
    assert sorted(response.json()["user"]["voens"]) == ["1401555071", "1500420091", "1700120051"]


def test_a_nonce_is_used_once(users, pki):
    first, nonce = _certificate_login(pki, "deklarant")
    assert first.status_code == 201
    replay, _ = _certificate_login(pki, "deklarant", nonce=nonce)
    assert_problem(replay, 401, "challenge_invalid")


def test_certificate_must_be_the_signers(users, pki):
    response, _ = _certificate_login(pki, "deklarant", sign_as="deklarant2")
    assert_problem(response, 401, "invalid_credentials")


def test_password_login_only_for_demo_users(users):
    User.objects.filter(username="deklarant2").update(is_demo=False)
    response = ApiClient().post("/auth/token", {"username": "deklarant2", "password": "gomruk-demo"})
    assert_problem(response, 401, "invalid_credentials")
    wrong = ApiClient().post("/auth/token", {"username": "deklarant", "password": "nope"})
    assert_problem(wrong, 401, "invalid_credentials")
    assert_problem(ApiClient().post("/auth/token", {}), 422, "credentials_missing")


def test_officer_token_is_bound_to_the_office(as_user):
    me = as_user("inspektor").get("/auth/me").json()
    assert me["office_code"] == "00100"
    assert me["voens"] == []


def test_revoked_and_expired_tokens_are_refused(as_user):
    api = as_user("deklarant")
    assert api.get("/declarations").status_code == 200
    assert api.delete("/auth/token").status_code == 204
    body = assert_problem(api.get("/declarations"), 401, "unauthenticated")
    assert body["detail"] == "Authentication is required."

    api = as_user("deklarant")
    ApiToken.objects.filter(revoked_at__isnull=True).update(expires_at=timezone.now() - timedelta(seconds=1))
    assert_problem(api.get("/declarations"), 401)


def test_only_the_hash_of_a_token_is_stored(as_user):
    api = as_user("deklarant")
    assert not ApiToken.objects.filter(key_hash=api.token).exists()
    assert ApiToken.objects.filter(prefix=api.token[4:12]).count() == 1


def test_token_binding_narrows_with_representation(as_user, users):
    from gomruk.accounts.models import Representation

    broker = as_user("broker")
    assert "1500420091" in broker.get("/auth/me").json()["voens"]
    Representation.objects.filter(representative=users["broker"], principal__voen="1500420091").delete()
    assert "1500420091" not in broker.get("/auth/me").json()["voens"]
