"""The shared store of counters (API rate limits, sign-in throttling): Django's cache, which
is the database (this backend) or Redis when ``REDIS_URL`` is set — never process memory,
so every worker and every node counts the same requests.

Django's ``DatabaseCache.incr`` reads, adds and writes back (two requests can both read 4 and
both write 5) and resets the expiry; :class:`DatabaseCache` increments under a row lock and
keeps the expiry. Redis's ``INCRBY`` is atomic already; :class:`RedisCache` counts an event in
one round trip.
"""

from __future__ import annotations

import base64
import pickle
import secrets
from typing import Any

from django.core.cache import DEFAULT_CACHE_ALIAS, cache, caches
from django.core.cache.backends.db import DatabaseCache as DjangoDatabaseCache
from django.core.cache.backends.redis import RedisCache as DjangoRedisCache
from django.db import connections, models, router, transaction
from django.utils.timezone import now as tz_now

#: Compare-and-set tries before ``incr`` takes the row's lock instead (many writers on one key).
CAS_ATTEMPTS = 4


class DatabaseCache(DjangoDatabaseCache):
    """Django's database cache with an atomic ``incr`` across processes."""

    def incr(self, key: Any, delta: int = 1, version: int | None = None) -> Any:
        """Compare-and-set: read the value, write the next one only where the row still holds
        what was read; when another writer came between, the write changes nothing and the
        read is done again. Two statements and no transaction — every API request counts its
        token here, and the locked read-modify-write took five round trips on PostgreSQL."""
        key = self.make_and_validate_key(key, version=version)
        connection = connections[router.db_for_write(self.cache_model_class)]
        table, cache_key, value_column, expires_column = self._names(connection)
        for _attempt in range(CAS_ATTEMPTS):
            with connection.cursor() as cursor:
                cursor.execute(
                    f"SELECT {value_column}, {expires_column} FROM {table} WHERE {cache_key} = %s",  # noqa: S608
                    [key],
                )
                stored, value = self._next(connection, cursor.fetchone(), key, delta)
                cursor.execute(
                    f"UPDATE {table} SET {value_column} = %s WHERE {cache_key} = %s AND {value_column} = %s",  # noqa: S608
                    [self._encode(value), key, stored],
                )
                if cursor.rowcount == 1:
                    return value
        return self._incr_locked(connection, key, delta)

    def _incr_locked(self, connection: Any, key: str, delta: int) -> Any:
        table, cache_key, value_column, expires_column = self._names(connection)
        with transaction.atomic(using=connection.alias), connection.cursor() as cursor:
            # A write that changes nothing takes the row's lock (SQLite: the database's) first.
            cursor.execute(
                f"UPDATE {table} SET {expires_column} = {expires_column} WHERE {cache_key} = %s",  # noqa: S608
                [key],
            )
            if cursor.rowcount != 1:
                raise ValueError(f"Key '{key}' not found.")
            cursor.execute(
                f"SELECT {value_column}, {expires_column} FROM {table} WHERE {cache_key} = %s",  # noqa: S608
                [key],
            )
            _stored, value = self._next(connection, cursor.fetchone(), key, delta)
            cursor.execute(
                f"UPDATE {table} SET {value_column} = %s WHERE {cache_key} = %s",  # noqa: S608
                [self._encode(value), key],
            )
        return value

    def _names(self, connection: Any) -> tuple[str, str, str, str]:
        quote = connection.ops.quote_name
        return quote(self._table), quote("cache_key"), quote("value"), quote("expires")  # type: ignore[attr-defined]

    def _next(self, connection: Any, row: tuple[Any, Any] | None, key: str, delta: int) -> tuple[Any, Any]:
        """The stored text of a live counter and its value plus ``delta``; ValueError when
        there is no counter or it has expired (``hit`` then starts one)."""
        if row is None:
            raise ValueError(f"Key '{key}' not found.")
        stored, expires = row
        expression = models.Expression(output_field=models.DateTimeField())
        for converter in connection.ops.get_db_converters(expression) + expression.get_db_converters(connection):
            expires = converter(expires, expression, connection)
        if expires < tz_now():
            raise ValueError(f"Key '{key}' not found.")
        value = pickle.loads(base64.b64decode(connection.ops.process_clob(stored).encode()))  # noqa: S301
        return stored, value + delta

    def _encode(self, value: Any) -> str:
        return base64.b64encode(pickle.dumps(value, self.pickle_protocol)).decode("latin1")


class RedisCache(DjangoRedisCache):
    """Django's Redis cache with :meth:`count`: one command per counted event."""

    # Started with its expiry only where there is none, then incremented; run by Redis as one
    # command, so the counter cannot expire between the two.
    COUNT = "redis.call('SET', KEYS[1], 0, 'EX', ARGV[1], 'NX') return redis.call('INCR', KEYS[1])"

    def count(self, key: Any, timeout: int) -> int:
        """``hit`` as one command. Django's ``incr`` asks ``EXISTS`` first, and a counter not
        there yet took a third request (``add``); every API request counts its token here."""
        key = self.make_and_validate_key(key)
        script, client = self._script(self.COUNT, key)
        return int(script(keys=[key], args=[timeout], client=client))

    # A stamp that does not exist yet (a new Redis, or one that lost its data) starts at a
    # random number, never at a value it held before: an answer tagged with an old stamp can
    # then never match again by chance.
    START = "redis.call('SET', KEYS[1], ARGV[1], 'NX')"
    COUNT_READING = (
        "redis.call('SET', KEYS[1], 0, 'EX', ARGV[1], 'NX') local n = redis.call('INCR', KEYS[1]) "
        "redis.call('SET', KEYS[2], ARGV[2], 'NX') return {n, redis.call('GET', KEYS[2])}"
    )
    READ = START + " return redis.call('GET', KEYS[1])"
    BUMP = START + " return redis.call('INCR', KEYS[1])"

    def _script(self, source: str, key: str) -> tuple[Any, Any]:
        """The registered script (EVALSHA of its hash; EVAL once where Redis does not know it)."""
        client = self._cache.get_client(key, write=True)
        scripts = self.__dict__.setdefault("_scripts", {})
        if source not in scripts:
            scripts[source] = client.register_script(source)
        return scripts[source], client

    def count_reading(self, key: Any, timeout: int, stamp: Any) -> tuple[int, str]:
        """:meth:`count`, and the value of the stamp ``stamp`` read by the same command."""
        key, stamp = self.make_and_validate_key(key), self.make_and_validate_key(stamp)
        script, client = self._script(self.COUNT_READING, key)
        count, value = script(keys=[key, stamp], args=[timeout, _stamp_start()], client=client)
        return int(count), _text(value)

    def stamp_read(self, stamp: Any) -> str:
        stamp = self.make_and_validate_key(stamp)
        script, client = self._script(self.READ, stamp)
        return _text(script(keys=[stamp], args=[_stamp_start()], client=client))

    def stamp_bump(self, stamp: Any) -> None:
        stamp = self.make_and_validate_key(stamp)
        script, client = self._script(self.BUMP, stamp)
        script(keys=[stamp], args=[_stamp_start()], client=client)


def _stamp_start() -> int:
    return secrets.randbelow(2**62)


def _text(value: Any) -> str:
    return value.decode() if isinstance(value, bytes) else str(value)


def shared_redis() -> RedisCache | None:
    """The shared store when it is Redis (``REDIS_URL``), else None."""
    store = caches[DEFAULT_CACHE_ALIAS]
    return store if isinstance(store, RedisCache) else None


def hit(key: str, timeout: int) -> int:
    """Count one more event under ``key`` (a counter living ``timeout`` seconds from its first
    event); the new count. Correct under concurrency in any process."""
    store = caches[DEFAULT_CACHE_ALIAS]
    if isinstance(store, RedisCache):
        return store.count(key, timeout)
    for _attempt in range(3):
        try:
            return int(cache.incr(key))
        except ValueError:  # no counter yet, or it just expired
            if cache.add(key, 1, timeout=timeout):
                return 1
    return int(cache.incr(key))

