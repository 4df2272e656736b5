"""Who may reach what. Every other app scopes its queries through these selectors."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import date
from functools import cache
from typing import Any, TypeVar

from django.db import connection
from django.db.models import Q
from django.utils import timezone

from gomruk.accounts.models import BrokerLicence, Representation, Role, Trader, TraderBinding, User
from gomruk.core import rawrows

T = TypeVar("T")

# Within one request the same VÖENs are asked for ~20 times (scope, lock, signer, ownership):
# the answers are kept for the request (``voens_memoised``, opened by
# ``accounts.middleware.VoensPerRequest``) and forgotten when a binding or representation is
# written. Outside a request (tasks, commands) nothing is kept.
# A broker's licences are kept the same way (asked by every ownership check).
_MEMO: ContextVar[dict[tuple[Any, ...], Any] | None] = ContextVar("gomruk_voens_memo", default=None)


@contextmanager
def voens_memoised() -> Iterator[None]:
    token = _MEMO.set({})
    try:
        yield
    finally:
        _MEMO.reset(token)


def voens_forget(**_: Any) -> None:
    """A binding, representation, licence or trader was written: the request's answers may be
    wrong now."""
    memo = _MEMO.get()
    if memo is not None:
        memo.clear()


def _memoised(key: tuple[Any, ...], compute: Callable[[], T]) -> T:
    memo = _MEMO.get()
    if memo is None:
        return compute()
    if key not in memo:
        memo[key] = compute()
    return memo[key]


def voens_known(
    user: User, *, own: frozenset[str], represented: frozenset[str], on: date, licensed: bool = True
) -> None:
    """Answers read together with the caller (``token_lookup``): the request asks no more.
    ``licensed=False``: the user holds no broker licence, so it has none valid on ``on``.
    Outside a request nothing is kept, as for any other answer."""
    memo = _MEMO.get()
    if memo is not None:
        memo[("own", user.pk)] = own
        memo[("represented", user.pk, on)] = represented
        if not licensed:
            memo[("licences", user.pk, on)] = {}


def own_voens(user: User) -> frozenset[str]:
    if not getattr(user, "is_authenticated", False):
        return frozenset()
    return _memoised(
        ("own", user.pk),
        lambda: frozenset(TraderBinding.objects.filter(user=user).values_list("trader__voen", flat=True)),
    )


def represented_voens(user: User, on: date | None = None) -> frozenset[str]:
    if not getattr(user, "is_authenticated", False) or user.role != Role.REPRESENTATIVE:
        return frozenset()
    day = on or timezone.localdate()

    def query() -> frozenset[str]:  # built only when not known yet: filtering costs on a hot path
        rows = Representation.objects.filter(representative=user).filter(
            Q(valid_from__isnull=True) | Q(valid_from__lte=day), Q(valid_to__isnull=True) | Q(valid_to__gte=day)
        )
        return frozenset(rows.values_list("principal__voen", flat=True))

    return _memoised(("represented", user.pk, day), query)


def broker_licences(user: User, on: date) -> dict[str, BrokerLicence]:
    """Broker firms (VÖEN → licence) of the user's SCC licences valid on ``on``. The answer is
    shared within the request: read it, do not change it."""

    def query() -> dict[str, BrokerLicence]:
        rows = BrokerLicence.objects.filter(representative=user, issued_on__lte=on).filter(
            Q(valid_to__isnull=True) | Q(valid_to__gte=on)
        ).select_related("firm")
        return {row.firm.voen: row for row in rows}

    return _memoised(("licences", user.pk, on), query)


def acting_voens(user: User, on: date | None = None) -> frozenset[str]:
    """The VÖENs whose declarations and goods this user may see and act on."""
    if not getattr(user, "is_authenticated", False) or user.role in (Role.OFFICER, Role.ADMINISTRATOR):
        return frozenset()
    return own_voens(user) | represented_voens(user, on)


def may_act_for(user: User, voen: str | None, on: date | None = None) -> bool:
    return bool(voen) and voen in acting_voens(user, on)


def officer_office(user: User) -> str | None:
    if getattr(user, "is_authenticated", False) and user.role == Role.OFFICER and user.office_code:
        return user.office_code
    return None


def trader_names(voens: Iterable[str]) -> dict[str, str]:
    """The registered names of these VÖENs (a VÖEN not registered is absent)."""
    return dict(Trader.objects.filter(voen__in=list(voens)).values_list("voen", "name"))


@cache
def _is_aeo_sql(vendor: str) -> str:
    return (
        f"SELECT {rawrows.column(Trader, 'is_aeo', 't')} FROM {rawrows.table(Trader)} t "  # noqa: S608
        f"WHERE {rawrows.column(Trader, 'voen', 't')} = %s"
    )


@cache
def _trader_sql(vendor: str) -> str:
    return (
        f"SELECT {rawrows.columns(Trader, 't')} FROM {rawrows.table(Trader)} t "  # noqa: S608
        f"WHERE {rawrows.column(Trader, 'voen', 't')} = %s"
    )


def trader_of(voen: str) -> Trader | None:
    """The trader registered under this VÖEN (None: not registered), read once per request: a
    create's prefill reads it and its validation asks the same row's AEO status (SQL written
    once, ADR 0038)."""

    def query() -> Trader | None:
        with connection.cursor() as cursor:
            cursor.execute(_trader_sql(connection.vendor), [voen])
            rows = cursor.fetchall()
        return rawrows.instances(Trader, rows)[0] if rows else None

    return _memoised(("trader", voen), query)


def trader_is_aeo(voen: str | None) -> bool | None:
    """Whether the trader of this VÖEN is an Authorised Economic Operator; None when the VÖEN
    is not registered. Every validation with facts asks it: SQL written once (ADR 0038); the
    row itself when this request has read it already (:func:`trader_of`)."""
    if not voen:
        return None
    memo = _MEMO.get()
    if memo is not None and ("trader", voen) in memo:
        trader = memo[("trader", voen)]
        return None if trader is None else bool(trader.is_aeo)
    with connection.cursor() as cursor:
        cursor.execute(_is_aeo_sql(connection.vendor), [voen])
        row = cursor.fetchone()
    return None if row is None else bool(row[0])
