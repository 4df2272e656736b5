"""The request gate on its own: an ASGI app that records what reaches it."""

from __future__ import annotations

import asyncio
import threading
from concurrent.futures import ThreadPoolExecutor

from asgiref.sync import sync_to_async

from gomruk.edge.gate import REFUSED, RequestGate


def _run(coroutine):
    """asyncio.run in a thread of its own (Playwright may have left a loop running here)."""
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, coroutine).result()


def _scope(length: int | None = None) -> dict:
    headers = [(b"content-length", str(length).encode())] if length is not None else []
    return {"type": "http", "method": "POST", "path": "/x", "headers": headers}


class Recorder:
    """The app behind the gate: reads the body as Django does, notes the thread it ran on."""

    def __init__(self, work: float = 0.0) -> None:
        self.calls: list[dict] = []
        self.work = work
        self.running = 0
        self.most = 0

    async def __call__(self, scope, receive, send):
        body = b""
        while True:
            message = await receive()
            body += message.get("body", b"")
            if not message.get("more_body"):
                break

        def view() -> str:
            self.running += 1
            self.most = max(self.most, self.running)
            threading.Event().wait(self.work)
            self.running -= 1
            return threading.current_thread().name

        thread = await sync_to_async(view)()
        self.calls.append({"body": body, "refused": scope.get(REFUSED), "thread": thread})
        await send({"type": "http.response.start", "status": 200, "headers": []})
        await send({"type": "http.response.body", "body": b"ok"})


def _messages(*chunks: bytes, delay: float = 0.0):
    queue = list(chunks)

    async def receive():
        if delay:
            await asyncio.sleep(delay)
        if not queue:
            await asyncio.sleep(3600)
        chunk = queue.pop(0)
        return {"type": "http.request", "body": chunk, "more_body": bool(queue)}

    return receive


async def _sent(message):
    return None


def test_a_body_over_the_limit_is_refused_before_a_byte_is_read():
    app = Recorder()
    gate = RequestGate(app, threads=2, max_body=10)

    async def never():
        raise AssertionError("the gate read the body")

    _run(gate(_scope(length=11), never, _sent))
    assert app.calls == [{"body": b"", "refused": {"status": 413, "limit": 10}, "thread": app.calls[0]["thread"]}]


def test_a_chunked_body_is_cut_at_the_limit():
    app = Recorder()
    _run(RequestGate(app, threads=1, max_body=10)(_scope(), _messages(b"12345", b"67890", b"1"), _sent))
    assert app.calls[0]["refused"] == {"status": 413, "limit": 10} and app.calls[0]["body"] == b""


def test_a_complete_body_reaches_the_app_whole():
    app = Recorder()
    big = b"x" * (3 * 1024 * 1024)  # over the in-memory part: spooled to disk and replayed
    _run(RequestGate(app, threads=1, max_body=len(big))(_scope(len(big)), _messages(big[:1000], big[1000:]), _sent))
    assert app.calls[0]["body"] == big and app.calls[0]["refused"] is None


def test_a_body_sent_too_slowly_is_refused_with_408():
    app = Recorder()
    gate = RequestGate(app, threads=1, max_body=1000, grace=0.3, min_rate=1000)
    _run(gate(_scope(100), _messages(b"a", b"b", b"c", delay=0.2), _sent))
    assert app.calls[0]["refused"]["status"] == 408


def test_a_client_that_leaves_mid_body_never_reaches_the_app():
    app = Recorder()
    sent = iter([{"type": "http.request", "body": b"a", "more_body": True}, {"type": "http.disconnect"}])

    async def receive():
        return next(sent)

    _run(RequestGate(app, threads=1, max_body=100)(_scope(), receive, _sent))
    assert app.calls == []


def test_requests_run_on_a_fixed_set_of_threads_that_outlive_them():
    app = Recorder(work=0.05)
    gate = RequestGate(app, threads=2, max_body=100)

    async def many():
        await asyncio.gather(*(gate(_scope(1), _messages(b"a"), _sent) for _ in range(10)))

    _run(many())
    assert len(app.calls) == 10
    assert app.most == 2  # never more than the gate's threads at once
    assert {call["thread"] for call in app.calls} == {"gomruk-request-0_0", "gomruk-request-1_0"}


def test_a_client_that_takes_no_response_frees_the_thread():
    app = Recorder()
    gate = RequestGate(app, threads=1, max_body=100, send_timeout=0.2)

    async def stuck(message):
        await asyncio.sleep(3600)

    async def both():
        await gate(_scope(1), _messages(b"a"), stuck)
        await gate(_scope(1), _messages(b"b"), _sent)  # gets the thread back

    _run(asyncio.wait_for(both(), 5))
    assert [call["body"] for call in app.calls] == [b"a", b"b"]
