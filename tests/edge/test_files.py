"""Under ASGI, static files and other file responses stream from the event loop."""

from __future__ import annotations

import asyncio
import warnings
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from django.test import AsyncClient, Client

import gomruk

STATIC = Path(gomruk.__file__).parent / "portal" / "static" / "portal" / "vendor" / "htmx.min.js"


def _asgi_get(path: str):
    async def fetch():
        response = await AsyncClient().get(path)
        chunks = [chunk async for chunk in response]
        return response, b"".join(chunks)

    with ThreadPoolExecutor(max_workers=1) as pool:  # a loop of its own, whatever runs here
        return pool.submit(asyncio.run, fetch()).result()


def test_a_static_file_streams_asynchronously_and_whole():
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # "must consume synchronous iterators" would fail here
        response, body = _asgi_get("/static/portal/vendor/htmx.min.js")
    assert response.status_code == 200
    assert response.is_async
    assert body == STATIC.read_bytes()
    assert response["Content-Security-Policy"].startswith("default-src 'self'")


def test_under_wsgi_the_response_is_left_as_it_was(db):
    response = Client().get("/static/portal/vendor/htmx.min.js")
    assert not response.is_async
    assert b"".join(response.streaming_content) == STATIC.read_bytes()
    response.close()
