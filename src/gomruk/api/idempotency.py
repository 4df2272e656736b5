"""Idempotency-Key for POST requests (draft-ietf-httpapi-idempotency-key-header).

The first request with a key inserts an in-progress row; the database's unique constraint on
(user, key) decides the race, so of N concurrent duplicates exactly one runs and the others
get 409 while it runs. Once it finished, a replay with the same method, path and body gets
the stored response; any difference is 422. Keys live 24 hours.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.db import IntegrityError, transaction
from django.http import HttpResponse
from django.utils import timezone

from gomruk.api.models import IdempotencyKey
from gomruk.core.errors import GomrukError

KEY_TTL = timedelta(hours=24)
# A run that never finished (the worker died) stops blocking its key after this long.
IN_PROGRESS_TIMEOUT = timedelta(minutes=5)
_KEY_PATTERN = re.compile(r"^[\x21-\x7e]{1,255}$")
# Replaying these would replay a request that never ran: the client must simply retry.
NOT_STORED_STATUSES = frozenset({401, 429})
STORED_HEADERS = ("Content-Type", "Content-Language", "Location", "Content-Disposition")


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
    return GomrukError(
        code="idempotency_key_invalid",
        message_az="Idempotency-Key 1–255 çap olunan ASCII simvolundan ibarət olmalıdır.",
        message_en="Idempotency-Key must be 1 to 255 printable ASCII characters.",
        status=422,
    )


def idempotency_begin(
    *, user: Any, key: str, method: str, path: str, body: bytes
) -> IdempotencyKey | Replay:
    """Claim ``key`` for this request (returns the row to complete), or return the stored
    response of an earlier identical request; refuse a different request or a running one.
    ``user`` is the project's user model (the kit names no app)."""
    if not _KEY_PATTERN.match(key):
        raise _invalid_key()
    body_hash = fingerprint(method=method, path=path, body=body)
    now = timezone.now()
    IdempotencyKey.objects.filter(user=user, created_at__lt=now - KEY_TTL).delete()
    for _attempt in range(3):
        try:
            with transaction.atomic():
                return IdempotencyKey.objects.create(
                    user=user, key=key, method=method.upper(), path=path[:500],
                    body_sha256=body_hash, created_at=now,
                )
        except IntegrityError:
            existing = IdempotencyKey.objects.filter(user=user, key=key).first()
        if existing is None:
            continue  # deleted after our insert failed: try to claim it again
        stale = existing.status == IdempotencyKey.Status.IN_PROGRESS and (
            existing.created_at < now - IN_PROGRESS_TIMEOUT
        )
        if existing.created_at < now - KEY_TTL or stale:
            IdempotencyKey.objects.filter(pk=existing.pk, created_at=existing.created_at).delete()
            continue
        if existing.body_sha256 != body_hash:
            raise GomrukError(
                code="idempotency_key_reused",
                message_az="Bu Idempotency-Key başqa sorğu üçün artıq istifadə olunub.",
                message_en="This Idempotency-Key was already used for a different request.",
                status=422,
                details={"method": existing.method, "path": existing.path},
            )
        if existing.status == IdempotencyKey.Status.IN_PROGRESS:
            raise in_progress_error()
        return Replay(
            status=existing.response_status or 200,
            body=bytes(existing.response_body or b""),
            headers=dict(existing.response_headers or {}),
        )
    raise in_progress_error()


def in_progress_error() -> GomrukError:
    return GomrukError(
        code="idempotency_in_progress",
        message_az="Bu Idempotency-Key ilə sorğu hələ icra olunur.",
        message_en="A request with this Idempotency-Key is still being processed.",
        status=409,
    )


def idempotency_complete(*, row: IdempotencyKey, response: HttpResponse) -> None:
    """Store the response for replays; a response that must not be replayed frees the key."""
    status = response.status_code
    if status >= 500 or status in NOT_STORED_STATUSES or getattr(response, "streaming", False):
        IdempotencyKey.objects.filter(pk=row.pk).delete()
        return
    headers = {name: response[name] for name in STORED_HEADERS if response.has_header(name)}
    IdempotencyKey.objects.filter(pk=row.pk).update(
        status=IdempotencyKey.Status.COMPLETED,
        response_status=status,
        response_body=bytes(response.content),
        response_headers=headers,
    )


def idempotency_abandon(*, row: IdempotencyKey) -> None:
    IdempotencyKey.objects.filter(pk=row.pk).delete()
