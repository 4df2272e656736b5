"""The REST API under /api/v1/: one router per app, one error shape (problem+json)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError

from gomruk.api.problems import problem_response
from gomruk.core.errors import GomrukError

api = NinjaAPI(
    title="Gömrük API",
    version="1",
    description=(
        "Electronic customs declarations of Azerbaijan: reference data, declarations, "
        "signing, customs decisions. Errors are RFC 9457 problem+json in the language of "
        "Accept-Language (az default, en)."
    ),
    urls_namespace="api-v1",
)


@api.exception_handler(GomrukError)
def _gomruk_error(request: HttpRequest, exc: GomrukError) -> HttpResponse:
    return problem_response(
        request,
        status=exc.status,
        code=exc.code,
        message_az=exc.message_az,
        message_en=exc.message_en,
        details=exc.details,
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


def _register_routers() -> None:
    from gomruk.declarations.api import router as declarations_router
    from gomruk.declarations.api import schema_router
    from gomruk.reference.api import router as reference_router

    api.add_router("/reference", reference_router)
    api.add_router("/schema", schema_router)
    api.add_router("/declarations", declarations_router)


_register_routers()
