"""NUL (and lone surrogates) in every kind of input are refused at the edge, naming the field.

The API operations are read from the served OpenAPI document, so a new endpoint is covered the
day it is added; the portal pages are listed. On PostgreSQL, before the edge refused them, seven
of these requests answered 500 (two before login): see docs/adr/0011-http-server.md.
"""

from __future__ import annotations

import json
import re
import uuid
from dataclasses import dataclass, field
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from gomruk.apiv1 import api
from gomruk.declarations.models import Declaration

BAD = "a\x00b"
QUOTED = "a%00b"


@dataclass
class Case:
    method: str
    url: str
    where: str
    field: str
    status: int
    data: Any = None
    content_type: str = "application/json"
    headers: dict[str, str] = field(default_factory=dict)
    cookies: dict[str, str] = field(default_factory=dict)

    @property
    def id(self) -> str:
        return f"{self.method} {self.url.split('?')[0]} {self.where}:{self.field}"


def _operations() -> list[tuple[str, str, dict[str, Any]]]:
    schema = api.get_openapi_schema()
    return [(method.upper(), path, operation) for path, ops in schema["paths"].items() for method, operation in ops.items()]


def _fill(path: str, operation: dict[str, Any], bad: str | None = None) -> str:
    def value(match: re.Match[str]) -> str:
        return QUOTED if match.group(1) == bad else str(uuid.uuid4())

    return re.sub(r"\{(\w+)\}", value, path)


def api_cases() -> list[Case]:
    cases = []
    for method, path, operation in _operations():
        parameters = operation.get("parameters", [])
        for parameter in (p for p in parameters if p["in"] == "path"):
            cases.append(Case(method, _fill(path, operation, parameter["name"]), "path", "", 400))
        queries = [p["name"] for p in parameters if p["in"] == "query"] or ["q"]
        for name in queries:
            cases.append(Case(method, f"{_fill(path, operation)}?{name}={QUOTED}", "query", name, 400))
        header = "Idempotency-Key" if method == "POST" else "User-Agent"
        cases.append(Case(method, _fill(path, operation), "header", header, 400, headers={header: BAD}))
        if "application/json" in operation.get("requestBody", {}).get("content", {}):
            body = json.dumps({"note": {"lines": ["ok", BAD]}})
            cases.append(Case(method, _fill(path, operation), "json", "/note/lines/1", 422, data=body))
    return cases


def _api_answer_wrong(client: Any, case: Case) -> str | None:
    response = client.request(case.method, case.url, case.data, headers=case.headers)
    if response.status_code != case.status or not response["Content-Type"].startswith("application/problem+json"):
        return f"{response.status_code} {response.content[:200]!r}"
    body = response.json()
    wanted_field = case.url.replace(QUOTED, "a\\u0000b") if case.where == "path" else case.field
    if (body["code"], body["in"], body["field"], body["character"]) != ("invalid_text", case.where, wanted_field, "U+0000"):
        return f"{body}"
    if case.where != "path" and f"«{case.field}»" not in body["detail"]:
        return body["detail"]
    return None


def test_api_refuses_unstorable_text_in_every_input_of_every_operation(as_user):
    """One test over every case (a database set up once, not once per case)."""
    client = as_user("deklarant")
    cases = api_cases()
    assert len(cases) > 150
    wrong = {case.id: answer for case in cases if (answer := _api_answer_wrong(client, case))}
    assert not wrong, json.dumps(wrong, indent=1, ensure_ascii=False)


def test_api_names_the_json_pointer_of_a_key_and_a_lone_surrogate(walk):
    key = walk.api.post("/declarations/validate", b'{"goods": [{"desc\\u0000ription": "x"}]}')
    assert key.status_code == 422
    assert key.json()["field"] == "/goods/0/desc\\u0000ription"
    surrogate = walk.api.post("/declarations", b'{"a/b": {"c~d": "\\ud800"}}')
    assert surrogate.status_code == 422
    assert (surrogate.json()["field"], surrogate.json()["character"]) == ("/a~1b/c~0d", "U+D800")
    assert Declaration.objects.count() == 0


def test_api_problem_is_in_the_callers_language(as_user):
    client = as_user("deklarant", language="az")
    response = client.get(f"/reference/countries?q={QUOTED}")
    assert response.status_code == 400
    assert response["Content-Language"] == "az"
    assert "sorğu parametrində «q»" in response.json()["detail"].lower()


def test_api_multipart_form_field_and_file_name(walk):
    declaration_id = walk.create()["id"]
    url = f"/api/v1/declarations/{declaration_id}/attachments"
    pdf = b"%PDF-1.4\n%%EOF\n"
    response = walk.api.client.post(
        url, {"item_number": BAD, "document_index": "1", "file": SimpleUploadedFile("invoice.pdf", pdf, "application/pdf")},
        headers=walk.api.headers(),
    )
    assert response.status_code == 422
    assert (response.json()["in"], response.json()["field"]) == ("form", "item_number")
    # Django's multipart reader drops NUL from file names: the name is stored without it.
    named = SimpleUploadedFile("in\x00voice.pdf", pdf, "application/pdf")
    response = walk.api.client.post(url, {"item_number": "1", "document_index": "1", "file": named}, headers=walk.api.headers())
    assert response.status_code == 201, response.content
    assert response.json()["filename"] == "invoice.pdf"


def test_api_xml_with_nul_is_refused_by_the_xml_reader(walk):
    xml = b'<?xml version="1.0" encoding="UTF-8"?><declaration><a>x\x00y</a></declaration>'
    response = walk.api.post("/declarations", xml, content_type="application/xml")
    assert 400 <= response.status_code < 500, response.content[:500]
    assert response["Content-Type"].startswith("application/problem+json")
    assert Declaration.objects.count() == 0


def test_before_login_the_token_endpoint_refuses_a_nul_user_name(users):
    client = Client()
    response = client.post(
        "/api/v1/auth/token", json.dumps({"username": BAD, "password": "x"}), content_type="application/json"
    )
    assert response.status_code == 422
    assert response.json()["field"] == "/username"


# --- The portal ----------------------------------------------------------------------------


@pytest.fixture
def portal(users, walk):
    declaration_id = walk.create()["id"]
    client = Client()
    client.force_login(users["deklarant"])
    officer = Client()
    officer.force_login(users["inspektor"])
    return {"declarant": client, "officer": officer, "anonymous": Client(), "id": declaration_id}


def portal_cases() -> list[tuple[str, Case]]:
    d = "{id}"
    pages = [
        ("anonymous", "/login/"), ("declarant", "/"), ("declarant", "/declarations/new/"),
        ("declarant", f"/declarations/{d}/"), ("declarant", f"/declarations/{d}/summary/"),
        ("officer", "/officer/"), ("anonymous", f"/verify/{d}/"), ("anonymous", "/asan-simulator/"),
        ("declarant", "/border/goods/"),
    ]
    cases: list[tuple[str, Case]] = []
    for who, url in pages:
        cases.append((who, Case("GET", f"{url}?next={QUOTED}", "query", "next", 400)))
        cases.append((who, Case("GET", url, "cookie", "sessionid", 400, cookies={"sessionid": '"\\000x"'})))
    cases += [
        ("declarant", Case("GET", f"/declarations/{d}/edit/{QUOTED}/", "path", "", 400)),
        ("declarant", Case("GET", "/", "header", "User-Agent", 400, headers={"User-Agent": BAD})),
        ("declarant", Case("GET", "/", "cookie", "django_language", 400, cookies={"django_language": '"e\\000n"'})),
        ("anonymous", Case("POST", "/login/", "form", "username", 422, data={"username": BAD, "password": "x"})),
        ("anonymous", Case("POST", "/login/asan/", "form", "phone_number", 422, data={"phone_number": BAD, "asan_user_id": "1"})),
        ("declarant", Case("POST", "/declarations/new/", "form", "voen", 422, data={"voen": BAD, "direction": "EX"})),
        ("declarant", Case("POST", f"/declarations/{d}/edit/parties/", "form", "/exporter/name", 422, data={"/exporter/name": BAD})),
        ("declarant", Case("POST", f"/declarations/{d}/save/", "form", "/exporter/name", 422, data={"/exporter/name": BAD})),
        ("declarant", Case("POST", f"/declarations/{d}/send/", "form", "office_code", 422, data={"office_code": BAD})),
        ("declarant", Case("POST", f"/declarations/{d}/withdraw/", "form", "reason", 422, data={"reason": BAD})),
        ("anonymous", Case("POST", "/asan-simulator/", "form", "phone", 422, data={"phone": BAD})),
        ("officer", Case("POST", f"/officer/declarations/{d}/return/", "form", "reason_text_0", 422, data={"reason_text_0": BAD})),
    ]
    return cases


def _portal_answer_wrong(portal: dict[str, Any], who: str, case: Case) -> str | None:
    client = portal[who]
    # A raw Cookie header: a quoted cookie value may spell NUL as an octal escape ("\\000").
    extra = {"HTTP_COOKIE": "; ".join(f"{k}={v}" for k, v in case.cookies.items())} if case.cookies else {}
    url = case.url.replace("{id}", portal["id"])
    if case.method == "GET":
        response = client.get(url, headers=case.headers, **extra)
    else:
        response = client.post(url, case.data, headers=case.headers, **extra)
    page = response.content.decode(errors="replace")
    if response.status_code != case.status or not response["Content-Type"].startswith("text/html"):
        return f"{response.status_code} {page[:200]}"
    if 'id="refusal"' not in page or "U+0000" not in page:
        return page[:300]
    if case.where != "path" and f"«{case.field}»" not in page:
        return page[:300]
    return None


def test_portal_refuses_unstorable_text_with_a_page_naming_the_field(portal):
    wrong = {case.id: answer for who, case in portal_cases() if (answer := _portal_answer_wrong(portal, who, case))}
    assert not wrong, json.dumps(wrong, indent=1, ensure_ascii=False)


def test_portal_page_in_english_for_an_english_user(portal):
    client = portal["declarant"]
    client.cookies["django_language"] = "en"
    response = client.post(f"/declarations/{portal['id']}/withdraw/", {"reason": BAD})
    assert response.status_code == 422
    page = response.content.decode()
    assert "The form field «reason» holds a character that cannot be stored (U+0000)" in page
    assert 'lang="en"' in page


def test_the_seven_endpoints_that_answered_500_on_postgresql(walk):
    """Found by trying every input of every URL on PostgreSQL before the edge refused NUL."""
    document = json.loads(json.dumps(walk.create()))
    declaration_id = document.pop("id")
    from tests.api.api_helpers import document_json

    body = document_json()
    body["goods"][0]["description"] += "\x00"
    api = walk.api
    answers = {
        "reference (path, before login)": (api.get("/reference/a%00b"), 400, "path"),
        "reference q": (api.get(f"/reference/countries?q={QUOTED}"), 400, "query"),
        "declarations list office": (api.get(f"/declarations?office={QUOTED}"), 400, "query"),
        "token (before login)": (Client().post("/api/v1/auth/token", json.dumps({"username": BAD, "password": "x"}), content_type="application/json"), 422, "json"),
        "create": (api.post("/declarations", body), 422, "json"),
        "update": (api.put(f"/declarations/{declaration_id}", body), 422, "json"),
        "estimate": (api.post("/declarations/estimate", body), 422, "json"),
    }
    for name, (response, status, where) in answers.items():
        assert (response.status_code, response.json()["in"]) == (status, where), name
    assert answers["create"][0].json()["field"] == "/goods/0/description"
    login = Client().post("/login/", {"username": BAD, "password": "x"})
    assert login.status_code == 422 and "«username»" in login.content.decode()
    assert Declaration.objects.count() == 1
