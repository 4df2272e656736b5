"""Sending one webhook delivery: where it may go, how it is signed, how it is posted.

The URL's host is resolved and every address checked before each attempt; the request then
goes to the address that was checked (the Host header and TLS name stay the URL's), so a DNS
answer that changes between the check and the connection cannot reach a private network.
Redirects are not followed.
"""

from __future__ import annotations

import hashlib
import hmac
import http.client
import ipaddress
import socket
import ssl
import time
from dataclasses import dataclass
from urllib.parse import urlsplit

from django.conf import settings

from gomruk.core.errors import Bilingual, GomrukError
from gomruk.notifications.errors import ERRORS

SIGNATURE_HEADER = "Gomruk-Signature"


def sign(secret: str, timestamp: int, body: bytes) -> str:
    """``t=<unix time>,v1=<hex HMAC-SHA256 of "<t>." + body>`` (the receiver recomputes it)."""
    mac = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256).hexdigest()
    return f"t={timestamp},v1={mac}"


def verify(secret: str, header: str, body: bytes, *, tolerance: int = 300, now: float | None = None) -> bool:
    """What a receiver does (used by the tests and shown in docs/workbench.md)."""
    try:
        parts = dict(part.split("=", 1) for part in header.split(","))
        timestamp = int(parts["t"])
    except (ValueError, KeyError):
        return False
    if abs((now or time.time()) - timestamp) > tolerance:
        return False
    expected = sign(secret, timestamp, body).split("v1=", 1)[1]
    return hmac.compare_digest(expected, parts.get("v1", ""))


def _refused(message_az: str, message_en: str, url: str) -> GomrukError:
    return ERRORS.error(
        "webhook_url_refused", status=422, details={"field": "url", "url": url},
        reason=Bilingual(message_az, message_en),
    )


def _public(address: str) -> bool:
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    return ip.is_global and not ip.is_multicast


@dataclass(frozen=True)
class Target:
    scheme: str
    host: str
    port: int
    path: str
    address: str


def resolve_target(url: str) -> Target:
    """The checked destination of ``url``, or a 422 saying why it is refused."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise _refused("Webhook ünvanı http:// və ya https:// ilə başlamalıdır.",
                       "The webhook URL must start with http:// or https://.", url)
    if parts.username or parts.password:
        raise _refused("Webhook ünvanında istifadəçi adı və parol ola bilməz.",
                       "The webhook URL cannot contain a user name or password.", url)
    try:
        port = parts.port or (443 if parts.scheme == "https" else 80)
        infos = socket.getaddrinfo(parts.hostname, port, type=socket.SOCK_STREAM)
    except (OSError, ValueError, UnicodeError):
        raise _refused(f"«{parts.hostname}» ünvanı tapılmadı.", f"The host '{parts.hostname}' cannot be resolved.", url)
    addresses = [str(info[4][0]) for info in infos]
    if not settings.GOMRUK_WEBHOOK_ALLOW_PRIVATE and not all(_public(a) for a in addresses):
        raise _refused(
            "Webhook ünvanı daxili və ya xüsusi şəbəkəyə aparır; belə ünvanlar qəbul edilmir.",
            "The webhook URL leads to a loopback or private network address; such URLs are refused.", url,
        )
    path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    return Target(parts.scheme, parts.hostname, port, path, addresses[0])


class _PinnedHTTPS(http.client.HTTPSConnection):
    def __init__(self, address: str, host: str, port: int, timeout: float) -> None:
        super().__init__(host, port, timeout=timeout, context=ssl.create_default_context())
        self._address = address

    def connect(self) -> None:
        sock = socket.create_connection((self._address, self.port), self.timeout)
        self.sock = self._context.wrap_socket(sock, server_hostname=self.host)  # type: ignore[attr-defined]


@dataclass(frozen=True)
class Response:
    status: int | None
    error: str
    duration_ms: int


def post(url: str, *, body: bytes, headers: dict[str, str]) -> Response:
    """One attempt: checked again now, posted to the checked address, never redirected."""
    started = time.monotonic()
    try:
        target = resolve_target(url)
    except GomrukError as refused:
        return Response(None, refused.message_en[:300], 0)
    timeout = float(settings.GOMRUK_WEBHOOK_TIMEOUT)
    connection: http.client.HTTPConnection
    if target.scheme == "https":
        connection = _PinnedHTTPS(target.address, target.host, target.port, timeout)
    else:
        connection = http.client.HTTPConnection(target.address, target.port, timeout=timeout)
    host_header = target.host if target.port in (80, 443) else f"{target.host}:{target.port}"
    try:
        connection.request("POST", target.path, body=body, headers={**headers, "Host": host_header})
        response = connection.getresponse()
        response.read(64 * 1024)
        status: int | None = response.status
        failure = ""
    except (OSError, http.client.HTTPException) as exc:
        status, failure = None, f"{type(exc).__name__}: {exc}"[:300]
    finally:
        connection.close()
    return Response(status, failure, int((time.monotonic() - started) * 1000))
