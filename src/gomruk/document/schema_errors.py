"""Pydantic type errors as the rules engine's error objects (rule ``SCHEMA``)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from pydantic import ValidationError

from gomruk.document.model import pointer
from gomruk.document.schema_messages import schema_message
from gomruk.document.shape import locate


@dataclass(frozen=True)
class SchemaError:
    path: str
    box: str | None
    item: int | None
    value: Any
    message_en: str
    message_az: str

    def as_dict(self) -> dict[str, Any]:
        return {
            "rule": "SCHEMA",
            "severity": "error",
            "box": self.box,
            "item": self.item,
            "path": self.path,
            "value": self.value if isinstance(self.value, (str, int, float, bool, type(None))) else str(self.value),
            "message": {
                "az": f"Sahənin dəyəri oxuna bilmir: {self.message_az}",
                "en": f"The field's value cannot be read: {self.message_en}",
            },
        }


def schema_errors(exc: ValidationError) -> list[SchemaError]:
    result = []
    for error in exc.errors(include_url=False):
        path = pointer(*error["loc"]) if error["loc"] else "/"
        box_id, item = locate(path)
        message_az, message_en = schema_message(error)
        result.append(SchemaError(path, box_id, item, error.get("input"), message_en, message_az))
    return result
