"""Writes to a trader's saved entries, and the one way an entry goes into a draft: as typed
values through the declaration's input service, then the computed boxes recomputed — exactly
what a section save does (no second save path)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db import transaction

from gomruk.accounts.models import Trader, User
from gomruk.core.audit import audit_record
from gomruk.core.errors import NotFound
from gomruk.declarations.completion import draft_recompute
from gomruk.declarations.goods_import import MAX_ITEMS
from gomruk.declarations.models import Declaration
from gomruk.declarations.portal_input import declaration_input_save
from gomruk.declarations.selectors import declaration_get
from gomruk.saved import kinds
from gomruk.saved.errors import ERRORS
from gomruk.saved.models import Kind, SavedEntry
from gomruk.saved.selectors import reachable_voens, saved_count, saved_get

NAME_LENGTH = 200


def _name(name: str) -> str:
    text = (name or "").strip()
    if not text:
        raise ERRORS.error("name_required", status=422)
    if len(text) > NAME_LENGTH:
        raise ERRORS.error("invalid_entry", status=422, details={"errors": [{
            "path": "name", "message": {"az": f"Ad ən çox {NAME_LENGTH} simvol ola bilər.",
                                        "en": f"The name may have at most {NAME_LENGTH} characters."}}]})
    return text


def _voen(user: User, voen: str | None, within: Iterable[str] | None) -> str:
    reachable = reachable_voens(user, within)
    if voen:
        if voen not in reachable:
            raise ERRORS.error("voen_not_yours", status=403, voen=voen[:10])
        return voen
    if len(reachable) == 1:
        return next(iter(reachable))
    raise ERRORS.error("voen_required", status=422, details={"allowed": sorted(reachable)})


def _room_for_one(voen: str) -> None:
    """The trader's row is locked so two saves at once cannot both take the last place."""
    Trader.objects.select_for_update().filter(voen=voen).first()
    limit = settings.GOMRUK_SAVED_MAX_PER_TRADER
    if saved_count(voen) >= limit:
        raise ERRORS.error("limit_reached", status=409, limit=limit)


def _audit(user: User, action: str, entry: SavedEntry, **details: Any) -> None:
    audit_record(
        actor=user, action=action, object_type="saved_entry", object_id=entry.pk,
        details={"kind": entry.kind, "voen": entry.trader_voen, **details},
    )


@transaction.atomic
def saved_create(
    *, user: User, kind: Kind, name: str, data: Any, voen: str | None = None, within: Iterable[str] | None = None
) -> SavedEntry:
    trader_voen = _voen(user, voen, within)
    entry_name = _name(name)
    stored = kinds.checked(kind, data)
    _room_for_one(trader_voen)
    entry = SavedEntry.objects.create(
        trader_voen=trader_voen, kind=kind, name=entry_name, data=stored, created_by=user
    )
    _audit(user, "saved.create", entry)
    return entry


def saved_create_from(
    *, user: User, declaration_id: Any, kind: Kind, name: str, target: str = "", item: int | None = None,
    with_shipment: bool = False,
) -> SavedEntry:
    """Save a filled box of a draft for later, under the declaration's trader: a party box
    (``target``: consignor, consignee, financial_party, declarant), the route, or goods item
    ``item`` (1-based; quantities and prices only ``with_shipment``)."""
    declaration = declaration_get(user=user, declaration_id=declaration_id)
    document = declaration.document or {}
    if kind == Kind.PARTIES:
        data = kinds.party_from(document, target)
    elif kind == Kind.ROUTES:
        data = kinds.route_from(document)
    else:
        data = kinds.goods_from(document, item or 0, with_shipment=with_shipment)
    return saved_create(user=user, kind=kind, name=name, data=data, voen=declaration.trader_voen)


@transaction.atomic
def saved_update(
    *, user: User, entry_id: Any, kind: Kind | None = None, name: str | None = None, data: Any = None,
    within: Iterable[str] | None = None,
) -> SavedEntry:
    """Rename an entry and/or replace its data (what is not given is kept)."""
    entry = saved_get(user=user, entry_id=entry_id, kind=kind, within=within, for_update=True)
    changed = []
    if name is not None:
        entry.name = _name(name)
        changed.append("name")
    if data is not None:
        entry.data = kinds.checked(Kind(entry.kind), data)
        changed.append("data")
    entry.save()
    _audit(user, "saved.update", entry, changed=changed)
    return entry


@transaction.atomic
def saved_delete(*, user: User, entry_id: Any, kind: Kind | None = None, within: Iterable[str] | None = None) -> None:
    entry = saved_get(user=user, entry_id=entry_id, kind=kind, within=within, for_update=True)
    _audit(user, "saved.delete", entry, name=entry.name)
    entry.delete()


@dataclass
class Applied:
    declaration: Declaration
    #: the goods item written (1-based), for a goods entry
    item: int | None = None
    #: pointer → {"raw", "az", "en"}: values the document could not take, kept as pending input
    pending: dict[str, dict[str, str]] = field(default_factory=dict)


def _values(entry: SavedEntry, document: Mapping[str, Any], target: str, item: int | None) -> tuple[dict[str, str], int | None]:
    kind = Kind(entry.kind)
    if kind == Kind.PARTIES:
        return kinds.party_values(entry.data, target), None
    if kind == Kind.ROUTES:
        return kinds.route_values(entry.data), None
    count = len(document.get("goods") or [])
    if item is None:
        if count >= MAX_ITEMS:
            raise ERRORS.error("too_many_goods", status=409, limit=MAX_ITEMS)
        index = count
    elif 1 <= item <= count:
        index = item - 1
    else:
        raise ERRORS.error("no_such_item", status=404, item=item)
    return kinds.goods_values(entry.data, document, index), index + 1


def saved_apply(
    *, user: User, declaration_id: Any, entry_id: Any, target: str = "", item: int | None = None,
    within: Iterable[str] | None = None,
) -> Applied:
    """Write an entry into a draft of the same trader: a party into box ``target``, a route into
    the transport boxes, a goods line into item ``item`` (1-based) or, without one, a new item.
    Another trader's entry is "not found" even to a broker who represents both: a broker uses
    the entries of the trader this declaration is for."""
    with transaction.atomic():
        declaration = declaration_get(user=user, declaration_id=declaration_id, for_update=True)
        entry = saved_get(user=user, entry_id=entry_id, within=within)
        if entry.trader_voen != declaration.trader_voen:
            raise NotFound("Saxlanmış qeyd", "Saved entry", id=str(entry_id))
        values, written = _values(entry, declaration.document or {}, target, item)
        result = declaration_input_save(user=user, declaration_id=declaration.pk, values=values)
        _audit(user, "saved.apply", entry, declaration=str(declaration.pk), target=target, item=written)
    applied = draft_recompute(user=user, declaration=result.declaration)
    pending = {path: reason for path, reason in result.pending.items() if path in values}
    return Applied(declaration=applied, item=written, pending=pending)
