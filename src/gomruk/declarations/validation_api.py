"""``POST /api/v1/declarations/validate``: the one validation (with the facts the system knows
on the date, as the signing gate runs it) of a document that is not saved."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.http import HttpRequest
from ninja import Router, Schema

from gomruk.accounts.auth import token_voens
from gomruk.accounts.bearer import bearer_auth
from gomruk.accounts.models import User
from gomruk.accounts.selectors import acting_voens
from gomruk.declarations.errors import ERRORS
from gomruk.declarations.validation import payload_check
from gomruk.rules.api import ErrorMessage
from gomruk.rules.sections import SECTION_BOXES

router = Router(tags=["rules"])


class RuleErrorOut(Schema):
    rule: str
    severity: str
    box: str | None
    item: int | None
    path: str
    value: Any = None
    message: ErrorMessage


class FactOut(Schema):
    fact: str
    title: ErrorMessage
    detail: ErrorMessage


class FactsOut(Schema):
    used: list[FactOut]
    missing: list[FactOut]


class ValidationOut(Schema):
    valid: bool
    on: str
    facts: FactsOut
    errors: list[RuleErrorOut]


DOCUMENT_BODY = {
    "requestBody": {
        "required": True,
        "content": {
            "application/json": {
                "schema": {"$ref": "/api/v1/schema/declaration.json"},
            }
        },
    }
}


def _caller_scope(request: HttpRequest, voen: str | None) -> tuple[bool, str | None]:
    """Whether the caller may be told about earlier declarations and AEO status, and for which
    trader: a signed-in user (bearer token or portal session) for a VÖEN it acts for."""
    user: Any = None
    header = request.headers.get("Authorization", "")
    if header.lower().startswith("bearer "):
        user = bearer_auth.authenticate(request, header.split(" ", 1)[1].strip())
    elif getattr(request, "user", None) is not None and request.user.is_authenticated:
        user = request.user
    if not isinstance(user, User):
        return False, voen
    reachable = set(acting_voens(user))
    token = getattr(request, "api_token", None)
    if token is not None:
        reachable &= set(token_voens(token))
    if voen is None and len(reachable) == 1:
        voen = next(iter(reachable))
    return voen is not None and voen in reachable, voen


@router.post(
    "/declarations/validate",
    response=ValidationOut,
    auth=None,
    summary="Validate a declaration document without saving it",
    description=(
        "Runs every rule of the Methodology on the JSON document in the body, with the facts the "
        "system knows on the date — the same validation as the signing gate — and returns every "
        "finding, sorted by box (form order) then goods item. `valid` is false when a finding of "
        "severity `error` exists (warnings do not block). Unreadable fields come back as rule "
        "`SCHEMA`; the other boxes are still checked. `on`: the acceptance date (default today); "
        "the document is presumed to be signed that day. `facts` lists the facts used (CBAR "
        "rates, the duty and fee calculation, the nomenclature, …) and those missing, with why. "
        "Earlier declarations (box 40) and AEO status are facts of a signed-in caller acting for "
        "the VÖEN (`voen`, default its only one): anonymous callers get them as missing. "
        "`section`: only the rules of one editor section (general, participants, transport, "
        "goods, summary)."
    ),
    openapi_extra=DOCUMENT_BODY,
)
def validate_document(
    request: HttpRequest, on: date | None = None, section: str | None = None, voen: str | None = None
) -> dict[str, Any]:
    boxes = None
    if section is not None:
        if section not in SECTION_BOXES:
            raise ERRORS.error("unknown_section", details={"sections": sorted(SECTION_BOXES)}, section=section)
        boxes = SECTION_BOXES[section]
    scoped, voen = _caller_scope(request, voen)
    verdict = payload_check(request.body or b"{}", on=on, trader_voen=voen, scoped=scoped, boxes=boxes)
    return verdict.as_dict()


