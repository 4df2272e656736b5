"""A load generator's HTTP/1.1 client: one kept-alive connection per client thread, on the
standard library's ``http.client``.

The benches' clients share the machine's two cores with the servers they measure, so what the
load generator spends is taken from the server. httpx spent ~1.5 ms of CPU per 110 KB POST
where ``http.client`` spends ~0.5 (the same request, measured in one process): a fifth of a
journey's client share went to the client library alone. This is the subset of ``httpx.Client``
the benches use (``request``/``get``/``post``; a response's ``status_code``, ``headers``,
``content``, ``text``, ``json()``), nothing more: no redirects, no cookies, no TLS.

A server closes a kept-alive connection it found idle (gunicorn's ``keepalive``, 5 s: the other
contender's phase is longer). A request that meets such a connection before a byte of the answer
came back is sent again on a new one, once, as httpx and urllib3 do: the server closed it
without reading the request.
"""

from __future__ import annotations

import http.client
import json
from collections.abc import Mapping
from email.message import Message
from typing import Any
from urllib.parse import urlsplit

#: What a kept-alive connection the server has closed raises on the next request.
_STALE = (http.client.RemoteDisconnected, BrokenPipeError, ConnectionResetError, http.client.CannotSendRequest)


class LeanResponse:
    __slots__ = ("status_code", "headers", "content")

    def __init__(self, status_code: int, headers: Message, content: bytes) -> None:
        self.status_code = status_code
        self.headers = headers  # case-insensitive .get(), as httpx's Headers
        self.content = content

    @property
    def text(self) -> str:
        return self.content.decode("utf-8", "replace")

    def json(self) -> Any:
        return json.loads(self.content)


class LeanClient:
    """``base_url`` (http://host:port/prefix), headers sent with every request, a timeout."""

    def __init__(self, base_url: str, *, headers: Mapping[str, str] | None = None, timeout: float = 60) -> None:
        parts = urlsplit(base_url)
        if parts.scheme != "http" or not parts.hostname:
            raise ValueError(f"an http:// URL is needed, not {base_url!r}")
        self.host, self.port = parts.hostname, parts.port or 80
        self.prefix = parts.path.rstrip("/")
        self.headers = dict(headers or {})
        self.timeout = timeout
        self._connection: http.client.HTTPConnection | None = None

    def _connect(self) -> http.client.HTTPConnection:
        if self._connection is None:
            self._connection = http.client.HTTPConnection(self.host, self.port, timeout=self.timeout)
        return self._connection

    def request(
        self, method: str, url: str, *, content: bytes | None = None, headers: Mapping[str, str] | None = None,
    ) -> LeanResponse:
        sent = {**self.headers, **(headers or {})}
        if content is None and method in ("POST", "PUT", "PATCH"):
            content = b""
        reused = self._connection is not None
        try:
            return self._exchange(method, self.prefix + url, content, sent)
        except _STALE:
            self.close()
            if not reused:
                raise
            return self._exchange(method, self.prefix + url, content, sent)

    def _exchange(self, method: str, path: str, content: bytes | None, headers: dict[str, str]) -> LeanResponse:
        connection = self._connect()
        connection.request(method, path, body=content, headers=headers)
        answer = connection.getresponse()
        body = answer.read()
        if answer.will_close:
            self.close()
        return LeanResponse(answer.status, answer.headers, body)

    def get(self, url: str, *, headers: Mapping[str, str] | None = None) -> LeanResponse:
        return self.request("GET", url, headers=headers)

    def post(self, url: str, *, content: bytes | None = None, headers: Mapping[str, str] | None = None) -> LeanResponse:
        return self.request("POST", url, content=content, headers=headers)

    def close(self) -> None:
        if self._connection is not None:
            self._connection.close()
            self._connection = None
