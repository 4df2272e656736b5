"""The customs clearance fee schedule (payment type 01) as plain data, and its default file.

The fee depends on the total customs value (box 12) and is looked up in brackets whose upper
bounds are inclusive by default (``GOMRUK_FEE_UPPER_BOUNDS_INCLUSIVE``). Outside working
hours or outside the customs zone the double-fee code of Appendix 8 (02) is charged instead,
at twice the amount.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from importlib import resources
from typing import Any

from gomruk.duties.money import to_decimal

DEFAULT_SCHEDULE_FILE = "fee_schedule_default.json"


@dataclass(frozen=True)
class FeeBracketData:
    upper_bound: Decimal | None  # None: every value above the previous bracket
    amount: Decimal


@dataclass(frozen=True)
class FeeScheduleData:
    valid_from: date
    name: str
    brackets: tuple[FeeBracketData, ...]
    payment_type: str = "01"
    double_payment_type: str = "02"
    double_multiplier: Decimal = Decimal(2)

    def bracket_for(self, value: Decimal, *, inclusive: bool = True) -> FeeBracketData | None:
        ordered = sorted(
            self.brackets, key=lambda b: (b.upper_bound is None, b.upper_bound or Decimal(0))
        )
        for bracket in ordered:
            if bracket.upper_bound is None:
                return bracket
            if value < bracket.upper_bound or (inclusive and value == bracket.upper_bound):
                return bracket
        return None


def schedule_from_dict(raw: dict[str, Any]) -> FeeScheduleData:
    brackets = []
    for item in raw["brackets"]:
        amount = to_decimal(item["amount"])
        if amount is None:
            raise ValueError("a fee bracket needs an amount")
        brackets.append(FeeBracketData(upper_bound=to_decimal(item.get("up_to")), amount=amount))
    return FeeScheduleData(
        valid_from=date.fromisoformat(raw["valid_from"]),
        name=raw["name"],
        brackets=tuple(brackets),
        payment_type=raw.get("payment_type", "01"),
        double_payment_type=raw.get("double_payment_type", "02"),
        double_multiplier=to_decimal(raw.get("double_multiplier", "2")) or Decimal(2),
    )


def default_schedule() -> FeeScheduleData:
    text = (resources.files("gomruk.duties") / "data" / DEFAULT_SCHEDULE_FILE).read_text(encoding="utf-8")
    return schedule_from_dict(json.loads(text))
