"""Bearer authentication of the API: ``request.auth`` is the accounts.User, and
``request.api_token`` the token row (what the token is bound to: VÖENs or office).

Every authenticated request also counts against the token's rate limit (GOMRUK_API_RATE).
"""

from __future__ import annotations

from django.http import HttpRequest
from ninja.errors import AuthenticationError
from ninja.security import HttpBearer

from gomruk.accounts.auth import token_authenticate
from gomruk.accounts.models import User
from gomruk.api.ratelimit import rate_limit_check


class BearerAuth(HttpBearer):
    openapi_scheme = "bearer"

    def authenticate(self, request: HttpRequest, token: str) -> User | None:
        row = token_authenticate(token)
        if row is None:
            return None
        request.api_token = row  # type: ignore[attr-defined]
        rate_limit_check(f"token:{row.pk}")
        return row.user


bearer_auth = BearerAuth()


def caller(request: HttpRequest) -> User:
    """The authenticated user of an API request (set by ``bearer_auth``)."""
    user = getattr(request, "auth", None)
    if not isinstance(user, User):
        raise AuthenticationError()
    return user


def bearer_user(request: HttpRequest) -> User | None:
    """Who a request's bearer token belongs to, before the view authenticates it (the API
    kit's guards key an Idempotency-Key by it); no rate-limit count, no ``request.auth``."""
    scheme, _, token = request.headers.get("Authorization", "").partition(" ")
    if scheme.lower() != "bearer":
        return None
    row = token_authenticate(token.strip())
    return row.user if row else None
