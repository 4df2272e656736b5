"""Rules endpoints: validate a document without saving it, list the catalogue.

Mounted at the API root (prefix ""): ``POST /api/v1/declarations/validate``,
``GET /api/v1/rules``, ``GET /api/v1/rules/profile``.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.http import HttpRequest
from ninja import Router, Schema

from gomruk.core.errors import GomrukError
from gomruk.rules.catalogue import catalogue
from gomruk.rules.engine import has_blocking, validate_payload
from gomruk.rules.profiles import BOX_ORDER, profile_for
from gomruk.rules.sections import SECTION_BOXES

router = Router(tags=["rules"])


class ErrorMessage(Schema):
    az: str
    en: str


class RuleErrorOut(Schema):
    rule: str
    severity: str
    box: str | None
    item: int | None
    path: str
    value: Any = None
    message: ErrorMessage


class ValidationOut(Schema):
    valid: bool
    errors: list[RuleErrorOut]


class AppliesTo(Schema):
    declaration_types: list[str] | None
    directions: list[str] | None
    procedures: list[str] | None
    valid_from: str | None
    valid_to: str | None


class RuleOut(Schema):
    code: str
    severity: str
    boxes: list[str]
    applies_to: AppliesTo
    description: str
    message: ErrorMessage
    module: str


class ProfileOut(Schema):
    column: str
    declaration_type: str
    direction: str | None
    procedure: str | None
    boxes: dict[str, str]


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


@router.post(
    "/declarations/validate",
    response=ValidationOut,
    auth=None,
    summary="Validate a declaration document without saving it",
    description=(
        "Runs every rule of the Methodology on the JSON document in the body and returns every "
        "error, sorted by box (form order) then goods item. `valid` is false when an error of "
        "severity `error` exists (warnings do not block). Fields of the wrong type come back as "
        "rule `SCHEMA`. `on`: the acceptance date to validate at (default today); `section`: only "
        "the rules of one editor section (general, participants, transport, goods, summary)."
    ),
    openapi_extra=DOCUMENT_BODY,
)
def validate_document(request: HttpRequest, on: date | None = None, section: str | None = None) -> dict[str, Any]:
    boxes = None
    if section is not None:
        if section not in SECTION_BOXES:
            raise GomrukError(
                code="unknown_section",
                message_az=f"Naməlum bölmə: {section}.",
                message_en=f"Unknown section: {section}.",
                details={"sections": sorted(SECTION_BOXES)},
            )
        boxes = SECTION_BOXES[section]
    errors = validate_payload(request.body or b"{}", on=on, boxes=boxes)
    return {"valid": not has_blocking(errors), "errors": [e.as_dict() for e in errors]}


@router.get("/rules", response=list[RuleOut], auth=None, summary="The rules catalogue")
def rules_list(request: HttpRequest) -> list[dict[str, Any]]:
    return catalogue()


@router.get("/rules/profile", response=ProfileOut, auth=None, summary="Box statuses of one profile (§4.2)")
def rules_profile(
    request: HttpRequest, declaration_type: str = "01", direction: str | None = None, procedure: str | None = None
) -> dict[str, Any]:
    profile = profile_for(declaration_type, direction, procedure)
    return {
        "column": profile.column,
        "declaration_type": profile.declaration_type,
        "direction": profile.direction,
        "procedure": profile.procedure,
        "boxes": {box: profile.status(box).value for box in BOX_ORDER},
    }
