"""Normalising codes that the Methodology allows in two spellings."""

from __future__ import annotations

from gomruk.reference.snapshot import ReferenceData, packaged_reference

#: Numeric codes of the currencies classifier (ISO 4217) that the rules and the payments name.
NATIONAL_CURRENCY = "944"  # AZN
NATIONAL_ALPHA = "AZN"  # the letter code, as formulas and CBAR's bulletin print it
USD = "840"  # box A's rate and box 46 are in US dollars


def payment_method_code(value: str | None, reference: ReferenceData | None = None) -> str | None:
    """Appendix 10 numeric code of a payment method; the letter alias (HN, ÖM, MU, ŞH, XV) is
    accepted on input and normalised (Q-15)."""
    if not value:
        return value
    text = value.strip()
    rows = (reference or packaged_reference()).by_attribute("payment-methods", "letter", text.upper())
    return rows[0].code if rows else text
