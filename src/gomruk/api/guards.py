"""What wraps every API view, before django-ninja parses anything:

- the body size limit (413 before the body is read: JSON/XML 5 MB, attachment uploads 10 MB);
- Idempotency-Key on POST (see ``idempotency.py``): the effect and its stored answer in one
  transaction;
- a database that fails outside the view (the idempotency transaction's commit) answers 503
  problem+json with Retry-After, like one that fails inside it (``main.py``);
- one error shape: a 4xx/5xx that some layer produced without problem+json (405 of the
  router, Django's 404 …) is rewritten as problem+json.

It is applied to the URL patterns of the API by ``main.GomrukAPI`` (a Django middleware would need a
settings change and would also see the portal's requests).
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils.cache import patch_vary_headers

from gomruk.api.errors import ERRORS
from gomruk.api.idempotency import idempotent
from gomruk.api.problems import (
    DATABASE_UNAVAILABLE,
    database_unavailable,
    error_response,
    problem_response,
)
from gomruk.api.ratelimit import rate_limit_check
from gomruk.core.errors import GomrukError

MB = 1024 * 1024
# Multipart framing (boundaries, part headers, form fields) on top of the file itself.
UPLOAD_OVERHEAD = 64 * 1024

View = Callable[..., HttpResponse]


@dataclass(frozen=True)
class Caller:
    """Who sent a request, as far as the guards must know before the view authenticates it:
    whose Idempotency-Keys these are, and which rate-limit counter the request is charged to."""

    user: Any
    rate_key: str


#: Names the caller of a request (None: nobody recognisable); the API that mounts the views
#: supplies it, so this kit imports no domain app.
RequestCaller = Callable[[HttpRequest], "Caller | None"]


def no_caller(request: HttpRequest) -> Caller | None:
    return None


def max_body(request: HttpRequest) -> int:
    if request.path.rstrip("/").endswith("/attachments"):
        return int(settings.GOMRUK_API_MAX_UPLOAD) + UPLOAD_OVERHEAD
    return int(settings.GOMRUK_API_MAX_BODY)


def _too_large(request: HttpRequest, limit: int) -> HttpResponse:
    return error_response(request, ERRORS.error("payload_too_large#limit", status=413, details={"limit": limit}, limit=limit))


def _content_length(request: HttpRequest) -> int | None:
    try:
        return int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return None


def _normalise(request: HttpRequest, response: HttpResponse) -> HttpResponse:
    if response.status_code < 400 or response.get("Content-Type", "").startswith("application/problem+json"):
        return response
    status = response.status_code
    known = f"http_{status}" if f"http_{status}" in ERRORS else ("http_500" if status >= 500 else "http_400")
    message_az, message_en = ERRORS.texts(known)
    headers = {name: response[name] for name in ("Allow", "Retry-After", "WWW-Authenticate") if response.has_header(name)}
    return problem_response(
        request, status=status, code=f"http_{status}", message_az=message_az, message_en=message_en, headers=headers
    )


def _run(view: View, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
    return _normalise(request, view(request, *args, **kwargs))


def _run_idempotent(
    view: View, request: HttpRequest, caller: Caller | None, key: str, *args: Any, **kwargs: Any
) -> HttpResponse:
    if caller is None:
        return _run(view, request, *args, **kwargs)  # the view answers 401
    return idempotent(
        user=caller.user, key=key, method=request.method or "POST", path=request.path, body=request.body,
        run=lambda: _run(view, request, *args, **kwargs),
    )


def _answer(
    request: HttpRequest, view: View, request_caller: RequestCaller, *args: Any, **kwargs: Any
) -> HttpResponse:
    """The view's response; a refusal or a database fault outside the view as problem+json."""
    key = request.headers.get("Idempotency-Key")
    try:
        caller = request_caller(request)
        if caller is not None and not getattr(request, "_gomruk_rate_counted", False):
            # Counted here (or by the request's caller as it named it), before any
            # transaction: the shared counter is never held locked by a request's transaction
            # (the view's authentication skips counting again).
            rate_limit_check(caller.rate_key)
            request._gomruk_rate_counted = True  # type: ignore[attr-defined]
        if request.method == "POST" and key is not None:
            return _run_idempotent(view, request, caller, key, *args, **kwargs)
        return _run(view, request, *args, **kwargs)
    except GomrukError as exc:
        headers = {"Retry-After": str(exc.details["retry_after"])} if "retry_after" in exc.details else None
        return problem_response(
            request, status=exc.status, code=exc.code, message_az=exc.message_az,
            message_en=exc.message_en, details=exc.details, headers=headers,
        )
    except DATABASE_UNAVAILABLE as exc:
        return database_unavailable(request, exc)


def guarded(view: View, request_caller: RequestCaller = no_caller) -> View:
    """``request_caller`` names the caller of a request before the view's own authentication
    runs (an Idempotency-Key and a rate limit are the caller's)."""

    @functools.wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        limit = max_body(request)
        length = _content_length(request)
        if length is None or length > limit:
            return _too_large(request, limit)
        response = _answer(request, view, request_caller, *args, **kwargs)
        patch_vary_headers(response, ("Accept-Language", "Authorization"))
        return response

    return wrapper
