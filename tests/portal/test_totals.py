"""The summary's totals (issue 14: one service, tested without HTTP)."""

from __future__ import annotations

from decimal import Decimal

from gomruk.declarations.totals import BoxTotal, declaration_totals


def test_declared_totals_beside_the_sums_of_the_goods() -> None:
    document = {
        "total_items": 3, "total_packages": 7, "total_customs_value": "100.00", "invoice_currency": "840",
        "total_invoice_value": "60.50",
        "goods": [
            {"packages": {"count": 2}, "customs_value": "40.10", "invoice_value": "20.25"},
            {"packages": {"count": 3}, "customs_value": "59.90", "invoice_value": "40.25"},
        ],
    }
    assert declaration_totals(document) == [
        BoxTotal("5", 3, 2),
        BoxTotal("6", 7, Decimal(5)),
        BoxTotal("12", "100.00", Decimal("100.00")),
        BoxTotal("22", "840 60.50", "840 60.50"),
    ]


def test_nothing_to_add_is_no_sum_not_zero() -> None:
    document = {"goods": [{"packages": {}, "customs_value": "", "invoice_value": None}]}
    totals = {t.box: t for t in declaration_totals(document)}
    assert totals["5"].computed == 1
    assert totals["6"].computed is None and totals["12"].computed is None
    assert totals["22"].declared == "" and totals["22"].computed == ""


def test_an_empty_draft() -> None:
    assert [t.computed for t in declaration_totals({})] == [0, None, None, ""]
