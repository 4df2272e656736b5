"""Finishing touches on the generated OpenAPI document.

- Error responses are served as ``application/problem+json``; the document says so.
- Endpoints that take a declaration document read the raw body (JSON or XML), so its schema
  is added here, generated from the same Pydantic model, under ``components/schemas``.
"""

from __future__ import annotations

from typing import Any

from gomruk.document.model import Declaration

DOCUMENT_PREFIX = "Document"
DOCUMENT_REF = f"#/components/schemas/{DOCUMENT_PREFIX}Declaration"


def document_components() -> dict[str, Any]:
    schema = Declaration.model_json_schema(
        mode="validation", ref_template=f"#/components/schemas/{DOCUMENT_PREFIX}{{model}}"
    )
    components = {f"{DOCUMENT_PREFIX}{name}": value for name, value in schema.pop("$defs", {}).items()}
    components[f"{DOCUMENT_PREFIX}Declaration"] = schema
    return components


def document_request_body(description: str) -> dict[str, Any]:
    return {
        "requestBody": {
            "required": True,
            "description": description,
            "content": {
                "application/json": {"schema": {"$ref": DOCUMENT_REF}},
                "application/xml": {
                    "schema": {"type": "string", "description": "XML valid against /api/v1/schema/declaration.xsd"}
                },
            },
        }
    }


def extend_schema(schema: Any) -> Any:
    for path_item in schema.get("paths", {}).values():
        for operation in path_item.values():
            for status, response in (operation.get("responses") or {}).items():
                content = response.get("content") or {}
                if str(status).isdigit() and int(status) >= 400 and "application/json" in content:
                    content["application/problem+json"] = content.pop("application/json")
    components = schema.setdefault("components", {}).setdefault("schemas", {})
    for name, value in document_components().items():
        components.setdefault(name, value)
    return schema
