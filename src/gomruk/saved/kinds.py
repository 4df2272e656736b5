"""What each kind of saved entry holds, read from a document and written back into one.

An entry's ``data`` is a piece of the document as the document stores it, checked by the
document model itself (the same field lengths and types), so there is no second schema:

- ``parties``: one party object (boxes 2, 8, 9, 14 share its fields: name, address, identifier);
- ``routes``: the transport facts of the header (15/15a, 17/17a, 18, 19, 20, 21, 25, 26, 29, 30);
- ``goods``: one goods item without what the system computes or assigns (32, 39, 40, 45–47)
  and, unless asked, without what changes per shipment (quantities, masses, prices, package
  count, box 44 numbers and dates).

Writing an entry back is a set of typed values keyed by JSON Pointer for the declaration's one
input service (``declarations.portal_input``): the same coercion, pending input and
validation as a person typing them.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from pydantic import ValidationError

from gomruk.document.model import Declaration as Document
from gomruk.document.schema_errors import schema_errors
from gomruk.document.shape import field_types
from gomruk.saved.errors import ERRORS
from gomruk.saved.models import Kind

#: Party boxes by the document's field name.
PARTY_BOXES: dict[str, str] = {"consignor": "2", "consignee": "8", "financial_party": "9", "declarant": "14"}

#: The route: the header's transport facts, by the document's field name.
ROUTE_FIELDS: tuple[str, ...] = (
    "dispatch_country_name", "dispatch_country", "destination_country_name", "destination_country",
    "departure_transport", "container_indicator", "delivery_terms", "border_transport",
    "border_transport_mode", "inland_transport_mode", "border_office", "goods_location",
)

#: A goods item's boxes the system fills or that belong to one declaration only.
GOODS_NEVER = frozenset({"item_number", "quota_remaining", "previous_documents", "customs_value",
                         "statistical_value", "payments"})
#: What changes from one shipment to the next: saved only when the person asks for it.
GOODS_PER_SHIPMENT = frozenset({"quantity", "gross_mass", "net_mass", "invoice_value", "invoice_currency",
                                "container_numbers", "positions"})
PACKAGES_PER_SHIPMENT = frozenset({"count", "partial"})
DOCUMENT_LINE_KIND = frozenset({"line", "code", "short_name"})


def kind_of(name: str) -> Kind:
    try:
        return Kind(name)
    except ValueError:
        raise ERRORS.error("unknown_kind", status=404, kind=name[:40]) from None


# --- Checking an entry's data with the document model --------------------------------------------


def _wrapped(kind: Kind, data: Mapping[str, Any]) -> tuple[dict[str, Any], str]:
    """The entry as a document fragment, and the pointer prefix its fields get there."""
    if kind == Kind.PARTIES:
        return {"consignor": dict(data)}, "/consignor"
    if kind == Kind.GOODS:
        return {"goods": [dict(data)]}, "/goods/0"
    return dict(data), ""


def _refuse(errors: list[dict[str, Any]]) -> Exception:
    return ERRORS.error("invalid_entry", status=422, details={"errors": errors})


def checked(kind: Kind, data: Any) -> dict[str, Any]:
    """``data`` as the document stores it (types read, defaults dropped), or a 422 naming each
    bad field by its pointer inside the entry."""
    if not isinstance(data, Mapping):
        raise _refuse([{"path": "", "message": {"az": "Obyekt gözlənilir.", "en": "An object is expected."}}])
    if kind == Kind.ROUTES:
        unknown = sorted(set(data) - set(ROUTE_FIELDS))
        if unknown:
            raise _refuse([{"path": f"/{name}", "message": {"az": "Marşrutun qrafası deyil.",
                                                           "en": "Not a box of a route."}} for name in unknown])
    if kind == Kind.GOODS:
        computed = sorted(name for name in set(data) & GOODS_NEVER if data[name] not in (None, "", [], {}))
        if computed:
            raise _refuse([{"path": f"/{name}", "message": {
                "az": "Bu qrafanı sistem doldurur və ya o, yalnız bir bəyannaməyə aiddir.",
                "en": "The system fills this box, or it belongs to one declaration only."}} for name in computed])
        data = {k: v for k, v in data.items() if k not in GOODS_NEVER}  # empty: a whole item posted
    wrapped, prefix = _wrapped(kind, data)
    try:
        document = Document.model_validate(wrapped)
    except ValidationError as exc:
        rows = []
        for error in schema_errors(exc):
            row = error.as_dict()
            row["path"] = str(row.get("path", ""))[len(prefix):] or "/"
            row["item"] = None  # the fragment's item and party box are not the entry's
            if kind == Kind.PARTIES:
                row["box"] = None
            rows.append(row)
        raise _refuse(rows) from exc
    stored = document.to_data()
    if kind == Kind.PARTIES:
        result = stored.get("consignor", {})
        if set(result) <= {"person_kind"}:
            raise ERRORS.error("empty_entry", status=422)
        return dict(result)
    if kind == Kind.GOODS:
        goods = stored.get("goods") or [{}]
        item = {k: v for k, v in goods[0].items() if v not in ([], {})}  # the model's empty lists
        if not item:
            raise ERRORS.error("empty_entry", status=422)
        return item
    result = {name: stored[name] for name in ROUTE_FIELDS if stored.get(name) not in (None, {}, [])}
    if not result:
        raise ERRORS.error("empty_entry", status=422)
    return result


# --- Reading an entry out of a declaration ---------------------------------------------------


def party_from(document: Mapping[str, Any], target: str) -> dict[str, Any]:
    if target not in PARTY_BOXES:
        raise ERRORS.error("wrong_target", status=422, target=target[:40])
    party = document.get(target) or {}
    names = _leaves("/consignor")  # box 14 adds broker fields that belong to one filing
    return {k: v for k, v in party.items() if k in names}


def route_from(document: Mapping[str, Any]) -> dict[str, Any]:
    return {name: document[name] for name in ROUTE_FIELDS if document.get(name) not in (None, {}, [])}


def goods_from(document: Mapping[str, Any], item: int, *, with_shipment: bool) -> dict[str, Any]:
    """Goods item ``item`` (1-based) as a template."""
    goods = document.get("goods") or []
    if not 1 <= item <= len(goods) or not isinstance(goods[item - 1], dict):
        raise ERRORS.error("no_such_item", status=404, item=item)
    source = goods[item - 1]
    skip = GOODS_NEVER if with_shipment else GOODS_NEVER | GOODS_PER_SHIPMENT
    result = {k: v for k, v in source.items() if k not in skip}
    if not with_shipment:
        packages = {k: v for k, v in (result.get("packages") or {}).items() if k not in PACKAGES_PER_SHIPMENT}
        result["packages"] = packages
        result["documents"] = [
            {k: v for k, v in line.items() if k in DOCUMENT_LINE_KIND} for line in result.get("documents") or []
        ]
    return {k: v for k, v in result.items() if v not in (None, {}, [])}


# --- Writing an entry into a declaration: typed values by pointer --------------------------------


def _leaves(prefix: str) -> list[str]:
    """The leaf names directly under ``prefix`` (a box object's scalar fields)."""
    depth = prefix.count("/") + 1
    return [p.rsplit("/", 1)[1] for p in field_types() if p.startswith(prefix + "/") and p.count("/") == depth]


def typed(value: Any) -> str:
    """A stored JSON value as a person would type it (what ``portal_input.coerce`` reads back)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    return str(value)


def flatten(data: Mapping[str, Any], prefix: str) -> dict[str, str]:
    values: dict[str, str] = {}
    for key, value in data.items():
        path = f"{prefix}/{key}"
        if isinstance(value, dict):
            values.update(flatten(value, path))
        elif isinstance(value, list) and value and all(isinstance(v, dict) for v in value):
            for index, row in enumerate(value):
                values.update(flatten(row, f"{path}/{index}"))
        else:
            values[path] = typed(value)
    return values


def _cleared(prefix: str, nested: bool) -> dict[str, str]:
    """Every field under ``prefix`` emptied, so an entry replaces what the box held."""
    return {
        p: "" for p in field_types()
        if p.startswith(prefix + "/") and "*" not in p and (nested or p.count("/") == prefix.count("/") + 1)
    }


def party_values(data: Mapping[str, Any], target: str) -> dict[str, str]:
    if target not in PARTY_BOXES:
        raise ERRORS.error("wrong_target", status=422, target=target[:40])
    prefix = f"/{target}"
    values = {f"{prefix}/{name}": "" for name in _leaves("/consignor")}
    values.update(flatten(data, prefix))
    return values


def route_values(data: Mapping[str, Any]) -> dict[str, str]:
    values: dict[str, str] = {}
    for name in ROUTE_FIELDS:
        values.update(_cleared(f"/{name}", nested=True) or {f"/{name}": ""})
    values.update(flatten(data, ""))
    return values


def goods_values(data: Mapping[str, Any], document: Mapping[str, Any], index: int) -> dict[str, str]:
    """The template written into goods item ``index`` (0-based; the next free one for a new item).
    Fields the template does not hold keep what the item has (this shipment's quantities); its
    box 44 lines are added after the item's own, except a line of the same kind already there."""
    goods = document.get("goods") or []
    item = goods[index] if index < len(goods) and isinstance(goods[index], dict) else {}
    prefix = f"/goods/{index}"
    body = {k: v for k, v in data.items() if k != "documents"}
    values = flatten(body, prefix)
    if index >= len(goods):
        values[f"{prefix}/item_number"] = str(index + 1)
    present = [line for line in item.get("documents") or [] if isinstance(line, dict)]
    have = {(line.get("line"), line.get("code")) for line in present}
    added = [line for line in data.get("documents") or [] if (line.get("line"), line.get("code")) not in have]
    for offset, line in enumerate(added):
        values.update(flatten(line, f"{prefix}/documents/{len(present) + offset}"))
    return values


def summary(kind: str, data: Mapping[str, Any]) -> str:
    """One line that tells entries apart in a list (the name is the person's own)."""
    if kind == Kind.PARTIES:
        parts = [data.get("identifier"), data.get("name"), data.get("address")]
    elif kind == Kind.ROUTES:
        places = [
            (data.get("dispatch_country") or {}).get("alpha") or data.get("dispatch_country_name"),
            (data.get("destination_country") or {}).get("alpha") or data.get("destination_country_name"),
        ]
        parts = [" → ".join(p for p in places if p) or None, (data.get("delivery_terms") or {}).get("place"),
                 data.get("border_office")]
    else:
        parts = [data.get("commodity_code"), data.get("description")]
    return " · ".join(str(p) for p in parts if p)
