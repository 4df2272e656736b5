"""Two endpoints, each only the work itself:

* ``POST /api/submit`` (``bench/submit.py``): parse, INSERT the document, take a number
  (UPDATE … RETURNING);
* ``GET /api/border/goods`` (``bench/border.py``): the bearer token looked up the simplest way
  (its hash in ``accounts_apitoken``, the VÖENs it was issued for), the same indexed SELECT of
  those VÖENs' uncleared arrivals as Gömrük's (first page of 100, the partial index), and one
  audit INSERT; the rows as JSON.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import uuid
from typing import Any

from django.db import connection, transaction
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.urls import path
from ninja import NinjaAPI

from gomruk.document.model import Declaration as Document

api = NinjaAPI(urls_namespace="ceiling")

TABLES = (
    "CREATE TABLE IF NOT EXISTS ceiling_document (id varchar(36) PRIMARY KEY, document text NOT NULL)",
    "CREATE TABLE IF NOT EXISTS ceiling_counter (id integer PRIMARY KEY, last integer NOT NULL)",
)
AUDIT_ID = {"postgresql": "bigserial PRIMARY KEY"}  # SQLite: integer PRIMARY KEY (its rowid)
AUDIT_TABLE = (
    "CREATE TABLE IF NOT EXISTS ceiling_audit (id {id}, created_at varchar(40) NOT NULL, "
    "token varchar(8) NOT NULL, voens text NOT NULL, count integer NOT NULL)"
)
ARRIVAL_COLUMNS = (
    "id", "post_code", "consignee_voen", "consignee_name", "arrived_at", "transport_mode", "vehicle_identifiers",
    "vehicle_count", "transport_country", "consignor_name", "consignor_address", "consignor_country", "description",
    "commodity_codes", "package_count", "package_kind", "gross_mass", "documents", "storage_place", "state",
)
PAGE = 100


def tables_create() -> None:
    with connection.cursor() as cursor:
        for statement in TABLES:
            cursor.execute(statement)
        cursor.execute(AUDIT_TABLE.format(id=AUDIT_ID.get(connection.vendor, "integer PRIMARY KEY")))
        cursor.execute("SELECT count(*) FROM ceiling_counter")
        if cursor.fetchone()[0] == 0:
            cursor.execute("INSERT INTO ceiling_counter (id, last) VALUES (1, 0)")


@api.post("/submit")
def submit(request: HttpRequest) -> dict[str, Any]:
    document = Document.model_validate_json(request.body).to_data()
    key = str(uuid.uuid4())
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("INSERT INTO ceiling_document (id, document) VALUES (%s, %s)", [key, json.dumps(document)])
        cursor.execute("UPDATE ceiling_counter SET last = last + 1 WHERE id = 1 RETURNING last")
        number = cursor.fetchone()[0]
    return {"id": key, "state": "sent", "registration_number": f"00100/{number:06d}"}


def _json(value: Any) -> Any:
    return json.loads(value) if isinstance(value, str) else value


@api.get("/border/goods")
def border_goods(request: HttpRequest) -> HttpResponse:
    secret = request.headers.get("Authorization", "").removeprefix("Bearer ").strip()
    now = dt.datetime.now(dt.UTC)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT voens FROM accounts_apitoken WHERE key_hash = %s AND revoked_at IS NULL AND expires_at > %s",
            [hashlib.sha256(secret.encode()).hexdigest(), connection.ops.adapt_datetimefield_value(now)],
        )
        token = cursor.fetchone()
        if token is None:
            return JsonResponse({"detail": "unauthorized"}, status=401)
        voens = sorted(_json(token[0]))
        cursor.execute(
            f"SELECT {', '.join(ARRIVAL_COLUMNS)} FROM border_arrival "  # noqa: S608 (constants)
            f"WHERE consignee_voen IN ({', '.join(['%s'] * len(voens))}) AND NOT (state = 'cleared') "
            "ORDER BY arrived_at DESC, id DESC LIMIT %s",
            [*voens, PAGE],
        )
        rows = cursor.fetchall()
        cursor.execute(
            "INSERT INTO ceiling_audit (created_at, token, voens, count) VALUES (%s, %s, %s, %s)",
            [now.isoformat(), secret[4:12], json.dumps(voens), len(rows)],
        )
    items = []
    for row in rows:
        item = dict(zip(ARRIVAL_COLUMNS, row, strict=True))
        item["commodity_codes"], item["documents"] = _json(item["commodity_codes"]), _json(item["documents"])
        items.append(item)
    return JsonResponse({"items": items, "count": len(items), "next_cursor": None})


urlpatterns = [path("api/", api.urls)]
