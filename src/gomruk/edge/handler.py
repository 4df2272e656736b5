"""Django's ASGI handler with the middleware stack run synchronously, in one step.

Django builds the stack for ASGI as an asynchronous chain: every synchronous middleware (most
of ours), every ``MiddlewareMixin`` in async mode (its ``process_request`` and
``process_response`` each), the CSRF view check and the view itself are each handed to the
request thread and back to the event loop. For a GET of the API that was seven hand-overs
between threads per request, each a few hundred microseconds of CPU and a wait for the loop
(issue 17: a third of the border query's cost). None of our middleware awaits anything, so the
stack is built as for WSGI and run whole in the request thread (``edge.gate``): one hand-over,
as for a bare view, and the same code path the test client exercises. Reading the body,
sending the response and streaming a file stay on the event loop (ADR 0032).
"""

from __future__ import annotations

from typing import Any

import django
from asgiref.sync import sync_to_async
from django.core.handlers.asgi import ASGIHandler
from django.core.handlers.base import BaseHandler
from django.http import HttpRequest, HttpResponseBase


class SyncStackASGIHandler(ASGIHandler):
    def __init__(self) -> None:
        BaseHandler.__init__(self)  # not ASGIHandler's: it would build the asynchronous chain
        self.load_middleware(is_async=False)

    async def get_response_async(self, request: HttpRequest) -> HttpResponseBase:
        # Thread-sensitive: the request thread the gate chose, which holds the connection.
        response: HttpResponseBase = await sync_to_async(self.get_response, thread_sensitive=True)(request)
        # Django's request points back at itself (request.user's lazy function, request.auser,
        # the message storage), so each one served, body included, would wait for the cycle
        # collector, whose young collections then stalled the worker for ~50 ms every few
        # seconds under load (ADR 0042). Emptied once the response is sent and closed, after the
        # request's own closer (appended by get_response), the request is freed at once. For a
        # client that left before the answer Django closes no response: that request keeps its
        # cycles, and the collector takes it later.
        response._resource_closers.append(request.__dict__.clear)  # type: ignore[attr-defined]
        return response


def asgi_application() -> Any:
    """``django.core.asgi.get_asgi_application`` with the handler above."""
    django.setup(set_prefix=False)
    return SyncStackASGIHandler()
