"""Small helpers shared by the rule modules."""

from __future__ import annotations

from gomruk.core.identifiers import is_valid_gooen, is_valid_voen
from gomruk.core.money import money
from gomruk.document.model import Party
from gomruk.reference.codes import payment_method_code as method_code
from gomruk.rules.base import Env

__all__ = ["method_code", "money"]

ATTACHMENT_REFERENCE = "qoşma vərəqə bax"
ELECTRICITY_HEADING = "2716"
DEFERRED_METHODS = frozenset({"03", "04"})
CONDITIONAL_METHOD = "05"
TRANSIT_PROCEDURES = frozenset({"80", "81"})
# Payment types of duties and taxes (Appendix 8 groups 2 and 3): V-47-5, X-16.
DUTY_AND_TAX_GROUPS = frozenset({"2", "3"})


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


def mentions_attachment(value: object) -> bool:
    """Some text in ``value`` (a string, a part of the document, a list) says 'qoşma vərəqə bax'."""
    from pydantic import BaseModel

    if isinstance(value, str):
        return ATTACHMENT_REFERENCE in value.casefold()
    if isinstance(value, BaseModel):
        return any(mentions_attachment(getattr(value, name)) for name in type(value).model_fields)
    if isinstance(value, list):
        return any(mentions_attachment(v) for v in value)
    return False


def attachment_sheets_needed(env: Env) -> bool:
    """:func:`needs_attachment_sheets` of the run's document, read once per run (X-22, V-A-3
    each ask; a hundred descriptions are case-folded to answer)."""
    known = env.memo.get("attachment_sheets_needed")
    if known is None:
        known = env.memo["attachment_sheets_needed"] = needs_attachment_sheets(env.doc)
    return bool(known)


def needs_attachment_sheets(doc: object) -> bool:
    """Box 40's NB table (X-24) or a box that refers to an attachment sheet (X-22)."""
    if getattr(doc, "incomplete_declarations", None):
        return True
    fields = [getattr(doc, name, None) for name in ("departure_transport", "border_transport", "financial_details", "previous_declarations")]
    texts = [t for g in getattr(doc, "goods", ()) for t in (g.description, g.positions) if t]
    return mentions_attachment(fields) or any(ATTACHMENT_REFERENCE in t.casefold() for t in texts)
