"""Requests refused before any view, answered the way their caller reads answers.

- the request gate's refusals (``gomruk.edge.gate``): a body over the limit (413) or one sent too
  slowly (408);
- text the database cannot store (``gomruk.edge.text``): 400 for the address, a header or a
  cookie, 422 for the body, naming the field.

The API gets problem+json in the language of Accept-Language; the portal, admin and every other
page a short page in the language the person chose. It runs before the session middleware:
a NUL in the session cookie would otherwise reach the database.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from gomruk.api.errors import ERRORS as API_ERRORS
from gomruk.api.guards import max_body
from gomruk.api.problems import error_response
from gomruk.core.errors import Bilingual, GomrukError
from gomruk.edge.errors import ERRORS
from gomruk.edge.gate import REFUSED
from gomruk.edge.text import BadText, find_unstorable

API_PREFIX = "/api/"

_WHERE = {
    "path": ("ünvanda", "the address"),
    "query": ("sorğu parametrində", "the query parameter"),
    "header": ("başlıqda", "the header"),
    "cookie": ("kukidə", "the cookie"),
    "form": ("forma sahəsində", "the form field"),
    "file": ("faylın adında (sahə)", "the file name of field"),
    "json": ("JSON sahəsində", "the JSON field"),
}


def _refusal(request: HttpRequest, error: GomrukError) -> HttpResponse:
    if request.path.startswith(API_PREFIX):
        return error_response(request, error)
    return render(request, "edge/refused.html", {"message": error.message(), "status": error.status}, status=error.status)


def _gate_refusal(request: HttpRequest, refused: dict[str, Any]) -> HttpResponse:
    if refused["status"] == 413:
        limit = int(refused["limit"])
        return _refusal(request, API_ERRORS.error("payload_too_large#limit", status=413, details={"limit": limit}, limit=limit))
    return _refusal(request, ERRORS.error("request_timeout", status=408))


def _text_refusal(request: HttpRequest, bad: BadText) -> HttpResponse:
    where_az, where_en = _WHERE[bad.where]
    status = 422 if bad.where in ("form", "file", "json") else 400
    return _refusal(request, ERRORS.error(
        "invalid_text", status=status, details={"in": bad.where, "field": bad.field, "character": bad.code_point},
        where=Bilingual(where_az.capitalize(), f"{where_en[0].upper()}{where_en[1:]}"),
        field=bad.field, character=bad.code_point,
    ))


class RequestGuardMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        refused = getattr(request, "scope", {}).get(REFUSED)
        if refused is not None:
            return _gate_refusal(request, refused)
        api = request.path.startswith(API_PREFIX)
        bad = find_unstorable(request, max_body=max_body(request) if api else settings.DATA_UPLOAD_MAX_MEMORY_SIZE)
        if bad is not None:
            return _text_refusal(request, bad)
        return self.get_response(request)
