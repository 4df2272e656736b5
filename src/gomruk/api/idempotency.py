"""Idempotency-Key for POST requests (draft-ietf-httpapi-idempotency-key-header).

The key's row is written in the same database transaction as the request's effect, and its
stored response with it:

* the request inserts the row first; a concurrent duplicate's insert waits on the unique
  constraint (user, key) until the first transaction ends — then it finds the committed row
  and replays its response, or (the first rolled back) claims the key and runs itself;
* the view runs inside that transaction; its response is stored in the row and both commit
  together. Either the effect and its answer are both committed, or neither is: a retry
  after any fault — a terminated connection, a busy SQLite file, a killed worker — gets the
  original answer or runs the request afresh, never runs it twice, and never waits for a
  stale "in progress" mark (there is none to leave behind: an uncommitted row dies with its
  connection);
* a 5xx answer rolls the whole request back (nothing happened; the client retries); 401 and
  429 store nothing (the request never ran) but keep what it wrote (audit entries).

A replay with the same method, path and body gets the stored response; any difference is
422. Keys live 24 hours. On PostgreSQL a duplicate waits at most ``GOMRUK_IDEMPOTENCY_WAIT``
seconds for the first to finish and then answers 409 (still running, retry shortly); SQLite
takes its write lock when the transaction starts, so a duplicate queues on the busy timeout.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.db import IntegrityError, OperationalError, connection, transaction
from django.http import HttpResponse
from django.utils import timezone

from gomruk.api.errors import ERRORS
from gomruk.api.models import IdempotencyKey
from gomruk.core.errors import GomrukError

KEY_TTL = timedelta(hours=24)
# Rows committed "in progress" only by versions before the key was written with its effect:
# such a run may have committed, so its key is refused for as long as it used to be.
LEGACY_IN_PROGRESS_TIMEOUT = timedelta(minutes=5)
_KEY_PATTERN = re.compile(r"^[\x21-\x7e]{1,255}$")
# Replaying these would replay a request that never ran: the client must simply retry.
NOT_STORED_STATUSES = frozenset({401, 429})
STORED_HEADERS = ("Content-Type", "Content-Language", "Location", "Content-Disposition")
# SQLSTATE of PostgreSQL's lock_not_available (lock_timeout expired).
_LOCK_NOT_AVAILABLE = "55P03"


@dataclass(frozen=True)
class Replay:
    status: int
    body: bytes
    headers: dict[str, str]

    def response(self) -> HttpResponse:
        response = HttpResponse(self.body, status=self.status)
        for name, value in self.headers.items():
            response[name] = value
        response["Idempotent-Replayed"] = "true"
        return response


def fingerprint(*, method: str, path: str, body: bytes) -> str:
    digest = hashlib.sha256()
    digest.update(f"{method.upper()} {path}\n".encode())
    digest.update(body)
    return digest.hexdigest()


def _invalid_key() -> GomrukError:
    return ERRORS.error("idempotency_key_invalid", status=422)


def in_progress_error() -> GomrukError:
    return ERRORS.error("idempotency_in_progress", status=409, details={"retry_after": 1})


def _wait_seconds() -> float:
    return float(settings.GOMRUK_IDEMPOTENCY_WAIT)


def _insert(row: IdempotencyKey) -> None:
    """Insert the claim; on PostgreSQL wait at most the configured time for a running
    duplicate (the savepoint undoes the lock_timeout with a failed insert)."""
    with transaction.atomic():
        if connection.vendor != "postgresql":
            row.save(force_insert=True)
            return
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT current_setting('lock_timeout'), set_config('lock_timeout', %s, true)",
                [f"{int(_wait_seconds() * 1000)}ms"],
            )
            previous = cursor.fetchone()[0]
            row.save(force_insert=True)
            cursor.execute("SELECT set_config('lock_timeout', %s, true)", [previous])


def _lock_timed_out(exc: OperationalError) -> bool:
    return getattr(getattr(exc, "__cause__", None), "sqlstate", None) == _LOCK_NOT_AVAILABLE


def _claim(*, user: Any, key: str, method: str, path: str, body_hash: str) -> IdempotencyKey | Replay:
    """Inside the request's transaction: this request's row, or the committed answer."""
    now = timezone.now()
    IdempotencyKey.objects.filter(user=user, created_at__lt=now - KEY_TTL).delete()
    for _attempt in range(3):
        row = IdempotencyKey(
            user=user, key=key, method=method.upper(), path=path[:500], body_sha256=body_hash, created_at=now
        )
        try:
            _insert(row)
            return row
        except IntegrityError:
            existing = IdempotencyKey.objects.filter(user=user, key=key).first()
        except OperationalError as exc:
            if _lock_timed_out(exc):
                raise in_progress_error() from exc
            raise
        if existing is None:
            continue  # deleted after our insert failed: claim it again
        legacy_stale = existing.status == IdempotencyKey.Status.IN_PROGRESS and (
            existing.created_at < now - LEGACY_IN_PROGRESS_TIMEOUT
        )
        if existing.created_at < now - KEY_TTL or legacy_stale:
            IdempotencyKey.objects.filter(pk=existing.pk, created_at=existing.created_at).delete()
            continue
        if existing.body_sha256 != body_hash:
            raise ERRORS.error(
                "idempotency_key_reused", status=422, details={"method": existing.method, "path": existing.path}
            )
        if existing.status == IdempotencyKey.Status.IN_PROGRESS:
            raise in_progress_error()
        return Replay(
            status=existing.response_status or 200,
            body=bytes(existing.response_body or b""),
            headers=dict(existing.response_headers or {}),
        )
    raise in_progress_error()


def _store(row: IdempotencyKey, response: HttpResponse) -> bool:
    """Keep the response with the effect; False: the whole request must be rolled back."""
    status = response.status_code
    if status >= 500 or getattr(response, "streaming", False):
        return False
    if status in NOT_STORED_STATUSES:
        IdempotencyKey.objects.filter(pk=row.pk).delete()
        return True
    headers = {name: response[name] for name in STORED_HEADERS if response.has_header(name)}
    IdempotencyKey.objects.filter(pk=row.pk).update(
        status=IdempotencyKey.Status.COMPLETED,
        response_status=status,
        response_body=bytes(response.content),
        response_headers=headers,
    )
    return True


def idempotent(
    *, user: Any, key: str, method: str, path: str, body: bytes, run: Callable[[], HttpResponse]
) -> HttpResponse:
    """Run the request once per (user, key), its effect and its stored answer in one
    transaction; a repeat gets the stored answer. Database errors propagate (the caller
    answers 503): then nothing of the request was committed."""
    if not _KEY_PATTERN.match(key):
        raise _invalid_key()
    body_hash = fingerprint(method=method, path=path, body=body)
    with transaction.atomic():
        claim = _claim(user=user, key=key, method=method, path=path, body_hash=body_hash)
        if isinstance(claim, Replay):
            return claim.response()
        response = run()
        if not _store(claim, response):
            transaction.set_rollback(True)
    return response
