"""A URL configuration for the ASGI handler's tests: a view that waits to be let go, and one
whose answer streams."""

from __future__ import annotations

import threading
from collections.abc import AsyncIterator

from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.urls import path
from django.views.decorators.csrf import csrf_exempt

ENTERED = threading.Event()
RELEASE = threading.Event()
DONE = threading.Event()
#: What the view read from its request after it was let go.
SEEN: dict[str, object] = {}


@csrf_exempt
def slow(request: HttpRequest) -> HttpResponse:
    ENTERED.set()
    RELEASE.wait(10)
    try:
        SEEN["method"] = request.method
        SEEN["authenticated"] = request.user.is_authenticated
        if request.method == "POST":
            SEEN["body"] = request.body
    except Exception as exc:  # noqa: BLE001 (what the test reports)
        SEEN["error"] = repr(exc)
    finally:
        DONE.set()
    return HttpResponse("done")


async def _parts() -> AsyncIterator[bytes]:
    for part in (b"one ", b"two"):
        yield part


def streamed(request: HttpRequest) -> StreamingHttpResponse:
    # Asynchronous parts, as the files the edge streams are read on the event loop.
    return StreamingHttpResponse(_parts())


urlpatterns = [path("slow/", slow), path("streamed/", streamed)]
