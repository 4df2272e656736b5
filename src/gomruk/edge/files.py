"""File responses streamed from the event loop when served over ASGI.

A ``FileResponse`` iterates its file synchronously — WhiteNoise's static files (WhiteNoise 6 is
WSGI-only) and the attachments a person downloads. Django's ASGI handler can serve a
synchronous iterator only by reading the whole file into memory in a thread, warning
"StreamingHttpResponse must consume synchronous iterators" each time. Under ASGI this
middleware, the outermost, hands out the same open file as an asynchronous iterator instead
(each read in a thread of the loop's pool); under WSGI (tests, ``runserver``) nothing changes.
Headers, ranges and the closing of the file stay the response's own.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable
from typing import IO

from django.core.handlers.asgi import ASGIRequest
from django.http import FileResponse, HttpRequest, HttpResponse

CHUNK = 64 * 1024


async def _chunks(file: IO[bytes]) -> AsyncIterator[bytes]:
    while chunk := await asyncio.to_thread(file.read, CHUNK):
        yield chunk


class AsyncFileResponseMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if isinstance(request, ASGIRequest) and isinstance(response, FileResponse) and response.file_to_stream is not None:
            # The file stays registered for closing with the response.
            response.streaming_content = _chunks(response.file_to_stream)
        return response
