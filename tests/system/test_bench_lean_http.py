"""bench/_lean_http.py: the load generator's client gives what the benches read of an answer,
keeps its connection, and survives a kept-alive connection the server has closed."""

from __future__ import annotations

import json
import socket
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from tests.system.bench_modules import bench_module


def _lean():  # type: ignore[no-untyped-def]
    return bench_module("_lean_http.py")


class _Echo(BaseHTTPRequestHandler):
    """Answers what it was sent; ``/close`` answers, then closes the connection unannounced (as
    a server whose keep-alive timer ran out does between two requests)."""

    protocol_version = "HTTP/1.1"
    connections: list[int] = []

    def do_GET(self) -> None:  # noqa: N802
        self._answer(b"")

    def do_POST(self) -> None:  # noqa: N802
        self._answer(self.rfile.read(int(self.headers.get("Content-Length", 0))))

    def _answer(self, body: bytes) -> None:
        _Echo.connections.append(id(self.connection))
        answer = json.dumps({
            "method": self.command, "path": self.path, "body": body.decode(),
            "authorization": self.headers.get("Authorization"), "key": self.headers.get("Idempotency-Key"),
        }).encode()
        self.send_response(201)
        self.send_header("Content-Type", "application/json")
        self.send_header("X-Declaration-Version", "3")
        self.send_header("Content-Length", str(len(answer)))
        self.end_headers()
        self.wfile.write(answer)
        self.wfile.flush()
        if self.path.endswith("/close"):
            self.connection.shutdown(socket.SHUT_RDWR)
            self.close_connection = True

    def log_message(self, *args: object) -> None:
        pass


@contextmanager
def _server() -> Iterator[str]:
    _Echo.connections = []
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Echo)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/api/v1"
    finally:
        server.shutdown()
        server.server_close()


def test_an_answer_reads_as_the_benches_read_it_and_the_connection_is_kept():
    lean = _lean()
    with _server() as url:
        client = lean.LeanClient(url, headers={"Authorization": "Bearer t"})
        created = client.request("POST", "/declarations", content=b'{"a": 1}', headers={"Idempotency-Key": "k1"})
        assert created.status_code == 201
        assert created.json() == {"method": "POST", "path": "/api/v1/declarations", "body": '{"a": 1}',
                                  "authorization": "Bearer t", "key": "k1"}
        assert created.headers.get("x-declaration-version") == "3"  # any case, as httpx's
        assert json.loads(created.text)["path"] == "/api/v1/declarations"
        read = client.get("/declarations/1")
        assert read.json()["method"] == "GET" and read.json()["body"] == ""
        assert len(set(_Echo.connections)) == 1
        client.close()


def test_a_connection_the_server_closed_is_replaced_and_the_request_sent_again():
    lean = _lean()
    with _server() as url:
        client = lean.LeanClient(url)
        assert client.post("/close", content=b"first").json()["body"] == "first"
        again = client.post("/declarations", content=b"second")
        assert again.status_code == 201 and again.json()["body"] == "second"
        assert len(set(_Echo.connections)) == 2


def test_a_server_that_is_not_there_is_an_error_not_a_retry_loop():
    lean = _lean()
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    client = lean.LeanClient(f"http://127.0.0.1:{port}", timeout=2)
    with pytest.raises(ConnectionRefusedError):
        client.get("/")
    with pytest.raises(ValueError, match="http://"):
        lean.LeanClient("https://example.org")
