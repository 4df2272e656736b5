"""The exchange rates customs fixes at registration (box A's USD rate, box 23), from the CBAR
bulletins of the duties app. When no bulletin covers the day, nothing is fixed: registration
keeps the declared values and says so — it never invents a rate."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from gomruk.duties.rates import rate_for
from gomruk.reference.codes import NATIONAL_CURRENCY


def rate_on(currency_numeric: str, on: date) -> tuple[Decimal, date] | None:
    if currency_numeric == NATIONAL_CURRENCY:
        # V-23-2: the national currency against itself.
        return Decimal("1"), on
    quote = rate_for(currency_numeric, on)
    if quote is None:
        return None
    return Decimal(str(quote.rate)), quote.bulletin_date
