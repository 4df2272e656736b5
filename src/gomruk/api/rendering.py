"""How the API writes its bodies: one renderer for every ``GomrukAPI``, and the answer of a view
whose body is already in its response model's shape (the border list, ADR 0032)."""

from __future__ import annotations

from typing import Any

import orjson
from django.http import HttpRequest, HttpResponse
from ninja.renderers import JSONRenderer
from ninja.responses import NinjaJSONEncoder

# What orjson would write its own way goes to ninja's encoder instead: datetimes (Django's
# millisecond form with "Z"), dates and times, dataclasses and subclasses of str, int, dict
# and list (e.g. lazy text), so the JSON values are those django-ninja writes.
_PASSED_THROUGH = orjson.OPT_PASSTHROUGH_DATETIME | orjson.OPT_PASSTHROUGH_DATACLASS | orjson.OPT_PASSTHROUGH_SUBCLASS


class Renderer(JSONRenderer):
    """django-ninja's JSON renderer written by orjson (ADR 0036): the border page of a hundred
    arrivals took more instructions to encode with ``json.dumps`` than its query took to run.

    The values are ninja's: Decimals, datetimes, models and lazy text are handed to
    :class:`NinjaJSONEncoder`. Text is written as UTF-8 rather than ``\\u`` escapes. What orjson
    refuses (an integer beyond 64 bits, a key that is not text) is written by ``json.dumps``,
    as before."""

    _encoder = NinjaJSONEncoder()

    def render(self, request: HttpRequest, data: Any, *, response_status: int) -> Any:
        try:
            return orjson.dumps(data, default=self._encoder.default, option=_PASSED_THROUGH)
        except orjson.JSONEncodeError:
            return super().render(request, data, response_status=response_status)


RENDERER = Renderer()


def rendered(request: HttpRequest, data: Any, response: HttpResponse) -> HttpResponse:
    """``response`` (the view's temporal response: its status and headers) with ``data`` as its
    body, as django-ninja writes a validated model's ``model_dump()``. ``data`` is not
    validated: the view answers for its shape (and its tests hold it to the model)."""
    response.content = RENDERER.render(request, data, response_status=response.status_code)
    return response
