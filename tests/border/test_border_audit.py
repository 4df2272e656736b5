"""S002 §3.4.1: every request is logged with the caller and the number of records returned."""

from __future__ import annotations

from gomruk.core.audit import audit_verify
from gomruk.core.models import AuditEntry
from tests.border.conftest import OWN, PRINCIPAL2, STRANGER


def _queries():
    return list(AuditEntry.objects.filter(action="border.goods.query").order_by("id"))


def test_every_api_query_is_audited_with_its_count(users, bulk, api):
    bulk(OWN, 3)
    bulk(PRINCIPAL2, 2)
    bulk(STRANGER, 4)
    api.get("/goods", "deklarant")
    api.get("/goods", "broker")
    api.get("/goods", "broker", limit=2)
    api.get("/goods", "inspektor")
    entries = _queries()
    assert [(e.actor.username, e.details["count"]) for e in entries] == [
        ("deklarant", 3), ("broker", 5), ("broker", 2), ("inspektor", 0),
    ]
    first = entries[0]
    assert first.outcome == "ok" and first.object_type == "border"
    assert first.details["voens"] == [OWN]
    assert first.details["channel"] == "api"
    assert first.details["credential"]["method"] == "password"
    assert first.details["query"] == {"cursor": None, "limit": 100}
    assert first.details["duration_ms"] >= 0
    assert entries[1].details["voens"] == sorted(["1401555071", "1500420091", "1700120051"])
    assert audit_verify().ok


def test_empty_and_refused_queries_are_audited_too(users, api):
    api.get("/goods", "deklarant")
    api.get("/goods", "deklarant", cursor="garbage!")
    entries = _queries()
    assert [(e.outcome, e.details["count"]) for e in entries] == [("ok", 0), ("refused", 0)]
    assert entries[1].details["code"] == "invalid_cursor"


def test_portal_page_is_audited(users, bulk, client):
    bulk(OWN, 2)
    client.force_login(users["deklarant"])
    client.get("/border/goods/")
    (entry,) = _queries()
    assert entry.details["count"] == 2 and entry.details["channel"] == "portal"
    assert entry.actor == users["deklarant"]


def test_detail_reads_are_audited_with_count(users, bulk, api):
    (mine,) = bulk(OWN, 1)
    (theirs,) = bulk(STRANGER, 1)
    api.get(f"/goods/{mine.pk}", "deklarant")
    api.get(f"/goods/{theirs.pk}", "deklarant")
    reads = list(AuditEntry.objects.filter(action="border.goods.read").order_by("id"))
    assert [(r.outcome, r.details["count"]) for r in reads] == [("ok", 1), ("not_found", 0)]
