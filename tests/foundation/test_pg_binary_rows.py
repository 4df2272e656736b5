"""Rows read in PostgreSQL's binary format (core.pgbinary, ADR 0049) hold the values the text
format gives Django: the signing payload's read asks for them so its ~100 KB ``bytea`` is not
spelled in hex."""

from __future__ import annotations

import datetime as dt
import uuid
from decimal import Decimal

import pytest
from django.db import connection

from gomruk.core.pgbinary import binary_rows

pytestmark = pytest.mark.django_db

ROW = (
    "SELECT %s::jsonb, %s::timestamptz, %s::date, %s::uuid, %s::bytea, %s::boolean, %s::bigint, "
    "%s::integer, %s::varchar, %s::numeric, NULL::jsonb, NULL::bytea, %s::jsonb, %s::json"
)
VALUES = [
    '{"ad": "Aysel Hüseynova", "çəki": 12.500, "mallar": [1, 2.5, null, true]}',
    dt.datetime(2026, 12, 5, 1, 54, 54, 500000, tzinfo=dt.timezone(dt.timedelta(hours=4))),
    dt.date(2026, 12, 6),
    uuid.UUID("fcf45bd8-0fd3-43ef-96aa-0123456789ab"),
    bytes(range(256)) * 400,  # ~100 KB, every byte value
    True,
    2**40,
    7,
    "00100/000042",
    Decimal("1234.567"),
    "[]",
    '{"ad" : "Aysel Hüseynova",  "mallar": [1, 2.500]}',  # a document's json: its text as written
]


def _postgresql() -> None:
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL only: the binary format is PostgreSQL's")


def _row(binary: bool) -> tuple[object, ...]:
    with connection.cursor() as cursor:
        if binary:
            binary_rows(cursor)
        cursor.execute(ROW, VALUES)
        return tuple(cursor.fetchone())


def test_a_binary_row_holds_what_the_text_row_holds():
    _postgresql()
    text, binary = _row(False), _row(True)
    assert binary == text
    assert isinstance(binary[0], str) and binary[0] == text[0]  # jsonb as its text, for Django to parse
    assert bytes(binary[4]) == VALUES[4]
    assert binary[1] == VALUES[1] and binary[1].utcoffset() == dt.timedelta(0)  # the same instant, in UTC
    assert binary[10] is None and binary[11] is None
    assert binary[13] == text[13] == VALUES[11]  # json as its very text, in either format (ADR 0054)


def test_binary_rows_stay_with_their_cursor():
    _postgresql()
    from psycopg import pq

    with connection.cursor() as cursor:
        binary_rows(cursor)
        assert cursor.cursor.format == pq.Format.BINARY
    with connection.cursor() as cursor:
        assert cursor.cursor.format == pq.Format.TEXT  # the next cursor reads text, as Django expects


def test_an_unknown_jsonb_binary_version_is_refused():
    from psycopg import DataError

    from gomruk.core.pgbinary import JsonbAsText

    loader = JsonbAsText(0)
    assert loader.load(b'\x01{"a": 1}') == '{"a": 1}'
    with pytest.raises(DataError):
        loader.load(b'\x02{"a": 1}')


def test_elsewhere_nothing_changes():
    if connection.vendor == "postgresql":
        pytest.skip("SQLite: the cursor has no format to set")
    with connection.cursor() as cursor:
        binary_rows(cursor)
        cursor.execute("SELECT 1, 'bir'")
        assert tuple(cursor.fetchone()) == (1, "bir")
