"""Issue 16.1: ``POST /api/v1/declarations/{id}/complete`` fills every computable box of the
stored draft and answers the declaration with the fields it filled."""

from __future__ import annotations

import pytest

from gomruk.document.model import Declaration as Document
from tests.api.api_helpers import ApiClient, assert_problem, password_token
from tests.completion.helpers import example, facts_only, load_payments_facts


@pytest.fixture
def payments_facts(db):
    return load_payments_facts()


@pytest.fixture
def draft(walk, payments_facts):
    response = walk.api.post("/declarations", facts_only())
    assert response.status_code == 201, response.content[:2000]
    return response.json()["id"]


def test_complete_fills_the_computed_boxes(walk, draft, payments_facts):
    response = walk.api.post(f"/declarations/{draft}/complete")
    assert response.status_code == 200, response.content[:2000]
    body = response.json()
    original = example()
    document = Document.model_validate(body["document"]).to_data()
    for name in ("total_items", "total_packages", "total_customs_value", "total_invoice_value", "forms",
                 "accounting", "principal_statement", "exchange_rate", "guarantee", "trading_country"):
        assert document[name] == original[name], name
    assert document["invoice_currency"] == "840"
    assert document["first_destination_country"] == {"alpha": "AZE", "numeric": "031"}
    assert document["office_of_dispatch"]["usd_rate"] == "1.7000"
    assert document["office_of_dispatch"]["usd_rate_date"] == payments_facts.isoformat()
    for got, expected in zip(document["goods"], original["goods"], strict=True):
        for name in ("customs_value", "statistical_value", "payments", "origin_country"):
            assert got[name] == expected[name], name
    filled = {(f["pointer"], f["box"]) for f in body["filled"]}
    assert {("/total_items", "5"), ("/total_customs_value", "12"), ("/goods/0/customs_value", "45"),
            ("/goods/2/payments", "47"), ("/accounting/lines", "B"), ("/invoice_currency", "22"),
            ("/first_destination_country/numeric", "10")} <= filled
    formula = next(f["formula"] for f in body["filled"] if f["pointer"] == "/goods/0/customs_value")
    assert formula["en"] == "1 000.00 USD × 1.7000 = 1 700.00 AZN"
    assert body["overridden"] == []
    # Stored, and a second call has nothing left to fill.
    assert walk.api.get(f"/declarations/{draft}").json()["document"] == body["document"]
    again = walk.api.post(f"/declarations/{draft}/complete").json()
    assert again["filled"] == [] and again["document"] == body["document"]


def test_a_stated_value_is_kept_and_marked_and_a_stale_computed_one_recomputed(walk, draft):
    document = walk.api.post(f"/declarations/{draft}/complete").json()["document"]
    # Box 43 says the value was adjusted: the declarant's own box 45 stands.
    document["goods"][0]["customs_value"] = "1800.00"
    document["goods"][0]["valuation"]["adjusted"] = "1"
    document["goods"][1]["invoice_value"] = "2020.00"  # an input changes: its 45 follows
    assert walk.api.put(f"/declarations/{draft}", document).status_code == 200
    body = walk.api.post(f"/declarations/{draft}/complete").json()
    goods = body["document"]["goods"]
    assert goods[0]["customs_value"] == "1800.00"
    assert goods[1]["customs_value"] == "3434.00"
    assert body["document"]["total_customs_value"] == str(1800 + 3434 + 1734) + ".00"
    assert {f["pointer"] for f in body["filled"]} >= {"/goods/1/customs_value", "/total_customs_value"}
    assert body["overridden"] == []  # 45 adjusted under box 43 is what the calculation takes too


def test_an_override_is_reported(walk, draft):
    document = walk.api.post(f"/declarations/{draft}/complete").json()["document"]
    document["total_packages"] = 25  # packages shared by items: the declarant counts them
    document["total_items"] = 7  # not the declarant's to state: recomputed
    assert walk.api.put(f"/declarations/{draft}", document).status_code == 200
    body = walk.api.post(f"/declarations/{draft}/complete").json()
    assert body["document"]["total_packages"] == 25
    assert body["document"]["total_items"] == 3
    assert [(o["pointer"], o["box"], o["computed"]) for o in body["overridden"]] == [("/total_packages", "6", 30)]


def test_complete_is_idempotent_with_a_key(walk, draft):
    first = walk.api.post(f"/declarations/{draft}/complete", headers={"Idempotency-Key": "complete-1"})
    replay = walk.api.post(f"/declarations/{draft}/complete", headers={"Idempotency-Key": "complete-1"})
    assert first.status_code == replay.status_code == 200
    assert first.json() == replay.json()
    assert first.json()["filled"]


def test_another_partys_draft_is_not_found(walk, draft, users):
    other = ApiClient(password_token("deklarant2"))
    assert_problem(other.post(f"/declarations/{draft}/complete"), 404)


def test_choices_are_what_the_rules_accept_searched_by_code_or_name(walk, draft):
    response = walk.api.get(f"/declarations/{draft}/choices?field=/procedure")
    assert response.status_code == 200, response.content[:500]
    codes = [c["code"] for c in response.json()["choices"]]
    assert "40" in codes and "10" not in codes  # an import: no "10 İxrac"
    named = walk.api.get(f"/declarations/{draft}/choices?field=/first_destination_country/alpha&q=germany").json()
    assert [c["code"] for c in named["choices"]] == ["DEU"]
    coded = walk.api.get(f"/declarations/{draft}/choices?field=/goods/0/origin_country/alpha&q=de").json()
    assert coded["choices"][0]["code"] == "DE"


def test_box_33_choices_carry_the_tariff_line(walk, draft):
    body = walk.api.get(f"/declarations/{draft}/choices?field=/goods/0/commodity_code&q=5208").json()
    assert body["choices"], body
    first = body["choices"][0]
    assert first["code"].startswith("5208")
    duty = next(line for line in first["tariff"] if line["payment_type"] == "20")
    assert duty["rate"] == "15%" and duty["en"].startswith("tariff line 5208 / payment 20")


def test_choices_of_a_field_without_a_classifier_is_a_problem(walk, draft):
    assert_problem(walk.api.get(f"/declarations/{draft}/choices?field=/goods/0/description"), 422, "not_a_picker")
