"""Amounts print as the Methodology writes them: thousands grouped by a space, a decimal point,
half-up to the places asked. The formatter uses Decimal's C formatting; the oracle here groups
the digits by hand."""

from decimal import ROUND_HALF_UP, Decimal

from hypothesis import given
from hypothesis import strategies as st

from gomruk.duties.money import fmt, fmt_qty, fmt_rate


def grouped_by_hand(value: Decimal, places: int) -> str:
    text = format(value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP), "f")
    sign, text = ("-", text[1:]) if text.startswith("-") else ("", text)
    whole, _, fraction = text.partition(".")
    groups = []
    while len(whole) > 3:
        groups.insert(0, whole[-3:])
        whole = whole[:-3]
    groups.insert(0, whole)
    return sign + " ".join(groups) + (f".{fraction}" if fraction else "")


amounts = st.decimals(min_value=Decimal("-1e12"), max_value=Decimal("1e12"), allow_nan=False, allow_infinity=False, places=6)


@given(amounts, st.integers(min_value=0, max_value=6))
def test_fmt_groups_and_rounds_half_up(value: Decimal, places: int) -> None:
    assert fmt(value, places) == grouped_by_hand(value, places)


def test_fmt_examples() -> None:
    assert fmt(Decimal("17000.505")) == "17 000.51"
    assert fmt(Decimal("-1234567.1")) == "-1 234 567.10"
    assert fmt(Decimal("1E+3")) == "1 000.00"
    assert fmt(Decimal("0.011234"), None) == "0.011234"
    assert fmt(Decimal("1.7"), None) == "1.70"
    assert fmt_rate(Decimal("1.7")) == "1.7000"
    assert fmt_rate(Decimal("0.011234")) == "0.011234"
    assert fmt_qty(Decimal("1200")) == "1 200"
    assert fmt_qty(Decimal("1200.5")) == "1 200.50"
