"""Worked examples, computed by hand, for every measure kind (SAMPLE tariff; USD 1.7, EUR 2)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

D = Decimal
MONDAY = date(2024, 2, 5)


def lines(result, item=1):
    return {line.payment_type: line for line in result.item(item).lines}


def amounts(result, item=1):
    return {t: line.amount for t, line in lines(result, item).items()}


def b_lines(result):
    return [b.text for b in result.accounting]


def test_ad_valorem_duty_vat_fee_and_box_b(calc, make_doc):
    # 10 000 USD × 1.7 = 17 000 AZN; coffee duty 10% (2023): 1 700; VAT 18% × 18 700 = 3 366; fee ≤ 50 000: 120
    result = calc(make_doc({"commodity_code": "0901210000", "invoice_value": "10000"}), on=date(2023, 6, 1))
    item = result.item(1)
    assert item.customs_value == D("17000.00")
    assert item.customs_value_formula.en == "10 000.00 USD × 1.7000 = 17 000.00 AZN"
    assert item.statistical_value == D("10000.00")
    assert item.statistical_value_formula.az == "17 000.00 AZN ÷ 1.7000 = 10 000.00 USD"
    duty = lines(result)["20"]
    assert (duty.base, duty.rate, duty.amount, duty.method) == (D("17000.00"), "10%", D("1700.00"), "01")
    assert duty.formula.az == "10% × 17 000.00 AZN = 1 700.00 AZN"
    assert duty.name.en == "Import customs duty"
    vat = lines(result)["32"]
    assert (vat.base, vat.amount) == (D("18700.00"), D("3366.00"))
    assert "18% × 18 700.00 AZN = 3 366.00 AZN" in vat.formula.en
    assert amounts(result) == {"01": D("120.00"), "20": D("1700.00"), "32": D("3366.00")}
    assert b_lines(result) == ["01-120.00-944", "20-1700.00-944", "32-3366.00-944"]
    assert result.accounting_total == result.total == D("5186.00")
    assert result.total_customs_value == D("17000.00")
    assert (result.invoice_currency, result.total_invoice_value) == ("840", D("10000.00"))
    assert not result.provisional


def test_dated_measure_and_longest_prefix(calc, make_doc):
    coffee = calc(make_doc({"commodity_code": "0901210000", "invoice_value": "10000"}))
    assert amounts(coffee)["20"] == D("850.00")  # 5% from 2024
    doc = make_doc(
        {"commodity_code": "8516710000", "invoice_value": "1000"},  # coffee maker: 851671 → 5%
        {"commodity_code": "8516100000", "invoice_value": "1000"},  # heater: 8516 → 15%
    )
    result = calc(doc)
    assert amounts(result, 1)["20"] == D("85.00")
    assert amounts(result, 2)["20"] == D("255.00")


def test_specific_duty_per_kg_in_euro(calc, make_doc):
    # 2 000 USD → 3 400 AZN; 0.50 EUR/kq × 1 200 kq × 2 = 1 200 AZN; VAT 18% × 4 600 = 828
    doc = make_doc({"commodity_code": "0207140000", "invoice_value": "2000", "net_mass": "1200"})
    duty = lines(calc(doc))["20"]
    assert (duty.base, duty.base_unit, duty.rate, duty.amount) == (D("1200.000"), "kq", "0.50 EUR/kq", D("1200.00"))
    assert duty.formula.en == "0.50 EUR/kq × 1 200 kq × 2.0000 AZN/EUR = 1 200.00 AZN"
    assert amounts(calc(doc))["32"] == D("828.00")


def test_specific_duty_without_the_quantity_is_not_guessed(calc, make_doc):
    result = calc(make_doc({"commodity_code": "0207140000", "invoice_value": "2000"}))
    assert "20" not in amounts(result)
    assert any(n.code == "no_quantity" and n.item == 1 for n in result.notices)


def test_combined_duty_specific_part_wins(calc, make_doc):
    # 1 000 USD → 1 700 AZN: 15% = 255 < 2.00 EUR × 300 pairs × 2 = 1 200 → 1 200
    doc = make_doc({"commodity_code": "6403990000", "invoice_value": "1000", "quantity": "300", "supplementary_unit": "715"})
    duty = lines(calc(doc))["20"]
    assert (duty.amount, duty.rate, duty.base, duty.base_unit) == (D("1200.00"), "15%;2.00 EUR/cüt", D("300"), "cüt")
    assert duty.formula.en == (
        "15% but not less than 2.00 EUR/cüt: 15% × 1 700.00 AZN = 255.00 AZN; "
        "2.00 EUR/cüt × 300 cüt × 2.0000 AZN/EUR = 1 200.00 AZN → 1 200.00 AZN"
    )


def test_combined_duty_ad_valorem_part_wins(calc, make_doc):
    # 10 000 USD → 17 000 AZN: 15% = 2 550 > 2.00 EUR × 50 × 2 = 200 → 2 550
    doc = make_doc({"commodity_code": "6403990000", "invoice_value": "10000", "quantity": "50", "supplementary_unit": "715"})
    duty = lines(calc(doc))["20"]
    assert (duty.amount, duty.base, duty.base_unit) == (D("2550.00"), D("17000.00"), "AZN")


def test_export_duty_ad_valorem_and_specific_and_no_vat(calc, make_doc):
    doc = make_doc(
        {"commodity_code": "4403110000", "invoice_value": "5000"},  # 8 500 AZN × 10% = 850
        {"commodity_code": "7204490000", "invoice_value": "3000", "net_mass": "20000"},  # 0.10 × 20 000 = 2 000
        direction="İX",
        procedure="10",
    )
    result = calc(doc)
    assert amounts(result, 1) == {"01": D("120.00"), "25": D("850.00")}  # box 12 = 13 600 → 120
    assert amounts(result, 2) == {"25": D("2000.00")}
    assert b_lines(result) == ["01-120.00-944", "25-2850.00-944"]


def test_excise_per_unit(calc, make_doc):
    # cigarettes: 3 000 USD → 5 100; duty 15% = 765; excise 30 AZN × 50 (thousand) = 1 500;
    # VAT 18% × (5 100 + 765 + 1 500 = 7 365) = 1 325.70
    doc = make_doc({"commodity_code": "2402200000", "invoice_value": "3000", "quantity": "50", "supplementary_unit": "798"})
    result = calc(doc)
    assert amounts(result) == {"01": D("60.00"), "20": D("765.00"), "30": D("1500.00"), "32": D("1325.70")}
    assert lines(result)["30"].formula.en == "30.00 AZN/1000 əd × 50 1000 əd = 1 500.00 AZN"


def test_excise_per_litre(calc, make_doc):
    # beer: 500 USD → 850; duty 15% = 127.50; excise 0.20 × 1 000 l = 200; VAT 18% × 1 177.50 = 211.95
    doc = make_doc({"commodity_code": "2203000100", "invoice_value": "500", "quantity": "1000", "supplementary_unit": "112"})
    assert amounts(calc(doc)) == {"01": D("15.00"), "20": D("127.50"), "30": D("200.00"), "32": D("211.95")}


@pytest.mark.parametrize(
    ("volume", "excise", "formula"),
    [
        ("1600", "480.00", "1 600 sm3 × 0.30 AZN = 480.00 AZN"),
        ("2000", "600.00", "2 000 sm3 × 0.30 AZN = 600.00 AZN"),
        ("2500", "3100.00", "2 000 sm3 × 0.30 AZN + 500 sm3 × 5.00 AZN = 3 100.00 AZN"),
        ("3500", "12100.00", "2 000 sm3 × 0.30 AZN + 1 000 sm3 × 5.00 AZN + 500 sm3 × 13.00 AZN = 12 100.00 AZN"),
        ("5500", "88600.00", None),  # 600 + 5 000 + 13 000 + 35 000 + 500 × 70
    ],
)
def test_excise_per_cm3_of_engine_volume_in_bands(calc, make_doc, volume, excise, formula):
    doc = make_doc({"commodity_code": "8703231900", "invoice_value": "5000", "quantity": volume, "supplementary_unit": "033"})
    result = calc(doc)
    line = lines(result)["30"]
    assert line.amount == D(excise)
    if formula:
        assert line.formula.en == formula
    # VAT on customs value + duty + excise: 8 500 + 1 275 + excise
    assert amounts(result)["32"] == (D("0.18") * (D("9775") + D(excise))).quantize(D("0.01"))


def test_privilege_exempts_from_its_payment_types(calc, make_doc):
    # humanitarian aid (040): no duty, no VAT — only the clearance fee; free trade (210): duty only
    doc = make_doc(
        {"commodity_code": "0901210000", "invoice_value": "10000", "privilege": "040"},
        {"commodity_code": "0901210000", "invoice_value": "1000", "privilege": "210"},
    )
    result = calc(doc)
    assert amounts(result, 1) == {"01": D("120.00")}  # box 12 = 18 700
    assert [e.payment_type for e in result.item(1).exempted] == ["20", "32"]
    assert result.item(1).exempted[0].text.en == "20 Import customs duty: exempt under privilege 040 (Humanitarian aid)"
    # item 2: 1 700 AZN, no duty; VAT 18% × 1 700 = 306
    assert amounts(result, 2) == {"32": D("306.00")}
    assert b_lines(result) == ["01-120.00-944", "32-306.00-944"]


def test_deferment_with_guarantee(calc, make_doc):
    # the declarant marks VAT as deferred (ÖÜ 03) and gives a bank guarantee (BQ 33) and box 48
    doc = make_doc(
        {
            "commodity_code": "0901210000",
            "invoice_value": "10000",
            "payments": [{"payment_type": "32", "method": "03"}],
        },
        guarantee={"letter": "BQ", "code": "33"},
        deferred_until="2024-03-05",
    )
    result = calc(doc)
    assert lines(result)["32"].method == "03"
    assert lines(result)["20"].method == "01"
    assert b_lines(result) == ["01-120.00-944", "20-850.00-944", "32-3213.00-944-33"]
    assert result.total == D("4183.00")
    assert not [n for n in result.notices if n.code.startswith("deferral")]


def test_deferment_by_letter_alias_and_its_missing_guarantee_and_deadline(calc, make_doc):
    doc = make_doc({"commodity_code": "0901210000", "invoice_value": "10000", "payments": [{"payment_type": "32", "method": "ÖM"}]})
    result = calc(doc)
    assert lines(result)["32"].method == "03"
    assert b_lines(result)[-1] == "32-3213.00-944"
    assert {n.code for n in result.notices} >= {"deferral_without_guarantee", "deferral_without_deadline"}


def test_two_invoice_currencies(calc, make_doc):
    # item 1: 1 000 USD × 1.7 = 1 700; item 2 invoiced in EUR: 500 × 2 = 1 000 → box 12 = 2 700
    # box 22 stays in USD: 1 000 + 500 × 2 / 1.7 (= 588.24) = 1 588.24
    doc = make_doc(
        {"commodity_code": "8516100000", "invoice_value": "1000"},
        {"commodity_code": "8516100000", "invoice_value": "500", "invoice_currency": "978"},
    )
    result = calc(doc)
    assert result.item(2).customs_value_formula.en == "500.00 EUR × 2.0000 = 1 000.00 AZN"
    assert (result.item(1).customs_value, result.item(2).customs_value) == (D("1700.00"), D("1000.00"))
    assert result.total_customs_value == D("2700.00")
    assert result.total_invoice_value == D("1588.24")
    assert result.exchange_rate.rate == D("1.7")
    assert any(n.code == "mixed_currencies" and n.item == 2 for n in result.notices)


def test_per_unit_rate_of_a_currency_quoted_per_100(calc, make_doc):
    doc = make_doc({"commodity_code": "8516100000", "invoice_value": "100000"}, invoice_currency="392")
    result = calc(doc)
    assert result.item(1).customs_value == D("1152.50")
    assert result.exchange_rate.rate == D("0.011525")


def test_temporary_import_is_conditional_and_stays_out_of_box_b(calc, make_doc):
    doc = make_doc({"commodity_code": "0901210000", "invoice_value": "10000", "procedure_code": "310000"}, procedure="31")
    result = calc(doc)
    assert {t: line.method for t, line in lines(result).items()} == {"01": "01", "20": "05", "32": "05"}
    assert b_lines(result) == ["01-120.00-944"]
    assert result.conditional_total == D("4063.00")  # 850 + 3 213


def test_declared_adjustment_is_added_to_box_45(calc, make_doc):
    # box 43 sub1 = 1: the declared box 45 (17 500) = 42 × 23 (17 000) + 500 adjustment
    doc = make_doc(
        {"commodity_code": "0901210000", "invoice_value": "10000", "customs_value": "17500", "valuation": {"adjusted": "1", "method": "01"}}
    )
    result = calc(doc)
    assert result.item(1).customs_value == D("17500.00")
    assert result.item(1).customs_value_formula.az == "10 000.00 USD × 1.7000 + 500.00 AZN (düzəliş) = 17 500.00 AZN"
    assert amounts(result)["20"] == D("875.00")
    # an adjustment given as an option (e.g. carriage to the border)
    plain = make_doc({"commodity_code": "0901210000", "invoice_value": "10000"})
    assert calc(plain, adjustments={1: D("-100")}).item(1).customs_value == D("16900.00")
    # not adjusted (sub1 = 0): the declared box 45 is not taken over
    unadjusted = make_doc({"commodity_code": "0901210000", "invoice_value": "10000", "customs_value": "17500", "valuation": {"adjusted": "0"}})
    assert calc(unadjusted).item(1).customs_value == D("17000.00")


def test_box_a_and_23_and_draft_is_provisional(calc, make_doc):
    doc = make_doc({"commodity_code": "0901210000", "invoice_value": "10000"}, invoice_currency="978")
    accepted = calc(doc)
    assert (accepted.usd_rate.rate, accepted.usd_rate.bulletin_date) == (D("1.7"), date(2024, 2, 2))
    assert accepted.exchange_rate.rate == D("2")
    draft = calc(doc, on=None, today=MONDAY)
    assert draft.provisional and draft.usd_rate.provisional
    assert draft.as_dict()["box_a"] == {"rate": "1.7", "bulletin_date": "2024-02-02", "provisional": True}


def test_missing_data_is_reported_not_invented(calc, make_doc, tariff):
    from gomruk.duties.calculation import calculate
    from gomruk.duties.rates import static_rates

    no_value = calc(make_doc({"commodity_code": "0901210000"}))
    assert no_value.total_customs_value is None and no_value.accounting == []
    assert {"no_invoice_value", "box12_incomplete"} <= {n.code for n in no_value.notices}
    rates = static_rates({"USD": D("1.7")}, MONDAY)
    unknown = calculate(make_doc({"commodity_code": "0901210000", "invoice_value": "1"}, invoice_currency="826"), tariff=tariff, rates=rates, on=MONDAY)
    assert unknown.item(1).customs_value is None
    assert unknown.notices[0].text.en == "There is no CBAR rate for GBP."
    no_duty = calc(make_doc({"commodity_code": "9999999999", "invoice_value": "100"}))
    assert any(n.code == "no_duty_measure" for n in no_duty.notices)


def test_as_dict_is_json_ready_and_apply_to_fills_the_boxes(calc, make_doc):
    import json

    doc = make_doc({"commodity_code": "0901210000", "invoice_value": "10000"}, guarantee={"code": "33"})
    result = calc(doc)
    data = json.loads(json.dumps(result.as_dict()))
    assert data["box_b"]["lines"][2]["text"] == "32-3213.00-944"
    assert data["items"][0]["lines"][1]["formula"]["en"] == "5% × 17 000.00 AZN = 850.00 AZN"
    filled = result.apply_to(doc)
    assert filled.total_customs_value == D("17000.00")
    assert filled.exchange_rate == D("1.7")
    assert filled.office_of_dispatch.usd_rate_date == date(2024, 2, 2)
    assert [p.payment_type for p in filled.goods[0].payments] == ["01", "20", "32"]
    assert filled.accounting.total == D("4183.00")
    assert filled.goods[0].statistical_value == D("10000.00")


def _figures(result):
    """Everything of a calculation but its formula and source texts."""
    data = result.as_dict()

    def strip(node):
        if isinstance(node, dict):
            return {k: strip(v) for k, v in node.items() if not k.endswith("formula") and k != "source"}
        if isinstance(node, list):
            return [strip(v) for v in node]
        return node

    return strip(data)


@pytest.mark.parametrize("explained_item", [
    {"commodity_code": "0901210000", "invoice_value": "10000"},
    {"commodity_code": "8703231990", "invoice_value": "15000", "net_mass": "1200", "quantity": "1998",
     "supplementary_unit": "166"},
    {"commodity_code": "8516710000", "invoice_value": "1000", "privilege": "001"},
])
def test_unexplained_calculation_has_the_same_figures(calc, make_doc, explained_item):
    """The signing gate computes without formulas (CalcOptions(explain=False)); every figure,
    notice and box B line is the one the explained estimate shows."""
    document = make_doc(explained_item, {"commodity_code": "8516100000", "invoice_value": "2500"})
    explained = calc(document)
    bare = calc(document, explain=False)
    assert _figures(bare) == _figures(explained)
    assert all(line.formula.az == "" for item in bare.items for line in item.lines if line.payment_type != "01")
    assert any(line.formula.az for item in explained.items for line in item.lines)
