"""Helpers of the API tests (a unique module name: every test folder has a conftest)."""

from __future__ import annotations

import base64
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from django.test import Client

from gomruk.signatures.local import sign_payload
from gomruk.signatures.pki import Issued, SubjectSpec, issue_leaf, make_ca, write_pem
from tests.lifecycle.journey import IDENTITIES


@dataclass
class ApiPKI:
    directory: Path
    ca: Issued
    leaves: dict[str, Issued] = field(default_factory=dict)

    def sign(self, who: str, payload: bytes) -> bytes:
        leaf = self.leaves[who]
        return sign_payload(payload, key_pem=leaf.key_pem, cert_pem=leaf.cert_pem)


@pytest.fixture(scope="session")
def pki(tmp_path_factory) -> ApiPKI:
    directory = tmp_path_factory.mktemp("api-pki")
    ca = make_ca("Gömrük API test CA")
    write_pem(directory / "ca.pem", ca.cert_pem)
    result = ApiPKI(directory, ca)
    for name, (voen, fin, common_name) in IDENTITIES.items():
        result.leaves[name] = issue_leaf(ca, SubjectSpec(common_name=common_name, voen=voen, fin=fin))
    return result


@pytest.fixture(autouse=True)
def _api_settings(settings, pki):
    settings.GOMRUK_TRUST_ANCHORS = [str(pki.directory / "ca.pem")]
    settings.GOMRUK_CRLS = []
    settings.GOMRUK_API_RATE = "100000/minute"
    # The counters live in the database cache: each test's transaction takes its own away.


@pytest.fixture
def users(db, loaded_classifiers):
    from gomruk.accounts.models import Role, User
    from gomruk.demo.users import demo_users_create

    demo_users_create()
    User.objects.create(username="inspektor2", role=Role.OFFICER, office_code="00200", is_demo=True)
    User.objects.filter(username="inspektor2").first().set_password("gomruk-demo")
    officer2 = User.objects.get(username="inspektor2")
    officer2.set_password("gomruk-demo")
    officer2.save()
    return {u.username: u for u in User.objects.all()}


class ApiClient:
    """The Django test client speaking to /api/v1/ with a bearer token."""

    def __init__(self, token: str | None = None, language: str = "en") -> None:
        self.client = Client()
        self.token = token
        self.language = language

    def headers(self, extra: dict[str, str] | None = None) -> dict[str, str]:
        headers = {"Accept-Language": self.language}
        if self.token:
            headers["Authorization"] = f"Bearer {self.token}"
        headers.update(extra or {})
        return headers

    def request(self, method: str, path: str, body: Any = None, *, content_type: str = "application/json",
                headers: dict[str, str] | None = None, **kwargs: Any):
        url = path if path.startswith("/api/") else f"/api/v1{path}"
        data = body
        if body is not None and content_type == "application/json" and not isinstance(body, (bytes, str)):
            data = json.dumps(body)
        call = getattr(self.client, method.lower())
        if method.upper() in ("GET", "DELETE") and body is None:
            return call(url, headers=self.headers(headers), **kwargs)
        return call(url, data=data, content_type=content_type, headers=self.headers(headers), **kwargs)

    def get(self, path: str, **kwargs: Any):
        return self.request("GET", path, **kwargs)

    def post(self, path: str, body: Any = None, **kwargs: Any):
        return self.request("POST", path, {} if body is None else body, **kwargs)

    def put(self, path: str, body: Any, **kwargs: Any):
        return self.request("PUT", path, body, **kwargs)

    def delete(self, path: str, **kwargs: Any):
        return self.request("DELETE", path, **kwargs)


def password_token(username: str) -> str:
    response = ApiClient().post("/auth/token", {"username": username, "password": "gomruk-demo"})
    assert response.status_code == 201, response.content
    return response.json()["access_token"]


@pytest.fixture
def as_user(users):
    def make(username: str, language: str = "en") -> ApiClient:
        return ApiClient(password_token(username), language)

    return make


def document_json(kind: str = "export") -> dict[str, Any]:
    from gomruk.demo import factories as examples

    document = {"export": examples.export_gb, "import": examples.import_gb}[kind]()
    return document.to_data()


def b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def assert_problem(response, status: int, code: str | None = None) -> dict[str, Any]:
    assert response.status_code == status, response.content[:500]
    assert response["Content-Type"].startswith("application/problem+json"), response["Content-Type"]
    body = json.loads(response.content)
    for key in ("type", "title", "status", "code", "detail", "instance"):
        assert key in body, (key, body)
    assert body["status"] == status
    if code is not None:
        assert body["code"] == code, body
    return body


@dataclass
class Walk:
    """A declarant's steps through HTTP."""

    api: ApiClient
    pki: ApiPKI
    signer: str = "deklarant"

    def create(self, kind: str = "export", **kwargs: Any) -> dict[str, Any]:
        response = self.api.post("/declarations", document_json(kind), **kwargs)
        assert response.status_code == 201, response.content[:2000]
        return response.json()

    def sign(self, declaration_id: str) -> dict[str, Any]:
        response = self.api.get(f"/declarations/{declaration_id}/signing-payload")
        assert response.status_code == 200, response.content[:3000]
        payload = response.json()
        signature = self.pki.sign(self.signer, base64.b64decode(payload["payload"]))
        response = self.api.post(
            f"/declarations/{declaration_id}/signature",
            {"provider": "certificate", "signature": b64(signature), "version": payload["version"]},
        )
        assert response.status_code == 200, response.content[:3000]
        return response.json()

    def confirm(self, declaration_id: str) -> dict[str, Any]:
        terms = self.api.get("/declarations/terms").json()
        response = self.api.post(
            f"/declarations/{declaration_id}/confirm", {"terms_version": terms["version"], "accepted": True}
        )
        assert response.status_code == 200, response.content[:3000]
        return response.json()

    def send(self, declaration_id: str, office: str = "00100", **kwargs: Any):
        return self.api.post(f"/declarations/{declaration_id}/send", {"office": office}, **kwargs)

    def confirmed(self) -> str:
        declaration_id = self.create()["id"]
        self.sign(declaration_id)
        self.confirm(declaration_id)
        return declaration_id


@pytest.fixture
def walk(as_user, pki) -> Walk:
    return Walk(as_user("deklarant"), pki)


