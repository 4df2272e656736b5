"""API authentication: challenges, bearer tokens, and who a token lets the caller reach.

Two ways to a token: a detached CMS signature over a server nonce (the certificate names the
person by FIN and, for a legal entity, its VÖEN; verified in ``gomruk.signatures.login``, above
this app), or — for demo users only — a username and password. Only the SHA-256 of a token is stored, so a leaked database yields no usable tokens.
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone

from gomruk.accounts import token_memo
from gomruk.accounts.errors import ERRORS
from gomruk.accounts.models import ApiToken, AuthChallenge, User
from gomruk.accounts.selectors import acting_voens, officer_office, voens_known
from gomruk.accounts.throttle import password_authenticate
from gomruk.accounts.token_lookup import caller_of, token_row
from gomruk.core.audit import audit_record
from gomruk.core.errors import GomrukError

TOKEN_PREFIX = "gmk_"  # noqa: S105 — marks our tokens in logs and secret scanners
CHALLENGE_TTL = timedelta(minutes=5)


@dataclass(frozen=True)
class IssuedToken:
    token: str  # the secret: shown once, never stored
    expires_at: object
    user: User
    voens: list[str]
    office_code: str


def token_ttl() -> timedelta:
    return timedelta(seconds=int(settings.GOMRUK_API_TOKEN_TTL))


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def invalid_credentials() -> GomrukError:
    return ERRORS.error("invalid_credentials", status=401)


def challenge_create() -> AuthChallenge:
    now = timezone.now()
    # Expired challenges are worthless; clearing them here keeps the table small without a job.
    AuthChallenge.objects.filter(expires_at__lt=now - CHALLENGE_TTL).delete()
    return AuthChallenge.objects.create(nonce=secrets.token_hex(32), expires_at=now + CHALLENGE_TTL)


def challenge_spend(nonce: str) -> None:
    """Use up a one-time challenge: the one place a nonce is spent (API token, portal
    certificate and Asan İmza sign-in). Refused (401 ``challenge_invalid``) when it is unknown,
    already used or expired, so a signature over it cannot be replayed."""
    with transaction.atomic():
        challenge = AuthChallenge.objects.select_for_update().filter(nonce=nonce, used_at__isnull=True).first()
        now = timezone.now()
        if challenge is None or challenge.expires_at < now:
            raise ERRORS.error("challenge_invalid", status=401)
        challenge.used_at = now
        challenge.save(update_fields=["used_at"])


def token_issue(*, user: User, method: str, certificate_serial: str = "") -> IssuedToken:
    secret = TOKEN_PREFIX + secrets.token_urlsafe(32)
    voens = sorted(acting_voens(user))
    office = officer_office(user) or ""
    row = ApiToken.objects.create(
        key_hash=_hash(secret),
        prefix=secret[len(TOKEN_PREFIX) : len(TOKEN_PREFIX) + 8],
        user=user,
        voens=voens,
        office_code=office,
        method=method,
        certificate_serial=certificate_serial,
        expires_at=timezone.now() + token_ttl(),
    )
    audit_record(
        actor=user,
        action="api.token_issue",
        object_type="api_token",
        object_id=row.pk,
        details={"method": method, "voens": voens, "office": office},
    )
    return IssuedToken(token=secret, expires_at=row.expires_at, user=user, voens=voens, office_code=office)


def token_issue_password(*, username: str, password: str, request: HttpRequest | None = None) -> IssuedToken:
    """Demo users only: real users prove who they are with their certificate. Throttled per
    account and client address like every password sign-in (``throttle``)."""
    user = password_authenticate(request=request, username=username, password=password, channel="api", demo_only=True)
    if user is None:
        audit_record(actor=None, action="api.token_issue", outcome="refused",
                     details={"method": "password", "username": username[:150]})
        raise invalid_credentials()
    return token_issue(user=user, method="password")




#: Counts a request against the rate limit of the token named by its key (``token:<id>``) and
#: answers the principals stamp read by the same command (None: not read).
Count = Callable[[str], "str | None"]


def rate_key(token_id: int) -> str:
    return f"token:{token_id}"


def token_authenticate(token: str, *, count: Count | None = None) -> ApiToken | None:
    """The live token row for a presented secret, or None (unknown, expired or revoked).

    ``count``: the request is counted against the token's rate limit as part of it, and a token
    this process looked up lately is taken from its memory when the stamp read by the count says
    nothing changed since (``token_memo``, ADR 0050). The count is made once, and only for a
    token the memory knows: the caller counts the others itself."""
    if not token or not token.startswith(TOKEN_PREFIX) or len(token) > 200:
        return None
    key_hash, day, now = _hash(token), timezone.localdate(), timezone.now()
    kept = token_memo.recall(key_hash, day) if count is not None else None
    if kept is not None:
        stamp = count(rate_key(kept.token_id))  # type: ignore[misc]
        row = kept.row if kept.usable(stamp, now) else None
    else:
        stamp = token_memo.stamp_now() if count is not None else None
        row = None
    if row is None:
        # The stamp was read before the row: a change committed in between leaves the row
        # kept under a stamp that no longer matches.
        row = token_row(key_hash, now=now, day=day)
        if row is None:
            token_memo.forget(key_hash, day)
            return None
        found = caller_of(row)
        if stamp is not None:
            token_memo.keep(key_hash, day, row=row, token_id=found.token.pk, expires_at=found.token.expires_at, stamp=stamp)
    else:
        found = caller_of(row)
    # Read in the same query: the request's scope checks ask the database no more.
    voens_known(found.token.user, own=found.own, represented=found.represented, on=day, licensed=found.licensed)
    return found.token


def token_revoke(*, token: ApiToken) -> None:
    ApiToken.objects.filter(pk=token.pk, revoked_at__isnull=True).update(revoked_at=timezone.now())
    token_memo.principals_changed()  # an UPDATE sends no signal
    audit_record(actor=token.user, action="api.token_revoke", object_type="api_token", object_id=token.pk)


def token_voens(token: ApiToken) -> frozenset[str]:
    """VÖENs the token reaches now: bound at issue, narrowed by today's representations."""
    return frozenset(token.voens) & acting_voens(token.user)
