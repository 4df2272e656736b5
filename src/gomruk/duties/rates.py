"""Exchange rates for the calculation: which CBAR rate applies to a currency on a day.

The rate on the acceptance date is the bulletin *in force* that day: the latest bulletin
whose own date is not after it (a Sunday uses Friday's bulletin). A draft has no acceptance
date yet; it uses the latest bulletin and its figures are marked provisional (Q-41).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from functools import cache
from typing import Any

from django.db import connection

from gomruk.core import rawrows
from gomruk.reference.codes import NATIONAL_ALPHA, NATIONAL_CURRENCY
from gomruk.reference.snapshot import packaged_reference, recent_table_stamps

# CBAR prints the SDR as 'SDR'; Appendix 5 and ISO 4217 call it XDR (960).
ALPHA_ALIASES = {"SDR": "XDR", "XDR": "SDR"}


@dataclass(frozen=True)
class RateQuote:
    rate: Decimal  # AZN per 1 unit of the currency
    bulletin_date: date
    provisional: bool = False

    def data(self) -> dict[str, object]:
        return {
            "rate": format(self.rate.normalize(), "f"),
            "bulletin_date": self.bulletin_date.isoformat(),
            "provisional": self.provisional,
        }


RateLookup = Callable[[str, date | None], RateQuote | None]


def is_national(currency: str | None) -> bool:
    return (currency or "").strip().upper() in (NATIONAL_CURRENCY, NATIONAL_ALPHA)


def numeric_code(alpha: str) -> str:
    """Appendix 5 numeric code of a letter code, '' when unknown or ambiguous (974/975 both
    carry 'BYR' in the seed)."""
    reference = packaged_reference()
    for candidate in (alpha, ALPHA_ALIASES.get(alpha, "")):
        rows = reference.by_attribute("currencies", "alpha", candidate) if candidate else ()
        if len(rows) == 1:
            return rows[0].code
    return ""


_BOUND = 4096
_kept: tuple[object, dict[tuple[str, date | None], RateQuote | None]] = (None, {})


def rate_tables() -> tuple[type, ...]:
    """The models whose freshness stamp vouches for the quotes kept in this process. Rates are
    only ever written with their bulletin (``services.rate_bulletin_import``: a new bulletin is
    a new row, a corrected one is saved again), and the admin shows them read-only."""
    from gomruk.duties.models import RateBulletin

    return (RateBulletin,)


def _quote(currency: str, on: date | None) -> RateQuote | None:
    """The quote, kept in this process while the bulletins' freshness stamp is the one it was
    read under (``recent_table_stamps``: asked at most every GOMRUK_REFERENCE_RECHECK seconds,
    at once after a save in this process): every validation asks it, and a day's rates change
    only when a bulletin is imported."""
    global _kept
    code = currency.strip().upper()
    if is_national(code) and on is None:
        return _read_quote(code, on)  # dated "today" when no bulletin is loaded: not kept
    stamp = recent_table_stamps(*rate_tables())
    kept_stamp, quotes = _kept
    if kept_stamp != stamp:
        quotes = {}
        _kept = (stamp, quotes)
    key = (code, on)
    if key not in quotes:
        if len(quotes) >= _BOUND:
            quotes.clear()
        quotes[key] = _read_quote(code, on)
    return quotes[key]


def _read_quote(code: str, on: date | None) -> RateQuote | None:
    from gomruk.duties.models import ExchangeRate, RateBulletin

    if is_national(code):
        if on is not None:
            return RateQuote(Decimal(1), on, provisional=False)
        from django.utils import timezone

        latest = RateBulletin.objects.order_by("-date").values_list("date", flat=True).first()
        return RateQuote(Decimal(1), latest or timezone.localdate(), provisional=True)
    params: list[Any] = [code] if code.isdigit() else [code, ALPHA_ALIASES.get(code, code)]
    if on is not None:
        params.append(rawrows.param(RateBulletin, "date", on))
    # Every validation asks this: SQL written once (ADR 0028, ADR 0038).
    with connection.cursor() as cursor:
        cursor.execute(_quote_sql(connection.vendor, code.isdigit(), on is not None), params)
        rows = cursor.fetchall()
    if not rows:
        return None
    rate = rawrows.instances(ExchangeRate, rows, only=("rate_per_unit",))[0].rate_per_unit
    bulletin = rawrows.instances(RateBulletin, rows, start=1, only=("date",))[0].date
    return RateQuote(rate, bulletin, provisional=on is None)


@cache
def _quote_sql(vendor: str, numeric: bool, dated: bool) -> str:
    from gomruk.duties.models import ExchangeRate, RateBulletin

    rate, bulletin = ExchangeRate, RateBulletin
    day = rawrows.column(bulletin, "date", "b")
    where = f"{rawrows.column(rate, 'numeric_code', 'r')} = %s" if numeric else f"{rawrows.column(rate, 'code', 'r')} IN (%s, %s)"
    return (
        f"SELECT {rawrows.column(rate, 'rate_per_unit', 'r')}, {day} FROM {rawrows.table(rate)} r "  # noqa: S608
        f"JOIN {rawrows.table(bulletin)} b ON {rawrows.column(bulletin, 'id', 'b')} = {rawrows.column(rate, 'bulletin', 'r')} "
        f"WHERE {where}" + (f" AND {day} <= %s" if dated else "") + f" ORDER BY {day} DESC LIMIT 1"
    )


def rate_for(currency: str, on: date) -> RateQuote | None:
    """AZN per one unit of ``currency`` (numeric Appendix 5 code such as '840', or a letter
    code such as 'USD') from the bulletin in force on ``on``; AZN ('944') is 1."""
    return _quote(currency, on)


def latest_rate(currency: str) -> RateQuote | None:
    """The latest known rate, marked provisional: for drafts that have no acceptance date."""
    return _quote(currency, None)


def rates_lookup() -> RateLookup:
    """A lookup for :func:`gomruk.duties.calculation.calculate` reading the database, with
    answers memoised for one calculation."""
    memo: dict[tuple[str, date | None], RateQuote | None] = {}

    def lookup(currency: str, on: date | None) -> RateQuote | None:
        key = (currency.strip().upper(), on)
        if key not in memo:
            memo[key] = rate_for(currency, on) if on is not None else latest_rate(currency)
        return memo[key]

    return lookup


def static_rates(table: dict[str, Decimal], bulletin_date: date, *, provisional: bool = False) -> RateLookup:
    """A lookup over fixed rates (tests, what-if estimates): letter or numeric codes → AZN."""
    normalised = {k.upper(): v for k, v in table.items()}

    def lookup(currency: str, on: date | None) -> RateQuote | None:
        code = currency.strip().upper()
        if is_national(code):
            return RateQuote(Decimal(1), on or bulletin_date, provisional=on is None or provisional)
        rate = normalised.get(code)
        if rate is None and code.isdigit():
            row = packaged_reference().lookup("currencies", code)
            alpha = row.attributes.get("alpha", "") if row else ""
            rate = normalised.get(alpha) or normalised.get(ALPHA_ALIASES.get(alpha, ""))
        if rate is None:
            return None
        return RateQuote(rate, bulletin_date, provisional=on is None or provisional)

    return lookup
