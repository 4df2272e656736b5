"""The one cursor codec (issue 14 item 5): what it encodes it decodes; anything else is the
project's 422 ``invalid_cursor``, never a crash."""

from __future__ import annotations

import base64
import datetime as dt
import json
import uuid

import pytest

from gomruk.api.pagination import decode_cursor, encode_cursor
from gomruk.core.errors import GomrukError


def test_a_cursor_names_a_moment_and_an_id() -> None:
    moment = dt.datetime(2026, 12, 3, 7, 30, 1, 123456, tzinfo=dt.UTC)
    pk = uuid.uuid4()
    cursor = encode_cursor(moment, pk)
    assert "=" not in cursor
    assert decode_cursor(cursor) == (moment, pk)


def _opaque(value: object) -> str:
    return base64.urlsafe_b64encode(json.dumps(value).encode()).decode().rstrip("=")


@pytest.mark.parametrize("cursor", [
    "%%%garbage", "garbage!", "", _opaque(["2026-12-03T07:30:00", str(uuid.uuid4())]),  # naive time
    _opaque(["2026-12-03T07:30:00+00:00", "not-a-uuid"]), _opaque({"a": 1}), _opaque(["x"]),
])
def test_anything_else_is_invalid_cursor(cursor: str) -> None:
    with pytest.raises(GomrukError) as refused:
        decode_cursor(cursor)
    assert (refused.value.code, refused.value.status) == ("invalid_cursor", 422)
