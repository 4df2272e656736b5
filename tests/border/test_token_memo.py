"""ADR 0050: with Redis, a process uses the bearer token's caller it read before while the
principals stamp (read by the request's rate-limit count) vouches for it. Every change of what
a caller is made of moves the stamp on at commit, so the next request of *any* process reads
the caller again: a row kept by another node (restored here after this process forgot its own)
is never used after a revocation, a deactivation or a representation ended."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from gomruk.accounts import token_memo
from gomruk.accounts.auth import token_revoke
from gomruk.accounts.models import ApiToken, Representation, TraderBinding, User
from gomruk.core.cache import shared_redis
from tests.border.conftest import BROKER_OWN, OWN, PRINCIPAL2


@pytest.fixture(autouse=True)
def _border_urls(settings):
    """The project's own API: its guards count the request and name its caller."""
    settings.ROOT_URLCONF = "gomruk.urls"


@pytest.fixture
def memo(settings, redis_cache):
    settings.GOMRUK_AUDIT_SEALING = "deferred"
    settings.GOMRUK_REFERENCE_RECHECK = 3600.0
    token_memo.forget_all()
    yield
    token_memo.forget_all()


def _token_reads(captured) -> int:
    return sum(q["sql"].startswith("SELECT") and "accounts_apitoken" in q["sql"] for q in captured)


def _caller_reads_of_a_request(api) -> int:
    """How often one request of ``deklarant`` read its caller from the database."""
    with CaptureQueriesContext(connection) as captured:
        assert api.get("/goods", "deklarant").status_code == 200
    return _token_reads(captured)


def _voens(response) -> set[str]:
    assert response.status_code == 200, response.content
    return {item["trader"]["voen"] for item in response.json()["items"]}


def _as_another_node_kept(kept: dict) -> None:
    """This process forgets at its own commit; another node still holds what it read."""
    token_memo._kept.update(kept)


def test_the_caller_is_read_once_and_every_request_is_counted_once(memo, redis_cache, bulk, api):
    bulk(OWN, 2)
    with CaptureQueriesContext(connection) as first:  # read at once: each request empties the log
        assert api.get("/goods", "deklarant").status_code == 200
    assert _token_reads(first) == 1
    with CaptureQueriesContext(connection) as second:
        assert api.get("/goods", "deklarant").status_code == 200
    assert _token_reads(second) == 0
    assert api.get("/goods", "deklarant").status_code == 200
    import redis

    store = redis.Redis.from_url(redis_cache)
    counters = list(store.keys("*gomruk-rate:token:*"))
    assert len(counters) == 1
    assert int(store.get(counters[0])) == 3  # three requests, three counts


def test_a_revocation_refuses_the_token_on_every_node_at_once(memo, bulk, api, django_capture_on_commit_callbacks):
    bulk(OWN, 1)
    assert api.get("/goods", "deklarant").status_code == 200
    assert api.get("/goods", "deklarant").status_code == 200
    kept = dict(token_memo._kept)
    assert kept
    with django_capture_on_commit_callbacks(execute=True):
        token_revoke(token=ApiToken.objects.get(user__username="deklarant"))
    _as_another_node_kept(kept)
    assert api.get("/goods", "deklarant").status_code == 401


@pytest.mark.parametrize("change", ["deactivate", "end_representation", "remove_binding", "delete_representation"])
def test_a_changed_principal_is_read_again_by_every_node(memo, bulk, api, change, django_capture_on_commit_callbacks):
    for voen in (OWN, PRINCIPAL2, BROKER_OWN):
        bulk(voen, 1)
    assert _voens(api.get("/goods", "broker")) == {OWN, PRINCIPAL2, BROKER_OWN}
    assert _voens(api.get("/goods", "broker")) == {OWN, PRINCIPAL2, BROKER_OWN}
    kept = dict(token_memo._kept)
    with django_capture_on_commit_callbacks(execute=True):
        if change == "deactivate":
            user = User.objects.get(username="broker")
            user.is_active = False
            user.save()
        elif change == "end_representation":
            representation = Representation.objects.get(principal__voen=PRINCIPAL2)
            representation.valid_to = timezone.localdate() - dt.timedelta(days=1)
            representation.save()
        elif change == "remove_binding":
            TraderBinding.objects.filter(user__username="broker").delete()
        else:
            Representation.objects.filter(principal__voen=OWN).delete()
    _as_another_node_kept(kept)
    response = api.get("/goods", "broker")
    expected = {
        "deactivate": None,
        "end_representation": {OWN, BROKER_OWN},
        "remove_binding": {OWN, PRINCIPAL2},
        "delete_representation": {PRINCIPAL2, BROKER_OWN},
    }[change]
    if expected is None:
        assert response.status_code == 401
    else:
        assert _voens(response) == expected


def test_a_sign_in_or_a_new_token_does_not_move_the_stamp(memo, bulk, api, token, django_capture_on_commit_callbacks):
    bulk(OWN, 1)
    assert api.get("/goods", "deklarant").status_code == 200
    stamp = token_memo.stamp_now()
    with django_capture_on_commit_callbacks(execute=True):
        token("broker")  # a new token of another user
        user = User.objects.get(username="deklarant")
        user.last_login = timezone.now()
        user.save(update_fields=["last_login"])
    assert token_memo.stamp_now() == stamp
    assert _caller_reads_of_a_request(api) == 0


def test_a_stamp_redis_lost_vouches_for_nothing_kept_before(memo, redis_cache, bulk, api):
    bulk(OWN, 1)
    assert api.get("/goods", "deklarant").status_code == 200
    import redis

    redis.Redis.from_url(redis_cache).flushdb()  # a restart without persistence
    ApiToken.objects.filter(user__username="deklarant").update(revoked_at=timezone.now())  # no signal
    assert api.get("/goods", "deklarant").status_code == 401


def test_a_change_committed_between_stamp_and_row_leaves_nothing_vouched(memo, bulk, api, monkeypatch):
    """The row is kept under the stamp read before it: another node's commit landing between
    the two moves the stamp, and the next request reads the caller again."""
    from gomruk.accounts import auth

    bulk(OWN, 1)
    read = auth.token_row

    def row_then_another_nodes_commit(*args, **kwargs):
        found = read(*args, **kwargs)
        shared_redis().stamp_bump(token_memo.STAMP_KEY)
        return found

    monkeypatch.setattr(auth, "token_row", row_then_another_nodes_commit)
    assert api.get("/goods", "deklarant").status_code == 200
    monkeypatch.setattr(auth, "token_row", read)
    assert _caller_reads_of_a_request(api) == 1


def test_expiry_and_age_bound_a_kept_row(memo, bulk, api, settings):
    bulk(OWN, 1)
    assert api.get("/goods", "deklarant").status_code == 200
    (key,) = token_memo._kept
    kept = token_memo._kept[key]
    token_memo._kept[key] = token_memo.Kept(kept.row, kept.token_id, timezone.now() - dt.timedelta(seconds=1), kept.stamp, kept.at)
    ApiToken.objects.filter(user__username="deklarant").update(expires_at=timezone.now() - dt.timedelta(seconds=1))
    assert api.get("/goods", "deklarant").status_code == 401
    assert not token_memo._kept


def test_a_kept_row_older_than_the_limit_is_read_again(memo, bulk, api, settings):
    bulk(OWN, 1)
    assert api.get("/goods", "deklarant").status_code == 200
    (key,) = token_memo._kept
    kept = token_memo._kept[key]
    token_memo._kept[key] = token_memo.Kept(kept.row, kept.token_id, kept.expires_at, kept.stamp, kept.at - 61)
    assert _caller_reads_of_a_request(api) == 1


def _every_request_reads_its_caller(bulk, api) -> None:
    bulk(OWN, 1)
    for _ in range(2):
        assert _caller_reads_of_a_request(api) == 1
    assert not token_memo._kept


def test_nothing_is_kept_without_redis(settings, bulk, api):
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    token_memo.forget_all()
    _every_request_reads_its_caller(bulk, api)


def test_no_age_keeps_nothing_even_with_redis(memo, bulk, api, settings):
    settings.GOMRUK_TOKEN_MEMO_SECONDS = 0
    _every_request_reads_its_caller(bulk, api)
