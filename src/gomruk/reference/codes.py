"""Normalising codes that the Methodology allows in two spellings."""

from __future__ import annotations

from gomruk.reference.snapshot import ReferenceData, packaged_reference

#: Numeric codes of the currencies classifier (ISO 4217) that the rules and the payments name.
NATIONAL_CURRENCY = "944"  # AZN
NATIONAL_ALPHA = "AZN"  # the letter code, as formulas and CBAR's bulletin print it
USD = "840"  # box A's rate and box 46 are in US dollars
_MEMO_BOUND = 1_000  # distinct spellings remembered per snapshot (input is anyone's text)


def payment_method_code(value: str | None, reference: ReferenceData | None = None) -> str | None:
    """Appendix 10 numeric code of a payment method; the letter alias (HN, ÖM, MU, ŞH, XV) is
    accepted on input and normalised (Q-15)."""
    if not value:
        return value
    reference = reference or packaged_reference()
    # A 100-item validation asks ~1,400 times for the two or three methods it uses.
    known = reference.memo("payment-method-code")
    code = known.get(value)
    if code is None:
        text = value.strip()
        rows = reference.by_attribute("payment-methods", "letter", text.upper())
        code = rows[0].code if rows else text
        if len(known) < _MEMO_BOUND:
            known[value] = code
    return code  # type: ignore[return-value]
