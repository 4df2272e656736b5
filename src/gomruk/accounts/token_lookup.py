"""The bearer token of a request, its user and the VÖENs the user acts for, in one query.

Every API request starts here, so it is a single round trip with SQL written once per
database (``core.rawrows``) instead of three ORM queries (token + user, own VÖENs, principals'
VÖENs) compiled on every call. Nothing here is kept between requests; ``token_memo`` keeps a
row only while the shared principals stamp vouches for it, so a revoked or expired token, a
deactivated user, or a binding or representation removed or ended is still seen by the next
request.

The VÖENs come back as two aggregated lists (correlated subqueries over the one token row), so
the answer is one row whatever the number of principals. An ``EXISTS`` says whether the user
holds a broker licence at all: a user without one (every declarant) is not asked for its
licences again in the request.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import cache
from typing import Any

from django.db import connection

from gomruk.accounts.models import (
    ApiToken,
    BrokerLicence,
    Representation,
    Trader,
    TraderBinding,
    User,
)
from gomruk.core import rawrows

_AGGREGATE = {"postgresql": "string_agg({0}, ',')"}  # others (SQLite): group_concat
SEPARATOR = ","  # never in a VÖEN (ten digits)


@dataclass(frozen=True)
class TokenCaller:
    token: ApiToken  # ``token.user`` is filled in
    own: frozenset[str]
    represented: frozenset[str]  # by the representations valid on the day asked for
    licensed: bool  # the user holds a broker licence (of any dates): without one, none is read


def _list_of(column: str) -> str:
    return _AGGREGATE.get(connection.vendor, "group_concat({0}, ',')").format(column)


@cache
def _sql(vendor: str) -> str:
    table, col = rawrows.table, rawrows.column
    voen = _list_of(col(Trader, "voen", "tr"))
    holder = col(ApiToken, "user", "t")
    own = (
        f"SELECT {voen} FROM {table(TraderBinding)} b JOIN {table(Trader)} tr "  # noqa: S608 - names from model metadata
        f"ON {col(Trader, 'id', 'tr')} = {col(TraderBinding, 'trader', 'b')} "
        f"WHERE {col(TraderBinding, 'user', 'b')} = {holder}"
    )
    valid_from, valid_to = col(Representation, "valid_from", "r"), col(Representation, "valid_to", "r")
    represented = (
        f"SELECT {voen} FROM {table(Representation)} r JOIN {table(Trader)} tr "  # noqa: S608 - names from model metadata
        f"ON {col(Trader, 'id', 'tr')} = {col(Representation, 'principal', 'r')} "
        f"WHERE {col(Representation, 'representative', 'r')} = {holder} "
        f"AND ({valid_from} IS NULL OR {valid_from} <= %s) AND ({valid_to} IS NULL OR {valid_to} >= %s)"
    )
    licensed = (
        f"EXISTS (SELECT 1 FROM {table(BrokerLicence)} l "  # noqa: S608 - names from model metadata
        f"WHERE {col(BrokerLicence, 'representative', 'l')} = {holder})"
    )
    return (  # every name above comes from the models' metadata, no input: S608 does not apply
        f"SELECT {rawrows.columns(ApiToken, 't')}, {rawrows.columns(User, 'u')}, ({own}), ({represented}), {licensed} "  # noqa: S608
        f"FROM {table(ApiToken)} t JOIN {table(User)} u ON {col(User, 'id', 'u')} = {holder} "
        f"WHERE {col(ApiToken, 'key_hash', 't')} = %s AND {col(ApiToken, 'revoked_at', 't')} IS NULL "
        f"AND {col(ApiToken, 'expires_at', 't')} > %s AND {col(User, 'is_active', 'u')}"
    )


def _voens(listed: str | None) -> frozenset[str]:
    return frozenset(listed.split(SEPARATOR)) if listed else frozenset()


def token_row(key_hash: str, *, now: dt.datetime, day: dt.date) -> tuple[Any, ...] | None:
    """The row of the live token with this hash (not revoked, not expired, its user active),
    or None: what :func:`caller_of` makes the caller from."""
    ops = connection.ops
    params = [
        ops.adapt_datefield_value(day), ops.adapt_datefield_value(day), key_hash, ops.adapt_datetimefield_value(now)
    ]
    with connection.cursor() as cursor:
        cursor.execute(_sql(connection.vendor), params)
        row = cursor.fetchone()
    return None if row is None else tuple(row)


def caller_of(row: tuple[Any, ...]) -> TokenCaller:
    """New instances each time: a request may change its own."""
    (token,) = rawrows.instances(ApiToken, [row])
    (token.user,) = rawrows.instances(User, [row], start=rawrows.width(ApiToken))
    return TokenCaller(token=token, own=_voens(row[-3]), represented=_voens(row[-2]), licensed=bool(row[-1]))
