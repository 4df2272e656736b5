"""Rounding and printing of amounts, rates and quantities in one place.

Customs payments are rounded "by the rules applied by CBAR" (Methodology L656–657): half-up
to 2 decimals (qəpik). Intermediate products are never rounded, only the figure that goes
into a box, so a line's amount is ``money(base × rate)`` computed at full precision.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

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


def _group(digits: str) -> str:
    groups: list[str] = []
    while len(digits) > 3:
        groups.insert(0, digits[-3:])
        digits = digits[:-3]
    groups.insert(0, digits)
    return " ".join(groups)


def fmt(value: Decimal, places: int | None = 2) -> str:
    """'17 000.00': thousands separated by a space, a decimal point, fixed places.

    ``places=None`` prints the value as it is, without trailing zeros beyond two decimals
    (used for rates such as 1.7 or 0.011234)."""
    if places is None:
        text = format(value.normalize(), "f")
        if "." not in text:
            text += ".00"
        elif len(text.split(".")[1]) < 2:
            text += "0"
    else:
        text = format(value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP), "f")
    sign = "-" if text.startswith("-") else ""
    text = text.lstrip("-")
    whole, _, fraction = text.partition(".")
    return sign + _group(whole) + (f".{fraction}" if fraction else "")


def fmt_rate(value: Decimal) -> str:
    """An exchange rate: at least 4 decimals (CBAR prints 1.7000), more when it has them."""
    normal = value.normalize()
    exponent = normal.as_tuple().exponent
    places = max(4, -exponent) if isinstance(exponent, int) else 4
    return fmt(value, places)


def fmt_percent(value: Decimal) -> str:
    """'10%', '0.5%', '18%'."""
    text = format(value.normalize(), "f")
    return f"{text}%"


def fmt_plain(value: Decimal) -> str:
    """A factor without trailing zeros or grouping: '2', '0.5'."""
    return format(value.normalize(), "f")


def fmt_qty(value: Decimal) -> str:
    """A quantity as declared, grouped: '1 200.5 kq', '300 cüt'."""
    return fmt(value, None).removesuffix(".00") if value == value.to_integral() else fmt(value, None)
