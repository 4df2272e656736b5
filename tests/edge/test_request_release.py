"""The ASGI handler: one hand-over of a request to its thread, and a served request freed as
soon as its response is closed, without the cycle collector.

Django's request points back at itself: ``request.user`` is a lazy object whose function closes
over the request, ``request.auser`` a partial of it, the message storage holds it. Left so,
every request a worker served (its body, session, token and user rows) waited for the
collector, which then stalled the worker for ~50 ms every few seconds under load (issue 17).
"""

from __future__ import annotations

import asyncio
import contextlib
import gc
import weakref
from concurrent.futures import ThreadPoolExecutor

import pytest
from asgiref.sync import ThreadSensitiveContext
from django.core.handlers.asgi import ASGIHandler
from django.core.signals import request_finished

from gomruk.edge.handler import SyncStackASGIHandler
from tests.edge import slow_urls


def _get(path: str) -> dict:
    """The ASGI scope of a GET of ``path``."""
    return {"type": "http", "method": "GET", "path": path, "query_string": b"", "headers": [],
            "client": ("127.0.0.1", 50000), "server": ("testserver", 80)}


def _run(coroutine) -> None:  # type: ignore[no-untyped-def]
    """``coroutine`` (a request through a handler) on an event loop of its own, whatever runs here."""
    with ThreadPoolExecutor(max_workers=1) as pool:
        pool.submit(asyncio.run, coroutine).result()


def _staying_client(body: bytes = b""):  # type: ignore[no-untyped-def]
    """An ASGI ``receive`` of a client that sends ``body`` and stays until the handler is done."""
    messages = [{"type": "http.request", "body": body, "more_body": False}]

    async def receive():
        if messages:
            return messages.pop()
        await asyncio.Event().wait()

    return receive


def _slow_view_reset() -> None:
    for event in (slow_urls.ENTERED, slow_urls.RELEASE, slow_urls.DONE):
        event.clear()
    slow_urls.SEEN.clear()


def _served(handler: ASGIHandler, path: str) -> tuple[int, list[weakref.ref]]:
    """GET ``path`` through ``handler``; the status and a weak reference to each request made."""
    made: list[weakref.ref] = []
    create_request = handler.create_request

    def recording(scope, body_file):
        request, error = create_request(scope, body_file)
        made.append(weakref.ref(request))
        return request, error

    handler.create_request = recording  # type: ignore[method-assign]
    started: list[int] = []

    async def send(message):
        if message["type"] == "http.response.start":
            started.append(message["status"])

    _run(handler(_get(path), _staying_client(), send))
    return started[0], made


# An API answer that logs nothing: the test environment keeps a page's template context (its
# rendered-template signal) and pytest every log record (with the request), a worker neither.
PATH = "/api/v1/openapi.json"


@pytest.fixture
def no_collector():
    gc.collect()
    gc.disable()
    yield
    gc.enable()


def test_the_request_is_gone_once_its_response_is_closed(db, no_collector):
    status, made = _served(SyncStackASGIHandler(), PATH)
    assert status == 200
    assert len(made) == 1
    assert made[0]() is None


def test_djangos_own_handler_leaves_it_to_the_collector(db, no_collector):
    """The control: the same request under Django's handler outlives its response."""
    status, made = _served(ASGIHandler(), PATH)
    assert status == 200
    assert made[0]() is not None
    gc.collect()
    assert made[0]() is None


def test_a_request_whose_client_left_is_not_emptied_under_its_running_view(db, settings):
    """The client goes away while the view runs: the handler waits for the view's thread and
    sends nothing. The view, let go after the client left, still reads its request whole."""
    settings.ROOT_URLCONF = "tests.edge.slow_urls"
    _slow_view_reset()
    messages = [{"type": "http.request", "body": b"", "more_body": False}]
    sent: list[dict] = []

    async def receive():
        if messages:
            return messages.pop()
        loop = asyncio.get_running_loop()
        await loop.run_in_executor(None, slow_urls.ENTERED.wait, 10)
        loop.call_later(0.2, slow_urls.RELEASE.set)  # once Django has seen the client leave
        return {"type": "http.disconnect"}

    async def send(message):
        sent.append(message)

    _run(SyncStackASGIHandler()(_get("/slow/"), receive, send))
    assert sent == []  # no answer went out: the client had left
    assert slow_urls.DONE.is_set()
    assert slow_urls.SEEN == {"method": "GET", "authenticated": False}


def test_a_request_cancelled_under_its_running_view_keeps_its_body_until_the_view_is_done(db, settings):
    """The task serving a request is cancelled (a worker stopping) while the view runs in its
    thread: the body is closed only once the thread is done with it."""
    settings.ROOT_URLCONF = "tests.edge.slow_urls"
    _slow_view_reset()
    scope = {**_get("/slow/"), "method": "POST", "headers": [(b"content-length", b"7")]}

    async def send(message):
        pass

    async def cancelled_while_the_view_runs():
        loop = asyncio.get_running_loop()
        serving = asyncio.ensure_future(SyncStackASGIHandler()(scope, _staying_client(b"payload"), send))
        assert await loop.run_in_executor(None, slow_urls.ENTERED.wait, 10)
        serving.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await serving
        slow_urls.RELEASE.set()
        assert await loop.run_in_executor(None, slow_urls.DONE.wait, 10)
        await asyncio.sleep(0.1)  # the thread's answer reaches the loop

    _run(cancelled_while_the_view_runs())
    assert slow_urls.SEEN.get("body") == b"payload", slow_urls.SEEN


class CountingExecutor(ThreadPoolExecutor):
    """A request thread that counts the calls handed to it."""

    def __init__(self) -> None:
        super().__init__(max_workers=1)
        self.calls = 0

    def submit(self, *arguments, **options):  # type: ignore[no-untyped-def]
        self.calls += 1
        return super().submit(*arguments, **options)


def _recorded(handler: ASGIHandler, path: str) -> tuple[list[str], int]:
    """GET ``path`` in a request thread of its own: what happened in order (the messages sent,
    ``finished`` where request_finished was sent) and how many calls the thread was handed."""
    events: list[str] = []
    executor = CountingExecutor()

    async def send(message):
        events.append(f"{message['type']} {message.get('body', b'').decode()}".strip())

    async def served():
        async with ThreadSensitiveContext(executor=executor):
            await handler(_get(path), _staying_client(), send)

    def finished(**_):  # type: ignore[no-untyped-def]
        events.append("finished")

    request_finished.connect(finished)
    try:
        _run(served())
    finally:
        request_finished.disconnect(finished)
        executor.shutdown()
    return events, executor.calls


def test_a_request_is_handed_to_its_thread_once(db):
    """request_started, the middleware and view, and the closing of the answer (request_finished)
    in one call of the request thread; Django's own handler hands the same request over more."""
    events, calls = _recorded(SyncStackASGIHandler(), PATH)
    assert calls == 1
    # Not streamed: closed in the thread before its bytes go out, request_finished sent once.
    assert events[0] == "finished"
    assert events.count("finished") == 1
    assert events[1] == "http.response.start"
    _, djangos = _recorded(ASGIHandler(), PATH)
    assert djangos > 1


def test_a_streamed_answer_is_closed_once_it_is_sent(db, settings):
    settings.ROOT_URLCONF = "tests.edge.slow_urls"
    events, calls = _recorded(SyncStackASGIHandler(), "/streamed/")
    assert events == [
        "http.response.start", "http.response.body one", "http.response.body two", "http.response.body", "finished",
    ]
    assert calls == 2  # the response, and its closing after the last byte
