"""Issue #13 item 2: a retry after a fault gets the original answer, and a database fault is a
503 problem+json with Retry-After, never a bare 500.

Before: the send committed in the view, then storing the idempotency answer failed (the
connection was terminated, SQLite was busy) and the key stayed "in progress" for five
minutes: 500, then 409s, then ``illegal_transition``, and the client never learned its
number.
"""

from __future__ import annotations

import time

import pytest
from django.db import OperationalError, connection
from django.test import Client

from gomruk.api.models import IdempotencyKey
from gomruk.core import rawrows
from gomruk.declarations.models import Declaration, StatusEvent
from tests.api.api_helpers import ApiClient, Walk, assert_problem, password_token

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.fixture
def walk_committed(pki, loaded_classifiers):
    from gomruk.demo.users import demo_users_create

    demo_users_create()
    return Walk(ApiClient(password_token("deklarant")), pki)


def _terminate_own_backend() -> None:
    """pg_terminate_backend of this connection's server process, from another connection."""
    import psycopg

    pid = connection.connection.info.backend_pid
    settings = connection.settings_dict
    with psycopg.connect(
        host=settings["HOST"] or "127.0.0.1", port=settings["PORT"] or 5432, user=settings["USER"],
        dbname=settings["NAME"], autocommit=True,
    ) as other:
        other.execute("SELECT pg_terminate_backend(%s)", [pid])
    time.sleep(0.2)  # the server closes the socket


def _fault_when_the_answer_is_stored(monkeypatch) -> list[str]:
    """At the moment the idempotency answer is written: the connection is terminated
    (PostgreSQL) or the file is busy (SQLite), once."""
    original = rawrows.update
    fired: list[str] = []

    def update(instance, names, assignments=None):
        if isinstance(instance, IdempotencyKey) and "response_body" in names and not fired:
            fired.append(connection.vendor)
            if connection.vendor == "postgresql":
                _terminate_own_backend()
            else:
                raise OperationalError("database is locked")
        return original(instance, names, assignments)

    monkeypatch.setattr(rawrows, "update", update)
    return fired


def test_a_retry_after_the_answer_could_not_be_stored_gets_the_number(walk_committed, monkeypatch):
    walk = walk_committed
    declaration_id = walk.confirmed()
    fired = _fault_when_the_answer_is_stored(monkeypatch)
    first = walk.send(declaration_id, headers={"Idempotency-Key": "send-1"})
    assert fired, "the fault was not injected"
    body = assert_problem(first, 503, "database_unavailable")
    assert first["Retry-After"] and body["retry_after"] >= 1
    # Nothing of the failed request was committed: neither the effect nor a stuck key.
    declaration = Declaration.objects.get(pk=declaration_id)
    assert declaration.state == "confirmed" and declaration.registration_number is None
    assert not IdempotencyKey.objects.filter(key="send-1").exists()

    retry = walk.send(declaration_id, headers={"Idempotency-Key": "send-1"})
    assert retry.status_code == 200, retry.content[:500]
    number = retry.json()["registration_number"]
    assert number and number.endswith("/0000001")  # the rolled-back attempt left no gap
    again = walk.send(declaration_id, headers={"Idempotency-Key": "send-1"})
    assert again.status_code == 200 and again["Idempotent-Replayed"] == "true"
    assert again.json()["registration_number"] == number
    assert StatusEvent.objects.filter(declaration_id=declaration_id, to_state="sent").count() == 1


def test_an_operational_error_anywhere_is_a_503_problem_and_the_next_request_works(walk_committed, monkeypatch):
    walk = walk_committed
    from gomruk.declarations import api as declarations_api

    def broken(**kwargs):
        raise OperationalError("canceling statement due to lock timeout")

    monkeypatch.setattr(declarations_api, "declaration_search", broken)
    response = walk.api.get("/declarations")
    body = assert_problem(response, 503, "database_unavailable")
    assert response["Retry-After"] == str(body["retry_after"])
    # In Azerbaijani for who asks for it.
    az = ApiClient(walk.api.token, language="az").get("/declarations")
    assert "müvəqqəti" in assert_problem(az, 503)["detail"]
    monkeypatch.undo()
    assert walk.api.get("/declarations").status_code == 200


def test_a_database_fault_in_the_portal_is_a_503_page(walk_committed, monkeypatch):
    from gomruk.accounts.models import User
    from gomruk.portal.views import home

    def broken(**kwargs):
        raise OperationalError("server closed the connection unexpectedly")

    monkeypatch.setattr(home, "home_rows", broken)
    browser = Client(raise_request_exception=False)
    browser.force_login(User.objects.get(username="deklarant"))
    page = browser.get("/", HTTP_ACCEPT="text/html")
    assert page.status_code == 503 and page["Retry-After"]
    assert "müvəqqəti əlçatan deyil" in page.content.decode()
    machine = browser.get("/", HTTP_ACCEPT="application/json")
    assert_problem(machine, 503, "database_unavailable")
    monkeypatch.undo()
    assert browser.get("/", HTTP_ACCEPT="text/html").status_code == 200


@pytest.mark.postgres
def test_a_terminated_connection_between_requests_is_replaced(walk_committed):
    if connection.vendor != "postgresql":
        pytest.skip("pg_terminate_backend is PostgreSQL's")
    walk = walk_committed
    assert walk.api.get("/declarations").status_code == 200
    for _ in range(4):
        _terminate_own_backend()
        response = walk.api.get("/declarations")
        # The first request after the termination may meet the dead connection: a 503
        # problem, never a 500; the one after it reconnects.
        if response.status_code != 200:
            assert_problem(response, 503, "database_unavailable")
            response = walk.api.get("/declarations")
        assert response.status_code == 200, response.content[:300]


@pytest.mark.postgres
def test_a_duplicate_waits_for_the_running_request_then_gets_409(walk_committed, settings):
    """Another connection holds the key's uncommitted claim: after the wait, 409 with Retry-After;
    once that transaction is gone, the key runs normally."""
    if connection.vendor != "postgresql":
        pytest.skip("waits on a row another connection holds: PostgreSQL")
    import psycopg

    settings.GOMRUK_IDEMPOTENCY_WAIT = 0.5
    walk = walk_committed
    declaration_id = walk.confirmed()
    from gomruk.accounts.models import User

    user_id = User.objects.get(username="deklarant").pk
    db = connection.settings_dict
    holder = psycopg.connect(host=db["HOST"] or "127.0.0.1", port=db["PORT"] or 5432, user=db["USER"], dbname=db["NAME"])
    try:
        holder.execute(
            "INSERT INTO api_idempotencykey (user_id, key, method, path, body_sha256, status, response_headers, created_at)"
            " VALUES (%s, 'held', 'POST', '/x', 'x', 'in_progress', '{}', now())",
            [user_id],
        )
        response = walk.send(declaration_id, headers={"Idempotency-Key": "held"})
        assert_problem(response, 409, "idempotency_in_progress")
        assert response["Retry-After"] == "1"
    finally:
        holder.rollback()
        holder.close()
    response = walk.send(declaration_id, headers={"Idempotency-Key": "held"})
    assert response.status_code == 200, response.content[:300]
