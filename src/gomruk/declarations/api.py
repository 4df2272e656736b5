from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Router

from gomruk.declarations.document import declaration_json_schema

schema_router = Router(tags=["schema"])
router = Router(tags=["declarations"])


@schema_router.get("/declaration.json", auth=None, summary="JSON Schema of the declaration document")
def declaration_schema(request: HttpRequest) -> dict[str, Any]:
    return declaration_json_schema()
