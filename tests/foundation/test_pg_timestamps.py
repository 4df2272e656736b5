"""PostgreSQL ``timestamptz`` values are read by psycopg's compiled parser (core.pgtimestamps),
and read exactly as Django's own loader reads them."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.db.backends.postgresql.psycopg_any import register_tzloader
from django.utils import timezone

pytestmark = pytest.mark.django_db

MOMENTS = [
    "2026-12-04 21:54:54.785827+00",
    "2026-12-05 01:54:54.5+04",  # Baku's offset: the same moment as 21:54:54.5 UTC
    "2026-01-01 00:00:00+00",
    "1999-06-30 23:59:59.999999-05:30",
    "0001-01-01 00:00:00+00",
]


def _postgresql() -> None:
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL only: SQLite has no timestamptz")


def _read(sql_values: list[str]) -> list[dt.datetime]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT v::timestamptz FROM unnest(%s::text[]) AS v", [sql_values])
        return [row[0] for row in cursor.fetchall()]


def test_timestamptz_is_read_compiled_with_djangos_zone():
    _postgresql()
    from gomruk.core.pgtimestamps import _COMPILED, CompiledTzLoader

    assert _COMPILED is not None, "psycopg[binary] is a dependency: its compiled loaders are there"
    connection.ensure_connection()
    loader = connection.connection.adapters.get_loader(connection.connection.adapters.types["timestamptz"].oid, 0)
    assert issubclass(loader, CompiledTzLoader)
    assert loader.timezone == connection.timezone  # Django's per-cursor check changes nothing

    ours = _read(MOMENTS)
    with connection.cursor() as cursor:  # Django's own loader, on this cursor only
        register_tzloader(connection.timezone, cursor.cursor)
        cursor.execute("SELECT v::timestamptz FROM unnest(%s::text[]) AS v", [MOMENTS])
        djangos = [row[0] for row in cursor.fetchall()]
    assert ours == djangos
    assert [value.tzinfo for value in ours] == [djangos[0].tzinfo] * len(MOMENTS)
    assert ours[1] == dt.datetime(2026, 12, 4, 21, 54, 54, 500000, tzinfo=dt.UTC)


def test_a_moment_written_is_the_moment_read():
    _postgresql()
    moment = timezone.now().replace(microsecond=123456)
    with connection.cursor() as cursor:
        cursor.execute("SELECT %s::timestamptz", [moment])
        (back,) = cursor.fetchone()
    assert back == moment and back.utcoffset() == dt.timedelta(0)
