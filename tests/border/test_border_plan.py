"""On PostgreSQL the trader's query is answered from the partial index, not a table scan.

Run: DATABASE_URL=postgres://postgres@127.0.0.1:5432/test GOMRUK_TEST_DB=test_border pytest tests/border
"""

from __future__ import annotations

import pytest
from django.db import connection

from gomruk.api.pagination import encode_cursor
from gomruk.border.models import GOODS_WAITING_INDEX
from gomruk.border.selectors import caller_voens, goods_waiting, waiting_query
from tests.border.conftest import OWN

pytestmark = pytest.mark.postgres


@pytest.fixture
def loaded(users):
    if connection.vendor != "postgresql":
        pytest.skip("query plans are checked on PostgreSQL only (set DATABASE_URL to a PostgreSQL server)")
    # 60 000 arrivals for 2 000 VÖENs (OWN among them), most of them cleared long ago, as in
    # production; then fresh statistics, so the planner sees the real selectivity.
    with connection.cursor() as cursor:
        cursor.execute(
            """
            INSERT INTO border_arrival (id, post_code, consignee_voen, consignee_name, arrived_at,
                transport_mode, vehicle_identifiers, vehicle_count, transport_country, consignor_name,
                consignor_address, consignor_country, description, commodity_codes, package_count,
                package_kind, gross_mass, documents, storage_place, state, created_at, updated_at)
            SELECT gen_random_uuid(), '00102',
                   CASE WHEN n %% 2000 = 0 THEN %s ELSE lpad((1000000000 + n %% 2000)::text, 10, '0') END,
                   '', now() - (n || ' minutes')::interval, '30', 'AB-' || n, 1, '', 'X', '', '',
                   'Mal', '[]'::jsonb, 1, '', 1.000, '[]'::jsonb, '',
                   CASE WHEN (n / 2000) %% 10 < 8 THEN 'cleared' WHEN (n / 2000) %% 10 = 8 THEN 'in_storage' ELSE 'registered' END,
                   now(), now()
            FROM generate_series(1, 60000) AS n
            """,
            [OWN],
        )
        cursor.execute("ANALYZE border_arrival")


def _plan(voens, cursor=None) -> str:
    """The plan of the SQL the goods list runs (``waiting_query``), first page or next."""
    sql, params = waiting_query(voens, cursor=cursor, limit=101)
    with connection.cursor() as db:
        db.execute("EXPLAIN " + sql, params)
        return "\n".join(row[0] for row in db.fetchall())


def test_trader_query_uses_the_partial_index(loaded, users):
    plan = _plan(caller_voens(users["deklarant"]))
    assert GOODS_WAITING_INDEX in plan, plan
    assert "Seq Scan on border_arrival" not in plan, plan


def test_representative_query_uses_the_partial_index(loaded, users):
    plan = _plan(caller_voens(users["broker"]))
    assert GOODS_WAITING_INDEX in plan, plan
    assert "Seq Scan on border_arrival" not in plan, plan


def test_next_page_query_uses_the_partial_index(loaded, users):
    first = goods_waiting(user=users["deklarant"], limit=5).items
    assert len(first) == 5
    cursor = encode_cursor(first[-1].arrived_at, first[-1].pk)
    plan = _plan([OWN], cursor)
    assert GOODS_WAITING_INDEX in plan, plan
    assert "Seq Scan on border_arrival" not in plan, plan
