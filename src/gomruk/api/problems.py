"""RFC 9457 problem+json: one error shape for every API failure, in the caller's language."""

from __future__ import annotations

import json
import logging
import math
import sys
from typing import Any

from django.db import DatabaseError, InterfaceError, OperationalError, connection
from django.http import HttpRequest, HttpResponse
from django.utils import translation
from django.views import defaults

from gomruk.api.errors import ERRORS
from gomruk.core.errors import GomrukError
from gomruk.core.i18n import is_english

PROBLEM_TYPE_BASE = "https://gomruk.customs.gov.az/problems/"
logger = logging.getLogger(__name__)


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


def error_response(request: HttpRequest, error: GomrukError) -> HttpResponse:
    """A GomrukError as problem+json; a refusal that can end (rate limit, sign-in lockout, a
    running duplicate) says when, a 401 says how to authenticate."""
    headers = {"Retry-After": str(error.details["retry_after"])} if "retry_after" in error.details else None
    if error.status == 401:
        headers = {"WWW-Authenticate": "Bearer"}
    return problem_response(
        request,
        status=error.status,
        code=error.code,
        message_az=error.message_az,
        message_en=error.message_en,
        details=error.details,
        headers=headers,
    )


#: Database faults a retry can get past: a terminated or refused connection, a lock or
#: statement timeout, a busy SQLite file. Wrong data (IntegrityError, DataError) is not one.
DATABASE_UNAVAILABLE: tuple[type[Exception], ...] = (OperationalError, InterfaceError)
DATABASE_RETRY_AFTER = 2


def release_broken_connection() -> None:
    """Drop a connection the fault left unusable, so the next request opens a new one (the
    request_finished handler does the same, except under the test client)."""
    try:
        if connection.connection is not None and not connection.is_usable():
            connection.close()
    except DatabaseError:
        connection.close()


def database_unavailable(request: HttpRequest, exc: BaseException) -> HttpResponse:
    """503 problem+json with Retry-After: nothing of the request was committed, retry it."""
    logger.warning("Database unavailable on %s %s: %s", request.method, request.path, exc)
    release_broken_connection()
    return error_response(
        request, ERRORS.error("database_unavailable", status=503, details={"retry_after": DATABASE_RETRY_AFTER})
    )


def server_error(request: HttpRequest) -> HttpResponse:
    """The site's handler500: a database fault that escaped every view and middleware (the
    portal's, a session save) is a 503 with Retry-After — problem+json for API clients and
    anything that does not ask for HTML, a short page in the user's language for browsers —
    and any other error is Django's plain 500 page."""
    exc = sys.exc_info()[1]
    if not isinstance(exc, DATABASE_UNAVAILABLE):
        return defaults.server_error(request)
    if request.path.startswith("/api/") or "text/html" not in request.headers.get("Accept", ""):
        return database_unavailable(request, exc)
    logger.warning("Database unavailable on %s %s: %s", request.method, request.path, exc)
    release_broken_connection()
    english = is_english()
    title, text = (
        ("Service temporarily unavailable", "The database did not answer; nothing was saved. Try again in a moment.")
        if english
        else ("Xidmət müvəqqəti əlçatan deyil", "Verilənlər bazası cavab vermədi; heç nə yadda saxlanılmadı. "
              "Bir azdan yenidən cəhd edin.")
    )
    page = (
        f'<!doctype html><html lang="{"en" if english else "az"}"><meta charset="utf-8">'
        f"<title>{title}</title><h1>{title}</h1><p>{text}</p></html>"
    )
    response = HttpResponse(page, status=503, content_type="text/html; charset=utf-8")
    response["Retry-After"] = str(DATABASE_RETRY_AFTER)
    return response
