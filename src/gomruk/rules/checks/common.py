"""Small helpers shared by the rule modules."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from gomruk.core.identifiers import is_valid_gooen, is_valid_voen
from gomruk.declarations.document import Party

CENT = Decimal("0.01")
ATTACHMENT_REFERENCE = "qoşma vərəqə bax"
ELECTRICITY_HEADING = "2716"
NATIONAL_CURRENCY = "944"
USD = "840"
DEFERRED_METHODS = frozenset({"03", "04"})
CONDITIONAL_METHOD = "05"
TRANSIT_PROCEDURES = frozenset({"80", "81"})
# Appendix 10 letter aliases, accepted on input.
METHOD_ALIASES = {"HN": "01", "ÖM": "03", "MU": "04", "ŞH": "05", "XV": "06"}
# Payment types of duties and taxes (Appendix 8 groups 2 and 3): V-47-5, X-16.
DUTY_AND_TAX_GROUPS = frozenset({"2", "3"})


def money(value: Decimal) -> Decimal:
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def method_code(value: str | None) -> str | None:
    if value is None:
        return None
    return METHOD_ALIASES.get(value.upper() if value.isascii() else value, value)


def identifier_ok(party: Party) -> bool:
    """VÖEN or GÖÖEN in the upper-right corner (V-2-1, V-8-1, V-9-2, V-14-1; Q-39)."""
    value = party.identifier
    if not value:
        return False
    if party.identifier_kind == "GÖÖEN":
        return is_valid_gooen(value)
    if party.identifier_kind in (None, "VÖEN"):
        return is_valid_voen(value)
    return False


def is_electricity(commodity_code: str | None) -> bool:
    return bool(commodity_code) and str(commodity_code).startswith(ELECTRICITY_HEADING)
