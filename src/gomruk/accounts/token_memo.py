"""A process's memory of the bearer tokens it looked up lately, trusted only while a shared
stamp says that nothing a token's caller is made of has changed since (ADR 0050).

Every API request names its caller: the token row, its user and the VÖENs the user acts for
(``token_lookup``), one statement of about 0.3 ms of database and web CPU. A broker's software
sends the five requests of a journey with one token. When the shared store is Redis
(``REDIS_URL``), the request's rate-limit count reads the *principals stamp* in the same
command, and the row this process read for the token before is used again when the stamp is
the one it was read under:

* every save or delete of a user, token, trader, binding, representation or broker licence
  (and a token revoked by its UPDATE) moves the stamp on when its transaction commits, so the
  next request of every node reads its caller from the database again;
* the stamp a row is kept under was read *before* the row, so a change that commits between the
  two leaves a row that no stamp matches;
* a stamp Redis lost (restart, eviction) starts again at a random number, which no kept row
  holds;
* a kept row is used for at most ``GOMRUK_TOKEN_MEMO_SECONDS`` (default 60; 0: never), and never
  past the token's expiry or on another day than it was read for (representations end by date).

Without Redis nothing is kept: reading the stamp from the database would cost what the lookup
costs.
"""

from __future__ import annotations

import datetime as dt
import logging
import time
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import transaction

from gomruk.core.cache import shared_redis

logger = logging.getLogger(__name__)

STAMP_KEY = "gomruk-principals"
_BOUND = 10_000


@dataclass(frozen=True)
class Kept:
    row: tuple[Any, ...]
    token_id: int
    expires_at: dt.datetime
    stamp: str
    at: float  # time.monotonic() when read

    def usable(self, stamp: str | None, now: dt.datetime) -> bool:
        return (
            stamp is not None and stamp == self.stamp and now < self.expires_at
            and time.monotonic() - self.at < max_age()
        )


_kept: dict[tuple[str, dt.date], Kept] = {}


def max_age() -> float:
    return float(settings.GOMRUK_TOKEN_MEMO_SECONDS)


def enabled() -> bool:
    return max_age() > 0 and shared_redis() is not None


def recall(key_hash: str, day: dt.date) -> Kept | None:
    return _kept.get((key_hash, day)) if enabled() else None


def keep(key_hash: str, day: dt.date, *, row: tuple[Any, ...], token_id: int, expires_at: dt.datetime, stamp: str) -> None:
    if len(_kept) >= _BOUND:
        _kept.clear()
    _kept[(key_hash, day)] = Kept(row, token_id, expires_at, stamp, time.monotonic())


def forget(key_hash: str, day: dt.date) -> None:
    _kept.pop((key_hash, day), None)


def forget_all() -> None:
    _kept.clear()


def stamp_now() -> str | None:
    """The principals stamp (None: no Redis, or it did not answer — then nothing is kept)."""
    redis = shared_redis()
    if redis is None or not enabled():
        return None
    try:
        return redis.stamp_read(STAMP_KEY)
    except Exception as exc:  # Redis down: the request reads its caller from the database
        logger.info("Principals stamp not read: %s", exc)
        return None


def principals_changed(**_: Any) -> None:
    """Move the stamp on once the writing transaction commits (before it, another request could
    read the old rows and keep them under the new stamp)."""
    transaction.on_commit(_bump, robust=True)


def principals_saved(*, created: bool = False, update_fields: Any = None, **kwargs: Any) -> None:
    """A row just made (a new token at sign-in, a new user) is in no process's memory yet, and
    a sign-in's ``last_login`` decides nothing a caller is made of."""
    if not created and set(update_fields or ()) != {"last_login"}:
        principals_changed(**kwargs)


def _bump() -> None:
    _kept.clear()  # this process forgets at once; the others at their next request
    redis = shared_redis()
    if redis is not None:
        redis.stamp_bump(STAMP_KEY)
