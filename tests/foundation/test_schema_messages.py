"""The Azerbaijani table of pydantic's error messages: keyed by real error types, filled from
the error's ctx, never English (issue 14 item 4)."""

from __future__ import annotations

import string
import typing
from decimal import Decimal

import pytest
from pydantic import BaseModel, Field, ValidationError
from pydantic_core import PydanticKnownError, core_schema

from gomruk.document.schema_messages import (
    AZ_BY_TYPE,
    GENERAL_AZ,
    schema_message,
    schema_message_az,
)


def _fields(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


def test_every_key_is_a_pydantic_error_type():
    known = set(typing.get_args(core_schema.ErrorType))
    assert not set(AZ_BY_TYPE) - known, sorted(set(AZ_BY_TYPE) - known)


def _pydantic_template(kind: str) -> str:
    """pydantic's English template of ``kind``, giving the ctx values pydantic insists on."""
    ctx: dict[str, object] = {}
    for _ in range(6):
        try:
            return str(PydanticKnownError(kind, ctx or None).message_template)  # type: ignore[arg-type]
        except TypeError as exc:
            name = str(exc).split("'")[1]
            ctx[name] = 1 if "usize" in str(exc) or name in ctx else "x"
    raise AssertionError(f"no template for {kind}")


@pytest.mark.parametrize("kind", sorted(AZ_BY_TYPE))
def test_placeholders_are_ones_pydantic_gives(kind):
    # pydantic's own English template names the ctx keys the error carries.
    english = _pydantic_template(kind)
    assert _fields(AZ_BY_TYPE[kind]) <= _fields(english), (kind, english)


class _Sample(BaseModel):
    name: str = Field(max_length=3)
    mass: Decimal = Field(gt=0, decimal_places=3)
    count: int
    kind: typing.Literal["im", "ex"]


def test_real_errors_come_out_azerbaijani_with_their_limits():
    with pytest.raises(ValidationError) as caught:
        _Sample.model_validate({"name": "abcd", "mass": "-1", "count": "x", "kind": "zz"})
    by_field = {e["loc"][0]: schema_message(e) for e in caught.value.errors()}
    assert by_field["name"][0] == "Mətn ən çoxu 3 simvol ola bilər."
    assert by_field["mass"][0] == "Dəyər > 0 olmalıdır."
    assert by_field["count"][0] == "Dəyər tam ədəd olmalıdır."
    assert by_field["kind"][0] == "Dəyər bunlardan biri olmalıdır: 'im' or 'ex'."
    assert by_field["name"][1] == "String should have at most 3 characters"
    assert all("Input should" not in az for az, _ in by_field.values())


def test_an_unknown_type_is_still_azerbaijani():
    assert schema_message_az({"type": "something_new", "msg": "Input should be new"}) == GENERAL_AZ
