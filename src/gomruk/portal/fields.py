"""The editor's inputs, built from the document model's metadata rather than written by hand.

Every field of :class:`gomruk.document.model.Declaration` carries its box (``x-box``);
a section shows the boxes of :data:`gomruk.rules.sections.SECTION_BOXES`, one fieldset per
box, one input per leaf field, and a table for boxes whose lines repeat (28, 40, 44, 47, B).
Input names are JSON Pointers, the same paths the rules report errors at.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from pydantic import BaseModel

from gomruk.core.i18n import is_english
from gomruk.declarations.portal_input import (
    FieldType,
    get_value,
    leaf_type,
    submodel,
    template_of,
    type_of,
)
from gomruk.document.model import Declaration as Document
from gomruk.document.model import GoodsItem
from gomruk.portal.boxes import box_name, box_sort_key, box_title, field_label
from gomruk.rules.sections import SECTION_BOXES, SECTION_TITLES

SECTIONS = ("general", "participants", "transport", "goods", "summary")

#: Classifier behind a field (pointer template) and the column that is typed into it.
CLASSIFIER_FIELDS: dict[str, tuple[str, str | None]] = {
    "/declaration_type": ("declaration-types", None),
    "/procedure": ("procedures", None),
    "/office_of_dispatch/office_code": ("customs-offices", None),
    "/aeo_indicator": ("aeo-indicators", None),
    "/container_indicator": ("container-indicators", None),
    "/delivery_terms/code": ("delivery-terms", None),
    "/delivery_terms/settlement_code": ("settlement-codes", None),
    "/invoice_currency": ("currencies", None),
    "/border_transport_mode": ("transport-modes", None),
    "/inland_transport_mode": ("transport-modes", None),
    "/border_office": ("customs-offices", None),
    "/goods_location": ("customs-offices", None),
    "/warehouse/office_code": ("customs-offices", None),
    "/departure_office/office_codes": ("customs-offices", None),
    "/destination_office/office_codes": ("customs-offices", None),
    "/departure_office/country": ("countries", None),
    "/destination_office/country": ("countries", None),
    "/guarantee/code": ("guarantee-types", None),
    "/guarantee/letter": ("guarantee-types", "letter"),
    "/departure_transport/nationality": ("countries", None),
    "/border_transport/nationality": ("countries", None),
    "/accounting/lines/*/payment_type": ("payment-types", None),
    "/accounting/lines/*/currency": ("currencies", None),
    "/accounting/lines/*/guarantee": ("guarantee-types", None),
    "/goods/*/origin_country/alpha": ("countries", "alpha2"),
    "/goods/*/origin_country/numeric": ("countries", None),
    "/goods/*/privilege": ("privileges", None),
    "/goods/*/supplementary_unit": ("units", None),
    "/goods/*/quantity_unit": ("units", "abbrev_az"),
    "/goods/*/invoice_currency": ("currencies", None),
    "/goods/*/valuation/adjusted": ("valuation-adjustments", None),
    "/goods/*/valuation/method": ("valuation-methods", None),
    "/goods/*/documents/*/code": ("document-types", None),
    "/goods/*/payments/*/payment_type": ("payment-types", None),
    "/goods/*/payments/*/method": ("payment-methods", None),
}
for _country in ("first_destination_country", "trading_country", "dispatch_country", "destination_country"):
    CLASSIFIER_FIELDS[f"/{_country}/alpha"] = ("countries", "alpha2")
    CLASSIFIER_FIELDS[f"/{_country}/numeric"] = ("countries", None)

#: Fields the declarant never fills (system or customs), shown read-only where they appear.
READ_ONLY_FIELDS = frozenset({"/registration_number", "/customs_notes", "/customs_control", "/schema_version"})

#: Fields without a box of their own and the section they belong to.
UNBOXED = {"gratuitous": "general", "no_monetary_settlement": "participants"}

#: Columns of the goods grid (the rest of an item is on its own page).
GRID_COLUMNS = (
    "description",
    "commodity_code",
    "origin_country/alpha",
    "gross_mass",
    "net_mass",
    "procedure_code",
    "privilege",
    "quantity",
    "supplementary_unit",
    "invoice_value",
    "customs_value",
    "statistical_value",
)

MAX_GOODS = 100


@dataclass
class Input:
    path: str
    name: str
    box: str | None
    label: str
    kind: FieldType
    classifier: str | None = None
    list_key: str = ""
    read_only: bool = False
    value: str = ""
    pending: dict[str, str] | None = None
    errors: list[Any] = field(default_factory=list)
    header_id: str = ""

    @property
    def dom_id(self) -> str:
        return dom_id(self.path)

    @property
    def list_id(self) -> str:
        return f"dl-{self.list_key}" if self.list_key else ""


@dataclass
class RowTable:
    """A repeated box line (box 44 documents, box 47 payments …): rows of inputs."""

    path: str
    label: str
    columns: list[str]
    rows: list[list[Input]]

    @property
    def dom_id(self) -> str:
        return dom_id(self.path)


@dataclass
class BoxGroup:
    box: str | None
    title: str
    inputs: list[Input] = field(default_factory=list)
    tables: list[RowTable] = field(default_factory=list)
    errors: list[Any] = field(default_factory=list)
    reasons: list[Any] = field(default_factory=list)

    @property
    def anchor(self) -> str:
        return f"box-{self.box}" if self.box else "box-general"


def dom_id(path: str) -> str:
    return "f" + path.replace("/", "-").replace("~", "_").replace(" ", "_")


def _box_of(info: Any) -> str | None:
    extra = info.json_schema_extra
    if isinstance(extra, dict) and extra.get("x-box") is not None:
        return str(extra["x-box"])
    return None


def _display(value: Any, kind: FieldType) -> str:
    if value is None:
        return ""
    if kind.kind == "list" and isinstance(value, list):
        return ", ".join(str(v) for v in value)
    if kind.kind == "bool":
        return "true" if value else "false"
    return str(value)


def _make_input(
    path: str, box: str | None, data: Mapping[str, Any], pending: Mapping[str, Any], label: str | None = None
) -> Input:
    kind = type_of(path) or FieldType("text")
    name = path.rsplit("/", 1)[-1]
    if label is None:
        sub = field_label(name)
        label = f"{box_title(box)}: {sub}" if box else sub
    classifier = CLASSIFIER_FIELDS.get(template_of(path))
    waiting = pending.get(path)
    if isinstance(waiting, dict):
        shown = str(waiting.get("raw", ""))
    else:
        shown = _display(get_value(data, path), kind)
    top = "/" + path.strip("/").split("/", 1)[0]
    return Input(
        path=path,
        name=name,
        box=box,
        label=label,
        kind=kind,
        classifier=classifier[0] if classifier else None,
        list_key=(f"{classifier[0]}-{classifier[1]}" if classifier[1] else classifier[0]) if classifier else "",
        read_only=top in READ_ONLY_FIELDS,
        value=shown,
        pending=waiting if isinstance(waiting, dict) else None,
    )


def _pending_rows(pending: Mapping[str, Any], path: str) -> int:
    """How many rows of a list pending input reaches (a row may exist only as typed text)."""
    count = 0
    prefix = path + "/"
    for key in pending:
        if key.startswith(prefix):
            head = key[len(prefix) :].split("/", 1)[0]
            if head.isdigit():
                count = max(count, int(head) + 1)
    return count


def _leaves(model: type[BaseModel], prefix: str) -> list[tuple[str, Any]]:
    """(pointer, annotation) of the scalar leaves of a model, nested models flattened."""
    found: list[tuple[str, Any]] = []
    for name, info in model.model_fields.items():
        child, is_list = submodel(info.annotation)
        path = f"{prefix}/{name}"
        if child is not None and not is_list:
            found.extend(_leaves(child, path))
        elif child is None and leaf_type(info.annotation) is not None:
            found.append((path, info.annotation))
    return found


def _table(
    row_model: type[BaseModel], path: str, box: str | None, data: Mapping[str, Any], pending: Mapping[str, Any]
) -> RowTable:
    rows_data = get_value(data, path)
    count = max(len(rows_data) if isinstance(rows_data, list) else 0, _pending_rows(pending, path))
    columns = [p for p, _ in _leaves(row_model, "")]
    rows = [
        [_make_input(f"{path}/{index}{column}", box, data, pending) for column in columns]
        for index in range(count + 1)  # one blank row to type a new line into
    ]
    label = field_label(path.rsplit("/", 1)[-1])
    return RowTable(path=path, label=label, columns=[field_label(c.rsplit("/", 1)[-1]) for c in columns], rows=rows)


def _add_model_fields(
    groups: dict[str | None, BoxGroup],
    model: type[BaseModel],
    prefix: str,
    boxes: Iterable[str] | None,
    data: Mapping[str, Any],
    pending: Mapping[str, Any],
    inherited_box: str | None = None,
    unboxed_section: str | None = None,
) -> None:
    wanted = set(boxes) if boxes is not None else None
    for name, info in model.model_fields.items():
        path = f"{prefix}/{name}"
        if path in READ_ONLY_FIELDS and path != "/registration_number":
            continue
        if path == "/schema_version" or name == "goods":
            continue
        box = _box_of(info) or inherited_box
        if box is None:
            if UNBOXED.get(name) != unboxed_section:
                continue
        elif wanted is not None and box not in wanted:
            continue
        group = groups.get(box)
        if group is None:
            group = groups[box] = BoxGroup(box=box, title=box_title(box))
        child, is_list = submodel(info.annotation)
        if child is not None and is_list:
            group.tables.append(_table(child, path, box, data, pending))
        elif child is not None:
            for leaf_path, _annotation in _leaves(child, path):
                group.inputs.append(_make_input(leaf_path, box, data, pending))
            for sub_name, sub_info in child.model_fields.items():
                grandchild, sub_list = submodel(sub_info.annotation)
                if grandchild is not None and sub_list:
                    group.tables.append(_table(grandchild, f"{path}/{sub_name}", box, data, pending))
        else:
            group.inputs.append(_make_input(path, box, data, pending))


def section_groups(section: str, data: Mapping[str, Any], pending: Mapping[str, Any]) -> list[BoxGroup]:
    """The fieldsets of a header section (general, participants, transport; goods: box B)."""
    # The goods section's header-level box is B; boxes 31–47 are typed per item (grid, item page).
    boxes = frozenset({"B"}) if section == "goods" else SECTION_BOXES[section]
    groups: dict[str | None, BoxGroup] = {}
    _add_model_fields(groups, Document, "", boxes, data, pending, unboxed_section=section)
    return sorted(groups.values(), key=lambda g: box_sort_key(g.box) if g.box else (-2, ""))


def item_groups(index: int, data: Mapping[str, Any], pending: Mapping[str, Any]) -> list[BoxGroup]:
    """The fieldsets of one goods item (boxes 31–47)."""
    groups: dict[str | None, BoxGroup] = {}
    _add_model_fields(groups, GoodsItem, f"/goods/{index}", None, data, pending)
    return sorted(groups.values(), key=lambda g: box_sort_key(g.box) if g.box else (-2, ""))


def _grid_box(column: str) -> str | None:
    info = GoodsItem.model_fields.get(column.split("/", 1)[0])
    return _box_of(info) if info is not None else None


@dataclass
class GridColumn:
    name: str
    box: str | None
    label: str
    header_id: str


def grid_columns() -> list[GridColumn]:
    columns = []
    for column in GRID_COLUMNS:
        box = _grid_box(column)
        columns.append(
            GridColumn(
                name=column,
                box=box,
                label=f"{box} · {field_label(column.rsplit('/', 1)[-1])}",
                header_id="col-" + column.replace("/", "-"),
            )
        )
    return columns


def grid_rows(data: Mapping[str, Any], pending: Mapping[str, Any]) -> list[list[Input]]:
    goods = get_value(data, "/goods")
    count = max(len(goods) if isinstance(goods, list) else 0, _pending_rows(pending, "/goods"))
    rows = []
    # Grid cells are labelled by their column and row headers (aria-labelledby), not by text.
    boxes = {column: _grid_box(column) for column in GRID_COLUMNS}
    for index in range(count):
        row = []
        for column in GRID_COLUMNS:
            cell = _make_input(f"/goods/{index}/{column}", boxes[column], data, pending, label="")
            cell.header_id = "col-" + column.replace("/", "-")
            row.append(cell)
        rows.append(row)
    return rows


def section_title(section: str, language: str | None) -> str:
    az, en = SECTION_TITLES[section]
    return en if is_english(language) else az


def section_of_box(box: str | None, item: int | None = None) -> str:
    """The editor section where a box is typed in (goods boxes: the goods section)."""
    if item is not None or box in {str(n) for n in range(31, 48)}:
        return "goods"
    for section in SECTIONS[:4]:
        if box in SECTION_BOXES[section]:
            return section
    if box == "44":
        return "goods"
    return "summary"


__all__ = [
    "BoxGroup",
    "GridColumn",
    "Input",
    "RowTable",
    "SECTIONS",
    "box_name",
    "dom_id",
    "grid_columns",
    "grid_rows",
    "item_groups",
    "section_groups",
    "section_of_box",
    "section_title",
]
