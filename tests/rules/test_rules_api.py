"""POST /declarations/validate and GET /rules (the routers, mounted at the API root)."""

from __future__ import annotations

import json

import pytest
from ninja.testing import TestClient

from gomruk.core.errors import GomrukError
from gomruk.declarations.validation_api import router as validation_router
from gomruk.rules.api import router

client = TestClient(router)
validate_client = TestClient(validation_router)


@pytest.mark.django_db
def test_validate_a_valid_document(base):
    response = validate_client.post("/declarations/validate?on=2025-01-15", body=json.dumps(base("im")), content_type="application/json")
    assert response.status_code == 200
    data = response.json()
    assert (data["valid"], data["errors"], data["on"]) == (True, [], "2025-01-15")
    # An empty database: the facts that need it are named as missing, not silently skipped.
    missing = {f["fact"] for f in data["facts"]["missing"]}
    assert {"rates", "calculation", "national_list", "earlier_declarations", "aeo_status", "quotas"} <= missing
    assert {f["fact"] for f in data["facts"]["used"]} == {"nomenclature", "signing_date"}


@pytest.mark.django_db
def test_validate_returns_every_error_sorted(base):
    doc = base("im")
    doc["goods"][2]["commodity_code"] = "x"
    doc["goods"][0]["commodity_code"] = "y"
    doc["total_packages"] = 31
    response = validate_client.post("/declarations/validate?on=2025-01-15", body=json.dumps(doc), content_type="application/json")
    data = response.json()
    assert data["valid"] is False
    assert [(e["rule"], e["box"], e["item"]) for e in data["errors"]] == [
        ("V-6-3", "6", None),
        ("V-33-1", "33", 1),
        ("V-33-1", "33", 3),
    ]
    assert set(data["errors"][1]) == {"rule", "severity", "box", "item", "path", "value", "message"}


@pytest.mark.django_db
def test_validate_reports_unreadable_fields_as_schema_errors():
    response = validate_client.post("/declarations/validate", body=b'{"goods": [{"net_mass": "x"}]}', content_type="application/json")
    assert response.status_code == 200
    (error,) = [e for e in response.json()["errors"] if e["rule"] == "SCHEMA"]
    assert (error["rule"], error["box"], error["item"]) == ("SCHEMA", "38", 1)


@pytest.mark.django_db
def test_validate_one_section(base):
    doc = base("im")
    doc["goods"][0]["commodity_code"] = "y"
    response = validate_client.post("/declarations/validate?on=2025-01-15&section=transport", body=json.dumps(doc), content_type="application/json")
    assert (response.json()["valid"], response.json()["errors"]) == (True, [])
    # GomrukError: the API's problem+json handler (gomruk.api.main) turns it into a 400.
    with pytest.raises(GomrukError) as raised:
        validate_client.post("/declarations/validate?section=nowhere", body=json.dumps(doc), content_type="application/json")
    assert raised.value.status == 400 and raised.value.code == "unknown_section"


def test_rules_catalogue_lists_every_rule():
    from gomruk.rules.registry import all_rules

    response = client.get("/rules")
    assert response.status_code == 200
    data = response.json()
    assert {r["code"] for r in data} == {r.code for r in all_rules()}
    v331 = next(r for r in data if r["code"] == "V-33-1")
    assert v331["boxes"] == ["33"] and v331["severity"] == "error" and v331["message"]["en"].startswith("Box 33")


def test_rules_profile():
    data = client.get("/rules/profile?declaration_type=01&direction=İX&procedure=10").json()
    assert data["column"] == "GB_export_general"
    assert data["boxes"]["43"] == "empty" and data["boxes"]["33"] == "must" and data["boxes"]["7"] == "system"
