"""``gomruk serve`` as it runs: slow clients do not stop it, and GOMRUK_PUBLIC_URL follows it."""

from __future__ import annotations

import asyncio
import io
import json
import sys
import urllib.request
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "bench"))
from slowloris import HOST, SlowClients, run, served, timed_get  # noqa: E402

pytestmark = pytest.mark.slow


def test_a_normal_request_answers_within_a_second_while_200_slow_clients_send_their_bodies():
    async def scenario(port: int) -> tuple[list[float | None], int]:
        async with SlowClients(port, slow=200) as clients:
            await asyncio.sleep(2.0)  # every slow client has sent its headers and a byte or two
            times = [await timed_get(port, timeout=5.0) for _ in range(5)]
            return times, clients.still_open()

    with served("serve") as port:
        times, still_open = run(scenario(port))
        api_head, api_body = run(_announce_a_huge_body(port, "/api/v1/auth/token"))
        page_head, page_body = run(_announce_a_huge_body(port, "/login/"))
    assert all(t is not None and t < 1.0 for t in times), times
    # The slow clients were held, not dropped: the server waited for their bodies meanwhile.
    assert still_open == 200
    # A body over the limit is refused before it is sent, in the caller's format.
    assert api_head.startswith(b"HTTP/1.1 413") and b"application/problem+json" in api_head
    assert b'"code":"payload_too_large"' in api_body
    assert page_head.startswith(b"HTTP/1.1 413") and b"text/html" in page_head and b'id="refusal"' in page_body


async def _announce_a_huge_body(port: int, path: str) -> tuple[bytes, bytes]:
    """Headers of a 1 GB body, and not one byte of it: the answer must come anyway."""
    reader, writer = await asyncio.open_connection(HOST, port)
    writer.write(
        f"POST {path} HTTP/1.1\r\nHost: {HOST}\r\nContent-Type: application/json\r\n"
        f"Content-Length: {10**9}\r\n\r\n".encode()
    )
    await writer.drain()
    async with asyncio.timeout(10):
        head = await reader.readuntil(b"\r\n\r\n")
        body = await reader.read()  # the server closes the connection: the body was never read
    writer.close()
    return head, body


def _api(port: int, method: str, path: str, body: dict | None = None, token: str | None = None) -> bytes:
    request = urllib.request.Request(
        f"http://{HOST}:{port}/api/v1{path}", method=method, data=json.dumps(body).encode() if body else None,
        headers={"Content-Type": "application/json", **({"Authorization": f"Bearer {token}"} if token else {})},
    )
    with urllib.request.urlopen(request, timeout=30) as response:
        return response.read()


def test_public_url_follows_the_port_serve_listens_on_in_every_worker():
    from pypdf import PdfReader

    with served("serve", init=("init", "--demo")) as port:
        token = json.loads(_api(port, "POST", "/auth/token", {"username": "deklarant", "password": "gomruk-demo"}))["access_token"]
        declaration = json.loads(_api(port, "GET", "/declarations", token=token))["items"][0]["id"]
        # Several requests: the two workers take turns at the socket.
        subjects = {
            PdfReader(io.BytesIO(_api(port, "GET", f"/declarations/{declaration}/pdf", token=token))).metadata.subject
            for _ in range(6)
        }
    assert subjects == {f"http://{HOST}:{port}/verify/{declaration}/"}


def test_an_explicit_public_url_is_kept(monkeypatch):
    from django.conf import settings

    from gomruk.core.server import follow_public_url, public_url

    monkeypatch.setenv("GOMRUK_PUBLIC_URL", "https://gomruk.example.az")
    monkeypatch.setattr(settings, "GOMRUK_PUBLIC_URL", "https://gomruk.example.az")
    assert follow_public_url("127.0.0.1", 9399) == "https://gomruk.example.az"
    assert settings.GOMRUK_PUBLIC_URL == "https://gomruk.example.az"
    assert public_url("::1", 9399) == "http://[::1]:9399"


def test_the_control_socket_lives_under_gomruk_home(settings, tmp_path):
    from gomruk.core import balance
    from gomruk.core.server import options

    settings.GOMRUK_HOME = tmp_path
    chosen = options("127.0.0.1", 9399, 2)
    assert chosen["control_socket"] == str(tmp_path / "gunicorn.ctl")
    assert chosen["control_socket_mode"] == 0o600
    # gunicorn's ASGI worker, taking connections in turn with its siblings (ADR 0047)
    assert (chosen["worker_class"], chosen["workers"]) == ("gomruk.core.balance.BalancedWorker", 2)
    assert (chosen["pre_fork"], chosen["child_exit"]) == (balance.pre_fork, balance.child_exit)
