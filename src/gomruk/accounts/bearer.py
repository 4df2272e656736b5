"""Bearer authentication of the API: ``request.auth`` is the accounts.User, and
``request.api_token`` the token row (what the token is bound to: VÖENs or office).

Every authenticated request also counts against the token's rate limit (GOMRUK_API_RATE).
"""

from __future__ import annotations

from django.http import HttpRequest
from ninja.errors import AuthenticationError
from ninja.security import HttpBearer

from gomruk.accounts import token_memo
from gomruk.accounts.auth import rate_key, token_authenticate
from gomruk.accounts.models import User
from gomruk.api.guards import Caller
from gomruk.api.ratelimit import rate_limit_check


class BearerAuth(HttpBearer):
    openapi_scheme = "bearer"

    def authenticate(self, request: HttpRequest, token: str) -> User | None:
        looked_up = getattr(request, "_gomruk_bearer", None)  # by the guard, a moment ago
        row = looked_up[1] if looked_up and looked_up[0] == token else token_authenticate(token)
        if row is None:
            return None
        request.api_token = row  # type: ignore[attr-defined]
        if not getattr(request, "_gomruk_rate_counted", False):  # the guard counts first
            rate_limit_check(rate_key(row.pk))
        return row.user


bearer_auth = BearerAuth()


def caller(request: HttpRequest) -> User:
    """The authenticated user of an API request (set by ``bearer_auth``)."""
    user = getattr(request, "auth", None)
    if not isinstance(user, User):
        raise AuthenticationError()
    return user


def bearer_caller(request: HttpRequest) -> Caller | None:
    """Who a request's bearer token belongs to, before the view authenticates it: the API kit's
    guards key an Idempotency-Key by the user and count the token's rate limit (counted here
    when the count also vouches for the token this process remembers: ``token_memo``). The row
    is kept on the request, so the view's authentication does not look it up again."""
    scheme, _, token = request.headers.get("Authorization", "").partition(" ")
    if scheme.lower() != "bearer":
        return None

    def count(key: str) -> str | None:
        request._gomruk_rate_counted = True  # type: ignore[attr-defined]
        return rate_limit_check(key, stamp_key=token_memo.STAMP_KEY)

    row = token_authenticate(token.strip(), count=count)
    request._gomruk_bearer = (token.strip(), row)  # type: ignore[attr-defined]
    return Caller(user=row.user, rate_key=rate_key(row.pk)) if row else None
