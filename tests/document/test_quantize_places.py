"""The padding of weights and money (``_quantize_places``) answers exactly as the version it
replaced (issue 17): the same Decimal with the same exponent and sign, the same error."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal, InvalidOperation

from hypothesis import example, given
from hypothesis import strategies as st

from gomruk.document.model import _quantize_places


def _reference(value: Decimal | None, places: int) -> Decimal | None:
    """The implementation before issue 17, kept as the oracle."""
    if value is None or not value.is_finite():
        return value
    exponent = value.as_tuple().exponent
    if isinstance(exponent, int) and -exponent < places:
        try:
            return value.quantize(Decimal(1).scaleb(-places))
        except InvalidOperation:
            raise ValueError("the number is too large") from None
    return value


def _outcome(quantize: Callable[[Decimal | None, int], Decimal | None], value: Decimal | None, places: int) -> object:
    try:
        result = quantize(value, places)
    except ValueError as exc:
        return ("error", str(exc))
    return None if result is None else (str(result), result.as_tuple())


decimals = st.one_of(
    st.none(),
    st.decimals(allow_nan=True, allow_infinity=True),
    st.builds(
        lambda digits, exponent, negative: Decimal((int(negative), tuple(int(d) for d in str(digits)), exponent)),
        st.integers(min_value=0, max_value=10**40),
        st.integers(min_value=-12, max_value=30),
        st.booleans(),
    ),
)


@given(decimals, st.integers(min_value=0, max_value=6))
@example(Decimal("12.5"), 3)
@example(Decimal("12.500"), 3)
@example(Decimal("-0"), 2)
@example(Decimal("-0.00"), 2)
@example(Decimal("1E+2"), 2)
@example(Decimal("0.12345"), 2)
@example(Decimal("1E+30"), 2)
@example(Decimal("123456789012345678901234567"), 2)
@example(Decimal("NaN"), 2)
@example(Decimal("-Infinity"), 3)
def test_same_decimal_as_before(value: Decimal | None, places: int) -> None:
    assert _outcome(_quantize_places, value, places) == _outcome(_reference, value, places)
