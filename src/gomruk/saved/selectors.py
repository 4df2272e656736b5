"""Reads of saved entries, scoped like declarations: a trader's entries are seen by the users
who act for its VÖEN (its own people; a broker for a principal it represents); officers and
administrators act for none and see none."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import QuerySet

from gomruk.accounts.models import User
from gomruk.accounts.selectors import acting_voens
from gomruk.core.errors import NotFound
from gomruk.saved.models import Kind, SavedEntry


def reachable_voens(user: User, within: Iterable[str] | None = None) -> frozenset[str]:
    """The VÖENs whose entries ``user`` reaches (narrowed to ``within``: an API token's binding)."""
    voens = acting_voens(user)
    return voens if within is None else voens & frozenset(within)


def saved_list(
    *, user: User, kind: Kind | None = None, voen: str | None = None, within: Iterable[str] | None = None
) -> QuerySet[SavedEntry]:
    voens = reachable_voens(user, within)
    if voen is not None:
        voens = voens & {voen}
    rows = SavedEntry.objects.filter(trader_voen__in=voens)
    if kind is not None:
        rows = rows.filter(kind=kind)
    return rows.order_by("kind", "name", "created_at")


def saved_get(
    *, user: User, entry_id: Any, kind: Kind | None = None, within: Iterable[str] | None = None,
    for_update: bool = False,
) -> SavedEntry:
    """The entry if the caller reaches it; anyone else's is "not found" (ids leak nothing)."""
    rows = SavedEntry.objects.filter(trader_voen__in=reachable_voens(user, within))
    if kind is not None:
        rows = rows.filter(kind=kind)
    if for_update:
        rows = rows.select_for_update()
    try:
        entry = rows.filter(pk=entry_id).first()
    except (ValidationError, ValueError):  # not an id at all
        entry = None
    if entry is None:
        raise NotFound("Saxlanmış qeyd", "Saved entry", id=str(entry_id))
    return entry


def saved_count(voen: str) -> int:
    return SavedEntry.objects.filter(trader_voen=voen).count()
