"""What an amendment changes in the payments: boxes 47 (per goods item) and B (per payment
type), before and after, computed on the same date so only the content's change shows."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from gomruk.core.money import money
from gomruk.duties.results import Calculation

ZERO = Decimal("0.00")


@dataclass(frozen=True)
class Difference:
    before: Decimal
    after: Decimal

    @property
    def change(self) -> Decimal:
        return money(self.after - self.before)

    def data(self) -> dict[str, str]:
        return {"before": str(money(self.before)), "after": str(money(self.after)), "difference": str(self.change)}


def _box_b(calculation: Calculation) -> dict[str, Decimal]:
    totals: dict[str, Decimal] = {}
    for line in calculation.accounting:
        totals[line.payment_type] = totals.get(line.payment_type, ZERO) + line.amount
    return totals


def _box_47(calculation: Calculation) -> dict[tuple[int, str], Decimal]:
    totals: dict[tuple[int, str], Decimal] = {}
    for item in calculation.items:
        for line in item.lines:
            key = (item.item, line.payment_type)
            totals[key] = totals.get(key, ZERO) + line.amount
    return totals


def payments_difference(before: Calculation, after: Calculation) -> dict[str, Any]:
    """JSON-ready: ``box_b`` rows per payment type, ``box_47`` rows per goods item and payment
    type (only those that are non-zero on either side), the totals, and the date."""
    b_before, b_after = _box_b(before), _box_b(after)
    box_b = [
        {"payment_type": t, **Difference(b_before.get(t, ZERO), b_after.get(t, ZERO)).data()}
        for t in sorted(set(b_before) | set(b_after))
    ]
    l_before, l_after = _box_47(before), _box_47(after)
    box_47 = [
        {"item": item, "payment_type": t, **Difference(l_before.get((item, t), ZERO), l_after.get((item, t), ZERO)).data()}
        for item, t in sorted(set(l_before) | set(l_after))
    ]
    return {
        "on": after.on.isoformat() if after.on else None,
        "tariff_date": after.tariff_date.isoformat(),
        "provisional": before.provisional or after.provisional,
        "box_b": box_b,
        "box_47": box_47,
        "total": Difference(before.accounting_total, after.accounting_total).data(),
    }
