"""The box table: one row per box of the form, the one place that says what a box is.

``data/boxes.csv`` holds, in the order of the form (A, 1 … 15, 15a, 16, 17, 17a … 47, B,
48 … 54, C, D — B sits between 47 and 48 as on the printed sheet and in §4.2):

* ``name_az`` / ``name_en``: the box's name (§3.2 of the Methodology);
* ``sections``: the portal's data-entry sections that show the box, the first being where it
  is typed in (``customs`` for C and D, which only customs fills);
* ``printed_cell`` / ``printed_label``: the cell of the printed form (printing/layout.py) and
  the label printed in it (the legal text of Appendix 1).

The fields a box owns are not copied into the file: they come from the document model's
``x-box`` metadata through :mod:`gomruk.document.shape`, so a new field cannot be forgotten
here. The rules' profiles, the portal, printing and the officer's views all ask this table
(docs/adr/0015-box-table.md).
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import cache
from importlib.resources import files

from gomruk.document.model import Declaration, GoodsItem
from gomruk.document.shape import box_pointers, boxes_of

#: The portal's data-entry sections (S000 step 4c, spec §1.1.5), and ``customs`` for C and D.
SECTIONS = ("general", "participants", "transport", "goods", "summary")
CUSTOMS_SECTION = "customs"


@dataclass(frozen=True)
class Box:
    id: str
    rank: int  # place on the form
    name_az: str
    name_en: str
    sections: tuple[str, ...]
    printed_cell: str
    printed_label: str

    @property
    def section(self) -> str:
        """The section where the box is typed in."""
        return self.sections[0]

    @property
    def fields(self) -> tuple[str, ...]:
        """JSON Pointers (``*`` for goods items) of the document fields this box owns."""
        return box_pointers().get(self.id, ())

    @property
    def per_item(self) -> bool:
        """Filled once per goods item (boxes 31–47)."""
        return self.id in boxes_of(GoodsItem)

    @property
    def in_header(self) -> bool:
        """Has fields on the declaration itself (box 40 is both: header and per item)."""
        return self.id in boxes_of(Declaration)

    def name(self, language: str) -> str:
        """The name in ``language`` ("az" or "en", as ``gomruk.core.i18n.language()`` gives:
        the document layer sits below the language helper); the English names carry
        explanations in brackets that a label does not need."""
        if language == "en":
            return self.name_en.split(" (", 1)[0]
        return self.name_az


@cache
def box_table() -> dict[str, Box]:
    """Box id → its row, in the order of the form."""
    text = files("gomruk.document").joinpath("data/boxes.csv").read_text(encoding="utf-8")
    table: dict[str, Box] = {}
    for rank, row in enumerate(csv.DictReader(text.splitlines())):
        table[row["box"]] = Box(
            id=row["box"],
            rank=rank,
            name_az=row["name_az"],
            name_en=row["name_en"],
            sections=tuple(row["sections"].split()),
            printed_cell=row["printed_cell"],
            printed_label=row["printed_label"],
        )
    return table


def box_ids() -> tuple[str, ...]:
    """Every box, in the order of the form."""
    return tuple(box_table())


def box_rank(box_id: str | None) -> int:
    """Place of a box on the form; unknown boxes (and None) after every box."""
    found = box_table().get(box_id) if box_id is not None else None
    return found.rank if found is not None else len(box_table())


def section_boxes(section: str) -> frozenset[str]:
    """The boxes a section shows."""
    return frozenset(b.id for b in box_table().values() if section in b.sections)


def goods_item_boxes() -> frozenset[str]:
    return frozenset(b.id for b in box_table().values() if b.per_item)
