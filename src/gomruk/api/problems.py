"""RFC 9457 problem+json: one error shape for every API failure, in the caller's language."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.utils import translation

from gomruk.core.canonical import canonical_json

PROBLEM_TYPE_BASE = "https://gomruk.customs.gov.az/problems/"


def request_language(request: HttpRequest) -> str:
    header = request.headers.get("Accept-Language", "")
    for part in header.split(","):
        tag = part.split(";")[0].strip().lower()[:2]
        if tag in ("az", "en"):
            return tag
    return "az"


def problem_response(
    request: HttpRequest,
    *,
    status: int,
    code: str,
    message_az: str,
    message_en: str,
    details: dict[str, Any] | None = None,
    headers: dict[str, str] | None = None,
) -> HttpResponse:
    language = request_language(request)
    body: dict[str, Any] = {
        "type": PROBLEM_TYPE_BASE + code,
        "title": message_en if language == "en" else message_az,
        "status": status,
        "code": code,
        "detail": message_en if language == "en" else message_az,
        "instance": request.path,
    }
    for key, value in (details or {}).items():
        body.setdefault(key, value)
    response = HttpResponse(
        canonical_json(body), status=status, content_type="application/problem+json"
    )
    response["Content-Language"] = language
    for key, value in (headers or {}).items():
        response[key] = value
    translation.activate(language)
    return response
