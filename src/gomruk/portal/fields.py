"""The editor's inputs, built from the document model's metadata rather than written by hand.

Every field of :class:`gomruk.document.model.Declaration` carries its box (read through
:mod:`gomruk.document.shape`); a section shows the boxes the box table gives it
(:data:`gomruk.rules.sections.SECTION_BOXES`), one fieldset per box titled once with the box
and its name, one input per leaf field, and a table for boxes whose lines repeat (28, 40, 44,
47, B). Input names are JSON Pointers, the same paths the rules report errors at.

Boxes the §4.2 profile of the declaration (type, direction, procedure) leaves empty are folded
away with the reason, not hidden: a value typed before the type changed stays reachable.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from pydantic import BaseModel

from gomruk.core.i18n import is_english, pick
from gomruk.declarations.pickers import CLASSIFIER_FIELDS as PICKER_FIELDS
from gomruk.declarations.portal_input import get_value, template_of, type_of
from gomruk.document.boxes import SECTIONS, box_rank, box_table
from gomruk.document.model import Declaration as Document
from gomruk.document.model import GoodsItem
from gomruk.document.shape import FieldType, field_shapes, leaf_type
from gomruk.portal.boxes import box_name, box_title, field_label
from gomruk.rules.profiles import COLUMN_TITLES, TYPE_COLUMNS, BoxStatus, Profile, profile_for
from gomruk.rules.sections import SECTION_BOXES, SECTION_TITLES

#: Classifier behind a field (pointer template) and the column that is typed into it: the
#: pickers' table (:mod:`gomruk.declarations.pickers`), which also says what each field offers.
CLASSIFIER_FIELDS = PICKER_FIELDS

#: Fields the declarant never fills (system or customs), shown read-only where they appear.
READ_ONLY_FIELDS = frozenset({"/registration_number", "/customs_notes", "/customs_control", "/schema_version"})

#: Fields without a box of their own and the section they belong to.
UNBOXED = {"gratuitous": "general", "no_monetary_settlement": "participants"}

#: Columns of the goods grid: every item field the rules need that the declarant types (the
#: rest of an item is on its own page). Box 34's numeric code follows the letter code (completion)
#: and is shown read-only beside it.
GRID_COLUMNS = (
    "description",
    "packages/count",
    "packages/kind",
    "packages/marks",
    "quantity",
    "quantity_unit",
    "supplementary_unit",
    "commodity_code",
    "origin_country/alpha",
    "origin_country/numeric",
    "gross_mass",
    "net_mass",
    "procedure_code",
    "privilege",
    "invoice_value",
    "valuation/adjusted",
    "valuation/method",
    "documents",
    "customs_value",
    "statistical_value",
    "payments",
)

#: Grid columns that are a box's repeated lines, and the fields of a line the grid offers
#: (box 44: code, number, date; box 47: payment type and its ÖÜ method).
GRID_LISTS: dict[str, tuple[str, ...]] = {
    "documents": ("code", "number", "issued_on"),
    "payments": ("payment_type", "method"),
}

#: Grid headers where the field's own label would be ambiguous out of its box.
GRID_LABELS = {
    "packages/count": gettext_lazy("Yük yerlərinin sayı"),
    "packages/kind": gettext_lazy("Qablaşdırmanın növü"),
    "packages/marks": gettext_lazy("Markalanma"),
    "origin_country/alpha": gettext_lazy("Mənşə ölkəsi (hərf kodu)"),
    "origin_country/numeric": gettext_lazy("Rəqəm kodu (hesablanır)"),
    "valuation/adjusted": gettext_lazy("Düzəliş əlaməti (0/1)"),
    "valuation/method": gettext_lazy("Gömrük dəyəri üsulu"),
    "documents": gettext_lazy("Sənədlər: kod, nömrə, tarix"),
    "payments": gettext_lazy("Ödənişlər: növ, ÖÜ"),
}

#: Grid cells that follow from another cell and are never typed.
GRID_DERIVED = frozenset({"origin_country/numeric"})

MAX_GOODS = 100

#: Width of an input in characters (its ``size``), by field name, then by kind: an input fits
#: what is typed into it ("CMR-778812" in box 44, not "CMF") and no more, so a line of box 44
#: or 47 stays on one row. Text fields over 100 characters take the full width instead.
INPUT_SIZES: dict[str, int] = {
    "line": 2, "code": 6, "number": 18, "short_name": 18, "payment_type": 4, "method": 4,
    "commodity_code": 12, "procedure_code": 8, "privilege": 5, "supplementary_unit": 5,
    "quantity_unit": 7, "alpha": 4, "numeric": 4, "count": 6, "kind": 12, "marks": 14,
    "adjusted": 3, "rate": 12, "currency": 5, "guarantee": 5, "item_number": 4,
}
KIND_SIZES: dict[str, int] = {"decimal": 12, "int": 6, "date": 11, "list": 24, "text": 20}


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
    #: A box the system computes (issue 16.1): how it follows, in the active language, and
    #: ``computed`` = "system" (read-only), "overridable" or "overridden" (the declarant's stands).
    formula: str = ""
    computed: str = ""
    computed_value: str = ""
    #: Box 33: the portal's nomenclature search for this input, and the code's tariff lines.
    search_url: str = ""
    hint: str = ""

    @property
    def dom_id(self) -> str:
        return dom_id(self.path)

    @property
    def list_id(self) -> str:
        return f"dl-{self.list_key}" if self.list_key else ""

    @property
    def size(self) -> int:
        """Characters the input shows (see :data:`INPUT_SIZES`)."""
        wanted = INPUT_SIZES.get(self.name) or KIND_SIZES.get(self.kind.kind, 10)
        if self.kind.max_length:
            wanted = min(wanted, self.kind.max_length)
        return max(wanted, len(self.value) + 1) if len(self.value) < 40 else 40


@dataclass
class RowTable:
    """A repeated box line (box 44 documents, box 47 payments …): rows of inputs."""

    path: str
    label: str
    columns: list[str]
    rows: list[list[Input]]
    formula: str = ""
    computed: str = ""

    @property
    def dom_id(self) -> str:
        return dom_id(self.path)


@dataclass
class GridList:
    """A grid cell holding a box's repeated lines (44, 47) of one item: one blank line to type
    a new one into, as on the item page. Its inputs save through the same autosave."""

    path: str
    header_id: str
    rows: list[list[Input]]
    computed: str = ""
    formula: str = ""

    @property
    def dom_id(self) -> str:
        return dom_id(self.path)

    @property
    def inputs(self) -> list[Input]:
        return [field for row in self.rows for field in row]


GridCell = Input | GridList


def cell_inputs(row: Iterable[GridCell]) -> list[Input]:
    """The inputs of a grid row, the lines of its list cells included."""
    found: list[Input] = []
    for cell in row:
        found.extend(cell.inputs if isinstance(cell, GridList) else [cell])
    return found


@dataclass
class BoxGroup:
    box: str | None
    title: str
    inputs: list[Input] = field(default_factory=list)
    tables: list[RowTable] = field(default_factory=list)
    errors: list[Any] = field(default_factory=list)
    reasons: list[Any] = field(default_factory=list)
    #: Why the box is folded away ("İX 10 üçün istifadə olunmur — §4.2"); empty when used.
    folded_because: str = ""

    @property
    def anchor(self) -> str:
        return f"box-{self.box}" if self.box else "box-general"

    @property
    def has_values(self) -> bool:
        """Something is typed in (a folded box with a value opens: it is to be emptied)."""
        return any(i.value for i in self.inputs) or any(len(t.rows) > 1 for t in self.tables)


def dom_id(path: str) -> str:
    return "f" + path.replace("/", "-").replace("~", "_").replace(" ", "_")


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
        label = field_label(name)  # the box is said once, by the fieldset's legend
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
    for name, shape in field_shapes(model).items():
        path = f"{prefix}/{name}"
        if shape.part is not None and not shape.many:
            found.extend(_leaves(shape.part, path))
        elif shape.part is None and leaf_type(shape.annotation) is not None:
            found.append((path, shape.annotation))
    return found


def _table(
    row_model: type[BaseModel], path: str, box: str | None, data: Mapping[str, Any], pending: Mapping[str, Any]
) -> RowTable:
    rows_data = get_value(data, path)
    count = max(len(rows_data) if isinstance(rows_data, list) else 0, _pending_rows(pending, path))
    columns = [p for p, _annotation in _leaves(row_model, "")]
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
    for name, shape in field_shapes(model).items():
        path = f"{prefix}/{name}"
        if path in READ_ONLY_FIELDS and path != "/registration_number":
            continue
        if path == "/schema_version" or name == "goods":
            continue
        box = shape.box or inherited_box
        if box is None:
            if UNBOXED.get(name) != unboxed_section:
                continue
        elif wanted is not None and box not in wanted:
            continue
        group = groups.get(box)
        if group is None:
            group = groups[box] = BoxGroup(box=box, title=box_title(box))
        child = shape.part
        if child is not None and shape.many:
            group.tables.append(_table(child, path, box, data, pending))
        elif child is not None:
            for leaf_path, _annotation in _leaves(child, path):
                group.inputs.append(_make_input(leaf_path, box, data, pending))
            for sub_name, sub_shape in field_shapes(child).items():
                if sub_shape.part is not None and sub_shape.many:
                    group.tables.append(_table(sub_shape.part, f"{path}/{sub_name}", box, data, pending))
        else:
            group.inputs.append(_make_input(path, box, data, pending))


def section_groups(section: str, data: Mapping[str, Any], pending: Mapping[str, Any]) -> list[BoxGroup]:
    """The fieldsets of a header section (general, participants, transport; goods: box B)."""
    # The goods section's header-level box is B; boxes 31–47 are typed per item (grid, item page).
    boxes = frozenset({"B"}) if section == "goods" else SECTION_BOXES[section]
    groups: dict[str | None, BoxGroup] = {}
    _add_model_fields(groups, Document, "", boxes, data, pending, unboxed_section=section)
    return _in_form_order(groups, data)


def item_groups(index: int, data: Mapping[str, Any], pending: Mapping[str, Any]) -> list[BoxGroup]:
    """The fieldsets of one goods item (boxes 31–47)."""
    groups: dict[str | None, BoxGroup] = {}
    _add_model_fields(groups, GoodsItem, f"/goods/{index}", None, data, pending)
    return _in_form_order(groups, data)


def _in_form_order(groups: Mapping[str | None, BoxGroup], data: Mapping[str, Any]) -> list[BoxGroup]:
    """Fieldsets in the order of the form (fields without a box first), the unused folded."""
    profile = declaration_profile(data)
    if profile is not None:
        reason = _("%(profile)s üçün istifadə olunmur — §4.2") % {"profile": profile_name(profile)}
        for group in groups.values():
            if group.box is not None and profile.status(group.box) is BoxStatus.EMPTY:
                group.folded_because = reason
    return sorted(groups.values(), key=lambda g: box_rank(g.box) if g.box else -1)


def declaration_profile(data: Mapping[str, Any]) -> Profile | None:
    """The §4.2 profile of a draft, once it says what it declares: a direction (GB, SB 06) or
    a type with a column of its own; before that nothing is folded."""
    declaration_type = str(data.get("declaration_type") or "01")
    direction = data.get("direction")
    if not direction and declaration_type not in TYPE_COLUMNS:
        return None
    procedure = data.get("procedure")
    return profile_for(
        declaration_type,
        str(direction) if direction else None,
        str(procedure) if procedure else None,
    )


def profile_name(profile: Profile) -> str:
    """'İX 10' for a GB (or SB 06) with its procedure, else the §4.2 column's short title."""
    if profile.declaration_type in ("01", "06") and profile.direction and profile.procedure:
        return f"{profile.direction} {profile.procedure}"
    az, en = COLUMN_TITLES[profile.column]
    title = pick(az, en)
    return title.split(" — ", 1)[0]


def _grid_box(column: str) -> str | None:
    shape = field_shapes(GoodsItem).get(column.split("/", 1)[0])
    return shape.box if shape is not None else None


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
                label=f"{box} · {GRID_LABELS.get(column) or field_label(column.rsplit('/', 1)[-1])}",
                header_id="col-" + column.replace("/", "-"),
            )
        )
    return columns


def _grid_list(path: str, fields: tuple[str, ...], header_id: str, data: Mapping[str, Any], pending: Mapping[str, Any]) -> GridList:
    lines = get_value(data, path)
    count = max(len(lines) if isinstance(lines, list) else 0, _pending_rows(pending, path))
    rows = []
    for index in range(count + 1):  # one blank line to type a new one into
        row = []
        for name in fields:
            cell = _make_input(f"{path}/{index}/{name}", _grid_box(path.rsplit("/", 1)[-1]), data, pending, label="")
            cell.header_id = header_id
            cell.label = field_label(name)
            row.append(cell)
        rows.append(row)
    return GridList(path=path, header_id=header_id, rows=rows)


def grid_rows(data: Mapping[str, Any], pending: Mapping[str, Any]) -> list[list[GridCell]]:
    goods = get_value(data, "/goods")
    count = max(len(goods) if isinstance(goods, list) else 0, _pending_rows(pending, "/goods"))
    rows: list[list[GridCell]] = []
    # Grid cells are labelled by their column and row headers (aria-labelledby), not by text.
    boxes = {column: _grid_box(column) for column in GRID_COLUMNS}
    for index in range(count):
        row: list[GridCell] = []
        for column in GRID_COLUMNS:
            header_id = "col-" + column.replace("/", "-")
            if column in GRID_LISTS:
                row.append(_grid_list(f"/goods/{index}/{column}", GRID_LISTS[column], header_id, data, pending))
                continue
            cell = _make_input(f"/goods/{index}/{column}", boxes[column], data, pending, label="")
            cell.header_id = header_id
            cell.read_only = cell.read_only or column in GRID_DERIVED
            row.append(cell)
        rows.append(row)
    return rows


def section_title(section: str, language: str | None) -> str:
    az, en = SECTION_TITLES[section]
    return en if is_english(language) else az


def section_of_box(box: str | None, item: int | None = None) -> str:
    """The editor section where a box is typed in (goods boxes: the goods section)."""
    if item is not None:
        return "goods"
    found = box_table().get(box) if box else None
    if found is None or found.section not in SECTIONS:
        return "summary"
    return found.section


__all__ = [
    "BoxGroup",
    "GridCell",
    "GridColumn",
    "GridList",
    "Input",
    "RowTable",
    "SECTIONS",
    "box_name",
    "cell_inputs",
    "dom_id",
    "grid_columns",
    "grid_rows",
    "item_groups",
    "section_groups",
    "section_of_box",
    "section_title",
]
