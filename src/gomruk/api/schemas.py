"""Schemas shared by every router: the problem+json body and the error responses."""

from __future__ import annotations

from typing import Any

from ninja import Field, Schema
from pydantic import ConfigDict


class ErrorObject(Schema):
    """One error of the rules engine (or of reading the document: rule "SCHEMA")."""

    model_config = ConfigDict(extra="allow")

    rule: str | None = None
    severity: str | None = None
    box: str | None = None
    item: int | None = None
    path: str | None = None
    value: Any = None
    message: Any = None


class Problem(Schema):
    """RFC 9457 problem details; ``code`` is stable, ``title``/``detail`` follow Accept-Language."""

    model_config = ConfigDict(extra="allow")

    type: str
    title: str
    status: int
    code: str
    detail: str
    instance: str
    errors: list[ErrorObject] | None = Field(default=None, description="Validation failures")


#: Error responses every authenticated operation may give (documented so clients and the
#: schema fuzzer know their shape).
PROBLEM_RESPONSES: dict[int, Any] = {
    400: Problem, 401: Problem, 403: Problem, 404: Problem, 409: Problem,
    413: Problem, 415: Problem, 422: Problem, 429: Problem,
}
