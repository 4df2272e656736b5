"""The header totals (boxes 5, 6, 12, 22) beside what the goods items add up to.

The summary page shows both so the declarant sees a difference before the rules (V-6-*,
V-22-2) refuse it. It reads the stored document as it is: a draft may not parse yet.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any


@dataclass(frozen=True)
class BoxTotal:
    box: str
    declared: Any
    computed: Any


def _sum(values: list[Any]) -> Decimal | None:
    """The sum of the values given; None when none is (nothing to compare)."""
    numbers = [Decimal(str(v)) for v in values if v not in (None, "")]
    return sum(numbers, Decimal(0)) if numbers else None


def declaration_totals(document: dict[str, Any]) -> list[BoxTotal]:
    goods = document.get("goods") or []
    packages = [(g.get("packages") or {}).get("count") for g in goods]
    currency = document.get("invoice_currency") or ""
    invoice_sum = _sum([g.get("invoice_value") for g in goods])
    return [
        BoxTotal("5", document.get("total_items"), len(goods)),
        BoxTotal("6", document.get("total_packages"), _sum(packages)),
        BoxTotal("12", document.get("total_customs_value"), _sum([g.get("customs_value") for g in goods])),
        BoxTotal(
            "22",
            f"{currency} {document.get('total_invoice_value') or ''}".strip(),
            f"{currency} {invoice_sum or ''}".strip(),
        ),
    ]
