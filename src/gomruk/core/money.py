"""Money rounding shared by every app: half-up to 2 decimals (qəpik), as CBAR rounds customs
payments (Methodology L656–657); weights to 3 decimals."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

CENT = Decimal("0.01")
GRAM = Decimal("0.001")


def money(value: Decimal) -> Decimal:
    return value.quantize(CENT, rounding=ROUND_HALF_UP)
