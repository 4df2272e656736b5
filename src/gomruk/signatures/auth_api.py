"""Authentication endpoints (mounted at /auth): challenge, token, revoke, who am I.

They live in the signatures app because a token is issued for a certificate's signature over
the challenge (``signatures.login``); the demo users' password login and the tokens
themselves are the accounts app's (``accounts.auth``)."""

from __future__ import annotations

from datetime import datetime

from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from ninja import Field, Router, Schema, Status

from gomruk.accounts.auth import (
    IssuedToken,
    challenge_create,
    token_issue_password,
    token_revoke,
    token_voens,
)
from gomruk.accounts.bearer import bearer_auth
from gomruk.api.ratelimit import configured_auth_rate, rate_limit_check
from gomruk.api.schemas import PROBLEM_RESPONSES, Problem
from gomruk.signatures.errors import ERRORS
from gomruk.signatures.login import token_issue_certificate

router = Router(tags=["auth"])


class ChallengeOut(Schema):
    nonce: str = Field(description="Sign exactly these ASCII bytes (detached CMS) to get a token")
    expires_at: datetime


class TokenIn(Schema):
    """Either a certificate login (nonce, certificate, signature) or, for demo users only,
    username and password."""

    nonce: str | None = Field(default=None, max_length=64)
    certificate: str | None = Field(default=None, max_length=20000, description="PEM or base64 DER")
    signature: str | None = Field(default=None, max_length=1_500_000, description="Detached CMS, PEM or base64 DER")
    username: str | None = Field(default=None, max_length=150)
    password: str | None = Field(default=None, max_length=200)


class UserOut(Schema):
    username: str
    full_name: str
    role: str
    voens: list[str]
    office_code: str | None


class TokenOut(Schema):
    access_token: str
    token_type: str = "Bearer"  # noqa: S105 — the scheme name, not a secret
    expires_at: datetime
    expires_in: int
    user: UserOut


def _client_address(request: HttpRequest) -> str:
    return str(request.META.get("REMOTE_ADDR") or "unknown")


def _token_out(issued: IssuedToken) -> TokenOut:
    expires_at = issued.expires_at
    assert isinstance(expires_at, datetime)
    return TokenOut(
        access_token=issued.token,
        expires_at=expires_at,
        expires_in=max(0, int((expires_at - timezone.now()).total_seconds())),
        user=UserOut(
            username=issued.user.get_username(),
            full_name=issued.user.get_full_name(),
            role=issued.user.role,
            voens=issued.voens,
            office_code=issued.office_code or None,
        ),
    )


@router.post("/challenge", auth=None, response={201: ChallengeOut, **PROBLEM_RESPONSES},
             summary="Get a nonce to sign for a certificate login")
def challenge(request: HttpRequest) -> Status[ChallengeOut]:
    rate_limit_check(f"auth:{_client_address(request)}", configured_auth_rate())
    row = challenge_create()
    return Status(201, ChallengeOut(nonce=row.nonce, expires_at=row.expires_at))


@router.post("/token", auth=None, response={201: TokenOut, **PROBLEM_RESPONSES}, summary="Get a bearer token")
def token_create(request: HttpRequest, payload: TokenIn) -> Status[TokenOut]:
    rate_limit_check(f"auth:{_client_address(request)}", configured_auth_rate())
    if payload.certificate and payload.signature and payload.nonce:
        issued = token_issue_certificate(
            nonce=payload.nonce, certificate=payload.certificate, signature=payload.signature
        )
    elif payload.username and payload.password:
        issued = token_issue_password(username=payload.username, password=payload.password, request=request)
    else:
        raise ERRORS.error("credentials_missing", status=422)
    return Status(201, _token_out(issued))


@router.delete("/token", auth=bearer_auth, response={204: None, **PROBLEM_RESPONSES},
               summary="Revoke the token of this request")
def token_delete(request: HttpRequest) -> HttpResponse:
    token_revoke(token=request.api_token)  # type: ignore[attr-defined]
    return HttpResponse(status=204)


@router.get("/me", auth=bearer_auth, response={200: UserOut, **PROBLEM_RESPONSES},
            summary="Who the token belongs to and what it reaches")
def me(request: HttpRequest) -> UserOut:
    token = request.api_token  # type: ignore[attr-defined]
    user = token.user
    return UserOut(
        username=user.get_username(),
        full_name=user.get_full_name(),
        role=user.role,
        voens=sorted(token_voens(token)),
        office_code=token.office_code or None,
    )


__all__ = ["router", "Problem"]
