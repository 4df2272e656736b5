"""Per-token (and per-address) request rate limits: a fixed-window counter in the shared
store (``gomruk.core.cache``: the database, or Redis with ``REDIS_URL``), counted atomically,
so the limit holds across every worker process and node.
"""

from __future__ import annotations

import logging
import math
import time

from django.conf import settings

from gomruk.api.errors import ERRORS
from gomruk.core.cache import hit, shared_redis
from gomruk.core.errors import GomrukError

logger = logging.getLogger(__name__)
_PERIODS = {"second": 1, "minute": 60, "hour": 3600, "day": 86400,
            "s": 1, "m": 60, "h": 3600, "d": 86400, "sec": 1, "min": 60}


class RateLimited(GomrukError):
    def __init__(self, retry_after: int) -> None:
        super().__init__(**ERRORS.fields("rate_limited", status=429, details={"retry_after": retry_after}))
        self.retry_after = retry_after


def parse_rate(rate: str) -> tuple[int, int]:
    """"600/minute" → (600, 60)."""
    count, _, unit = rate.partition("/")
    unit = unit.strip().lower()
    multiplier = 1
    digits = "".join(ch for ch in unit if ch.isdigit())
    if digits:
        multiplier, unit = int(digits), unit[len(digits):]
    if unit not in _PERIODS:
        raise ValueError(f"Invalid GOMRUK_API_RATE: {rate!r}")
    return int(count), multiplier * _PERIODS[unit]


def configured_rate() -> str:
    return str(settings.GOMRUK_API_RATE)


def configured_auth_rate() -> str:
    """Sign-in endpoints (no token yet): a lower limit per address."""
    return str(settings.GOMRUK_API_AUTH_RATE)


def rate_limit_check(identity: str, rate: str | None = None, *, stamp_key: str | None = None) -> str | None:
    """Count one request of ``identity``; RateLimited past the limit. With ``stamp_key``: that
    shared stamp's value, read by the same command when the store is Redis (else None)."""
    limit, period = parse_rate(rate or configured_rate())
    now = time.time()
    window = int(now // period)
    key, timeout = f"gomruk-rate:{identity}:{window}", period + 1
    redis = shared_redis() if stamp_key is not None else None
    value = None
    try:
        if redis is not None:
            count, value = redis.count_reading(key, timeout, stamp_key)
        else:
            count = hit(key, timeout=timeout)
    except Exception as exc:
        # The store failed (SQLite's write lock held past the busy timeout, Redis down): the
        # limit is a guard, not a gate — the request goes on and meets the database fault
        # itself if it needs to write.
        logger.info("Rate limit not counted for %s: %s", identity, exc)
        return None
    if count > limit:
        raise RateLimited(retry_after=max(1, math.ceil((window + 1) * period - now)))
    return value
