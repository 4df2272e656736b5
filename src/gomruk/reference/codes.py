"""Normalising codes that the Methodology allows in two spellings."""

from __future__ import annotations

from gomruk.reference.snapshot import ReferenceData, packaged_reference


def payment_method_code(value: str | None, reference: ReferenceData | None = None) -> str | None:
    """Appendix 10 numeric code of a payment method; the letter alias (HN, ÖM, MU, ŞH, XV) is
    accepted on input and normalised (Q-15)."""
    if not value:
        return value
    text = value.strip()
    rows = (reference or packaged_reference()).by_attribute("payment-methods", "letter", text.upper())
    return rows[0].code if rows else text
