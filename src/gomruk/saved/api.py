"""The trader's saved parties, routes and goods lines for broker software (issue 16 item 6):
``/api/v1/saved/{kind}`` and ``POST /api/v1/declarations/{id}/apply-saved``."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema, Status
from pydantic import ConfigDict

from gomruk.accounts.auth import token_voens
from gomruk.accounts.bearer import bearer_auth, caller
from gomruk.api.schemas import PROBLEM_RESPONSES
from gomruk.declarations.api import DeclarationOut, declaration_out
from gomruk.declarations.scope import scoped_declaration
from gomruk.saved import services
from gomruk.saved.kinds import kind_of
from gomruk.saved.models import SavedEntry
from gomruk.saved.selectors import saved_get, saved_list

router = Router(tags=["saved"], auth=bearer_auth)

KIND = "{kind}"
KIND_TEXT = "`parties` (boxes 2, 8, 9, 14), `routes` (15–30 transport facts) or `goods` (an item template)"

PARTY_EXAMPLE: dict[str, Any] = {
    "identifier_kind": "VÖEN", "identifier": "1401555071", "person_kind": "legal",
    "name": "\"Xəzər Ticarət\" MMC", "address": "AZ1000, Bakı ş., Nizami küç. 10, Azərbaycan",
}
ROUTE_EXAMPLE: dict[str, Any] = {
    "dispatch_country_name": "Gürcüstan", "dispatch_country": {"alpha": "GE", "numeric": "268"},
    "destination_country_name": "Azərbaycan", "destination_country": {"alpha": "AZ", "numeric": "031"},
    "departure_transport": {"count": 1, "identifiers": "GE-123-AB", "nationality": "268"},
    "border_transport_mode": "30", "inland_transport_mode": "30", "border_office": "10101",
    "delivery_terms": {"code": "DAP", "place": "Bakı"},
}
GOODS_EXAMPLE: dict[str, Any] = {
    "description": "Pambıq parça, 100% pambıq", "commodity_code": "5208110000",
    "origin_country": {"alpha": "TR", "numeric": "792"}, "procedure_code": "400000",
    "supplementary_unit": "055", "packages": {"kind": "RL", "marks": "XT"},
    "documents": [{"line": 2, "code": "2011"}],
}


def _within(request: HttpRequest) -> frozenset[str] | None:
    """What the token reaches: a token may reach fewer VÖENs than its user."""
    token = getattr(request, "api_token", None)
    return token_voens(token) if token is not None else None


class SavedIn(Schema):
    name: str = Field(max_length=200, description="What the picker shows")
    voen: str | None = Field(
        default=None, max_length=10,
        description="The trader the entry is saved for; may be left out when the caller acts for one VÖEN",
    )
    data: dict[str, Any] = Field(
        description="The boxes as the declaration document stores them: a party object (as `consignor`), "
        "the route's top-level fields, or a goods item without boxes 32, 39, 40, 45–47"
    )

    model_config = ConfigDict(json_schema_extra={"examples": [
        {"name": "Xəzər Ticarət", "voen": "1401555071", "data": PARTY_EXAMPLE},
        {"name": "Tbilisi – Bakı (Qırmızı körpü)", "data": ROUTE_EXAMPLE},
        {"name": "Pambıq parça", "data": GOODS_EXAMPLE},
    ]})


class SavedUpdateIn(Schema):
    name: str | None = Field(default=None, max_length=200, description="New name; left out: kept")
    data: dict[str, Any] | None = Field(default=None, description="New data; left out: kept")

    model_config = ConfigDict(json_schema_extra={"examples": [{"name": "Xəzər Ticarət (Sumqayıt anbarı)"}]})


class SavedOut(Schema):
    id: uuid.UUID
    kind: str
    voen: str
    name: str
    data: dict[str, Any]
    created_at: dt.datetime
    updated_at: dt.datetime

    model_config = ConfigDict(json_schema_extra={"examples": [{
        "id": "7b0f2c1e-4a65-4f35-9d4e-2f0b8f1d9a10", "kind": "parties", "voen": "1401555071",
        "name": "Xəzər Ticarət", "data": PARTY_EXAMPLE,
        "created_at": "2026-12-03T10:00:00+04:00", "updated_at": "2026-12-03T10:00:00+04:00",
    }]})


class SavedList(Schema):
    items: list[SavedOut]
    total: int = Field(description="Entries matching, before limit and offset")


class ApplyIn(Schema):
    entry: uuid.UUID = Field(description="The saved entry; it must belong to the declaration's trader")
    target: str | None = Field(
        default=None, max_length=20,
        description="Parties only: the box to fill, by the document's name — consignor (2), consignee (8), "
        "financial_party (9) or declarant (14)",
    )
    item: int | None = Field(
        default=None, ge=1, le=1000,
        description="Goods only: the item (box 32) to fill; left out, a new item is added",
    )

    model_config = ConfigDict(json_schema_extra={"examples": [
        {"entry": "7b0f2c1e-4a65-4f35-9d4e-2f0b8f1d9a10", "target": "consignee"},
        {"entry": "0c5d1a8e-3b2f-4d67-8a90-1e2f3a4b5c6d"},
        {"entry": "0c5d1a8e-3b2f-4d67-8a90-1e2f3a4b5c6d", "item": 2},
    ]})


class PendingOut(Schema):
    raw: str
    az: str
    en: str


class AppliedOut(DeclarationOut):
    item: int | None = Field(description="Goods: the item the entry was written into")
    pending: dict[str, PendingOut] = Field(
        description="Values of the entry the document could not take now (JSON Pointer → why); kept as "
        "pending input of the draft, as for typed values"
    )


def _out(entry: SavedEntry) -> SavedOut:
    return SavedOut(
        id=entry.pk, kind=entry.kind, voen=entry.trader_voen, name=entry.name, data=entry.data,
        created_at=entry.created_at, updated_at=entry.updated_at,
    )


@router.get(
    f"/saved/{KIND}", response={200: SavedList, **PROBLEM_RESPONSES},
    summary="The saved entries of one kind of the traders the caller acts for",
    description=f"`kind`: {KIND_TEXT}. Sorted by name. A declarant sees its own VÖEN's entries, a broker "
    "those of the traders it represents (narrow with `voen`); officers none.",
)
def saved_entries(
    request: HttpRequest,
    kind: str,
    voen: str | None = Query(None, max_length=10),  # type: ignore[type-arg]
    limit: int = Query(500, ge=1, le=500),  # type: ignore[type-arg]
    offset: int = Query(0, ge=0, le=1_000_000),  # type: ignore[type-arg]
) -> SavedList:
    rows = saved_list(user=caller(request), kind=kind_of(kind), voen=voen, within=_within(request))
    return SavedList(items=[_out(e) for e in rows[offset : offset + limit]], total=rows.count())


@router.post(
    f"/saved/{KIND}", response={201: SavedOut, **PROBLEM_RESPONSES},
    summary="Save a party, a route or a goods line for later",
    description=f"`kind`: {KIND_TEXT}. `data` is checked by the declaration document's model (types and "
    "lengths); at most GOMRUK_SAVED_MAX_PER_TRADER (500) entries per trader, all kinds together (409).",
)
def saved_create(request: HttpRequest, kind: str, body: SavedIn) -> Status[SavedOut]:
    entry = services.saved_create(
        user=caller(request), kind=kind_of(kind), name=body.name, data=body.data, voen=body.voen,
        within=_within(request),
    )
    return Status(201, _out(entry))


@router.get(f"/saved/{KIND}/{{uuid:entry_id}}", response={200: SavedOut, **PROBLEM_RESPONSES},
            summary="One saved entry")
def saved_entry(request: HttpRequest, kind: str, entry_id: uuid.UUID) -> SavedOut:
    return _out(saved_get(user=caller(request), entry_id=entry_id, kind=kind_of(kind), within=_within(request)))


@router.put(f"/saved/{KIND}/{{uuid:entry_id}}", response={200: SavedOut, **PROBLEM_RESPONSES},
            summary="Rename a saved entry or replace its data")
def saved_update(request: HttpRequest, kind: str, entry_id: uuid.UUID, body: SavedUpdateIn) -> SavedOut:
    entry = services.saved_update(
        user=caller(request), entry_id=entry_id, kind=kind_of(kind), name=body.name, data=body.data,
        within=_within(request),
    )
    return _out(entry)


@router.delete(f"/saved/{KIND}/{{uuid:entry_id}}", response={204: None, **PROBLEM_RESPONSES},
               summary="Delete a saved entry")
def saved_delete(request: HttpRequest, kind: str, entry_id: uuid.UUID) -> Status[None]:
    services.saved_delete(user=caller(request), entry_id=entry_id, kind=kind_of(kind), within=_within(request))
    return Status(204, None)


@router.post(
    "/declarations/{uuid:declaration_id}/apply-saved", response={200: AppliedOut, **PROBLEM_RESPONSES},
    tags=["saved"],
    summary="Fill a draft from a saved entry",
    description="Writes the entry into the draft through the same input service as the portal's section "
    "save (values the document cannot take are kept as pending input and listed), then recomputes the "
    "computed boxes. A party replaces what box `target` held (box 14's broker licence stays); a route "
    "replaces the transport boxes; a goods line fills item `item` (fields it does not hold keep the "
    "item's values; its box 44 lines are added) or a new item. The entry must be the declaration "
    "trader's (404 otherwise). The draft is not validated here: `POST /declarations/validate` or the "
    "signing gate do.",
)
def apply_saved(request: HttpRequest, declaration_id: uuid.UUID, body: ApplyIn) -> AppliedOut:
    scoped_declaration(request, declaration_id)
    applied = services.saved_apply(
        user=caller(request), declaration_id=declaration_id, entry_id=body.entry, target=body.target or "",
        item=body.item, within=_within(request),
    )
    return AppliedOut(
        **dict(declaration_out(request, applied.declaration)), item=applied.item,
        pending={path: PendingOut(**reason) for path, reason in applied.pending.items()},
    )
