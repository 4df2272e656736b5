"""The REST API under /api/v1/: one router per app, one error shape (problem+json)."""

from __future__ import annotations

import logging
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
from ninja.openapi.docs import Swagger
from ninja.security import django_auth

from gomruk.api.auth import bearer_auth
from gomruk.api.guards import guarded
from gomruk.api.openapi import extend_schema
from gomruk.api.problems import database_unavailable, problem_response
from gomruk.core.errors import GomrukError

logger = logging.getLogger(__name__)


class GomrukAPI(NinjaAPI):
    """NinjaAPI whose every view is guarded (body limits, idempotency, problem+json) and
    whose OpenAPI document carries the declaration document's schema for request bodies."""

    def _get_urls(self) -> list[URLResolver | URLPattern]:
        patterns = super()._get_urls()
        for pattern in patterns:
            if isinstance(pattern, URLPattern):
                pattern.callback = guarded(pattern.callback)
        # Anything else under /api/v1/ is a problem+json 404, not the portal's HTML page.
        patterns.append(re_path(r"^.*$", guarded(_unknown_path), name="unknown"))
        return patterns

    def get_openapi_schema(self, *, path_prefix: str | None = None, path_params: Any = None) -> Any:
        # Building it takes seconds and routers do not change after start-up: build it once.
        key = (path_prefix, repr(sorted((path_params or {}).items())))
        cache: dict[tuple[str | None, str], Any] = self.__dict__.setdefault("_openapi_cache", {})
        if key not in cache:
            schema = super().get_openapi_schema(path_prefix=path_prefix, path_params=path_params)
            cache[key] = extend_schema(schema)
        return cache[key]


api = GomrukAPI(
    title="Gömrük API",
    version="1",
    description=(
        "Electronic customs declarations of Azerbaijan: reference data, declarations, "
        "signing, customs decisions. Authenticate with `POST /auth/token` and send "
        "`Authorization: Bearer <token>`. Errors are RFC 9457 problem+json in the language of "
        "Accept-Language (az default, en). POST requests accept `Idempotency-Key`."
    ),
    urls_namespace="api-v1",
    docs=Swagger(settings={"persistAuthorization": True}),
)


def _unknown_path(request: HttpRequest) -> HttpResponse:
    return problem_response(
        request, status=404, code="not_found", message_az="Belə ünvan yoxdur.",
        message_en="There is no such address in the API.",
    )


@api.exception_handler(GomrukError)
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


@api.exception_handler(NinjaValidationError)
def _request_invalid(request: HttpRequest, exc: NinjaValidationError) -> HttpResponse:
    errors: list[dict[str, Any]] = []
    for error in exc.errors:
        loc = [str(part) for part in error.get("loc", [])]
        errors.append({"path": "/" + "/".join(loc), "message": error.get("msg", "")})
    return problem_response(
        request,
        status=422,
        code="invalid_request",
        message_az="Sorğunun məzmunu səhvdir.",
        message_en="The request body or parameters are invalid.",
        details={"errors": errors},
    )


@api.exception_handler(AuthenticationError)
def _unauthenticated(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    return problem_response(
        request,
        status=401,
        code="unauthenticated",
        message_az="Daxil olmaq lazımdır.",
        message_en="Authentication is required.",
        headers={"WWW-Authenticate": "Bearer"},
    )


@api.exception_handler(HttpError)
def _http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    return problem_response(
        request,
        status=exc.status_code,
        code=f"http_{exc.status_code}",
        message_az=str(exc),
        message_en=str(exc),
    )


@api.exception_handler(Http404)
def _not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    return problem_response(request, status=404, code="not_found", message_az="Tapılmadı.", message_en="Not found.")


@api.exception_handler(MultiPartParserError)
def _bad_multipart(request: HttpRequest, exc: MultiPartParserError) -> HttpResponse:
    return problem_response(
        request, status=400, code="invalid_multipart",
        message_az="multipart/form-data məzmunu oxuna bilmədi.",
        message_en="The multipart/form-data body cannot be read.",
    )


@api.exception_handler(RequestDataTooBig)
def _too_big(request: HttpRequest, exc: RequestDataTooBig) -> HttpResponse:
    return problem_response(
        request, status=413, code="payload_too_large",
        message_az="Sorğunun həcmi həddən böyükdür.", message_en="The request body is too large.",
    )


@api.exception_handler(InvalidOperation)
def _number_out_of_range(request: HttpRequest, exc: InvalidOperation) -> HttpResponse:
    # A number Decimal cannot represent at the required places (1e300 kg): the client's data.
    return problem_response(
        request, status=422, code="number_out_of_range",
        message_az="Rəqəmlərdən biri həddən böyükdür və ya oxunmur.",
        message_en="A number is too large or cannot be read.",
    )


@api.exception_handler(OperationalError)
@api.exception_handler(InterfaceError)
def _database_unavailable(request: HttpRequest, exc: Exception) -> HttpResponse:
    return database_unavailable(request, exc)


@api.exception_handler(Exception)
def _internal_error(request: HttpRequest, exc: Exception) -> HttpResponse:
    logger.exception("Unhandled API error on %s %s", request.method, request.path)
    return problem_response(
        request,
        status=500,
        code="internal_error",
        message_az="Daxili xəta baş verdi.",
        message_en="An internal error occurred.",
    )


def _register_routers() -> None:
    from gomruk.accounts.api import router as auth_router
    from gomruk.border.api import router as border_router
    from gomruk.customs.api import router as customs_router
    from gomruk.declarations.api import router as declarations_router
    from gomruk.declarations.api import schema_router
    from gomruk.duties.api import rates_router
    from gomruk.duties.api import router as duties_router
    from gomruk.printing.api import router as printing_router
    from gomruk.reference.api import router as reference_router
    from gomruk.rules.api import router as rules_router
    from gomruk.signatures.api import router as signatures_router

    api.add_router("/auth", auth_router)
    # /reference/rates before /reference/{name}, which would take "rates" for a classifier.
    api.add_router("/reference", rates_router)
    api.add_router("/reference", reference_router)
    api.add_router("/schema", schema_router)
    api.add_router("", rules_router)
    api.add_router("", duties_router)
    # The PDF is read by broker software (token) and by the portal (session).
    api.add_router("", printing_router, auth=[bearer_auth, django_auth])
    api.add_router("/declarations", declarations_router)
    api.add_router("/customs", customs_router)
    api.add_router("/signatures", signatures_router)
    api.add_router("/border", border_router)


_register_routers()
