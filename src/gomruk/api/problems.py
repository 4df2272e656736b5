"""RFC 9457 problem+json: one error shape for every API failure, in the caller's language."""

from __future__ import annotations

import json
import math
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.utils import translation

PROBLEM_TYPE_BASE = "https://gomruk.customs.gov.az/problems/"


def _jsonable(value: Any) -> Any:
    """Error details echo what the client sent (huge integers, NaN …): keep them printable JSON."""
    if isinstance(value, dict):
        return {str(key): _jsonable(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [_jsonable(item) for item in value]
    if isinstance(value, float) and not math.isfinite(value):
        return str(value)
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    return str(value)


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
    content = json.dumps(_jsonable(body), ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    response = HttpResponse(content.encode("utf-8", errors="replace"), status=status, content_type="application/problem+json")
    response["Content-Language"] = language
    for key, value in (headers or {}).items():
        response[key] = value
    translation.activate(language)
    return response
