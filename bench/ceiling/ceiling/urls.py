"""One endpoint: parse, INSERT the document, take a number (UPDATE … RETURNING)."""

from __future__ import annotations

import json
import uuid
from typing import Any

from django.db import connection, transaction
from django.http import HttpRequest
from django.urls import path
from ninja import NinjaAPI

from gomruk.document.model import Declaration as Document

api = NinjaAPI(urls_namespace="ceiling")

TABLES = (
    "CREATE TABLE IF NOT EXISTS ceiling_document (id varchar(36) PRIMARY KEY, document text NOT NULL)",
    "CREATE TABLE IF NOT EXISTS ceiling_counter (id integer PRIMARY KEY, last integer NOT NULL)",
)


def tables_create() -> None:
    with connection.cursor() as cursor:
        for statement in TABLES:
            cursor.execute(statement)
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


urlpatterns = [path("api/", api.urls)]
