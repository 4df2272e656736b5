"""Issue 17 item 4: a second node. Two ``gomruk serve`` processes on two ports, one PostgreSQL
database, one Redis, each node with a GOMRUK_HOME of its own; clients go through both at once.

* every step of a journey alternates nodes (create on one, sign on the other, …) and every
  send is sent to both nodes at once with one Idempotency-Key: box 7 numbers come out unique
  and gapless, and each key has one result;
* a token's rate limit holds across the nodes (counted once, in Redis);
* the audit trail both nodes and both task workers wrote is one chain that verifies, against
  the checkpoints each node's worker published;
* an attachment uploaded through one node is downloaded byte-identical through the other, and
  signed, confirmed and sent across both (files live in the database, ADR 0029).

PostgreSQL only (the suite's ``DATABASE_URL``); Redis on 127.0.0.1:6379, database 6, which
``.ci/redis-up`` starts — CI (``GOMRUK_REQUIRE_TOOLS=1``) fails instead of skipping without it.
Runs side by side on one machine pick another Redis database and port range with
GOMRUK_TEST_REDIS_DB and GOMRUK_TEST_PORTS (``8200-8209``).
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
import re
import subprocess
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import httpx
import pytest

from gomruk.demo import factories
from tests.served import GOMRUK, PG_SERVER, Served, nodes

pytestmark = [pytest.mark.postgres, pytest.mark.slow]

REDIS = f"redis://127.0.0.1:6379/{os.environ.get('GOMRUK_TEST_REDIS_DB', '6')}"
_FIRST, _LAST = (int(port) for port in os.environ.get("GOMRUK_TEST_PORTS", "8190-8199").split("-"))
RATE = 60  # per token and hour: the journeys' tokens stay under it, the burst goes over
THREADS, JOURNEYS = 6, 3  # each thread its own token: 3 journeys x 7 requests + terms < RATE
BURST = 100


def _redis() -> None:
    """Redis database 6, emptied: token ids restart at 1 in every fresh database, so counters
    left by an earlier run in the same hour would count against this one."""
    try:
        import redis

        redis.Redis.from_url(REDIS, socket_connect_timeout=1).flushdb()
    except Exception as exc:  # noqa: BLE001 (no Redis: skip here, fail in CI)
        message = f"Redis is not reachable at {REDIS}: {exc}"
        if os.environ.get("GOMRUK_REQUIRE_TOOLS") == "1":
            pytest.fail(message)
        pytest.skip(message)


@pytest.fixture(scope="module")
def cluster():
    if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        pytest.skip("two nodes share one PostgreSQL database")
    _redis()
    name = f"{os.environ.get('GOMRUK_TEST_DB', 'test_gomruk')}_nodes"
    env = {"REDIS_URL": REDIS, "GOMRUK_API_RATE": f"{RATE}/hour", "GOMRUK_AUDIT_CHECKPOINT_INTERVAL": "2"}
    with nodes(2, name, env=env, ports=range(_FIRST, _LAST + 1)) as started:
        yield started
    _redis()


def _document() -> dict[str, Any]:
    """The demo import declaration, every item under an HS subheading (as bench/submit.py)."""
    document = factories.import_gb(items=3)
    for item in document.goods:
        item.commodity_code = "8516100000"
    return document.to_data()


def _client(node: Served, token: str) -> httpx.Client:
    return node.client(token, timeout=120)


def _post(client: httpx.Client, path: str, body: dict[str, Any], key: str) -> httpx.Response:
    """POST with an Idempotency-Key; "still in progress" (409, the duplicate waited
    GOMRUK_IDEMPOTENCY_WAIT for the first on a busy machine) is asked again, as a client does."""
    deadline = time.monotonic() + 60
    while True:
        response = client.post(path, json=body, headers={"Idempotency-Key": key})
        if response.status_code != 409 or "in_progress" not in response.text or time.monotonic() > deadline:
            return response
        time.sleep(0.2)


def _journey(pair: list[httpx.Client], signer: Served, terms: str, tag: str) -> tuple[str, list[dict[str, Any]]]:
    """Create on one node, sign and confirm through the other, then send through both at once
    with the same key: the declaration's id and both send answers."""
    a, b = pair
    created = _post(a, "/declarations", _document(), f"{tag}-create")
    assert created.status_code == 201, created.text
    base = f"/declarations/{created.json()['id']}"
    answer = b.get(f"{base}/signing-payload")
    assert answer.status_code == 200, answer.text
    payload = answer.json()
    signature = base64.b64encode(signer.sign(base64.b64decode(payload["payload"]))).decode()
    signed = _post(a, f"{base}/signature", {"provider": "certificate", "signature": signature,
                                            "version": payload["version"]}, f"{tag}-sign")
    assert signed.status_code == 200, signed.text
    confirmed = _post(b, f"{base}/confirm", {"terms_version": terms, "accepted": True}, f"{tag}-confirm")
    assert confirmed.status_code == 200, confirmed.text
    with ThreadPoolExecutor(2) as both:
        sends = list(both.map(lambda c: _post(c, f"{base}/send", {"office": "00100"}, f"{tag}-send"), pair))
    assert [s.status_code for s in sends] == [200, 200], [s.text for s in sends]
    return created.json()["id"], [s.json() for s in sends]


def _numbers(name: str) -> tuple[list[str], dict[int, int]]:
    """Every box 7 number of office 00100 in the database, and the counter's last sequence
    per year."""
    import psycopg

    with psycopg.connect(f"{PG_SERVER}/{name}") as conn:
        numbers = [row[0] for row in conn.execute(
            "SELECT registration_number FROM declarations_declaration"
            " WHERE office_code = '00100' AND registration_number IS NOT NULL"
        )]
        last = dict(conn.execute(
            "SELECT year, last_sequence FROM declarations_registrationcounter WHERE office_code = '00100'"
        ).fetchall())
    return numbers, last


def test_two_nodes_number_once_answer_once_count_once_and_keep_one_audit_chain(cluster):
    one, two = cluster
    tokens = [one.token() if i % 2 else two.token() for i in range(THREADS)]
    terms = _client(one, tokens[0]).get("/declarations/terms").json()["version"]
    run = f"{time.time_ns():x}"

    def thread(index: int) -> list[tuple[str, list[dict[str, Any]]]]:
        pair = [_client(one, tokens[index]), _client(two, tokens[index])]
        if index % 2:
            pair.reverse()
        return [_journey(pair, one, terms, f"{run}-{index}-{n}") for n in range(JOURNEYS)]

    with ThreadPoolExecutor(THREADS) as pool:
        results = [journey for journeys in pool.map(thread, range(THREADS)) for journey in journeys]

    # One result per key across nodes: both answers to a send are the same registration.
    for declaration_id, (first, second) in results:
        assert first["id"] == second["id"] == declaration_id
        assert first["state"] == second["state"] == "sent"
        assert first["registration_number"] == second["registration_number"], (first, second)
    sent = [first["registration_number"] for _, (first, _) in results]
    assert len(set(sent)) == THREADS * JOURNEYS

    # Gapless and unique over everything office 00100 ever numbered (demo data included).
    numbers, last = _numbers(one.name)
    assert Counter(numbers).most_common(1)[0][1] == 1
    by_year: dict[int, list[int]] = {}
    for number in numbers:  # GOMRUK_NUMBER_FORMAT's default: 00100/DDMMYY/0000001
        parsed = re.fullmatch(r"00100/\d{4}(\d{2})/(\d{7})", number)
        assert parsed, number
        by_year.setdefault(2000 + int(parsed[1]), []).append(int(parsed[2]))
    assert {year: sorted(s) for year, s in by_year.items()} == {
        year: list(range(1, sequence + 1)) for year, sequence in last.items()
    }
    assert set(sent) <= set(numbers)

    # The rate limit is counted once across nodes: a fresh token, a burst through both.
    seconds_left = 3600 - time.time() % 3600
    if seconds_left < 30:
        time.sleep(seconds_left + 1)  # the whole burst in one hourly window
    burst_token = one.token()
    clients = [_client(one, burst_token), _client(two, burst_token)]
    with ThreadPoolExecutor(8) as pool:
        statuses = Counter(pool.map(lambda i: clients[i % 2].get("/declarations/terms").status_code, range(BURST)))
    assert statuses == {200: RATE, 429: BURST - RATE}, statuses

    # One audit chain, written by both nodes and sealed by both nodes' workers.
    seal = subprocess.run([GOMRUK, "audit", "seal"], env=one.env(), capture_output=True, text=True, timeout=120)
    assert seal.returncode == 0, seal.stdout + seal.stderr
    files = [str(node.home / "audit-checkpoints.jsonl") for node in cluster
             if (node.home / "audit-checkpoints.jsonl").exists()]
    verify = subprocess.run(
        [GOMRUK, "audit", "verify", *(arg for path in files for arg in ("--checkpoints", path))],
        env=two.env(), capture_output=True, text=True, timeout=300,
    )
    assert verify.returncode == 0, verify.stdout + verify.stderr
    assert re.search(r"^OK: \d+ audit entries, chain intact, \d+ checkpoints match", verify.stdout), verify.stdout


def test_an_attachment_uploaded_through_one_node_is_served_and_signed_through_the_other(cluster):
    one, two = cluster
    token = one.token()
    a, b = _client(one, token), _client(two, token)
    terms = a.get("/declarations/terms").json()["version"]
    created = _post(a, "/declarations", _document(), f"{time.time_ns():x}-files")
    assert created.status_code == 201, created.text
    base = f"/declarations/{created.json()['id']}"
    content = b"%PDF-1.7\n" + os.urandom(3 * 1024 * 1024)
    uploaded = a.post(f"{base}/attachments", data={"item_number": "1", "document_index": "1"},
                      files={"file": ("invoice.pdf", content, "application/pdf")})
    assert uploaded.status_code == 201, uploaded.text
    attachment = uploaded.json()
    assert attachment["sha256"] == hashlib.sha256(content).hexdigest()

    listed = b.get(f"{base}/attachments")
    assert [item["id"] for item in listed.json()] == [attachment["id"]]
    downloaded = b.get(f"{base}/attachments/{attachment['id']}")
    assert downloaded.status_code == 200, downloaded.text
    assert downloaded.headers["content-type"] == "application/pdf"
    assert downloaded.content == content
    # Neither node wrote the file to its own disk.
    assert not any((node.home / "uploads").exists() for node in cluster)

    answer = b.get(f"{base}/signing-payload")
    assert answer.status_code == 200, answer.text
    payload = answer.json()
    signed_bytes = base64.b64decode(payload["payload"])
    assert json.loads(signed_bytes)["attachments"] == [{"id": attachment["id"], "sha256": attachment["sha256"]}]
    signature = base64.b64encode(one.sign(signed_bytes)).decode()
    tag = f"{time.time_ns():x}-files"
    signed = _post(a, f"{base}/signature", {"provider": "certificate", "signature": signature,
                                            "version": payload["version"]}, f"{tag}-sign")
    assert signed.status_code == 200, signed.text
    confirmed = _post(b, f"{base}/confirm", {"terms_version": terms, "accepted": True}, f"{tag}-confirm")
    assert confirmed.status_code == 200, confirmed.text
    sent = _post(a, f"{base}/send", {"office": "00100"}, f"{tag}-send")
    assert sent.status_code == 200, sent.text
    assert sent.json()["state"] == "sent"
    assert b.get(f"{base}/attachments/{attachment['id']}").content == content


def test_a_token_revoked_through_one_node_is_refused_by_the_other_at_once(cluster):
    """Each node remembers a token's caller while the principals stamp in Redis vouches for it
    (ADR 0050): the revocation through one node moves the stamp, and the other node's very next
    requests, whichever of its workers takes them, read the caller again and refuse it."""
    one, two = cluster
    token = one.token()
    a, b = _client(one, token), _client(two, token)
    for _ in range(6):  # both nodes' workers read the caller and remember it
        assert a.get("/declarations/terms").status_code == 200
        assert b.get("/declarations/terms").status_code == 200
    assert a.delete("/auth/token").status_code == 204
    assert [b.get("/declarations/terms").status_code for _ in range(6)] == [401] * 6
    assert [a.get("/declarations/terms").status_code for _ in range(6)] == [401] * 6
