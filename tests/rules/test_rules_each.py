"""One test per rule, named after it: the example passes, the mutated example fails."""

from __future__ import annotations

import copy
from collections.abc import Callable
from datetime import date
from typing import Any

import pytest

from gomruk.reference.snapshot import packaged_reference
from gomruk.rules.base import KnownDeclaration, RuleError, ValidationContext
from gomruk.rules.engine import validate_payload

ON = date(2025, 1, 15)
REF = packaged_reference()


def run(doc: dict[str, Any], context: ValidationContext | None = None) -> list[RuleError]:
    return validate_payload(doc, reference=REF, on=ON, context=context)


def setp(doc: dict[str, Any], path: str, value: Any) -> None:
    parts = path.strip("/").split("/")
    node: Any = doc
    for part in parts[:-1]:
        node = node[int(part)] if isinstance(node, list) else node.setdefault(part, {})
    last = parts[-1]
    if isinstance(node, list):
        node[int(last)] = value
    elif value is DELETE:
        node.pop(last, None)
    else:
        node[last] = value


DELETE = object()


def check(
    base: Callable[[str], dict[str, Any]],
    code: str,
    mutate: Callable[[dict[str, Any]], None] | dict[str, Any],
    kind: str = "im",
    *,
    context: ValidationContext | None = None,
    box: str | None = None,
    item: int | None = None,
    severity: str | None = None,
) -> list[RuleError]:
    doc = base(kind)
    passing = [e for e in run(doc, context) if e.rule == code]
    assert passing == [], f"{code} fires on the valid {kind} example: {passing}"
    if isinstance(mutate, dict):
        for path, value in mutate.items():
            setp(doc, path, value)
    else:
        mutate(doc)
    failing = [e for e in run(doc, context) if e.rule == code]
    assert failing, f"{code} does not fire on the mutated {kind} example"
    if box is not None:
        assert {e.box for e in failing} == {box}
    if item is not None:
        assert item in {e.item for e in failing}
    if severity is not None:
        assert {e.severity for e in failing} == {severity}
    return failing


# --- Profile rules ---------------------------------------------------------------------------


def test_M_1(base):
    check(base, "M-1", {"/border_office": DELETE}, box="29")
    check(base, "M-1", {"/goods/2/net_mass": DELETE}, box="38", item=3)


def test_M_2(base):
    errors = check(base, "M-2", {"/transaction_nature": "010"}, "tr", box="24")
    assert errors[0].path == "/transaction_nature"


def test_V_7_1(base):
    check(base, "V-7-1", {"/registration_number": "00100/150125/0000001"}, box="7")
    doc = base("im")
    doc["registration_number"] = "00100/150125/0000001"
    assert not [e for e in run(doc, ValidationContext(customs_view=True)) if e.rule == "V-7-1"]


def test_V_C_1(base):
    check(base, "V-C-1", {"/customs_notes": "qeyd"}, box="C")


def test_V_D_1(base):
    check(base, "V-D-1", {"/customs_control": {"result": "uyğundur"}}, box="D")


# --- Header ----------------------------------------------------------------------------------


def test_V_A_1(base):
    check(base, "V-A-1", {"/office_of_dispatch/usd_rate": "0"}, box="A")


def test_V_A_2(base):
    check(base, "V-A-2", {"/office_of_dispatch/usd_rate_date": "2025-07-01"}, box="A")
    rates = ValidationContext(exchange_rate=lambda currency, on: {"840": __import__("decimal").Decimal("1.7000")}[currency])
    check(base, "V-A-2", {"/office_of_dispatch/usd_rate": "1.6999"}, context=rates)


def test_V_A_3(base):
    check(base, "V-A-3", {"/office_of_dispatch/attachment_sheets": 100}, box="A")
    # The marker only when attachment sheets exist (issue 15): none here, so "Qoşma-01" is wrong.
    check(base, "V-A-3", {"/office_of_dispatch/attachment_sheets": 1}, box="A")

    def refer(doc):
        doc["goods"][0]["description"] += " — qoşma vərəqə bax"
        doc["office_of_dispatch"]["attachment_sheets"] = 2

    assert not [e for e in run(_mutated(base("im"), refer)) if e.rule == "V-A-3"]
    # ... and equal to their number when the printed form's count is known.
    counted = ValidationContext(attachment_sheets=1)
    (error,) = [e for e in run(_mutated(base("im"), refer), counted) if e.rule == "V-A-3"]
    assert error.box == "A" and "(1)" in error.message_en


def _mutated(doc, mutate):
    mutate(doc)
    return doc


def test_V_A_5(base):
    check(base, "V-A-5", {"/office_of_dispatch/office_code": "99999"}, box="A")


def test_V_1_2(base):
    check(base, "V-1-2", {"/procedure": "99"}, box="1")


def test_V_1_3(base):
    check(base, "V-1-3", {"/type_subdivision_3": "X"}, box="1")


def test_V_1_4(base):
    check(base, "V-1-4", {"/direction": "İX"}, box="1")


def test_V_2_1(base):
    check(base, "V-2-1", {"/consignor/identifier": "1401555081"}, "ex", box="2")


def test_V_2_2(base):
    check(base, "V-2-2", {"/consignor/address": DELETE}, box="2")


def test_V_2_3(base):
    check(base, "V-2-3", {"/consignor/person_kind": "natural"}, "ex", box="2")


def test_V_3_1(base):
    check(base, "V-3-1", {"/forms/sheet": 2}, box="3")


def test_V_3_2(base):
    check(base, "V-3-2", {"/forms/total": 5}, box="3")


def test_V_5_1(base):
    check(base, "V-5-1", {"/total_items": 4}, box="5")


def test_V_5_2(base):
    check(base, "V-5-2", {"/goods": []}, box="5")

    def to_101(doc):
        doc["goods"] = [copy.deepcopy(doc["goods"][0]) for _ in range(101)]

    check(base, "V-5-2", to_101, "one", box="5")


def test_V_6_2(base):
    check(base, "V-6-2", {"/border_transport_mode": "71"}, box="6", severity="warning")


def test_V_6_3(base):
    check(base, "V-6-3", {"/total_packages": 31}, box="6", severity="warning")


def test_V_8_1(base):
    check(base, "V-8-1", {"/consignee/identifier": "1401555081"}, box="8")


def test_V_8_2(base):
    check(base, "V-8-2", {"/consignee/name": DELETE}, box="8")


def test_V_9_1(base):
    check(base, "V-9-1", {"/financial_party/name": DELETE}, box="9")


def test_V_9_2(base):
    check(base, "V-9-2", {"/financial_party/identifier": "abc"}, box="9")


def test_V_10_1(base):
    # Import uses alpha-3: the alpha-2 code is not accepted there.
    check(base, "V-10-1", {"/first_destination_country/alpha": "AZ"}, box="10")


def test_V_11_1(base):
    check(base, "V-11-1", {"/trading_country/numeric": "031"}, box="11")


def test_V_12_1(base):
    check(base, "V-12-1", {"/total_customs_value": "1.00"}, box="12")


def test_V_13_1(base):
    check(base, "V-13-1", {"/aeo_indicator": "2"}, box="13")


def test_V_13_2(base):
    check(
        base, "V-13-2", {"/aeo_indicator": "1"}, context=ValidationContext(declarant_is_aeo=False), severity="warning"
    )


def test_V_13_3(base):
    check(base, "V-13-3", {"/aeo_indicator": "0"}, "sb5", box="13", severity="warning")


def test_V_14_1(base):
    check(base, "V-14-1", {"/declarant/name": DELETE}, box="14")


def test_V_14_2(base):
    check(base, "V-14-2", {"/declarant/acts_as_broker": True}, box="14")


def test_V_14_3(base):
    check(base, "V-14-3", {"/declarant/identifier": "12345"}, box="14")


def test_V_15_1(base):
    check(base, "V-15-1", {"/dispatch_country_name": "Fransa"}, box="15")


def test_V_15a_1(base):
    check(base, "V-15a-1", {"/dispatch_country/numeric": "268"}, box="15a")


def test_V_16_1(base):
    check(base, "V-16-1", {"/origin_country_name": "Almaniya"}, box="16")
    doc = base("im")
    doc["goods"][1]["origin_country"] = {"alpha": "DE", "numeric": "276"}
    doc["origin_country_name"] = "Müxtəlif"
    assert not [e for e in run(doc) if e.rule == "V-16-1"]


def test_V_17_1(base):
    check(base, "V-17-1", {"/destination_country_name": "Gürcüstan"}, box="17")


def test_V_17a_1(base):
    check(base, "V-17a-1", {"/destination_country/numeric": "792"}, box="17a")


def test_V_18_1(base):
    check(base, "V-18-1", {"/departure_transport/count": 0}, box="18")


def test_V_18_2(base):
    check(base, "V-18-2", {"/departure_transport/nationality": "999"}, box="18")


def test_V_18_3(base):
    check(base, "V-18-3", {"/departure_transport/count": 2}, box="18", severity="warning")


def test_V_19_1(base):
    check(base, "V-19-1", {"/container_indicator": "2"}, box="19")


def test_V_19_2(base):
    check(base, "V-19-2", {"/container_indicator": "1"}, box="31", item=2, severity="warning")


def test_V_20_1(base):
    check(base, "V-20-1", {"/delivery_terms/code": "99"}, box="20")


def test_V_20_2(base):
    check(base, "V-20-2", {"/delivery_terms/place": "Bakı"}, box="20")


def test_V_20_3(base):
    check(base, "V-20-3", {"/delivery_terms/settlement_code": "001"}, box="20")


def test_V_21_1(base):
    check(base, "V-21-1", {"/border_transport/nationality": "99"}, box="21")


def test_V_21_2(base):
    check(base, "V-21-2", {"/border_transport/identifiers": DELETE}, "ex", box="21")


def test_V_22_1(base):
    check(base, "V-22-1", {"/invoice_currency": "999"}, box="22")


def test_V_22_2(base):
    check(base, "V-22-2", {"/total_invoice_value": "1.00"}, box="22")


def test_V_22_3(base):
    check(base, "V-22-3", {"/goods/0/invoice_currency": "978"}, box="42", item=1)


def test_V_23_1(base):
    check(base, "V-23-1", {"/exchange_rate": "0"}, box="23")
    rates = ValidationContext(exchange_rate=lambda currency, on: __import__("decimal").Decimal("1.7000"))
    check(base, "V-23-1", {"/exchange_rate": "1.8000"}, context=rates)


def test_V_23_2(base):
    check(base, "V-23-2", {"/invoice_currency": "944"}, box="23")


def test_V_24_1(base):
    check(base, "V-24-1", {"/transaction_nature": "015"}, box="24")
    check(base, "V-24-1", {"/transaction_nature": "990"}, box="24")


def test_V_25_1(base):
    check(base, "V-25-1", {"/border_transport_mode": "11"}, box="25")


def test_V_26_1(base):
    check(base, "V-26-1", {"/inland_transport_mode": "11"}, box="26")


def test_V_27_1(base):
    check(base, "V-27-1", {"/loading_place": DELETE}, box="27")


def test_V_28_1(base):
    def swap(doc):
        lines = doc["financial_details"]
        lines[0], lines[1] = lines[1], lines[0]

    check(base, "V-28-1", swap, box="28")


def test_V_29_1(base):
    check(base, "V-29-1", {"/border_office": "12345"}, box="29")


def test_V_30_1(base):
    check(base, "V-30-1", {"/goods_location": "99999"}, box="30")


def test_V_48_2(base):
    check(base, "V-48-2", {"/deferred_until": "2025-01-10"}, box="48")


def test_V_48_3(base):
    check(base, "V-48-3", {"/deferred_until": "2035-01-01"}, "ex", box="48")


def test_V_49_1(base):
    check(base, "V-49-1", {"/warehouse": {"office_code": "99999"}}, box="49")
    check(base, "V-49-1", {"/warehouse": {"licence_number": "L-1"}}, box="49")


def test_V_50_1(base):
    check(base, "V-50-1", {"/principal_statement": "Təsdiq edirəm"}, box="50")


def test_V_51_1(base):
    check(base, "V-51-1", {"/departure_office": {"office_codes": ["99999"], "country": "031"}}, box="51")


def test_V_52_1(base):
    check(base, "V-52-1", {"/guarantee/letter": "MG"}, box="52")


def test_V_53_1(base):
    check(base, "V-53-1", {"/destination_office/office_codes": ["99999"]}, box="53")


def test_V_54_1(base):
    check(base, "V-54-1", {"/place_and_signature/date": "2025-07-01"}, box="54")
    check(
        base,
        "V-54-1",
        {"/place_and_signature/date": "2025-01-14"},
        context=ValidationContext(signing_date=date(2025, 1, 15)),
    )


# --- Goods -----------------------------------------------------------------------------------


def test_V_31_1(base):
    check(base, "V-31-1", {"/goods/1/description": DELETE}, box="31", item=2)


def test_V_31_2(base):
    check(base, "V-31-2", {"/goods/0/quantity_unit": DELETE}, box="31", item=1)


def test_V_32_1(base):
    check(base, "V-32-1", {"/goods/1/item_number": 5}, box="32", item=2)


def test_V_33_1(base):
    check(base, "V-33-1", {"/goods/2/commodity_code": "5208.12"}, box="33", item=3)


def test_V_33_2(base):
    from gomruk.reference.nomenclature import (
        NATIONAL,
        CommodityCode,
        Nomenclature,
        packaged_nomenclature,
    )

    doc = base("im")
    doc["goods"][0]["commodity_code"] = "5299000000"
    assert not [e for e in run(doc) if e.rule == "V-33-2"]  # no nomenclature in the context: skipped
    # Without a national list: the first six digits must be an HS subheading.
    hs_only = ValidationContext(nomenclature=packaged_nomenclature())
    (error,) = check(base, "V-33-2", {"/goods/0/commodity_code": "5299000000"}, context=hs_only, box="33", item=1)
    assert "529900 is not a subheading" in error.message_en
    # Any 10 digits under a real subheading pass while no national list is loaded.
    check_ok = [e for e in run(doc | {"goods": [dict(doc["goods"][0], commodity_code="5208129999")] + doc["goods"][1:]}, hs_only) if e.rule == "V-33-2"]
    assert check_ok == []
    # With a national list: the whole code must be in it on the acceptance date.
    listed = [
        CommodityCode(f"52081200{i:02d}", 10, "520812", "", "Pambıq parça", None, None, NATIONAL) for i in range(3)
    ] + [CommodityCode("5208129999", 10, "520812", "", "Köhnə kod", None, date(2024, 12, 31), NATIONAL)]
    national = ValidationContext(nomenclature=Nomenclature(packaged_nomenclature().hs.values(), listed))
    (error,) = check(base, "V-33-2", {"/goods/0/commodity_code": "5208129999"}, context=national, box="33", item=1)
    assert "not in the national XİF MN list on 15.01.2025" in error.message_en


def test_V_34_1(base):
    check(base, "V-34-1", {"/goods/0/origin_country/numeric": "031"}, box="34", item=1)


def test_V_34_2(base):
    check(base, "V-34-2", {"/goods/0/origin_country": {"alpha": "XX", "numeric": "001"}}, box="34", item=1)


def test_V_34_3(base):
    check(base, "V-34-3", {"/goods/1/commodity_code": "5208120000"}, box="34", item=2, severity="warning")


def test_V_35_1(base):
    check(base, "V-35-1", {"/goods/0/gross_mass": "1.2345"}, box="35", item=1)


def test_V_35_2(base):
    check(base, "V-35-2", {"/goods/0/commodity_code": "2716000000"}, box="35", item=1)


def test_V_35_3(base):
    check(base, "V-35-3", {"/goods/0/gross_mass": "50.000"}, box="35", item=1, severity="warning")


def test_V_36_1(base):
    check(base, "V-36-1", {"/goods/0/privilege": "999"}, box="36", item=1)
    # privilege 505 expired on 1 January 2016.
    check(base, "V-36-1", {"/goods/0/privilege": "505"}, box="36", item=1)


def test_V_36_2(base):
    check(base, "V-36-2", {"/goods/0/privilege": "090"}, box="36", item=1, severity="warning")


def test_V_37_1(base):
    check(base, "V-37-1", {"/goods/0/procedure_code": "4000"}, box="37", item=1)


def test_V_37_2(base):
    check(base, "V-37-2", {"/goods/0/procedure_code": "990000"}, box="37", item=1)


def test_V_37_3(base):
    check(base, "V-37-3", {"/goods/0/procedure_code": "409900"}, box="37", item=1)


def test_V_37_4(base):
    check(base, "V-37-4", {"/goods/0/procedure_code": "400099"}, box="37", item=1)


def test_V_37_5(base):
    check(base, "V-37-5", {"/goods/0/procedure_code": "401000"}, box="37", item=1, severity="warning")


def test_V_38_1(base):
    check(base, "V-38-1", {"/goods/0/net_mass": "1.2345"}, box="38", item=1)
    check(base, "V-38-1", {"/goods/0/commodity_code": "2716000000"}, box="38", item=1)


def test_V_39_1(base):
    # The officer decides on a quota overrun: a warning, not a block (issue 15).
    check(base, "V-39-1", {"/goods/0/quota_remaining": "10"}, box="39", item=1, severity="warning")


def test_V_39_2(base):
    check(base, "V-39-2", {"/goods/0/quota_remaining": "-1"}, box="39", item=1, severity="error")


def test_V_40_1(base):
    number = "00100/100624/0000042"
    ours = ValidationContext(known_declarations={number: KnownDeclaration(number, trader_voen="1401555071")})
    check(base, "V-40-1", {"/previous_declarations/0/number": "00100/100624/0000043"}, "ri", context=ours, box="40")
    theirs = ValidationContext(known_declarations={number: KnownDeclaration(number, trader_voen="1401555081")})
    errors = [e for e in run(base("ri"), theirs) if e.rule == "V-40-1"]
    assert errors and errors[0].box == "40"


def test_V_40_2(base):
    row = {"sequence": 2, "number": "NB-1", "date": "2025-01-01", "transport_units": 1, "weight": "10.000"}
    check(base, "V-40-2", {"/incomplete_declarations": [row]}, box="40")


def test_V_41_1(base):
    check(base, "V-41-1", {"/goods/0/supplementary_unit": "999"}, box="41", item=1)


def test_V_41_2(base):
    check(base, "V-41-2", {"/goods/0/quantity_unit": "kq"}, box="31", item=1, severity="warning")


def test_V_42_1(base):
    check(base, "V-42-1", {"/goods/0/invoice_value": "-1.00"}, box="42", item=1)


def test_V_43_1(base):
    check(base, "V-43-1", {"/goods/0/valuation/method": "09"}, box="43", item=1)
    check(base, "V-43-1", {"/goods/0/valuation/adjusted": "2"}, box="43", item=1)


def test_V_43_2(base):
    check(base, "V-43-2", {"/goods/0/valuation": {"adjusted": "0", "method": "01"}}, "ex", box="43", item=1)


def test_V_44_1(base):
    check(base, "V-44-1", {"/goods/0/documents/0/number": DELETE}, box="44", item=1)
    check(base, "V-44-1", {"/goods/0/documents/0/code": "20111"}, box="44", item=1)


def test_V_44_2(base):
    check(base, "V-44-2", {"/goods/0/documents/0/valid_until": "2030-01-01"}, box="44", item=1)


def test_V_44_3(base):
    check(base, "V-44-3", {"/goods/0/documents/0/code": "8001"}, box="44", item=1)
    doc = base("im")
    doc["goods"][0]["documents"].append({"line": 3, "code": "2022", "number": "TIR-1", "issued_on": "2025-01-02"})
    assert not [e for e in run(doc) if e.rule == "V-44-3"]  # the TIR carnet on line 3


def test_V_44_4(base):
    check(base, "V-44-4", {"/goods/0/documents/0/code": "2998"}, box="44", item=1)


def test_V_44_5(base):
    check(base, "V-44-5", {"/goods/0/documents/0/code": "2999"}, box="44", item=1)


def test_V_44_6(base):
    licence = {"line": 1, "code": "1011", "number": "L-1", "issued_on": "2025-01-01", "valid_until": "2025-01-10"}

    def add(doc):
        doc["goods"][0]["documents"].append(licence)

    check(base, "V-44-6", add, box="44", item=1)


def test_V_44_7(base):
    def drop_invoices(doc):
        for g in doc["goods"]:
            g["documents"] = [d for d in g["documents"] if d["line"] != 8]

    check(base, "V-44-7", drop_invoices, box="44", item=1, severity="warning")


def test_V_44_8(base):
    def drop_guarantee(doc):
        doc["goods"][0]["documents"] = [d for d in doc["goods"][0]["documents"] if "guarantee_until" not in d]

    check(base, "V-44-8", drop_guarantee, "t31", box="44", item=1)


def test_V_45_1(base):
    check(base, "V-45-1", {"/goods/0/customs_value": "-5.00"}, box="45", item=1)


def test_V_45_2(base):
    check(base, "V-45-2", {"/goods/0/customs_value": "1800.00"}, box="45", item=1, severity="warning")


def test_V_46_1(base):
    check(base, "V-46-1", {"/goods/0/statistical_value": "1.00"}, box="46", item=1, severity="warning")


def test_V_47_1(base):
    check(base, "V-47-1", {"/goods/0/payments/0/rate": DELETE}, box="47", item=1)


def test_V_47_2(base):
    check(base, "V-47-2", {"/goods/0/payments/0/payment_type": "99"}, box="47", item=1)


def test_V_47_3(base):
    check(base, "V-47-3", {"/goods/0/payments/0/method": "02"}, box="47", item=1)
    doc = base("im")
    doc["goods"][0]["payments"][0]["method"] = "HN"  # letter alias of 01
    assert not [e for e in run(doc) if e.rule == "V-47-3"]


def test_V_47_4(base):
    check(base, "V-47-4", {"/goods/0/payments/1/amount": "1.00"}, box="47", item=1)


def test_V_47_5(base):
    check(base, "V-47-5", {"/goods/0/payments/1/method": "01"}, "t31", box="47", item=1)


def test_V_B_1(base):
    def drop_line(doc):
        doc["accounting"]["lines"].pop()

    check(base, "V-B-1", drop_line, box="B")


def test_V_B_2(base):
    check(base, "V-B-2", {"/accounting/lines/0/amount": "1.00"}, box="B")


def test_V_B_3(base):
    check(base, "V-B-3", {"/accounting/total": "1.00"}, box="B")


def test_V_B_4(base):
    check(base, "V-B-4", {"/accounting/lines/0/currency": "9 44"}, box="B")


def test_V_B_5(base):
    def drop_guarantee(doc):
        for line in doc["accounting"]["lines"]:
            line.pop("guarantee", None)

    check(base, "V-B-5", drop_guarantee, box="B")


def test_V_B_7(base):
    check(base, "V-B-7", {"/accounting/lines/0/currency": "840"}, box="B")


# --- Cross-box -------------------------------------------------------------------------------


def test_X_02(base):
    check(base, "X-02", {"/forms": DELETE}, box="3")
    check(base, "X-02", {"/forms": {"sheet": 1, "total": 1}}, "one", box="3")


def test_X_07(base):
    check(base, "X-07", {"/goods/1/procedure_code": "100000"}, box="37", item=2)


def test_X_10(base):
    def electricity(doc):
        for g in doc["goods"]:
            g["commodity_code"] = "2716000000"

    check(base, "X-10", electricity, box="6")


def test_X_14(base):
    check(base, "X-14", {"/deferred_until": DELETE}, box="48")
    check(base, "X-14", {"/guarantee": DELETE}, box="52")


def test_X_15(base):
    def past(doc):
        for d in doc["goods"][0]["documents"]:
            if "guarantee_until" in d:
                d["guarantee_until"] = "2025-01-14"

    check(base, "X-15", past, "t31", box="44", item=1)


def test_X_19(base):
    errors = check(base, "X-19", {"/gratuitous": True})
    assert {e.box for e in errors} == {"9", "20"}
    check(base, "X-19", {"/delivery_terms": DELETE}, box="20")
    check(base, "X-19", {"/no_monetary_settlement": True}, box="28")


def test_X_22(base):
    check(base, "X-22", {"/goods/0/description": "Qoşma vərəqə bax"}, box="A")


def test_X_23(base):
    check(base, "X-23", {"/previous_declarations/0/exit_date": DELETE}, "ri", box="40")


def test_X_24(base):
    check(base, "X-24", {"/previous_declarations": [{"number": "NB-7", "kind": "NB"}]}, box="40")


def test_V_RI_1(base):
    number = "00100/100624/0000042"
    export = ValidationContext(known_declarations={number: KnownDeclaration(number, direction="İX", procedure="10")})
    imported = ValidationContext(known_declarations={number: KnownDeclaration(number, direction="İD", procedure="40")})
    check(base, "V-RI-1", {"/previous_declarations/0/number": "X-1"}, "ri", context=export, box="40")
    assert [e for e in run(base("ri"), imported) if e.rule == "V-RI-1"]


def test_V_RI_2(base):
    check(base, "V-RI-2", {"/goods/0/origin_country": {"alpha": "TR", "numeric": "792"}}, "ri", severity="warning")


# --- Special procedures and declaration types ------------------------------------------------


def _without(code: str) -> Callable[[dict[str, Any]], None]:
    def drop(doc: dict[str, Any]) -> None:
        for g in doc["goods"]:
            g["documents"] = [d for d in g["documents"] if d.get("code") != code]

    return drop


def test_P_51_1(base):
    check(base, "P-51-1", _without("9202"), "ip", box="44", severity="warning")


def test_P_52_1(base):
    check(base, "P-52-1", _without("9201"), "op", box="44", severity="warning")


def test_P_74_1(base):
    check(base, "P-74-1", _without("4012"), "cw", box="44")


def test_P_74_2(base):
    check(base, "P-74-2", {"/warehouse": DELETE}, "cw", box="49")


def test_P_21_1(base):
    check(base, "P-21-1", _without("9102"), "t21", box="44", severity="warning")


def test_P_31_1(base):
    check(base, "P-31-1", _without("9101"), "t31", box="44", severity="warning")


def test_P_41_1(base):
    check(base, "P-41-1", {"/goods/0/privilege": "090"}, "ri", box="36", item=1)
    # re-import accepts box 36 = 020 (the profile no longer refuses the box).
    doc = base("ri")
    doc["goods"][0]["privilege"] = "020"
    assert [e for e in run(doc) if e.box == "36" and e.severity == "error"] == []


def test_P_80_1(base):
    check(base, "P-80-1", {"/destination_office/office_codes": []}, "tr", box="53")


def test_T_02_1(base):
    check(base, "T-02-1", {"/direction": "İX"}, "nb", box="1")


def test_T_03_1(base):
    check(base, "T-03-1", {"/direction": "İD"}, "nb3", box="1")


def test_T_06_1(base):
    check(base, "T-06-1", {"/direction": "İX"}, "sb6", box="1")


def test_T_11_1(base):
    check(base, "T-11-1", {"/direction": "İX"}, "qib", box="1")


def test_T_12_1(base):
    check(base, "T-12-1", {"/direction": "İD"}, "qixb", box="1")


def test_T_02_2(base):
    check(base, "T-02-2", {"/previous_declarations/0/kind": "SB"}, "nb", box="40")


def test_T_04_1(base):
    check(base, "T-04-1", {"/previous_declarations/0/kind": "GB"}, "sb4", box="40")


def test_T_05_1(base):
    check(base, "T-05-1", {"/previous_declarations": []}, "sb5", box="40")


def test_T_07_1(base):
    check(base, "T-07-1", {"/previous_declarations/0/kind": "QB"}, "eb7", box="40")


def test_T_08_1(base):
    check(base, "T-08-1", {"/previous_declarations": []}, "eb8", box="40")


def test_T_02_3(base):
    check(base, "T-02-3", {"/goods/0/documents/1/line": 8}, "nb", box="44", item=1)


@pytest.mark.parametrize("code", ["V-2-1", "V-8-1"])
def test_party_identifier_accepts_gooen(base, code):
    kind, field = ("ex", "/consignor") if code == "V-2-1" else ("im", "/consignee")
    doc = base(kind)
    setp(doc, f"{field}/identifier_kind", "GÖÖEN")
    setp(doc, f"{field}/identifier", "G12345")
    assert not [e for e in run(doc) if e.rule == code]


def test_V_8_1_does_not_ask_a_transit_receiver_for_a_voen(reference):
    import json
    from pathlib import Path

    from gomruk.document.model import Declaration
    from gomruk.rules.engine import validate

    data = json.loads(Path("tests/data/declarations/valid/01-id-80.json").read_text(encoding="utf-8"))
    data["consignee"] = {"name": "Kartli Trading LLC", "address": "Tbilisi, Rustaveli ave. 5"}
    errors = validate(Declaration.model_validate(data), reference=reference)
    assert not [e for e in errors if e.rule == "V-8-1"]


# --- Requirements of the box texts without a code in the spec (issue 15) ----------------------


def test_V_1_6(base):
    (error,) = check(base, "V-1-6", {"/declaration_type": "99"}, box="1")
    # An unknown type is not validated as a GB import: V-1-6 is its only finding.
    doc = base("im")
    doc["declaration_type"] = "99"
    doc["transaction_nature"] = "zzz"
    assert [e.rule for e in run(doc)] == ["V-1-6"]


def test_V_2_4(base):
    check(base, "V-2-4", {"/consignor/identifier_kind": "GÖÖEN", "/consignor/identifier": "AB12345"}, "ex", box="2")
    # A VÖEN ending in 1 is a legal person's, not a natural person's.
    errors = check(
        base, "V-2-4", {"/consignor/person_kind": "natural", "/consignor/identity_document": "AZE 1234567"}, "ex", box="2"
    )
    assert "legal person's" in errors[0].message_en


def test_V_8_4(base):
    check(base, "V-8-4", {"/consignee/identifier": "1401555072"}, box="8")


def test_V_9_4(base):
    check(base, "V-9-4", {"/financial_party/identifier_kind": "GÖÖEN", "/financial_party/identifier": "G1"}, box="9")


def test_V_14_4(base):
    check(base, "V-14-4", {"/declarant/identifier_kind": "GÖÖEN", "/declarant/identifier": "G1"}, box="14")


def test_V_8_3(base):
    natural = {"/consignee/person_kind": "natural", "/consignee/identifier": "1401555072"}
    check(base, "V-8-3", natural, box="8")


def test_V_9_3(base):
    check(base, "V-9-3", {"/financial_party/person_kind": "natural", "/financial_party/identifier": "1401555072"}, box="9")


def test_V_54_2(base):
    broker = {"/declarant/acts_as_broker": True, "/declarant/broker_licence_number": "L-7", "/declarant/broker_licence_date": "2024-01-01"}
    errors = check(base, "V-54-2", broker, box="54")
    assert {e.path for e in errors} == {
        "/place_and_signature/broker_firm_name", "/place_and_signature/broker_firm_voen", "/place_and_signature/specialist_name"
    }
    doc = base("im")
    for path, value in broker.items():
        setp(doc, path, value)
    doc["place_and_signature"].update(broker_firm_name="Broker MMC", broker_firm_voen="1700120051", specialist_name="Elvin Həsənov")
    assert not [e for e in run(doc) if e.rule == "V-54-2"]


def test_V_40_3(base):
    # Re-export without its earlier declaration.
    check(base, "V-40-3", {"/previous_declarations": []}, "ri", box="40")
    # Goods leaving processing (box 37 digits 3–4 = 51) name the processing declaration.
    check(base, "V-40-3", {"/goods/0/procedure_code": "405100"}, "one", box="40")
    # An earlier declaration dated after this one does not precede it.
    errors = check(base, "V-40-3", {"/previous_declarations/0/date": "2025-02-01"}, "ri", box="40")
    assert "later than this one" in errors[0].message_en
    number = "00100/100624/0000042"
    later = ValidationContext(known_declarations={number: KnownDeclaration(number, date=date(2025, 3, 1))})
    assert [e for e in run(base("ri"), later) if e.rule == "V-40-3"]


def test_V_28_2(base):
    def four_lines(doc):
        doc["financial_details"] = [{"line": n, "text": f"line {n}"} for n in (1, 2, 3, 4)]

    errors = check(base, "V-28-2", four_lines, "tr", box="28")
    assert len(errors) == 2
