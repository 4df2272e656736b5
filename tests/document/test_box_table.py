"""The box table (issue 14 item 2): one source for each box's order, name, section, printed
cell and fields, and the document model's annotations read in one module only."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from pydantic import BaseModel

import gomruk
from gomruk.document.boxes import (
    CUSTOMS_SECTION,
    SECTIONS,
    box_ids,
    box_rank,
    box_table,
    goods_item_boxes,
)
from gomruk.document.model import Declaration, GoodsItem
from gomruk.document.shape import box_pointers, field_shapes, fields_of_box, locate

SOURCE = Path(gomruk.__file__).parent


def _all_parts(model: type[BaseModel], seen: set[type[BaseModel]] | None = None) -> set[type[BaseModel]]:
    seen = set() if seen is None else seen
    if model not in seen:
        seen.add(model)
        for shape in field_shapes(model).values():
            if shape.part is not None:
                _all_parts(shape.part, seen)
    return seen


def test_every_field_with_a_box_is_in_the_table():
    table = box_table()
    boxed = {(m.__name__, s.name, s.box) for m in _all_parts(Declaration) for s in field_shapes(m).values() if s.box}
    assert len(boxed) > 60
    assert {box for _model, _name, box in boxed} <= set(table)
    for _model, name, box in boxed:
        if _model in ("Declaration", "GoodsItem"):
            prefix = "/goods/*/" if _model == "GoodsItem" else "/"
            assert prefix + name in table[box].fields, (box, name)


def test_every_box_owns_fields_and_they_locate_back_to_it():
    for box in box_table().values():
        assert box.fields, box.id
        assert list(box.fields) == fields_of_box(box.id)
        for path in box.fields:
            assert locate(path.replace("*", "0"))[0] == box.id
    assert set(box_pointers()) == set(box_table())


def test_every_box_has_a_printed_cell_with_its_printed_label():
    from gomruk.printing.layout import STRIP_LABELS, additional_sheet, main_sheet

    printed = {c.key: c for c in main_sheet().cells if not c.strip}
    for box in box_table().values():
        cell = printed[box.printed_cell]
        assert cell.box == box.id
        if box.id in STRIP_LABELS:  # 31, 44, 47: the name is broken down the strip beside the cell
            assert STRIP_LABELS[box.id][0] == f"{box.id}."
        else:
            assert cell.label == box.printed_label
        assert box.printed_label.startswith(f"{box.id}. ")
    # Every box of a goods item is also on the additional sheet's item slots.
    slot_boxes = {c.box for c in additional_sheet().slot_cells[0]}
    assert goods_item_boxes() <= slot_boxes


def test_every_box_has_a_portal_section():
    from gomruk.portal.fields import section_of_box
    from gomruk.rules.sections import SECTION_BOXES

    for box in box_table().values():
        assert box.sections, box.id
        if box.sections == (CUSTOMS_SECTION,):
            assert box.id in ("C", "D")  # customs fills them; the declarant has no section for them
            continue
        assert set(box.sections) <= set(SECTIONS), box.id
        assert section_of_box(box.id) == box.section
        for section in box.sections:
            assert box.id in SECTION_BOXES[section]
    assert section_of_box("44") == "goods" and section_of_box("B") == "goods" and section_of_box("40") == "goods"
    assert section_of_box("2") == "participants" and section_of_box("18") == "transport"
    assert section_of_box("5") == "general" and section_of_box("1", item=3) == "goods"
    assert SECTION_BOXES["summary"] == frozenset({"5", "6", "12", "22", "B", "44"})
    assert goods_item_boxes() == frozenset(str(n) for n in range(31, 48))


def _between_47_and_48(order: list[str]) -> bool:
    return order.index("47") < order.index("B") < order.index("48")


def test_the_table_follows_the_form():
    order = list(box_ids())
    assert order[0] == "A" and order[-2:] == ["C", "D"]
    assert order.index("15") < order.index("15a") < order.index("16")
    assert order.index("17") < order.index("17a") < order.index("18")
    assert _between_47_and_48(order)
    assert box_rank("B") == order.index("B") and box_rank(None) == len(order) and box_rank("99") == len(order)


def test_b_between_47_and_48_in_the_rules_profiles_and_their_finding_order():
    from gomruk.rules.base import RuleError
    from gomruk.rules.engine import sort_key
    from gomruk.rules.profiles import BOX_ORDER, BoxStatus, profile_for

    assert list(BOX_ORDER) == list(box_ids())
    assert _between_47_and_48(list(BOX_ORDER))
    # A profile lists its boxes in the same order ("may": B and 48 are both conditional).
    may = profile_for("01", "İD", "40").boxes(BoxStatus.MAY)
    assert may.index("B") < may.index("48")
    errors = [
        RuleError(
            rule=f"T-{box}", severity="error", box=box, item=None, path=f"/{box}", value=None,
            message_az=box, message_en=box,
        )
        for box in ("48", "B", "47", "C", "A")
    ]
    assert [e.box for e in sorted(errors, key=sort_key)] == ["A", "47", "B", "48", "C"]


def test_b_between_47_and_48_in_the_portal():
    from gomruk.portal.fields import BoxGroup, _in_form_order

    groups = {b: BoxGroup(box=b, title=b) for b in ("48", "B", "54", "47", "A")}
    groups[None] = BoxGroup(box=None, title="")
    assert [g.box for g in _in_form_order(groups, {})] == [None, "A", "47", "B", "48", "54"]


def test_b_between_47_and_48_in_the_printed_labels():
    from gomruk.printing.layout import LABELS

    assert _between_47_and_48([k for k in LABELS if k in box_table()])


def test_the_portal_names_boxes_from_the_table():
    from django.utils import translation

    from gomruk.portal.boxes import box_name, box_title

    with translation.override("az"):
        assert box_name("33") == "Malın kodu"
        assert box_title("B") == "Qrafa B — Hesablamanın detalları"
    with translation.override("en"):
        assert box_name("33") == "Commodity code"
        assert box_name("A") == "Customs office of dispatch"  # the explanation in brackets dropped


def _python_files() -> list[Path]:
    return sorted(p for p in SOURCE.rglob("*.py") if "migrations" not in p.parts)


def _attributes(tree: ast.AST) -> set[str]:
    return {node.attr for node in ast.walk(tree) if isinstance(node, ast.Attribute)}


def _x_box_constants(tree: ast.AST) -> bool:
    return any(isinstance(n, ast.Constant) and n.value == "x-box" for n in ast.walk(tree))


def test_only_shape_reads_the_model_annotations():
    """Grep-style guard: no module besides document/shape.py walks ``model_fields`` for the box
    (``x-box``) or the annotations; document/model.py only writes ``x-box``."""
    offenders = []
    for path in _python_files():
        relative = path.relative_to(SOURCE).as_posix()
        if relative == "document/shape.py":
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        attributes = _attributes(tree)
        if "json_schema_extra" in attributes:
            offenders.append(f"{relative}: reads json_schema_extra")
        if "model_fields" in attributes and attributes & {"annotation", "metadata", "is_required"}:
            offenders.append(f"{relative}: walks model_fields' annotations")
        if _x_box_constants(tree) and relative != "document/model.py":
            offenders.append(f"{relative}: looks up 'x-box'")
    assert offenders == []


@pytest.mark.parametrize(
    "source, expected",
    [
        ("x = info.json_schema_extra\n", True),
        ("for n, i in M.model_fields.items():\n    i.annotation\n", True),
        ("extra.get('x-box')\n", True),
        ("for n in type(v).model_fields:\n    getattr(v, n)\n", False),
    ],
)
def test_the_guard_can_fail(source, expected):
    tree = ast.parse(source)
    attributes = _attributes(tree)
    found = (
        "json_schema_extra" in attributes
        or ("model_fields" in attributes and bool(attributes & {"annotation", "metadata", "is_required"}))
        or _x_box_constants(tree)
    )
    assert found is expected


def test_shape_agrees_with_the_model():
    assert set(field_shapes(Declaration)) == set(Declaration.model_fields)
    assert field_shapes(GoodsItem)["payments"].many and field_shapes(GoodsItem)["payments"].box == "47"
    assert field_shapes(Declaration)["goods"].part is GoodsItem and field_shapes(Declaration)["goods"].box is None
    assert locate("/goods/2/commodity_code") == ("33", 3)
    assert locate("/accounting/lines/0/amount") == ("B", None)
