"""Password guessing: every password sign-in (portal, admin, API token) goes through
:func:`password_authenticate`.

Failures are counted per account and per client address in the shared store
(``gomruk.core.cache``: the database, or Redis) within ``GOMRUK_LOGIN_WINDOW`` seconds.
``GOMRUK_LOGIN_ACCOUNT_FAILURES`` failures lock the account's password sign-in, and
``GOMRUK_LOGIN_ADDRESS_FAILURES`` lock the address's, for ``GOMRUK_LOGIN_LOCKOUT`` seconds:
during a lock even the right password is refused, with the time the person may try again
in their language. Each lockout is audited once (the lock is taken with an atomic ``add``,
so of several processes exactly one sets it). Certificate and Asan İmza sign-in are not
locked: guessing a password does not take them from their owner.

Demo users (``User.is_demo``) cannot sign in at all when ``settings.GOMRUK_PRODUCTION`` (``GOMRUK_ENV=production``).
"""

from __future__ import annotations

import hashlib
import math
import time
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.conf import settings
from django.contrib.auth import authenticate
from django.core.cache import cache
from django.http import HttpRequest
from django.utils import timezone

from gomruk.accounts.errors import ERRORS
from gomruk.accounts.models import User
from gomruk.core.audit import audit_record
from gomruk.core.cache import hit
from gomruk.core.errors import Bilingual, GomrukError


@dataclass(frozen=True)
class Limits:
    account_failures: int
    address_failures: int
    window: int
    lockout: int

    @classmethod
    def configured(cls) -> Limits:
        return cls(
            account_failures=int(settings.GOMRUK_LOGIN_ACCOUNT_FAILURES),
            address_failures=int(settings.GOMRUK_LOGIN_ADDRESS_FAILURES),
            window=int(settings.GOMRUK_LOGIN_WINDOW),
            lockout=int(settings.GOMRUK_LOGIN_LOCKOUT),
        )


def client_address(request: HttpRequest | None) -> str:
    return str(request.META.get("REMOTE_ADDR") or "unknown") if request is not None else "unknown"


def login_allowed(user: Any) -> bool:
    """Demo accounts (a published password) never sign in to a production service."""
    return not (settings.GOMRUK_PRODUCTION and getattr(user, "is_demo", False))


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8", errors="replace")).hexdigest()[:32]


def _keys(scope: str, value: str) -> tuple[str, str]:
    ident = _digest(value)
    return f"gomruk-login-fail:{scope}:{ident}", f"gomruk-login-lock:{scope}:{ident}"


def _account(username: str) -> str:
    return username.strip().lower()


class LoginLocked(GomrukError):
    def __init__(self, scope: str, until: float) -> None:
        local = timezone.localtime(datetime.fromtimestamp(until, tz=timezone.get_current_timezone()))
        at = local.strftime("%H:%M")
        retry_after = max(1, math.ceil(until - time.time()))
        minutes = max(1, math.ceil(retry_after / 60))
        whom = ("bu hesaba", "to this account") if scope == "account" else ("bu şəbəkə ünvanından", "from this network address")
        super().__init__(**ERRORS.fields(
            "login_locked", status=429,
            details={"scope": scope, "retry_after": retry_after, "locked_until": local.isoformat()},
            whom=Bilingual(*whom), at=at, minutes=minutes,
        ))


def _locked(username: str, address: str) -> LoginLocked | None:
    now = time.time()
    for scope, value in (("account", _account(username)), ("address", address)):
        until = cache.get(_keys(scope, value)[1])
        if until is not None and float(until) > now:
            return LoginLocked(scope, float(until))
    return None


def _failure(*, username: str, address: str, channel: str, limits: Limits) -> LoginLocked | None:
    """Count one failure; the lock it caused, if any (audited by the process that set it)."""
    caused = None
    for scope, value, limit in (
        ("account", _account(username), limits.account_failures),
        ("address", address, limits.address_failures),
    ):
        counter, lock = _keys(scope, value)
        failures = hit(counter, timeout=limits.window)
        if failures < limit:
            continue
        until = time.time() + limits.lockout
        if cache.add(lock, until, timeout=limits.lockout):
            cache.delete(counter)
            audit_record(
                actor=None,
                action="accounts.lockout",
                object_type="accounts.user" if scope == "account" else "client_address",
                object_id=value[:150],
                outcome="locked",
                details={
                    "scope": scope,
                    "username": username[:150],
                    "address": address,
                    "channel": channel,
                    "failures": failures,
                    "until": timezone.localtime(
                        datetime.fromtimestamp(until, tz=timezone.get_current_timezone())
                    ).isoformat(),
                },
            )
            caused = caused or LoginLocked(scope, until)
    return caused


def password_authenticate(
    *,
    request: HttpRequest | None,
    username: str,
    password: str,
    channel: str,
    demo_only: bool = False,
) -> User | None:
    """The user whose password this is, or None (a failure, counted). Raises
    :class:`LoginLocked` while the account or the address is locked — before the password is
    even looked at — and when this failure locks them."""
    address = client_address(request)
    locked = _locked(username, address)
    if locked is not None:
        raise locked
    user = authenticate(request, username=username, password=password)
    if (
        not isinstance(user, User)
        or not user.is_active
        or not login_allowed(user)
        or (demo_only and not user.is_demo)
    ):
        locked = _failure(username=username, address=address, channel=channel, limits=Limits.configured())
        if locked is not None:
            raise locked
        return None
    cache.delete(_keys("account", _account(username))[0])
    return user
