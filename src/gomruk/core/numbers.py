"""How numbers and dates read on screen and on paper (issue 16.8): one format per language.

Azerbaijani groups thousands with a space and uses a decimal comma (``21 250,00``); English
groups with a comma and uses a decimal point (``21,250.00``). Dates are ``dd.mm.yyyy`` in both.
Templates use these through the portal's ``number``/``money``/``rate``/``dmy`` filters, the PDF
through ``gomruk.printing.content``; nothing else formats a figure for people to read.

The thousands separator is a no-break space so a figure never wraps in a narrow box or cell.
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.utils import timezone, translation

#: (thousands separator, decimal mark) per language.
SEPARATORS = {"az": ("\u00a0", ","), "en": (",", ".")}
#: A rate shows at least this many decimals (1,7000), and no trailing zeros beyond them.
RATE_PLACES = 4


def _language(language: str | None) -> str:
    code = (language or translation.get_language() or "az")[:2]
    return code if code in SEPARATORS else "az"


def _decimal(value: object) -> Decimal | None:
    if value is None or value == "" or isinstance(value, bool):
        return None
    try:
        number = value if isinstance(value, Decimal) else Decimal(str(value))
    except (InvalidOperation, ValueError):
        return None
    return number if number.is_finite() else None


def format_number(value: object, places: int | None = None, language: str | None = None) -> str:
    """``value`` grouped and with the language's decimal mark; rounded half-up to ``places``
    when given, else with the digits it has. Not a number: returned as text unchanged."""
    number = _decimal(value)
    if number is None:
        return "" if value is None else str(value)
    if places is not None:
        number = number.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
    thousands, mark = SEPARATORS[_language(language)]
    text = format(number, "f")
    sign = "-" if text.startswith("-") else ""
    whole, _, fraction = text.lstrip("-").partition(".")
    groups: list[str] = []
    while len(whole) > 3:
        whole, groups = whole[:-3], [whole[-3:], *groups]
    grouped = thousands.join([whole, *groups])
    return f"{sign}{grouped}{mark}{fraction}" if fraction else f"{sign}{grouped}"


def format_money(value: object, language: str | None = None) -> str:
    return format_number(value, 2, language)


def format_weight(value: object, language: str | None = None) -> str:
    """Kilograms with at least 3 decimals; more are kept as given (spec §2.3)."""
    number = _decimal(value)
    if number is not None:
        exponent = number.as_tuple().exponent
        if isinstance(exponent, int) and exponent > -3:
            number = number.quantize(Decimal("0.001"))
    return format_number(number if number is not None else value, None, language)


def format_rate(value: object, language: str | None = None) -> str:
    """An exchange or duty rate with its meaningful digits: ``1,7000`` rather than ``1,7000000000``
    (at least four decimals, trailing zeros beyond them dropped)."""
    number = _decimal(value)
    if number is None:
        return format_number(value, None, language)
    exponent = number.normalize().as_tuple().exponent
    places = max(RATE_PLACES, -exponent if isinstance(exponent, int) else RATE_PLACES)
    return format_number(number, places, language)


def format_date(value: dt.date | dt.datetime | str | None) -> str:
    """``dd.mm.yyyy``; an ISO date given as text (a serialised calculation) is read first. A
    moment (an aware datetime, stored in UTC) is dated in Baku: from 20:00 UTC that is the next
    day, as the time printed beside it says."""
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value[:10]).strftime("%d.%m.%Y")
        except ValueError:
            return value
    if isinstance(value, dt.datetime) and timezone.is_aware(value):
        value = timezone.localtime(value)
    return value.strftime("%d.%m.%Y") if value else ""


#: A figure as the duties calculation writes it into a formula's text: thousands apart by a
#: space, a decimal point ("17 000.00", "1.7000", "0.5"). Not part of a date (03.12.2026) or a
#: longer number.
_CALCULATION_FIGURE = re.compile(r"(?<![\d.,])(\d{1,3}(?: \d{3})+|\d+)(?:\.(\d+))?(?![\d]|\.\d)")


def localize_figures(text: str, language: str | None = None) -> str:
    """A duties formula ("5% × 17 000.00 AZN = 850.00 AZN") with its figures in the language's
    one format. The calculation writes one text for both languages; re-reading its figures here
    keeps the calculation and its API output unchanged while the screen follows this
    module. Integers without grouping (codes, years) are left as they are."""

    def figure(match: re.Match[str]) -> str:
        whole, fraction = match.group(1), match.group(2)
        if fraction is None and " " not in whole:
            return match.group(0)
        digits = whole.replace(" ", "") + (f".{fraction}" if fraction is not None else "")
        return format_number(Decimal(digits), None, language)

    return _CALCULATION_FIGURE.sub(figure, text)
