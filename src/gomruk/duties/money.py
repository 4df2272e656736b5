"""Rounding and printing of amounts, rates and quantities in one place.

Customs payments are rounded "by the rules applied by CBAR" (Methodology L656–657): half-up
to 2 decimals (qəpik). Intermediate products are never rounded, only the figure that goes
into a box, so a line's amount is ``money(base × rate)`` computed at full precision.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from functools import lru_cache

from gomruk.core.money import CENT, GRAM, money

__all__ = ["CENT", "GRAM", "money"]

ZERO = Decimal("0.00")


def to_decimal(value: object) -> Decimal | None:
    """A Decimal from CSV/XML text ('1,7' and '1.7' both accepted); None for empty text."""
    if value is None:
        return None
    if isinstance(value, Decimal):
        return value
    text = str(value).strip().replace("\u00a0", "").replace(" ", "").replace(",", ".")
    if not text:
        return None
    try:
        result = Decimal(text)
    except InvalidOperation:
        raise ValueError(f"not a number: {value!r}") from None
    if not result.is_finite():
        raise ValueError(f"not a finite number: {value!r}")
    return result


_PLACES = {places: Decimal(1).scaleb(-places) for places in range(0, 11)}


def fmt(value: Decimal, places: int | None = 2) -> str:
    """'17 000.00': thousands separated by a space, a decimal point, fixed places.

    ``places=None`` prints the value as it is, without trailing zeros beyond two decimals
    (used for rates such as 1.7 or 0.011234)."""
    if places is None:
        value = value.normalize()
        exponent = value.as_tuple().exponent
        if isinstance(exponent, int) and exponent > -2:
            value = value.quantize(_PLACES[2])
    else:
        value = value.quantize(_PLACES.get(places) or Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
    # Decimal's own formatting groups thousands in C; the Methodology's separator is a space.
    return format(value, ",f").replace(",", " ")


def fmt_rate(value: Decimal) -> str:
    """An exchange rate: at least 4 decimals (CBAR prints 1.7000), more when it has them."""
    normal = value.normalize()
    exponent = normal.as_tuple().exponent
    places = max(4, -exponent) if isinstance(exponent, int) else 4
    return fmt(value, places)


@lru_cache(maxsize=256)
def fmt_percent(value: Decimal) -> str:
    """'10%', '0.5%', '18%'. Kept per value (equal values print alike): every line of a
    hundred items prints one of a few rates."""
    text = format(value.normalize(), "f")
    return f"{text}%"


def fmt_plain(value: Decimal) -> str:
    """A factor without trailing zeros or grouping: '2', '0.5'."""
    return format(value.normalize(), "f")


def fmt_qty(value: Decimal) -> str:
    """A quantity as declared, grouped: '1 200.5 kq', '300 cüt'."""
    return fmt(value, None).removesuffix(".00") if value == value.to_integral() else fmt(value, None)
