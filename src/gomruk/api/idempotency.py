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
import time
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import cache
from typing import Any

from django.conf import settings
from django.db import OperationalError, connection, transaction
from django.db.models import Field
from django.http import HttpResponse
from django.utils import timezone

from gomruk.api.errors import ERRORS
from gomruk.api.models import IdempotencyKey
from gomruk.core import rawrows
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
# Stored answers from this size are compressed (level 1: a quarter of a millisecond for 100 KB
# of JSON, a tenth of the bytes to write and to keep for 24 hours).
COMPRESS_FROM = 1024
#: What completing a key writes (``_store``).
STORED_COLUMNS = ("status", "response_status", "response_body", "response_encoding", "response_headers")
ZLIB = "zlib"
SWEEP_EVERY = 600.0  # seconds between deletions of expired keys, per process
_swept = [-SWEEP_EVERY]


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


@cache
def _claim_sql(vendor: str) -> str:
    """The claim as one statement, written once per database: an insert that leaves a
    committed or concurrent duplicate's row alone (a savepoint and an IntegrityError cost
    three round trips on every POST). On PostgreSQL the same statement bounds its wait for a
    running duplicate with ``lock_timeout`` and puts the previous setting back, whether it
    inserted or not: the view that runs next waits on its own locks as long as it always did."""
    quote = connection.ops.quote_name
    names = ", ".join(quote(str(field.column)) for field in _CLAIM_FIELDS)
    values = ", ".join(["%s"] * len(_CLAIM_FIELDS))
    table = quote(IdempotencyKey._meta.db_table)
    conflict = f"ON CONFLICT ({quote('user_id')}, {quote('key')}) DO NOTHING"
    if vendor != "postgresql":
        return f"INSERT INTO {table} ({names}) VALUES ({values}) {conflict} RETURNING {quote('id')}"  # noqa: S608
    # Typed: a parameter in a SELECT list would otherwise be text, and text is not jsonb.
    typed = ", ".join(f"CAST(%s AS {field.db_type(connection)})" for field in _CLAIM_FIELDS)
    # The setting is changed before the insert reads its source row, and restored once the
    # insert has finished (the outer row joins its result, if any). See ADR 0031.
    insert = f"INSERT INTO {table} ({names}) SELECT {typed} FROM setting {conflict} RETURNING {quote('id')}"  # noqa: S608
    setting = "SELECT current_setting('lock_timeout') AS previous, set_config('lock_timeout', %s, true) AS waiting"
    restored = "SELECT claimed.id, set_config('lock_timeout', setting.previous, true) FROM setting LEFT JOIN claimed ON true"
    return f"WITH setting AS MATERIALIZED ({setting}), claimed AS ({insert}) {restored}"


_CLAIM_FIELDS: tuple[Field[Any, Any], ...] = tuple(
    field
    for field in IdempotencyKey._meta.concrete_fields
    if field.name in ("user", "key", "method", "path", "body_sha256", "status", "response_headers", "created_at")
)


def _insert(row: IdempotencyKey) -> bool:
    """Insert the claim unless the key is taken (False); on PostgreSQL wait at most the
    configured time for a running duplicate."""
    params = [field.get_db_prep_save(getattr(row, field.attname), connection) for field in _CLAIM_FIELDS]
    if connection.vendor == "postgresql":
        params.insert(0, f"{int(_wait_seconds() * 1000)}ms")
    with connection.cursor() as cursor:
        cursor.execute(_claim_sql(connection.vendor), params)
        found = cursor.fetchone()
    if found is None or found[0] is None:
        return False
    row.pk = found[0]
    row._state.adding, row._state.db = False, connection.alias
    return True


def _sweep(now: datetime) -> None:
    """Delete every expired key, at most once per ``SWEEP_EVERY`` seconds in a process: the
    table stays small without a DELETE on every POST. A key found expired when it is reused
    is replaced there (``_claim``), so nothing depends on when the sweep ran."""
    if time.monotonic() - _swept[0] < SWEEP_EVERY:
        return
    _swept[0] = time.monotonic()
    IdempotencyKey.objects.filter(created_at__lt=now - KEY_TTL).delete()


def _lock_timed_out(exc: OperationalError) -> bool:
    return getattr(getattr(exc, "__cause__", None), "sqlstate", None) == _LOCK_NOT_AVAILABLE


def _claim(*, user: Any, key: str, method: str, path: str, body_hash: str) -> IdempotencyKey | Replay:
    """Inside the request's transaction: this request's row, or the committed answer."""
    now = timezone.now()
    _sweep(now)
    for _attempt in range(3):
        row = IdempotencyKey(
            user=user, key=key, method=method.upper(), path=path[:500], body_sha256=body_hash, created_at=now
        )
        try:
            if _insert(row):
                return row
        except OperationalError as exc:
            if _lock_timed_out(exc):
                raise in_progress_error() from exc
            raise
        existing = IdempotencyKey.objects.filter(user=user, key=key).first()
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
        body = bytes(existing.response_body or b"")
        return Replay(
            status=existing.response_status or 200,
            body=zlib.decompress(body) if existing.response_encoding == ZLIB else body,
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
    body, encoding = bytes(response.content), ""
    if len(body) >= COMPRESS_FROM:
        body, encoding = zlib.compress(body, 1), ZLIB
    row.status, row.response_status, row.response_body = IdempotencyKey.Status.COMPLETED, status, body
    row.response_encoding, row.response_headers = encoding, headers
    rawrows.update(row, STORED_COLUMNS)
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
