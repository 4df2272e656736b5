"""``POST /api/v1/declarations/{id}/complete``: the system fills the computable boxes of a
stored draft (issue 16.1) — the same service as the portal's section save; ``GET
/api/v1/declarations/{id}/choices``: what a classifier field offers in it (issue 16.2)."""

from __future__ import annotations

import uuid
from typing import Any

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema

from gomruk.accounts.bearer import bearer_auth, caller
from gomruk.api.schemas import PROBLEM_RESPONSES
from gomruk.declarations.api import DeclarationOut, declaration_out
from gomruk.declarations.completion import declaration_complete
from gomruk.declarations.pickers import field_choices
from gomruk.declarations.scope import scoped_declaration
from gomruk.rules.api import ErrorMessage

router = Router(tags=["declarations"], auth=bearer_auth)


class FilledOut(Schema):
    pointer: str = Field(description="JSON Pointer of the field the system wrote")
    box: str
    formula: ErrorMessage = Field(description="How the value follows (az, en)")


class OverrideOut(FilledOut):
    computed: Any = Field(description="What the system computes; the declarant's own value is kept")


class CompletedOut(DeclarationOut):
    filled: list[FilledOut]
    overridden: list[OverrideOut]


@router.post(
    "/{uuid:declaration_id}/complete",
    response={200: CompletedOut, **PROBLEM_RESPONSES},
    summary="Fill every computable box of a draft",
    description=(
        "Fills the boxes that follow from the others: 3, 5, 6 (Σ packages of box 31), 12, 22's "
        "total, 23 and A (CBAR rates), 45, 46, 47, B, 50's text, and the numeric codes of letter "
        "codes (10, 11, 15a, 17a, 22, 34, 52). The payment boxes are the duty calculation's (the "
        "acceptance date's rates and tariff, or the latest for a draft). Boxes the declarant may "
        "state (6, 45, 47) are filled only when empty or still holding an earlier computed value; "
        "a different stated value is kept and listed in `overridden`. `filled` lists the fields "
        "written, in form order. Idempotent: a second call fills nothing."
    ),
)
def complete(request: HttpRequest, declaration_id: uuid.UUID) -> CompletedOut:
    scoped_declaration(request, declaration_id)
    declaration, completion = declaration_complete(user=caller(request), declaration_id=declaration_id)
    return CompletedOut(
        **dict(declaration_out(request, declaration)),
        filled=[FilledOut(**c.data()) for c in completion.filled],
        overridden=[OverrideOut(**c.data(), computed=c.value) for c in completion.overridden],
    )


class ChoiceOut(Schema):
    code: str
    name_az: str
    name_en: str
    tariff: list[dict[str, str]] | None = Field(
        None, description="Box 33: the code's tariff lines (payment_type, rate, az, en)"
    )


class ChoicesOut(Schema):
    field: str
    choices: list[ChoiceOut]


@router.get(
    "/{uuid:declaration_id}/choices",
    response={200: ChoicesOut, **PROBLEM_RESPONSES},
    summary="The codes a field offers in this declaration",
    description=(
        "The codes of a classifier field that its rules accept for this declaration (type, "
        "direction, procedure; the acceptance date or today), searched by code (prefix) or by name "
        "(az or en) with `q`. `field` is a JSON Pointer (`/first_destination_country/alpha`, "
        "`/goods/0/privilege`). For box 33 (`/goods/N/commodity_code`) the nomenclature is searched "
        "and each code carries its tariff lines."
    ),
)
def choices(
    request: HttpRequest,
    declaration_id: uuid.UUID,
    field: str = Query("", max_length=200, description="JSON Pointer of the field"),  # type: ignore[type-arg]
    q: str = Query("", max_length=200),  # type: ignore[type-arg]
    limit: int = Query(50, ge=1, le=300),  # type: ignore[type-arg]
) -> dict[str, Any]:
    declaration = scoped_declaration(request, declaration_id)
    return {"field": field, "choices": field_choices(declaration=declaration, field=field, query=q, limit=limit)}
