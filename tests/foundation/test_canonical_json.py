"""core.canonical writes RFC 8785 through the C JSON encoder where that is byte-identical; the
reference implementation (rfc8785) is the oracle, errors included."""

from __future__ import annotations

from decimal import Decimal

import pytest
import rfc8785
from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import BaseModel, ConfigDict

from gomruk.core import canonical
from gomruk.core.canonical import canonical_json, canonical_model_json
from gomruk.demo import factories
from gomruk.document.model import Declaration

# Every code point, lone surrogates and astral characters included, and the control characters.
_text = st.text(alphabet=st.characters(min_codepoint=0, max_codepoint=0x10FFFF), max_size=12)
_scalars = (
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**54), max_value=2**54)
    | st.floats(allow_nan=True, allow_infinity=True)
    | _text
)
_values = st.recursive(
    _scalars,
    lambda children: st.lists(children, max_size=5)
    | st.tuples(children, children)
    | st.dictionaries(_text, children, max_size=5),
    max_leaves=30,
)


def _reference(value: object) -> bytes | type[Exception]:
    try:
        return rfc8785.dumps(value)  # type: ignore[arg-type]
    except (rfc8785.CanonicalizationError, UnicodeEncodeError) as error:
        return type(error)


def _ours(value: object) -> bytes | type[Exception]:
    try:
        return canonical_json(value)
    except (rfc8785.CanonicalizationError, UnicodeEncodeError) as error:
        return type(error)


@settings(max_examples=600, deadline=None)
@given(_values)
def test_the_same_bytes_or_the_same_error_as_the_reference(value):
    assert _ours(value) == _reference(value)


def test_keys_sort_by_utf16_code_units_not_code_points():
    # U+FB01 sorts after U+1F600 in UTF-16 (0xD83D…) but before it by code point.
    value = {"\ufb01": 1, "\U0001f600": 2, "a": 3}
    assert canonical_json(value) == rfc8785.dumps(value) == '{"a":3,"\U0001f600":2,"\ufb01":1}'.encode()


def test_a_hundred_item_declaration_is_byte_identical():
    document = factories.import_gb(items=100).to_data()
    assert canonical_json(document) == rfc8785.dumps(document)


def test_control_characters_escape_as_the_rfc_says():
    value = {"t": "\b\f\n\r\t\x00\x1f\"\\/\u2028\x7f"}
    assert canonical_json(value) == rfc8785.dumps(value)
    assert canonical_json(value) == b'{"t":"\\b\\f\\n\\r\\t\\u0000\\u001f\\"\\\\/\xe2\x80\xa8\x7f"}'


@settings(max_examples=600, deadline=None)
@given(st.floats(min_value=-1e17, max_value=1e17) | st.floats(min_value=-1e-3, max_value=1e-3))
def test_floats_around_the_encoders_plain_range_the_same_bytes(number):
    # [1e-4, 1e16) is written by the C encoder; its edges and beyond by the reference.
    value = {"duration_ms": number, "n": [number, round(number, 2)]}
    assert canonical_json(value) == rfc8785.dumps(value)


def test_an_audit_duration_is_written_by_the_encoder(monkeypatch):
    monkeypatch.setattr(rfc8785, "dumps", lambda value: pytest.fail("the reference was asked"))
    assert canonical_json({"duration_ms": 3.14, "count": 10}) == b'{"count":10,"duration_ms":3.14}'


_float_free = st.recursive(
    st.none() | st.booleans() | st.integers(min_value=-(2**54), max_value=2**54) | _text,
    lambda children: st.lists(children, max_size=5) | st.dictionaries(_text, children, max_size=5),
    max_leaves=40,
)


@settings(max_examples=800, deadline=None)
@given(_float_free)
def test_values_without_floats_the_same_bytes_or_the_same_error(value):
    # orjson's path: every code point in keys and strings, integers around 2^53.
    assert _ours(value) == _reference(value)


def test_a_document_is_written_by_orjson(monkeypatch):
    import json

    document = factories.import_gb(items=3).to_data()
    expected = rfc8785.dumps(document)
    monkeypatch.setattr(rfc8785, "dumps", lambda value: pytest.fail("the reference was asked"))
    monkeypatch.setattr(json, "dumps", lambda *a, **k: pytest.fail("the C encoder was asked"))
    assert canonical_json(document) == expected


# --- A model's dump: the schema proves it plain, orjson checks the integers ---------------------


class _Closed(BaseModel):
    model_config = ConfigDict(extra="forbid")
    name: str | None = None
    count: int | None = None
    amount: Decimal | None = None
    parts: list[_Closed] = []


class _WithFloat(_Closed):
    ratio: float | None = None


class _WithOpenMap(_Closed):
    extra_fields: dict[str, str] = {}


class _Open(BaseModel):  # extra fields allowed: keys the model does not name
    name: str | None = None


class _Untyped(_Closed):
    anything: object = None


def test_the_declaration_schema_is_proved_plain_and_others_are_not():
    assert canonical._plain_model(Declaration)
    assert canonical._plain_model(_Closed)
    for model in (_WithFloat, _WithOpenMap, _Open, _Untyped):
        assert not canonical._plain_model(model), model


def test_a_document_dump_is_written_without_the_walk(monkeypatch):
    document = factories.import_gb(items=5).to_data()
    expected = rfc8785.dumps(document)
    monkeypatch.setattr(canonical, "_plain_shape", lambda value: pytest.fail("the values were walked"))
    assert canonical_model_json(Declaration, document) == expected


@settings(max_examples=400, deadline=None)
@given(
    st.recursive(
        st.builds(_Closed, name=_text | st.none(), count=st.integers(min_value=-(2**54), max_value=2**54) | st.none()),
        lambda children: st.builds(_Closed, name=_text, parts=st.lists(children, max_size=3)),
        max_leaves=10,
    )
)
def test_a_proved_model_the_same_bytes_or_the_same_error_as_the_reference(instance):
    # Integers beyond 2^53 and lone surrogates are refused by orjson and left to the reference.
    data = instance.model_dump(mode="json", exclude_none=True)
    try:
        ours: bytes | type[Exception] = canonical_model_json(_Closed, data)
    except (rfc8785.CanonicalizationError, UnicodeEncodeError) as error:
        ours = type(error)
    assert ours == _reference(data)


def test_a_model_with_floats_takes_the_general_path():
    data = _WithFloat(ratio=1.0, amount=Decimal("2.50")).model_dump(mode="json", exclude_none=True)
    assert canonical_model_json(_WithFloat, data) == rfc8785.dumps(data) == b'{"amount":"2.50","parts":[],"ratio":1}'


def test_a_schema_with_a_list_of_types_is_judged_by_every_type():
    # JSON Schema allows "type" as a list; a float among them is not plain.
    assert canonical._plain_schema({"type": ["string", "null"]}, {}, set())
    assert not canonical._plain_schema({"type": ["string", "number"]}, {}, set())
    assert not canonical._plain_schema({"type": []}, {}, set())
