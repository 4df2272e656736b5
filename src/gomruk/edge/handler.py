"""Django's ASGI handler with the middleware stack run synchronously, in one step.

Django builds the stack for ASGI as an asynchronous chain: every synchronous middleware (most
of ours), every ``MiddlewareMixin`` in async mode (its ``process_request`` and
``process_response`` each), the CSRF view check and the view itself are each handed to the
request thread and back to the event loop. For a GET of the API that was seven hand-overs
between threads per request, each a few hundred microseconds of CPU and a wait for the loop
(issue 17: a third of the border query's cost). None of our middleware awaits anything, so the
stack is built as for WSGI and run whole in the request thread (``edge.gate``), as the test
client runs it. Reading the body, sending the response and streaming a file stay on the event
loop (ADR 0032).

Django's ``handle`` still made three hand-overs of each request: ``request_started``'s
receivers, the response, and the response's closing (``request_finished``). Here a request
makes one (:meth:`SyncStackASGIHandler.respond`): the request thread sends
``request_started``, builds the request, gets the response and, unless it streams, closes it.
The event loop then sends the bytes (ADR 0032, "Later: one hand-over in all").
"""

from __future__ import annotations

import asyncio
import contextlib
from typing import Any, cast

import django
from asgiref.sync import sync_to_async
from django.core import signals
from django.core.exceptions import RequestAborted
from django.core.handlers.asgi import ASGIHandler, get_script_prefix
from django.core.handlers.base import BaseHandler
from django.http import FileResponse, HttpResponseBase
from django.urls import set_script_prefix


class SyncStackASGIHandler(ASGIHandler):
    def __init__(self) -> None:
        BaseHandler.__init__(self)  # not ASGIHandler's: it would build the asynchronous chain
        self.load_middleware(is_async=False)

    def respond(self, scope: dict[str, Any], body_file: Any) -> HttpResponseBase:
        """In the request thread, everything of a request but its sending: a response that does
        not stream comes back closed (its bytes are all in memory)."""
        signals.request_started.send(sender=self.__class__, scope=scope)
        request, refusal = self.create_request(scope, body_file)
        # No request: a body Django refuses (400 undecodable, 413 too big) comes with its answer.
        response = cast(HttpResponseBase, refusal)
        if request is not None:
            response = self.get_response(request)
            response._handler_class = self.__class__  # type: ignore[attr-defined]
            if isinstance(response, FileResponse):
                response.block_size = self.chunk_size  # the server chunks for the socket
            # Django's request points back at itself (request.user's lazy function,
            # request.auser, the message storage), so each one served, body included, would
            # wait for the cycle collector, whose young collections then stalled the worker for
            # ~50 ms every few seconds under load (ADR 0042). Emptied when the response is
            # closed, after the request's own closer (appended by get_response), the request
            # is freed at once.
            response._resource_closers.append(request.__dict__.clear)  # type: ignore[attr-defined]
        if not response.streaming:
            # Closed before it is sent, in this thread: request_finished's receivers (the
            # database connection's check) need no hand-over of their own.
            response.close()
        return response

    async def handle(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        try:
            body_file = await self.read_body(receive)
        except RequestAborted:
            return
        set_script_prefix(get_script_prefix(scope))
        # Thread-sensitive: the request thread the gate chose, which holds the connection.
        responding = asyncio.ensure_future(sync_to_async(self.respond, thread_sensitive=True)(scope, body_file))
        leaving = asyncio.ensure_future(self.listen_for_disconnect(receive))
        response: HttpResponseBase | None = None
        try:
            await asyncio.wait((responding, leaving), return_when=asyncio.FIRST_COMPLETED)
            left = leaving.done()
            # A thread cannot be stopped: the request of a client that left runs to its end all
            # the same, as under Django's own handler.
            response = await responding
            if left:
                try:
                    leaving.result()
                except RequestAborted:
                    return  # nothing is sent to a client that left
            with contextlib.suppress(asyncio.CancelledError):  # the client left during the sending
                await self.send_response(response, send)
        finally:
            leaving.cancel()  # also when this task is cancelled: nothing listens any more
            if leaving.done() and not leaving.cancelled():
                leaving.exception()  # retrieved: a client that left is not an error to log
            if response is not None and response.streaming:
                await sync_to_async(response.close, thread_sensitive=True)()
            # The body is the request thread's until it is done with it (this task may be
            # cancelled while the thread still reads it).
            if responding.done():
                body_file.close()
            else:
                responding.add_done_callback(lambda _: body_file.close())


def asgi_application() -> Any:
    """``django.core.asgi.get_asgi_application`` with the handler above."""
    django.setup(set_prefix=False)
    return SyncStackASGIHandler()
