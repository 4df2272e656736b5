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

from gomruk.api.errors import ERRORS
from gomruk.api.guards import RequestCaller, guarded, no_caller
from gomruk.api.openapi import extend_schema
from gomruk.api.problems import (
    database_unavailable,
    error_response,
    problem_response,
    request_language,
)
from gomruk.api.rendering import RENDERER
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
        super().__init__(renderer=RENDERER, **kwargs)
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
    return error_response(request, ERRORS.error("not_found#path", status=404))


def _gomruk_error(request: HttpRequest, exc: GomrukError) -> HttpResponse:
    return error_response(request, exc)


def _request_invalid(request: HttpRequest, exc: NinjaValidationError) -> HttpResponse:
    errors: list[dict[str, Any]] = []
    for error in exc.errors:
        loc = [str(part) for part in error.get("loc", [])]
        errors.append({"path": "/" + "/".join(loc), "message": pick(*schema_message(error), request_language(request))})
    return error_response(request, ERRORS.error("invalid_request", status=422, details={"errors": errors}))


def _unauthenticated(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    return error_response(request, ERRORS.error("unauthenticated", status=401))


def _http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    return problem_response(
        request,
        status=exc.status_code,
        code=f"http_{exc.status_code}",
        message_az=str(exc),
        message_en=str(exc),
    )


def _not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    return error_response(request, ERRORS.error("not_found", status=404))


def _bad_multipart(request: HttpRequest, exc: MultiPartParserError) -> HttpResponse:
    return error_response(request, ERRORS.error("invalid_multipart", status=400))


def _too_big(request: HttpRequest, exc: RequestDataTooBig) -> HttpResponse:
    return error_response(request, ERRORS.error("payload_too_large", status=413))


def _number_out_of_range(request: HttpRequest, exc: InvalidOperation) -> HttpResponse:
    # A number Decimal cannot represent at the required places (1e300 kg): the client's data.
    return error_response(request, ERRORS.error("number_out_of_range", status=422))


def _internal_error(request: HttpRequest, exc: Exception) -> HttpResponse:
    logger.exception("Unhandled API error on %s %s", request.method, request.path)
    return error_response(request, ERRORS.error("internal_error", status=500))


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
