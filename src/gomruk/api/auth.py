"""Bearer authentication of the API: ``request.auth`` is the accounts.User, and
``request.api_token`` the token row (what the token is bound to: VÖENs or office).

Every authenticated request also counts against the token's rate limit (GOMRUK_API_RATE).
"""

from __future__ import annotations

from django.http import HttpRequest
from ninja.security import HttpBearer

from gomruk.accounts.auth import token_authenticate
from gomruk.accounts.models import User
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
            rate_limit_check(f"token:{row.pk}")
        return row.user


bearer_auth = BearerAuth()


def caller(request: HttpRequest) -> User:
    """The authenticated user of an API request (set by ``bearer_auth``)."""
    user = getattr(request, "auth", None)
    if not isinstance(user, User):
        from ninja.errors import AuthenticationError

        raise AuthenticationError()
    return user
