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

from gomruk.api.guards import max_body
from gomruk.api.problems import problem_response
from gomruk.core.i18n import is_english
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


def _refusal(
    request: HttpRequest, *, status: int, code: str, message_az: str, message_en: str, details: dict[str, Any]
) -> HttpResponse:
    if request.path.startswith(API_PREFIX):
        return problem_response(
            request, status=status, code=code, message_az=message_az, message_en=message_en, details=details
        )
    english = is_english()
    return render(
        request, "edge/refused.html", {"message": message_en if english else message_az, "status": status}, status=status
    )


def _gate_refusal(request: HttpRequest, refused: dict[str, Any]) -> HttpResponse:
    if refused["status"] == 413:
        limit = int(refused["limit"])
        return _refusal(
            request, status=413, code="payload_too_large",
            message_az=f"Sorğunun həcmi {limit} baytdan çox ola bilməz.",
            message_en=f"The request body may not exceed {limit} bytes.",
            details={"limit": limit},
        )
    return _refusal(
        request, status=408, code="request_timeout",
        message_az="Sorğunun məzmunu çox yavaş göndərildi; yenidən cəhd edin.",
        message_en="The request body arrived too slowly; please try again.",
        details={},
    )


def _text_refusal(request: HttpRequest, bad: BadText) -> HttpResponse:
    where_az, where_en = _WHERE[bad.where]
    status = 422 if bad.where in ("form", "file", "json") else 400
    return _refusal(
        request, status=status, code="invalid_text",
        message_az=(
            f"{where_az.capitalize()} «{bad.field}» saxlanıla bilməyən simvol var ({bad.code_point}). "
            "Onu silib yenidən göndərin."
        ),
        message_en=(
            f"{where_en[0].upper()}{where_en[1:]} «{bad.field}» holds a character that cannot be stored "
            f"({bad.code_point}). Remove it and send again."
        ),
        details={"in": bad.where, "field": bad.field, "character": bad.code_point},
    )


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
