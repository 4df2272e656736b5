"""Reads of border goods, always scoped to the caller.

A trader's scope is :func:`acting_voens` (the VÖENs of its certificate binding plus, for a
representative, its principals'); an officer's is the posts of its office. No function here
takes a VÖEN from its caller.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import QuerySet

from gomruk.accounts.models import User
from gomruk.accounts.selectors import acting_voens, officer_office, trader_names
from gomruk.api.pagination import keyset_page
from gomruk.border.models import Arrival, ArrivalDeclaration, ArrivalState
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


def waiting_queryset(voens: Iterable[str]) -> QuerySet[Arrival]:
    """Not-yet-cleared goods of these VÖENs, newest first. The ``exclude`` is written exactly
    as the partial index's condition so PostgreSQL can prove the index applies."""
    return (
        Arrival.objects.filter(consignee_voen__in=sorted(voens))
        .exclude(state=ArrivalState.CLEARED)
        .order_by("-arrived_at", "-id")
    )


def goods_waiting_queryset(user: User) -> QuerySet[Arrival]:
    voens = acting_voens(user)
    if not voens:
        return Arrival.objects.none()
    return waiting_queryset(voens)


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
    page = keyset_page(waiting_queryset(voens), moment="arrived_at", cursor=cursor, limit=limit)
    return GoodsPage(page.items, page.next_cursor, voens, trader_names({a.consignee_voen for a in page.items}))




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
