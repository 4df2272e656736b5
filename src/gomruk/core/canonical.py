"""Canonical JSON (RFC 8785): the bytes that are hashed, signed and compared.

A 100-item declaration is frozen and signed as canonical JSON; the reference implementation
(``rfc8785``) is pure Python and spent ~25 ms on one (issue 17). For the values documents are
made of — strings, safe integers, booleans, null, lists and objects whose keys sort the same in
UTF-16 and in code points — RFC 8785's output is exactly what the C JSON encoder writes with
sorted keys, no spaces and no ASCII escaping: the same escape table (RFC 8785 §3.2.2.2, the
two-letter escapes and ``\\u00xx`` for the other control characters) and integers as digits.
So are floats that are not whole and lie in [1e-4, 1e16): there Python's shortest repr (what
the encoder writes) has no exponent, which is the reference implementation's own output, built
from the same repr (an audit entry's ``duration_ms`` sent every border query down the slow
path). Anything else (other floats, integers beyond 2^53, keys outside the BMP, lone
surrogates, subclasses) goes to the reference implementation, which also raises its errors.
Values without floats (every document) are written by orjson, whose output for them is the
same bytes (the same escapes, keys sorted by code point) at an eighth of the C encoder's cost:
2 against 16 million instructions for a 100-item document (``bench/instructions.py``).
``tests/foundation/test_canonical_json.py`` holds all three to the same bytes.
"""

from __future__ import annotations

import hashlib
import json
from functools import cache
from typing import Any

import orjson
import rfc8785
from pydantic import BaseModel

_SAFE_INTEGER = 2**53 - 1
_FIRST_ASTRAL = "\U00010000"
_PLAIN_FLOATS = (1e-4, 1e16)  # where repr() writes neither an exponent nor a trailing ".0"


NOT_PLAIN, PLAIN, PLAIN_WITH_FLOATS = 0, 1, 2


def _plain_shape(value: Any) -> int:
    """PLAIN: strings, safe integers, booleans, null, lists and objects with keys that sort
    alike in UTF-16 and in code points; PLAIN_WITH_FLOATS: the same with plain floats (see the
    module's docstring); NOT_PLAIN: anything else."""
    stack = [value]
    floats = False
    while stack:
        item = stack.pop()
        kind = type(item)
        if kind is str or kind is bool or item is None:
            continue
        if kind is int:
            if -_SAFE_INTEGER <= item <= _SAFE_INTEGER:
                continue
            return NOT_PLAIN
        if kind is float:
            if _PLAIN_FLOATS[0] <= abs(item) < _PLAIN_FLOATS[1] and not item.is_integer():
                floats = True
                continue
            return NOT_PLAIN
        if kind is dict:
            for key in item:
                if type(key) is not str or (not key.isascii() and max(key) >= _FIRST_ASTRAL):
                    return NOT_PLAIN
            stack.extend(item.values())
            continue
        if kind is list or kind is tuple:
            stack.extend(item)
            continue
        return NOT_PLAIN
    return PLAIN_WITH_FLOATS if floats else PLAIN


def canonical_json(value: Any) -> bytes:
    shape = _plain_shape(value)
    if shape == PLAIN:
        # orjson writes plain values exactly as RFC 8785 does (the same escapes, keys sorted by
        # code point, integers as digits), at an eighth of the C encoder's cost for a document;
        # its floats are not held to Python's repr here, so those take the encoder below.
        try:
            return orjson.dumps(value, option=orjson.OPT_SORT_KEYS)
        except orjson.JSONEncodeError:
            pass  # a lone surrogate: the reference implementation names the error
    elif shape == PLAIN_WITH_FLOATS:
        try:
            return json.dumps(
                value, ensure_ascii=False, sort_keys=True, separators=(",", ":"), allow_nan=False
            ).encode("utf-8")
        except UnicodeEncodeError:
            pass  # a lone surrogate, as above
    return rfc8785.dumps(value)


def canonical_model_json(model: type[BaseModel], data: Any) -> bytes:
    """:func:`canonical_json` of ``data``, the JSON dump (``model_dump(mode="json")``) of an
    instance of ``model``. When the model's JSON schema proves every dump plain but for the size
    of its integers (:func:`_plain_model`), orjson writes it straight away and itself refuses an
    integer beyond 2^53 (and a lone surrogate): the walk over every value (three quarters of the
    cost for a 100-item document) is not needed. Anything refused takes :func:`canonical_json`."""
    if _plain_model(model):
        try:
            return orjson.dumps(data, option=orjson.OPT_SORT_KEYS | orjson.OPT_STRICT_INTEGER)
        except orjson.JSONEncodeError:
            pass
    return canonical_json(data)


_PLAIN_LEAVES = frozenset({"string", "boolean", "null", "integer"})


@cache
def _plain_model(model: type[BaseModel]) -> bool:
    """Whether the schema of ``model``'s JSON dumps admits only strings, integers, booleans,
    null, arrays and objects with the model's own ASCII field names: no number (a float), no
    open object (user keys), no untyped value. Integers are left to orjson's 53-bit check."""
    schema = model.model_json_schema(mode="serialization", by_alias=False)
    definitions = schema.get("$defs", {})
    return _plain_schema(schema, definitions, set())


def _plain_schema(node: Any, definitions: dict[str, Any], seen: set[str]) -> bool:  # noqa: PLR0911
    if not isinstance(node, dict):
        return False
    if "$ref" in node:
        name = node["$ref"].rsplit("/", 1)[-1]
        if name in seen:
            return True
        seen.add(name)
        return name in definitions and _plain_schema(definitions[name], definitions, seen)
    for combined in ("anyOf", "oneOf", "allOf"):
        if combined in node:
            return all(_plain_schema(branch, definitions, seen) for branch in node[combined])
    if "enum" in node or "const" in node:
        values = node.get("enum", [node.get("const")])
        return all(value is None or type(value) in (str, bool) for value in values)
    kind = node.get("type")
    if isinstance(kind, list):  # {"type": ["string", "null"]}, as a schema extra may write it
        return bool(kind) and all(k in _PLAIN_LEAVES for k in kind)
    if kind in _PLAIN_LEAVES:
        return True
    if kind == "array":
        return "items" in node and _plain_schema(node["items"], definitions, seen)
    if kind == "object":
        properties = node.get("properties")
        if properties is None or node.get("additionalProperties", True) is not False or "patternProperties" in node:
            return False
        return all(
            name.isascii() and _plain_schema(value, definitions, seen) for name, value in properties.items()
        )
    return False


def canonical_object(members: dict[str, bytes]) -> bytes:
    """The canonical JSON of an object given its members' values as canonical JSON already: a
    large member encoded once (the frozen document, whose bytes are also hashed) is spliced in
    rather than walked and encoded a second time inside its envelope. Names are ASCII, which
    sort the same in UTF-16 code units (RFC 8785 §3.2.3) as here."""
    if not all(type(name) is str and name.isascii() for name in members):
        raise ValueError("canonical_object takes ASCII member names")
    return b"{" + b",".join(canonical_json(name) + b":" + value for name, value in sorted(members.items())) + b"}"


def sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()
