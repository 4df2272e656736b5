"""How the API writes its bodies: one renderer for every ``GomrukAPI``, and the answer of a view
whose body is already in its response model's shape (the border list, ADR 0032)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from ninja.renderers import JSONRenderer

RENDERER = JSONRenderer()


def rendered(request: HttpRequest, data: Any, response: HttpResponse) -> HttpResponse:
    """``response`` (the view's temporal response: its status and headers) with ``data`` as its
    body, as django-ninja writes a validated model's ``model_dump()``. ``data`` is not
    validated: the view answers for its shape (and its tests hold it to the model)."""
    response.content = RENDERER.render(request, data, response_status=response.status_code)
    return response
