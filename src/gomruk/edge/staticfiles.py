"""WhiteNoise, with its files streamed from the event loop when served over ASGI.

WhiteNoise 6 is WSGI-only: its file response iterates a file synchronously, which Django's ASGI
handler can only serve by reading the whole file into memory in a thread (with a warning each
time). Under ASGI the same file is handed out as an asynchronous iterator instead; under WSGI
(tests, ``runserver``) nothing changes. Everything else — the index of files, headers, ranges,
compressed variants, caching — is WhiteNoise's.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from typing import IO, Any

from django.core.handlers.asgi import ASGIRequest
from django.http import HttpRequest
from whitenoise.middleware import WhiteNoiseMiddleware

CHUNK = 64 * 1024


async def _chunks(file: IO[bytes]) -> AsyncIterator[bytes]:
    while chunk := await asyncio.to_thread(file.read, CHUNK):
        yield chunk


class StaticFilesMiddleware(WhiteNoiseMiddleware):  # type: ignore[misc]
    @staticmethod
    def serve(static_file: Any, request: HttpRequest) -> Any:
        response = WhiteNoiseMiddleware.serve(static_file, request)
        if isinstance(request, ASGIRequest) and response.file_to_stream is not None:
            # The file stays registered for closing with the response.
            response.streaming_content = _chunks(response.file_to_stream)
        return response
