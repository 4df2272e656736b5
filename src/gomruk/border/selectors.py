"""Reads of border goods, always scoped to the caller.

A trader's scope is :func:`acting_voens` (the VÖENs of its certificate binding plus, for a
representative, its principals'); an officer's is the posts of its office. No function here
takes a VÖEN from its caller.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import connection
from django.db.models import QuerySet

from gomruk.accounts.models import Trader, User
from gomruk.accounts.selectors import acting_voens, officer_office
from gomruk.api.pagination import decode_cursor, page_of
from gomruk.border.models import Arrival, ArrivalDeclaration, ArrivalState
from gomruk.core import rawrows
from gomruk.core.errors import NotFound
from gomruk.reference.snapshot import ReferenceData, current_reference

PAGE_SIZE = 100


def posts_governed(office: str | None, reference: ReferenceData | None = None) -> frozenset[str]:
    """An office and, for a department (``DDD00``), every post whose parent it is."""
    if not office:
        return frozenset()
    reference = reference or current_reference()
    children = reference.by_attribute("customs-offices", "parent_code", office)
    return frozenset({office, *(row.code for row in children)})


@dataclass(frozen=True)
class GoodsPage:
    items: list[Arrival]
    next_cursor: str | None
    voens: frozenset[str]
    traders: dict[str, str]


def caller_voens(user: User, within: Iterable[str] | None = None) -> frozenset[str]:
    """The VÖENs the caller acts for now, narrowed to those its credential was issued for
    (an API token bound to a certificate's VÖEN) when there is one."""
    voens = acting_voens(user)
    return voens if within is None else voens & frozenset(within)


def goods_waiting(
    *, user: User, cursor: str | None = None, limit: int = PAGE_SIZE, within: Iterable[str] | None = None
) -> GoodsPage:
    """One page of the caller's goods not yet cleared. Read from the database on every call:
    nothing is cached, so a cleared arrival disappears and a new one appears at once."""
    limit = max(1, min(limit, PAGE_SIZE))
    voens = caller_voens(user, within)
    if not voens:
        return GoodsPage([], None, voens, {})
    sql, params = waiting_query(voens, cursor=cursor, limit=limit + 1)
    with connection.cursor() as db:
        db.execute(sql, params)
        rows = db.fetchall()
    width = rawrows.width(Arrival)
    fetched = rawrows.instances(Arrival, rows)
    page = page_of(fetched, moment="arrived_at", limit=limit)
    names = {a.consignee_voen: row[width] for a, row in zip(page.items, rows, strict=False) if row[width] is not None}
    return GoodsPage(page.items, page.next_cursor, voens, names)


def waiting_query(voens: Iterable[str], *, cursor: str | None, limit: int) -> tuple[str, list[Any]]:
    """The SQL of :func:`goods_waiting` and its parameters: not-yet-cleared goods of these
    VÖENs, newest first, after ``cursor`` (the keyset of ``api.pagination``), each row with its
    registered trader's name joined. Written once per shape: the hot path of S002 spends no
    time compiling it."""
    ordered = sorted(voens)
    params: list[Any] = list(ordered)
    if cursor:
        when, last_id = decode_cursor(cursor)
        moment = rawrows.param(Arrival, "arrived_at", when)
        params += [moment, moment, moment, rawrows.param(Arrival, "id", last_id)]
    return _waiting_sql(connection.vendor, len(ordered), bool(cursor)), [*params, limit]


@lru_cache(maxsize=64)
def _waiting_sql(vendor: str, voens: int, after: bool) -> str:
    table, col = rawrows.table, rawrows.column
    voen, moment, pk = col(Arrival, "consignee_voen", "w"), col(Arrival, "arrived_at", "w"), col(Arrival, "id", "w")
    # Written exactly as the partial index's condition, so PostgreSQL can prove the index applies.
    where = [f"{voen} IN ({', '.join(['%s'] * voens)})", f"NOT ({col(Arrival, 'state', 'w')} = '{ArrivalState.CLEARED}')"]
    if after:  # the ``<=`` bounds the index range; the rest breaks ties on the same moment by id
        where += [f"{moment} <= %s", f"({moment} < %s OR ({moment} = %s AND {pk} < %s))"]
    page = (
        f"SELECT {rawrows.columns(Arrival, 'w')} FROM {table(Arrival)} w "  # noqa: S608 - names from model metadata
        f"WHERE {' AND '.join(where)} ORDER BY {moment} DESC, {pk} DESC LIMIT %s"
    )
    # Names are looked up for the page's rows only, after the LIMIT, each by the unique index
    # on the trader's VÖEN: a join let the planner hash the whole trader table on every poll.
    # Every name above comes from the models' metadata, no input: S608 does not apply.
    name = (
        f"(SELECT {col(Trader, 'name', 'tr')} FROM {table(Trader)} tr "  # noqa: S608
        f"WHERE {col(Trader, 'voen', 'tr')} = {col(Arrival, 'consignee_voen', 'a')})"
    )
    return (
        f"SELECT a.*, {name} FROM ({page}) a "  # noqa: S608
        f"ORDER BY {col(Arrival, 'arrived_at', 'a')} DESC, {col(Arrival, 'id', 'a')} DESC"
    )


def arrival_for_trader(*, user: User, arrival_id: Any, within: Iterable[str] | None = None) -> Arrival:
    """One arrival under a VÖEN the caller acts for; any other id is simply 'not found'."""
    voens = caller_voens(user, within)
    try:
        return Arrival.objects.get(pk=arrival_id, consignee_voen__in=sorted(voens))
    except (Arrival.DoesNotExist, ValueError, TypeError, DjangoValidationError) as exc:
        raise NotFound("Mal", "Arrival", id=str(arrival_id)) from exc


def arrivals_of_office(*, officer: User) -> QuerySet[Arrival]:
    """Goods registered at the officer's post (or at the posts of its department)."""
    posts = posts_governed(officer_office(officer))
    if not posts:
        return Arrival.objects.none()
    return Arrival.objects.filter(post_code__in=sorted(posts)).order_by("-arrived_at", "-id")


def declaration_arrival_ids(declaration_id: Any) -> list[str]:
    return [
        str(pk)
        for pk in ArrivalDeclaration.objects.filter(declaration_id=declaration_id)
        .order_by("created_at", "id")
        .values_list("arrival_id", flat=True)
    ]


@lru_cache(maxsize=4)
def _covered_arrivals_sql(vendor: str, lock: bool) -> str:
    arrival, link = Arrival, ArrivalDeclaration
    return (
        f"SELECT {rawrows.columns(arrival, 'a')} FROM {rawrows.table(arrival)} a "  # noqa: S608
        f"JOIN {rawrows.table(link)} l ON {rawrows.column(link, 'arrival', 'l')} = {rawrows.column(arrival, 'id', 'a')} "
        f"WHERE {rawrows.column(link, 'declaration', 'l')} = %s ORDER BY {rawrows.column(arrival, 'id', 'a')}"
        # Locks the links too, as the ORM's select_for_update() over this join did.
        + (" FOR UPDATE" if lock else "")
    )


def covered_arrivals(declaration: Any, *, lock: bool = False) -> list[Arrival]:
    """The arrivals the declaration covers, in id order; ``lock``: their rows locked until the
    transaction ends (PostgreSQL; SQLite's transactions hold the write lock already). Every
    send asks it: SQL written once (ADR 0028, ADR 0031)."""
    lock = lock and connection.features.has_select_for_update
    with connection.cursor() as cursor:
        cursor.execute(
            _covered_arrivals_sql(connection.vendor, lock),
            [rawrows.param(ArrivalDeclaration, "declaration", declaration.pk)],
        )
        return rawrows.instances(Arrival, cursor.fetchall())
