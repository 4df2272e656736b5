"""One test per payment rule (P-…): a document that passes and one that fails."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from gomruk.duties.rules import (
    D_12_1,
    D_22_1,
    D_23_1,
    D_33_1,
    D_45_1,
    D_46_1,
    D_47_1,
    D_47_2,
    D_B_1,
)
from gomruk.rules.base import REGISTRY, Env, ValidationContext
from gomruk.rules.profiles import profile_for

D = Decimal


@pytest.fixture
def scenario(calc, make_doc, reference):
    """A two-item import with a deferred VAT; ``filled`` carries the computed boxes."""
    doc = make_doc(
        {"commodity_code": "0901210000", "invoice_value": "10000", "payments": [{"payment_type": "32", "method": "03"}]},
        {"commodity_code": "6403990000", "invoice_value": "1000", "quantity": "300", "supplementary_unit": "715"},
        guarantee={"letter": "BQ", "code": "33"},
        deferred_until="2024-03-05",
    )
    result = calc(doc)
    filled = result.apply_to(doc)

    def run(rule, document):
        context = ValidationContext(acceptance_date=date(2024, 2, 5), calculation=calc(document))
        env = Env(doc=document, ref=reference, on=date(2024, 2, 5), context=context, profile=profile_for("01", "İD", "40"))
        return list(rule.check(env)) if rule.when(env) else []

    return filled, run


def change(doc, **updates):
    return doc.model_copy(update=updates)


def change_item(doc, index, **updates):
    goods = list(doc.goods)
    goods[index] = goods[index].model_copy(update=updates)
    return doc.model_copy(update={"goods": goods})


def test_rules_are_registered_under_their_codes():
    for code in ("D-45-1", "D-46-1", "D-47-1", "D-47-2", "D-B-1", "D-12-1", "D-22-1", "D-23-1"):
        assert code in REGISTRY


def test_rules_are_skipped_without_a_calculation(scenario, reference):
    filled, _ = scenario
    broken = change_item(filled, 0, customs_value=D("1"))
    env = Env(doc=broken, ref=reference, on=date(2024, 2, 5), context=ValidationContext(), profile=profile_for("01", "İD", "40"))
    assert not D_45_1().when(env)


def test_D_45_1(scenario):
    filled, run = scenario
    assert run(D_45_1(), filled) == []
    errors = run(D_45_1(), change_item(filled, 1, customs_value=D("1700.02")))
    assert [(e.rule, e.box, e.item, e.path) for e in errors] == [("D-45-1", "45", 2, "/goods/1/customs_value")]
    assert "1700.00" in errors[0].message_en
    assert run(D_45_1(), change_item(filled, 1, customs_value=D("1700.01"))) == []  # rounding step


def test_D_46_1(scenario):
    filled, run = scenario
    assert run(D_46_1(), filled) == []
    errors = run(D_46_1(), change_item(filled, 0, statistical_value=None))
    assert [(e.box, e.item) for e in errors] == [("46", 1)]


def test_D_47_1(scenario):
    filled, run = scenario
    assert run(D_47_1(), filled) == []
    payments = [p.model_copy() for p in filled.goods[1].payments]
    payments[0] = payments[0].model_copy(update={"amount": D("255.00")})  # ad valorem part instead of 1 200
    errors = run(D_47_1(), change_item(filled, 1, payments=payments))
    assert [(e.box, e.item, e.path) for e in errors] == [("47", 2, "/goods/1/payments/0/amount")]
    assert "1200.00" in errors[0].message_en
    missing = run(D_47_1(), change_item(filled, 1, payments=[]))
    assert {e.path for e in missing} == {"/goods/1/payments"} and len(missing) == 2
    # a conditional method where a normal one is due
    wrong_method = [p.model_copy(update={"method": "05"}) if p.payment_type == "20" else p for p in filled.goods[0].payments]
    assert [e.path for e in run(D_47_1(), change_item(filled, 0, payments=wrong_method))] == ["/goods/0/payments/1/method"]


def test_D_47_2(scenario):
    from gomruk.document.model import PaymentLine

    filled, run = scenario
    assert run(D_47_2(), filled) == []
    extra = [*filled.goods[1].payments, PaymentLine(payment_type="30", base=D("1"), rate="1%", amount=D("1"), method="01")]
    errors = run(D_47_2(), change_item(filled, 1, payments=extra))
    assert [(e.item, e.value) for e in errors] == [(2, "30")]


def test_D_B_1(scenario):
    filled, run = scenario
    assert [line.guarantee for line in filled.accounting.lines] == [None, None, "33"]
    assert run(D_B_1(), filled) == []
    lines = list(filled.accounting.lines)
    lines[2] = lines[2].model_copy(update={"guarantee": None})
    errors = run(D_B_1(), change(filled, accounting=filled.accounting.model_copy(update={"lines": lines})))
    assert [(e.box, e.path) for e in errors] == [("B", "/accounting/lines/2/guarantee")]
    assert "32-3735.00-944-33" in errors[0].message_en
    wrong_total = filled.accounting.model_copy(update={"total": D("1.00")})
    assert [e.path for e in run(D_B_1(), change(filled, accounting=wrong_total))] == ["/accounting/total"]


def test_D_12_1(scenario):
    filled, run = scenario
    assert run(D_12_1(), filled) == []
    assert [e.box for e in run(D_12_1(), change(filled, total_customs_value=D("18000.00")))] == ["12"]


def test_D_22_1(scenario):
    filled, run = scenario
    assert run(D_22_1(), filled) == []
    assert [e.box for e in run(D_22_1(), change(filled, total_invoice_value=D("10000.00")))] == ["22"]


def test_D_23_1(scenario):
    filled, run = scenario
    assert run(D_23_1(), filled) == []
    errors = run(D_23_1(), change(filled, exchange_rate=D("1.71")))
    assert [e.box for e in errors] == ["23"]
    assert "02.02.2024" in errors[0].message_en


def test_D_33_1(scenario, calc):
    filled, run = scenario
    assert run(D_33_1(), filled) == []
    # A code the tariff has no import-duty line for is an error, not a silent zero.
    unlisted = change_item(filled, 1, commodity_code="9503000000")
    errors = run(D_33_1(), unlisted)
    assert [(e.box, e.item) for e in errors] == [("33", 2)]
    assert "no import duty line for code 9503000000" in errors[0].message_en
    # The declared duty of that item is not "undue" on top of it (one finding, not two).
    assert not [e for e in run(D_47_2(), unlisted) if e.item == 2]


def test_the_calculation_names_the_tariff_line(calc, make_doc):
    doc = make_doc({"commodity_code": "0901210000", "invoice_value": "10000"})
    (item,) = calc(doc).items
    sources = {line.payment_type: line.source.en for line in item.lines}
    assert sources["20"].startswith("tariff line 0901 / payment 20 (01.01.2024–…)")
    assert sources["32"].startswith("tariff line * / payment 32")
    assert sources["01"].startswith("customs fee schedule:")
