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
from typing import Any

import orjson
import rfc8785

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
