"""Rules endpoints: the catalogue and the box statuses of a profile.

Mounted at the API root (prefix ""): ``GET /api/v1/rules``, ``GET /api/v1/rules/profile``.
Validation of a document (with the facts the system knows) is ``declarations.validation_api``.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Router, Schema

from gomruk.rules.catalogue import catalogue
from gomruk.rules.profiles import BOX_ORDER, profile_for

router = Router(tags=["rules"])


class ErrorMessage(Schema):
    az: str
    en: str


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
