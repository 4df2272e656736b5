"""The ASGI layer in front of Django: no slow client can hold a request thread.

A request reaches Django only once its whole body is here. The body is read on the event loop
(a slow or idle client costs a socket and a little memory, never a thread), bounded in size
(413 before a byte of an over-long body is read) and in time (408 for a client that sends its
body slower than ``min_rate`` bytes a second after ``grace`` seconds, as Apache's
mod_reqtimeout does). Then the request takes one of a fixed number of request threads of this
process and runs there, all of it: middleware, view, the closing of the response. The thread is
the same for the whole request and outlives it, so each thread keeps its database connection
(``CONN_MAX_AGE``) as a gunicorn gthread worker's threads did — Django's own ASGI handler would
start a new thread for every request and leave each one's connection behind.

Refusals are not answered here: the request reaches Django with an empty body and
``scope["gomruk.refused"]``, and the edge middleware answers in the caller's format and
language (problem+json for the API, a page for the portal).

See docs/adr/0011-http-server.md.
"""

from __future__ import annotations

import asyncio
import tempfile
from collections.abc import Awaitable, Callable, MutableMapping
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from asgiref.sync import ThreadSensitiveContext

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[..., Awaitable[None]]

REFUSED = "gomruk.refused"
CHUNK = 256 * 1024
IN_MEMORY = 1024 * 1024  # bodies larger than this are spooled to a temporary file


class ClientTooSlow(OSError):
    """The client did not take the response within the send timeout."""


def _content_length(scope: Scope) -> int | None:
    for name, value in scope.get("headers", ()):
        if name == b"content-length":
            try:
                return int(value)
            except ValueError:
                return None
    return None


class RequestGate:
    def __init__(
        self,
        app: ASGIApp,
        *,
        threads: int,
        max_body: int,
        grace: float = 20.0,
        min_rate: float = 500.0,
        send_timeout: float = 30.0,
    ) -> None:
        self.app = app
        self.threads = threads
        self.max_body = max_body
        self.grace = grace
        self.min_rate = min_rate
        self.send_timeout = send_timeout
        self._free: asyncio.Queue[ThreadPoolExecutor] | None = None

    def _pool(self) -> asyncio.Queue[ThreadPoolExecutor]:
        # Made on first use, in the worker process and its event loop.
        if self._free is None:
            self._free = asyncio.Queue()
            for number in range(self.threads):
                self._free.put_nowait(ThreadPoolExecutor(max_workers=1, thread_name_prefix=f"gomruk-request-{number}"))
        return self._free

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        read = await self._read_body(scope, receive)
        if read is None:
            return  # the client went away before its body was complete
        body, size, refused = read
        if refused is not None:
            scope = {**scope, REFUSED: refused}
        free = self._pool()
        executor = await free.get()
        try:
            async with ThreadSensitiveContext(executor=executor):
                await self.app(scope, self._replay(body, size, receive, complete=refused is None), self._timed(send))
        except ClientTooSlow:
            pass  # the response was cut; the server closes the connection
        finally:
            body.close()
            free.put_nowait(executor)

    async def _read_body(self, scope: Scope, receive: Receive) -> tuple[Any, int, dict[str, Any] | None] | None:
        body = tempfile.SpooledTemporaryFile(max_size=IN_MEMORY, mode="w+b")  # noqa: SIM115 (closed by the caller)
        length = _content_length(scope)
        if length is not None and length > self.max_body:
            return body, 0, {"status": 413, "limit": self.max_body}
        loop = asyncio.get_running_loop()
        started, received = loop.time(), 0
        while True:
            allowed = started + self.grace + received / self.min_rate - loop.time()
            try:
                if allowed <= 0:
                    raise TimeoutError
                message = await asyncio.wait_for(receive(), allowed)
            except TimeoutError:
                body.seek(0)
                body.truncate()
                return body, 0, {"status": 408, "seconds": round(loop.time() - started)}
            if message["type"] == "http.disconnect":
                body.close()
                return None
            chunk = message.get("body", b"")
            received += len(chunk)
            if received > self.max_body:
                body.seek(0)
                body.truncate()
                return body, 0, {"status": 413, "limit": self.max_body}
            body.write(chunk)
            if not message.get("more_body", False):
                body.seek(0)
                return body, received, None

    @staticmethod
    def _replay(body: Any, size: int, receive: Receive, *, complete: bool) -> Receive:
        position = 0
        done = False

        async def replay() -> Message:
            nonlocal position, done
            if not done:
                chunk = body.read(CHUNK) if position < size else b""
                position += len(chunk)
                done = position >= size
                return {"type": "http.request", "body": chunk, "more_body": not done}
            if complete:
                return await receive()  # waits for the client to go away
            # The rest of a refused body was never read: asking the server for more would hand
            # over body bytes where Django expects only a disconnect. Wait until cancelled.
            await asyncio.get_running_loop().create_future()
            raise AssertionError("unreachable")

        return replay

    def _timed(self, send: Send) -> Send:
        async def timed(message: Message) -> None:
            try:
                await asyncio.wait_for(send(message), self.send_timeout)
            except TimeoutError:
                raise ClientTooSlow(f"the client took no response data for {self.send_timeout:g} s") from None

        return timed
