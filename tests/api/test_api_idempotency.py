"""Idempotency-Key: replay, different body (422), a legacy run still marked running (409),
24-hour life, and 50 concurrent identical sends giving exactly one numbered declaration (the
duplicates wait for the first and replay its answer). Faults: ``test_api_faults.py``."""

from __future__ import annotations

import threading
from datetime import timedelta

import pytest
from django.db import connection, connections
from django.utils import timezone

from gomruk.api.idempotency import fingerprint
from gomruk.api.models import IdempotencyKey
from gomruk.declarations.models import Declaration, StatusEvent
from tests.api.api_helpers import ApiClient, Walk, assert_problem, password_token


def test_replay_returns_the_first_response_and_runs_once(walk):
    declaration_id = walk.confirmed()
    first = walk.send(declaration_id, headers={"Idempotency-Key": "k-1"})
    assert first.status_code == 200
    replay = walk.send(declaration_id, headers={"Idempotency-Key": "k-1"})
    assert replay.status_code == 200
    assert replay.content == first.content
    assert replay["Idempotent-Replayed"] == "true"
    assert StatusEvent.objects.filter(declaration_id=declaration_id, to_state="sent").count() == 1
    # Without the key the same request runs again, and the lifecycle refuses it.
    assert_problem(walk.send(declaration_id), 409)


def test_create_is_idempotent(walk):
    from tests.api.api_helpers import document_json

    body = document_json()
    first = walk.api.post("/declarations", body, headers={"Idempotency-Key": "create-1"})
    second = walk.api.post("/declarations", body, headers={"Idempotency-Key": "create-1"})
    assert first.status_code == second.status_code == 201
    assert first.json()["id"] == second.json()["id"]
    assert second["Location"] == first["Location"]
    assert Declaration.objects.count() == 1


def test_same_key_different_body_is_422(walk):
    declaration_id = walk.confirmed()
    walk.send(declaration_id, office="99999", headers={"Idempotency-Key": "k-2"})
    response = walk.send(declaration_id, office="00100", headers={"Idempotency-Key": "k-2"})
    assert_problem(response, 422, "idempotency_key_reused")
    # The same key on another path is another request, too.
    other = walk.api.post(f"/declarations/{declaration_id}/withdraw", {"reason": ""}, headers={"Idempotency-Key": "k-2"})
    assert_problem(other, 422, "idempotency_key_reused")


def test_a_key_left_in_progress_by_an_earlier_version_is_409_then_freed(walk, users):
    """Rows are never committed "in progress" now; one left by an earlier version (whose run
    may have committed) keeps its key for five minutes, as it did then."""
    declaration_id = walk.confirmed()
    path = f"/api/v1/declarations/{declaration_id}/send"
    body = b'{"office": "00100"}'
    row = IdempotencyKey.objects.create(
        user=users["deklarant"], key="k-3", method="POST", path=path,
        body_sha256=fingerprint(method="POST", path=path, body=body), created_at=timezone.now(),
    )
    response = walk.api.request("POST", path, body.decode(), headers={"Idempotency-Key": "k-3"})
    assert_problem(response, 409, "idempotency_in_progress")
    assert response["Retry-After"] == "1"
    assert Declaration.objects.get(pk=declaration_id).state == "confirmed"
    IdempotencyKey.objects.filter(pk=row.pk).update(created_at=timezone.now() - timedelta(minutes=5, seconds=1))
    response = walk.api.request("POST", path, body.decode(), headers={"Idempotency-Key": "k-3"})
    assert response.status_code == 200


def test_a_refused_request_keeps_its_answer_and_a_5xx_leaves_nothing(walk, monkeypatch):
    declaration_id = walk.confirmed()
    refused = walk.send(declaration_id, office="99999", headers={"Idempotency-Key": "k-4"})
    assert_problem(refused, 422, "unknown_office")
    assert_problem(walk.send(declaration_id, office="99999", headers={"Idempotency-Key": "k-4"}), 422)
    from gomruk.declarations import submission

    def crash(**kwargs):
        raise RuntimeError("bug")

    monkeypatch.setattr(submission, "declaration_send", crash)
    assert_problem(walk.send(declaration_id, headers={"Idempotency-Key": "k-5"}), 500)
    assert not IdempotencyKey.objects.filter(key="k-5").exists()
    monkeypatch.undo()
    assert walk.send(declaration_id, headers={"Idempotency-Key": "k-5"}).status_code == 200


def test_keys_expire_after_24_hours(walk):
    declaration_id = walk.create()["id"]
    first = walk.api.post(f"/declarations/{declaration_id}/withdraw", {"reason": "a"}, headers={"Idempotency-Key": "old"})
    assert first.status_code == 200
    IdempotencyKey.objects.filter(key="old").update(created_at=timezone.now() - timedelta(hours=24, seconds=1))
    again = walk.api.post(f"/declarations/{declaration_id}/withdraw", {"reason": "a"}, headers={"Idempotency-Key": "old"})
    # Not replayed: the request ran again, and a withdrawn declaration cannot be withdrawn.
    assert_problem(again, 409)


def test_keys_are_per_user(walk, as_user):
    walk.api.post("/declarations", {"declaration_type": "01"}, headers={"Idempotency-Key": "shared"})
    other = as_user("deklarant2").post("/declarations", {"declaration_type": "01"}, headers={"Idempotency-Key": "shared"})
    assert other.status_code == 201
    assert "Idempotent-Replayed" not in other


def test_invalid_key_is_422(walk):
    response = walk.api.post("/declarations", {}, headers={"Idempotency-Key": "x" * 300})
    assert_problem(response, 422, "idempotency_key_invalid")


def _in_memory_sqlite() -> bool:
    settings = connection.settings_dict
    name = str(settings.get("TEST", {}).get("NAME") or settings["NAME"])
    return connection.vendor == "sqlite" and (":memory:" in name or "mode=memory" in name or not settings.get("TEST", {}).get("NAME"))


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_concurrent_identical_sends_number_exactly_one(pki, loaded_classifiers, monkeypatch):
    if _in_memory_sqlite():
        pytest.skip(
            "needs real concurrent connections: PostgreSQL (DATABASE_URL=postgres://…) or a file-backed "
            "SQLite (GOMRUK_TEST_DB=/tmp/api-test.sqlite3); the in-memory SQLite test database "
            "fails concurrent writers with 'table is locked' instead of waiting"
        )
    from gomruk.demo.users import demo_users_create

    if connection.vendor == "sqlite":
        # A deferred SQLite transaction that reads and then writes fails at once with
        # "database is locked" when another writer committed in between; BEGIN IMMEDIATE
        # takes the write lock first and waits (busy timeout). Settings should say the same.
        options = connections.settings["default"].setdefault("OPTIONS", {})
        monkeypatch.setitem(options, "transaction_mode", "IMMEDIATE")
        connections.close_all()
    demo_users_create()
    walk = Walk(ApiClient(password_token("deklarant")), pki)
    declaration_id = walk.confirmed()
    token = walk.api.token

    results: list[int] = []
    errors: list[BaseException] = []
    barrier = threading.Barrier(50)

    def send() -> None:
        try:
            client = ApiClient(token)
            barrier.wait(timeout=30)
            response = client.post(
                f"/declarations/{declaration_id}/send", {"office": "00100"}, headers={"Idempotency-Key": "same"}
            )
            results.append(response.status_code)
        except BaseException as exc:  # noqa: BLE001 — reported below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=send) for _ in range(50)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not errors, errors
    assert len(results) == 50
    assert set(results) <= {200, 409}, results
    assert results.count(200) >= 1
    declaration = Declaration.objects.get(pk=declaration_id)
    assert declaration.state == "sent"
    assert Declaration.objects.exclude(registration_number=None).count() == 1
    assert StatusEvent.objects.filter(declaration=declaration, to_state="sent").count() == 1
    # Once it is done, the same key replays the one number.
    replay = ApiClient(token).post(f"/declarations/{declaration_id}/send", {"office": "00100"}, headers={"Idempotency-Key": "same"})
    assert replay.status_code == 200
    assert replay.json()["registration_number"] == declaration.registration_number


def test_a_large_answer_is_stored_compressed_and_replayed_as_sent(walk):
    from tests.api.api_helpers import document_json

    body = document_json()
    first = walk.api.post("/declarations", body, headers={"Idempotency-Key": "create-big"})
    stored = IdempotencyKey.objects.get(key="create-big")
    assert stored.response_encoding == "zlib" and len(bytes(stored.response_body)) < len(first.content)
    replay = walk.api.post("/declarations", body, headers={"Idempotency-Key": "create-big"})
    assert replay.content == first.content and replay["Idempotent-Replayed"] == "true"


def test_an_answer_stored_uncompressed_is_replayed(walk, users):
    """Rows written before answers were compressed have no encoding: their body is replayed as is."""
    declaration_id = walk.confirmed()
    path = f"/api/v1/declarations/{declaration_id}/send"
    body = b'{"office": "00100"}'
    IdempotencyKey.objects.create(
        user=users["deklarant"], key="k-old", method="POST", path=path, status=IdempotencyKey.Status.COMPLETED,
        body_sha256=fingerprint(method="POST", path=path, body=body), created_at=timezone.now(),
        response_status=200, response_body=b'{"stored": true}', response_headers={"Content-Type": "application/json"},
    )
    response = walk.api.request("POST", path, body.decode(), headers={"Idempotency-Key": "k-old"})
    assert response.status_code == 200 and response.content == b'{"stored": true}'
