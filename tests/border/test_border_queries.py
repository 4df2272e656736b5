"""Issue 17: the trader's border query costs three statements (token + user + VÖENs; the
arrivals with their traders' names; the audit INSERT), and nothing about the caller is kept
between requests, so a revocation takes effect on the very next request."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from gomruk.accounts.models import ApiToken, Representation, TraderBinding, User
from gomruk.core.models import AuditEntry
from tests.border.conftest import BROKER_OWN, OWN, PRINCIPAL2, STRANGER

LOCAL_CACHE = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}


@pytest.fixture
def hot_path(settings):
    """What production runs: deferred sealing, the reference snapshot checked every few seconds
    (not on every request, as in the test settings), and the rate-limit counter in Redis
    (here: memory; with the database cache it adds its own statements)."""
    settings.GOMRUK_AUDIT_SEALING = "deferred"
    settings.GOMRUK_REFERENCE_RECHECK = 3600.0
    settings.CACHES = LOCAL_CACHE


def _statements(captured) -> list[str]:
    return [q["sql"] for q in captured if not q["sql"].startswith(("SAVEPOINT", "RELEASE SAVEPOINT"))]


@pytest.mark.parametrize(("username", "voens"), [("deklarant", {OWN}), ("broker", {OWN, PRINCIPAL2, BROKER_OWN})])
def test_goods_query_is_three_statements(hot_path, bulk, api, username, voens):
    for voen in (OWN, PRINCIPAL2, BROKER_OWN, STRANGER):
        bulk(voen, 3)
    assert api.get("/goods", username).status_code == 200  # warm: token issued, reference loaded
    with CaptureQueriesContext(connection) as captured:
        response = api.get("/goods", username)
    assert response.status_code == 200
    statements = _statements(captured)
    assert len(statements) == 3, "\n".join(statements)
    token, arrivals, audit = statements
    assert "accounts_apitoken" in token and "accounts_traderbinding" in token and "accounts_representation" in token
    assert "border_arrival" in arrivals and "accounts_trader" in arrivals  # names joined, not asked apart
    assert audit.startswith("INSERT INTO") and "core_auditentry" in audit
    items = response.json()["items"]
    assert {item["trader"]["voen"] for item in items} == voens
    assert all(item["trader"]["name"] for item in items)


def test_rate_limit_counter_on_the_database_is_two_statements_more(settings, bulk, api, monkeypatch):
    """Without Redis the token's counter lives in the database cache: a compare-and-set, read
    and conditional write, no transaction."""
    settings.GOMRUK_AUDIT_SEALING = "deferred"
    settings.GOMRUK_REFERENCE_RECHECK = 3600.0
    monkeypatch.setattr("gomruk.api.ratelimit.time.time", lambda: 1_800_000_000.0)  # one window
    bulk(OWN, 2)
    assert api.get("/goods", "deklarant").status_code == 200  # the window's counter is made
    with CaptureQueriesContext(connection) as captured:
        assert api.get("/goods", "deklarant").status_code == 200
    statements = _statements(captured)
    counter = [sql for sql in statements if "gomruk_cache" in sql]
    assert len(statements) == 5 and len(counter) == 2, "\n".join(statements)
    assert counter[0].startswith("SELECT") and counter[1].startswith("UPDATE")


def test_next_page_is_three_statements_too_and_ties_are_broken_by_id(hot_path, bulk, api):
    moment = timezone.now() - dt.timedelta(hours=1)
    made = [a for _ in range(5) for a in bulk(OWN, 1, start=moment)]  # five arrivals, one moment
    seen: list[str] = []
    cursor = None
    while True:
        with CaptureQueriesContext(connection) as captured:
            body = api.get("/goods", "deklarant", limit=2, **({"cursor": cursor} if cursor else {})).json()
        assert len(_statements(captured)) <= 3 or cursor is None  # the first call also loads the snapshot
        seen += [item["id"] for item in body["items"]]
        cursor = body["next_cursor"]
        if not cursor:
            break
    assert sorted(seen) == sorted(str(a.pk) for a in made) and len(seen) == 5
    assert seen == [str(pk) for pk in sorted((a.pk for a in made), reverse=True)]


def test_the_audit_entry_is_still_written_for_every_request(hot_path, bulk, api):
    bulk(OWN, 2)
    for _ in range(3):
        api.get("/goods", "deklarant")
    entries = AuditEntry.objects.filter(action="border.goods.query")
    assert [e.details["count"] for e in entries] == [2, 2, 2]


def _ids(response) -> set[str]:
    assert response.status_code == 200, response.content
    return {item["voen"] for item in (i["trader"] for i in response.json()["items"])}


def test_revoked_token_is_refused_on_the_next_request(hot_path, bulk, api):
    bulk(OWN, 1)
    assert api.get("/goods", "deklarant").status_code == 200
    ApiToken.objects.filter(user__username="deklarant").update(revoked_at=timezone.now())
    assert api.get("/goods", "deklarant").status_code == 401


def test_expired_token_and_deactivated_user_are_refused_at_once(hot_path, bulk, api):
    bulk(OWN, 1)
    assert api.get("/goods", "deklarant").status_code == 200
    ApiToken.objects.filter(user__username="deklarant").update(expires_at=timezone.now() - dt.timedelta(seconds=1))
    assert api.get("/goods", "deklarant").status_code == 401
    assert api.get("/goods", "broker").status_code == 200
    User.objects.filter(username="broker").update(is_active=False)
    assert api.get("/goods", "broker").status_code == 401


def test_ended_or_removed_representation_hides_goods_on_the_next_request(hot_path, bulk, api):
    for voen in (OWN, PRINCIPAL2, BROKER_OWN):
        bulk(voen, 1)
    assert _ids(api.get("/goods", "broker")) == {OWN, PRINCIPAL2, BROKER_OWN}
    Representation.objects.filter(principal__voen=PRINCIPAL2).update(valid_to=timezone.localdate() - dt.timedelta(days=1))
    assert _ids(api.get("/goods", "broker")) == {OWN, BROKER_OWN}
    Representation.objects.filter(principal__voen=OWN).delete()
    assert _ids(api.get("/goods", "broker")) == {BROKER_OWN}
    TraderBinding.objects.filter(user__username="broker").delete()
    response = api.get("/goods", "broker")
    assert response.status_code == 200 and response.json()["items"] == []


def test_representation_not_yet_valid_is_not_reached(hot_path, bulk, api):
    bulk(PRINCIPAL2, 1)
    Representation.objects.filter(principal__voen=PRINCIPAL2).update(valid_from=timezone.localdate() + dt.timedelta(days=1))
    assert PRINCIPAL2 not in _ids(api.get("/goods", "broker"))


def test_rows_read_by_the_written_sql_equal_the_orms(users, register, api):
    from gomruk.accounts.auth import token_authenticate
    from gomruk.border.models import Arrival
    from gomruk.border.selectors import goods_waiting

    made = register(consignee_voen=OWN)
    (read,) = goods_waiting(user=users["deklarant"]).items
    fetched = Arrival.objects.get(pk=made.pk)
    for field in Arrival._meta.concrete_fields:
        assert getattr(read, field.attname) == getattr(fetched, field.attname), field.name
    assert not read._state.adding and read._state.db == fetched._state.db
    secret = api._headers("deklarant")["HTTP_AUTHORIZATION"].removeprefix("Bearer ")
    token = token_authenticate(secret)
    row = ApiToken.objects.select_related("user").get(pk=token.pk)
    for model, ours, orms in ((ApiToken, token, row), (User, token.user, row.user)):
        for field in model._meta.concrete_fields:
            assert getattr(ours, field.attname) == getattr(orms, field.attname), field.name
