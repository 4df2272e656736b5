"""Inputs and outputs of the payment calculation: options, lines, box B, the result.

Every figure carries the formula that produced it in Azerbaijani and English; ``as_dict``
gives JSON-ready data (Decimals as strings) for the API and the portal.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from gomruk.document.model import (
    AccountingDetails,
    AccountingLine,
    Declaration,
    GoodsItem,
    OfficeOfDispatch,
    PaymentLine,
)
from gomruk.duties.rates import RateQuote
from gomruk.reference.codes import NATIONAL_CURRENCY


@dataclass(frozen=True)
class CalcOptions:
    """Facts the document does not carry (or overrides for a what-if estimate)."""

    # Control outside working hours or outside the customs zone: Appendix 8 double-fee codes.
    outside_working_hours: bool = False
    # Payment types deferred (ÖÜ 03) in addition to those the declarant marked 03/04 in box 47.
    deferred_payment_types: frozenset[str] = frozenset()
    deferral_method: str = "03"
    # Item number (1-based) → AZN added to 42 × 23 to make box 45 (carriage, insurance …).
    adjustments: Mapping[int, Decimal] = field(default_factory=dict)
    # Procedures whose duties and taxes are calculated conditionally (ÖÜ 05, not in box B).
    conditional_procedures: frozenset[str] = frozenset({"21", "31"})
    # Suspensive procedures: no duties or taxes are levied while the goods stay under them
    # (temporary storage 61, free zone 71, customs warehouse 74, transit 80/81); only the
    # clearance fee is charged.
    suspended_procedures: frozenset[str] = frozenset({"61", "71", "74", "80", "81"})
    # VAT where the tariff names no VAT measure (Tax Code: 18%).
    vat_percent: Decimal = Decimal(18)
    # Date of the tariff and fee schedule for a draft (no acceptance date); default: today.
    today: date | None = None
    charge_clearance_fee: bool = True
    # Formulas and sources of each line (az/en texts) for people; a caller that only compares
    # figures (the signing gate's D- rules) leaves them out: they are a third of its cost.
    explain: bool = True


@dataclass(frozen=True)
class Text:
    az: str
    en: str

    def data(self) -> dict[str, str]:
        return {"az": self.az, "en": self.en}


#: A formula not written out (``CalcOptions(explain=False)``).
UNEXPLAINED = Text("", "")


@dataclass(frozen=True)
class Notice:
    code: str
    text: Text
    item: int | None = None
    box: str | None = None

    def data(self) -> dict[str, Any]:
        return {"code": self.code, "item": self.item, "box": self.box, **self.text.data()}


@dataclass(slots=True)
class Line:
    """A box 47 row: Növ | Hesablama bazası | Tarif dərəcəsi | Məbləğ | ÖÜ. A result, not
    changed once built; not a frozen dataclass only because a 100-item calculation builds two
    hundred of them, and frozen construction costs two and a half times as much."""

    item: int
    payment_type: str
    name: Text
    base: Decimal
    base_unit: str
    rate: str
    amount: Decimal
    method: str
    formula: Text
    # The tariff line the amount comes from (prefix, payment type, validity), or the fee schedule.
    source: Text | None = None

    def data(self) -> dict[str, Any]:
        return {
            "item": self.item,
            "payment_type": self.payment_type,
            "name": self.name.data(),
            "base": str(self.base),
            "base_unit": self.base_unit,
            "rate": self.rate,
            "amount": str(self.amount),
            "method": self.method,
            "formula": self.formula.data(),
            "source": self.source.data() if self.source else None,
        }

    def as_payment_line(self) -> PaymentLine:
        return PaymentLine(
            payment_type=self.payment_type, base=self.base, rate=self.rate, amount=self.amount, method=self.method
        )


@dataclass(frozen=True)
class Exempted:
    item: int
    payment_type: str
    privilege: str
    text: Text

    def data(self) -> dict[str, Any]:
        return {"item": self.item, "payment_type": self.payment_type, "privilege": self.privilege, **self.text.data()}


@dataclass
class ItemResult:
    item: int
    commodity_code: str
    currency: str
    invoice_value: Decimal | None
    rate: RateQuote | None = None
    customs_value: Decimal | None = None
    customs_value_formula: Text | None = None
    statistical_value: Decimal | None = None
    statistical_value_formula: Text | None = None
    lines: list[Line] = field(default_factory=list)
    exempted: list[Exempted] = field(default_factory=list)
    # Import duties are due but the tariff has no line for the code (rule D-33-1).
    missing_tariff_line: bool = False

    def data(self) -> dict[str, Any]:
        return {
            "item": self.item,
            "commodity_code": self.commodity_code,
            "currency": self.currency,
            "invoice_value": _s(self.invoice_value),
            "rate": self.rate.data() if self.rate else None,
            "customs_value": _s(self.customs_value),
            "customs_value_formula": self.customs_value_formula.data() if self.customs_value_formula else None,
            "statistical_value": _s(self.statistical_value),
            "statistical_value_formula": (
                self.statistical_value_formula.data() if self.statistical_value_formula else None
            ),
            "lines": [line.data() for line in self.lines],
            "exempted": [e.data() for e in self.exempted],
            "missing_tariff_line": self.missing_tariff_line,
        }


@dataclass(frozen=True)
class BLine:
    """Box B element line 'E1-E2-E3[-E4]'."""

    payment_type: str
    amount: Decimal
    currency: str = NATIONAL_CURRENCY
    guarantee: str | None = None

    @property
    def text(self) -> str:
        parts = [self.payment_type, f"{self.amount:.2f}", self.currency]
        if self.guarantee:
            parts.append(self.guarantee)
        return "-".join(parts)

    def data(self) -> dict[str, Any]:
        return {
            "payment_type": self.payment_type,
            "amount": str(self.amount),
            "currency": self.currency,
            "guarantee": self.guarantee,
            "text": self.text,
        }


@dataclass
class Calculation:
    on: date | None
    tariff_date: date
    provisional: bool
    items: list[ItemResult]
    accounting: list[BLine]
    accounting_total: Decimal
    conditional_total: Decimal
    total_customs_value: Decimal | None
    invoice_currency: str | None
    total_invoice_value: Decimal | None
    exchange_rate: RateQuote | None
    usd_rate: RateQuote | None
    notices: list[Notice]

    @property
    def lines(self) -> list[Line]:
        return [line for item in self.items for line in item.lines]

    @property
    def total(self) -> Decimal:
        return self.accounting_total

    def item(self, number: int) -> ItemResult | None:
        return next((i for i in self.items if i.item == number), None)

    def data(self) -> dict[str, Any]:
        return self.as_dict()

    def as_dict(self) -> dict[str, Any]:
        return {
            "on": self.on.isoformat() if self.on else None,
            "tariff_date": self.tariff_date.isoformat(),
            "provisional": self.provisional,
            "box_12": _s(self.total_customs_value),
            "box_22": {"currency": self.invoice_currency, "total": _s(self.total_invoice_value)},
            "box_23": self.exchange_rate.data() if self.exchange_rate else None,
            "box_a": self.usd_rate.data() if self.usd_rate else None,
            "items": [item.data() for item in self.items],
            "box_b": {
                "lines": [line.data() for line in self.accounting],
                "total": str(self.accounting_total),
            },
            "conditional_total": str(self.conditional_total),
            "total": str(self.total),
            "notices": [n.data() for n in self.notices],
        }

    def apply_to(self, document: Declaration) -> Declaration:
        """A copy of ``document`` with the computed boxes filled in (12, 22, 23, A, 45, 46, 47, B)."""
        goods: list[GoodsItem] = []
        for index, item in enumerate(document.goods, start=1):
            result = self.item(index)
            if result is None:
                goods.append(item)
                continue
            goods.append(
                item.model_copy(
                    update={
                        "customs_value": result.customs_value,
                        "statistical_value": result.statistical_value,
                        "payments": [line.as_payment_line() for line in result.lines],
                    }
                )
            )
        office = document.office_of_dispatch
        if self.usd_rate is not None:
            office = (office or OfficeOfDispatch()).model_copy(
                update={"usd_rate": self.usd_rate.rate, "usd_rate_date": self.usd_rate.bulletin_date}
            )
        accounting = AccountingDetails(
            lines=[
                AccountingLine(payment_type=b.payment_type, amount=b.amount, currency=b.currency, guarantee=b.guarantee)
                for b in self.accounting
            ],
            total=self.accounting_total,
        )
        return document.model_copy(
            update={
                "goods": goods,
                "total_customs_value": self.total_customs_value,
                "invoice_currency": document.invoice_currency or self.invoice_currency,
                "total_invoice_value": self.total_invoice_value,
                "exchange_rate": self.exchange_rate.rate if self.exchange_rate else None,
                "office_of_dispatch": office,
                "accounting": accounting,
            }
        )


def _s(value: Decimal | None) -> str | None:
    return str(value) if value is not None else None
