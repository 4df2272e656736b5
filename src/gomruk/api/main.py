"""The API kit's NinjaAPI: every view guarded (body limits, idempotency, problem+json) and one
error shape (problem+json) for every exception. It knows no domain app: ``gomruk.apiv1``
builds the project's API from it and mounts every app's router."""

from __future__ import annotations

import logging
from collections.abc import Callable
from decimal import InvalidOperation
from typing import Any

from django.core.exceptions import RequestDataTooBig
from django.db import InterfaceError, OperationalError
from django.http import Http404, HttpRequest, HttpResponse
from django.http.multipartparser import MultiPartParserError
from django.urls import URLPattern, URLResolver, re_path
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError

from gomruk.api.guards import RequestCaller, guarded, no_caller
from gomruk.api.openapi import extend_schema
from gomruk.api.problems import database_unavailable, problem_response, request_language
from gomruk.core.errors import GomrukError
from gomruk.core.i18n import pick
from gomruk.document.schema_messages import schema_message

logger = logging.getLogger(__name__)


class GomrukAPI(NinjaAPI):
    """NinjaAPI whose every view is guarded (body limits, idempotency, problem+json), whose
    every error is problem+json, and whose OpenAPI document carries the declaration
    document's schema for request bodies.

    ``request_caller`` tells the guards who sent a request before the view authenticates it
    (the Idempotency-Key is the caller's); the kit has no user model of its own.
    """

    def __init__(self, *, request_caller: RequestCaller = no_caller, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.request_caller = request_caller
        for exception, handler in EXCEPTION_HANDLERS.items():
            self.add_exception_handler(exception, handler)

    def _get_urls(self) -> list[URLResolver | URLPattern]:
        patterns = super()._get_urls()
        for pattern in patterns:
            if isinstance(pattern, URLPattern):
                pattern.callback = guarded(pattern.callback, self.request_caller)
        # Anything else under /api/v1/ is a problem+json 404, not the portal's HTML page.
        patterns.append(re_path(r"^.*$", guarded(_unknown_path, self.request_caller), name="unknown"))
        return patterns

    def get_openapi_schema(self, *, path_prefix: str | None = None, path_params: Any = None) -> Any:
        # Building it takes seconds and routers do not change after start-up: build it once.
        key = (path_prefix, repr(sorted((path_params or {}).items())))
        cache: dict[tuple[str | None, str], Any] = self.__dict__.setdefault("_openapi_cache", {})
        if key not in cache:
            schema = super().get_openapi_schema(path_prefix=path_prefix, path_params=path_params)
            cache[key] = extend_schema(schema)
        return cache[key]


def _unknown_path(request: HttpRequest) -> HttpResponse:
    return problem_response(
        request, status=404, code="not_found", message_az="Belə ünvan yoxdur.",
        message_en="There is no such address in the API.",
    )


def _gomruk_error(request: HttpRequest, exc: GomrukError) -> HttpResponse:
    # A refusal that can end (rate limit, sign-in lockout, a running duplicate) says when.
    headers = {"Retry-After": str(exc.details["retry_after"])} if "retry_after" in exc.details else None
    if exc.status == 401:
        headers = {"WWW-Authenticate": "Bearer"}
    return problem_response(
        request,
        status=exc.status,
        code=exc.code,
        message_az=exc.message_az,
        message_en=exc.message_en,
        details=exc.details,
        headers=headers,
    )


def _request_invalid(request: HttpRequest, exc: NinjaValidationError) -> HttpResponse:
    errors: list[dict[str, Any]] = []
    for error in exc.errors:
        loc = [str(part) for part in error.get("loc", [])]
        errors.append({"path": "/" + "/".join(loc), "message": pick(*schema_message(error), request_language(request))})
    return problem_response(
        request,
        status=422,
        code="invalid_request",
        message_az="Sorğunun məzmunu səhvdir.",
        message_en="The request body or parameters are invalid.",
        details={"errors": errors},
    )


def _unauthenticated(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    return problem_response(
        request,
        status=401,
        code="unauthenticated",
        message_az="Daxil olmaq lazımdır.",
        message_en="Authentication is required.",
        headers={"WWW-Authenticate": "Bearer"},
    )


def _http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    return problem_response(
        request,
        status=exc.status_code,
        code=f"http_{exc.status_code}",
        message_az=str(exc),
        message_en=str(exc),
    )


def _not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    return problem_response(request, status=404, code="not_found", message_az="Tapılmadı.", message_en="Not found.")


def _bad_multipart(request: HttpRequest, exc: MultiPartParserError) -> HttpResponse:
    return problem_response(
        request, status=400, code="invalid_multipart",
        message_az="multipart/form-data məzmunu oxuna bilmədi.",
        message_en="The multipart/form-data body cannot be read.",
    )


def _too_big(request: HttpRequest, exc: RequestDataTooBig) -> HttpResponse:
    return problem_response(
        request, status=413, code="payload_too_large",
        message_az="Sorğunun həcmi həddən böyükdür.", message_en="The request body is too large.",
    )


def _number_out_of_range(request: HttpRequest, exc: InvalidOperation) -> HttpResponse:
    # A number Decimal cannot represent at the required places (1e300 kg): the client's data.
    return problem_response(
        request, status=422, code="number_out_of_range",
        message_az="Rəqəmlərdən biri həddən böyükdür və ya oxunmur.",
        message_en="A number is too large or cannot be read.",
    )


def _internal_error(request: HttpRequest, exc: Exception) -> HttpResponse:
    logger.exception("Unhandled API error on %s %s", request.method, request.path)
    return problem_response(
        request,
        status=500,
        code="internal_error",
        message_az="Daxili xəta baş verdi.",
        message_en="An internal error occurred.",
    )


def _database_unavailable(request: HttpRequest, exc: Exception) -> HttpResponse:
    return database_unavailable(request, exc)


EXCEPTION_HANDLERS: dict[type[Exception], Callable[[HttpRequest, Any], HttpResponse]] = {
    GomrukError: _gomruk_error,
    OperationalError: _database_unavailable,
    InterfaceError: _database_unavailable,
    NinjaValidationError: _request_invalid,
    AuthenticationError: _unauthenticated,
    HttpError: _http_error,
    Http404: _not_found,
    MultiPartParserError: _bad_multipart,
    RequestDataTooBig: _too_big,
    InvalidOperation: _number_out_of_range,
    Exception: _internal_error,
}
