"""Where each box sits on the sheets of the form of Appendix 1.

The OCR of Appendix 1 kept the labels but lost the coordinates (spec §5.1), so the grid
follows the standard SAD layout the form is drawn from: A4 portrait, parties on the left,
codes on the right, the goods item in the middle, customs and signature boxes at the foot.
Coordinates are in PDF points from the lower-left corner of the page.

The labels are the legal text of the form (G-10: the GB is filled in Azerbaijani), so they
are not translated.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache

from reportlab.lib.pagesizes import A4

from gomruk.document.boxes import box_table

PAGE_WIDTH, PAGE_HEIGHT = A4
MARGIN_LEFT = 34.0  # the binding edge
MARGIN_RIGHT = 17.0
MARGIN_TOP = 17.0
MARGIN_BOTTOM = 17.0
WIDTH = PAGE_WIDTH - MARGIN_LEFT - MARGIN_RIGHT
TITLE_HEIGHT = 22.0
FOOTER_HEIGHT = 14.0

LABEL_SIZE = 4.6
LABEL_LEADING = 5.3
PADDING = 1.8

# Printed labels of the form (spec §3.2 names, §5.1 extra labels, OCR of L888–1047): the box
# table's ``printed_label`` column, plus the sub-label of box 31 that is not a box of its own.
LABELS: dict[str, str] = {
    **{b.printed_cell: b.printed_label for b in box_table().values()},
    "31-sub": "Eyniləşdirmə vasitələri və nömrələr, konteynerlərin nömrəsi, malların miqdarı və növü",
}

# The narrow strip left of boxes 31, 44 and 47 carries their labels, broken as on the form.
STRIP_LABELS = {
    "31": ("31.", "Malların", "təsviri"),
    "44": ("44.", "Təqdim", "olunan", "sənəd-", "lər"),
    "47": ("47.", "Gömrük", "ödəniş-", "lərinin", "hesab-", "lanması"),
}

PAYMENT_COLUMNS = ("Növ", "Hesablama bazası", "Tarif dərəcəsi", "Məbləğ", "ÖÜ")
PAYMENT_WIDTHS = (0.12, 0.3, 0.25, 0.23, 0.1)


@dataclass(frozen=True)
class Cell:
    """One box (or one goods-item box: ``slot`` is the item's place on the sheet)."""

    key: str
    box: str
    x: float
    y: float
    w: float
    h: float
    label: str = ""
    parts: tuple[float, ...] = ()  # relative widths of the box's sub-divisions
    slot: int | None = None
    strip: bool = False  # a label strip, not a box to fill

    @property
    def top(self) -> float:
        return self.y + self.h

    @property
    def label_lines(self) -> tuple[str, ...]:
        return _wrap_label(self.label, self.w - 2 * PADDING)

    @property
    def content_top(self) -> float:
        """Baseline area starts below the label."""
        return self.top - PADDING - len(self.label_lines) * LABEL_LEADING

    def part_spans(self) -> list[tuple[float, float]]:
        """(x, width) of each sub-division."""
        if not self.parts:
            return [(self.x, self.w)]
        total = sum(self.parts)
        spans, x = [], self.x
        for part in self.parts:
            width = self.w * part / total
            spans.append((x, width))
            x += width
        return spans


@dataclass(frozen=True, eq=False)
class Sheet:
    kind: str  # "main" | "additional"
    cells: tuple[Cell, ...]
    slots: int
    slot_cells: dict[int, tuple[Cell, ...]] = field(default_factory=dict)
    _index: dict[tuple[str, int | None], Cell] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_index", {(c.key, c.slot): c for c in self.cells})

    def cell(self, key: str, slot: int | None = None) -> Cell:
        return self._index[(key, slot)]


@cache
def _wrap_label(label: str, width: float) -> tuple[str, ...]:
    from gomruk.printing.fonts import text_width

    if not label:
        return ()
    lines: list[str] = []
    current = ""
    for word in label.split():
        candidate = f"{current} {word}".strip()
        if current and text_width(candidate, LABEL_SIZE) > width:
            lines.append(current)
            current = word
        else:
            current = candidate
    lines.append(current)
    return tuple(lines)


class _Grid:
    """Builds cells from fractions of the usable width and heights measured down from a top."""

    def __init__(self, top: float) -> None:
        self.top = top
        self.cells: list[Cell] = []

    def add(
        self,
        key: str,
        x0: float,
        x1: float,
        offset: float,
        height: float,
        *,
        box: str | None = None,
        label: str | None = None,
        parts: tuple[float, ...] = (),
        slot: int | None = None,
        strip: bool = False,
    ) -> Cell:
        box_id = box or key
        cell = Cell(
            key=key,
            box=box_id,
            x=MARGIN_LEFT + x0 * WIDTH,
            y=self.top - offset - height,
            w=(x1 - x0) * WIDTH,
            h=height,
            label=LABELS.get(box_id, "") if label is None else label,
            parts=parts,
            slot=slot,
            strip=strip,
        )
        self.cells.append(cell)
        return cell


def _goods_block(
    grid: _Grid, offset: float, row: float, h47: float, *, slot: int, main: bool
) -> float:
    """Boxes 31–47 of one goods item; returns the block's height."""
    g = grid
    for key, x0, x1, r0, rows, parts in (
        ("32", 0.62, 0.70, 0, 1, ()),
        ("33", 0.70, 1.0, 0, 1, (0.42, 0.28, 0.15, 0.15)),
        ("34", 0.62, 0.76, 1, 1, (0.5, 0.5)),
        ("35", 0.76, 0.90, 1, 1, ()),
        ("36", 0.90, 1.0, 1, 1, ()),
        ("37", 0.62, 0.76, 2, 1, (0.62, 0.38)),
        ("38", 0.76, 0.90, 2, 1, ()),
        ("39", 0.90, 1.0, 2, 1, ()),
        ("40", 0.62, 1.0, 3, 1, ()),
        ("41", 0.62, 0.76, 4, 1, ()),
        ("42", 0.76, 0.90, 4, 1, ()),
        ("43", 0.90, 1.0, 4, 1, (0.35, 0.65)),
        ("45", 0.62, 1.0, 5, 1, ()),
        ("46", 0.62, 1.0, 6, 1, ()),
    ):
        g.add(key, x0, x1, offset + r0 * row, rows * row, parts=parts, slot=slot)
    strip = 0.07
    g.add("31-strip", 0.0, strip, offset, 4 * row, box="31", label="", slot=slot, strip=True)
    g.add("31", strip, 0.62, offset, 4 * row, label=LABELS["31-sub"], slot=slot)
    g.add(
        "44-strip", 0.0, strip, offset + 4 * row, 3 * row, box="44", label="", slot=slot, strip=True
    )
    g.add("44", strip, 0.62, offset + 4 * row, 3 * row, label="", slot=slot)
    top47 = offset + 7 * row
    g.add("47-strip", 0.0, strip, top47, h47, box="47", label="", slot=slot, strip=True)
    if main:
        g.add("47", strip, 0.62, top47, h47, label="", slot=slot)
        g.add("48", 0.62, 0.81, top47, 26)
        g.add("49", 0.81, 1.0, top47, 26)
        g.add("B", 0.62, 1.0, top47 + 26, h47 - 26)
    else:
        g.add("47", strip, 1.0, top47, h47, label="", slot=slot)
    return 7 * row + h47


@cache
def main_sheet() -> Sheet:
    g = _Grid(PAGE_HEIGHT - MARGIN_TOP - TITLE_HEIGHT)
    y = 0.0
    # Header: parties left, codes right.
    g.add("2", 0.0, 0.5, y, 66)
    g.add("1", 0.5, 0.72, y, 20, parts=(1, 1, 1))
    g.add("A", 0.72, 1.0, y, 40)
    g.add("3", 0.5, 0.61, y + 20, 20, parts=(1, 1))
    g.add("4", 0.61, 0.72, y + 20, 20)
    g.add("5", 0.5, 0.58, y + 40, 26)
    g.add("6", 0.58, 0.72, y + 40, 26)
    g.add("7", 0.72, 1.0, y + 40, 26)
    y += 66
    g.add("8", 0.0, 0.5, y, 66)
    g.add("9", 0.5, 1.0, y, 40)
    g.add("10", 0.5, 0.6, y + 40, 26, parts=(1, 1))
    g.add("11", 0.6, 0.7, y + 40, 26, parts=(1, 1))
    g.add("12", 0.7, 0.9, y + 40, 26)
    g.add("13", 0.9, 1.0, y + 40, 26)
    y += 66
    g.add("14", 0.0, 0.5, y, 56)
    g.add("15", 0.5, 0.75, y, 28)
    g.add("15a", 0.75, 0.875, y, 28, parts=(1, 1))
    g.add("17a", 0.875, 1.0, y, 28, parts=(1, 1))
    g.add("16", 0.5, 0.75, y + 28, 28)
    g.add("17", 0.75, 1.0, y + 28, 28)
    y += 56
    g.add("18", 0.0, 0.44, y, 26, parts=(0.82, 0.18))
    g.add("19", 0.44, 0.5, y, 26)
    g.add("20", 0.5, 1.0, y, 26, parts=(0.14, 0.66, 0.2))
    y += 26
    g.add("21", 0.0, 0.5, y, 26, parts=(0.84, 0.16))
    g.add("22", 0.5, 0.75, y, 26, parts=(0.3, 0.7))
    g.add("23", 0.75, 0.875, y, 26)
    g.add("24", 0.875, 1.0, y, 26)
    y += 26
    g.add("25", 0.0, 0.1, y, 26)
    g.add("26", 0.1, 0.2, y, 26)
    g.add("27", 0.2, 0.5, y, 26)
    g.add("28", 0.5, 1.0, y, 52)
    g.add("29", 0.0, 0.25, y + 26, 26)
    g.add("30", 0.25, 0.5, y + 26, 26)
    y += 52
    y += _goods_block(g, y, 27.0, 86.0, slot=0, main=True)
    g.add("50", 0.0, 0.62, y, 42)
    g.add("C", 0.62, 1.0, y, 42)
    y += 42
    g.add("51", 0.0, 0.36, y, 30)
    g.add("52", 0.36, 0.62, y, 30, parts=(0.5, 0.5))
    g.add("53", 0.62, 1.0, y, 30)
    y += 30
    rest = (PAGE_HEIGHT - MARGIN_TOP - TITLE_HEIGHT - MARGIN_BOTTOM) - y
    g.add("D", 0.0, 0.46, y, rest)
    g.add("54", 0.46, 1.0, y, rest)
    return Sheet(kind="main", cells=tuple(g.cells), slots=1)


ITEMS_PER_ADDITIONAL_SHEET = 3


@cache
def additional_sheet() -> Sheet:
    g = _Grid(PAGE_HEIGHT - MARGIN_TOP - TITLE_HEIGHT)
    g.add("2", 0.0, 0.5, 0, 46)
    g.add("1", 0.5, 0.72, 0, 23, parts=(1, 1, 1))
    g.add("3", 0.5, 0.72, 23, 23, parts=(1, 1))
    g.add("A", 0.72, 1.0, 0, 46)
    y = 46.0
    available = PAGE_HEIGHT - MARGIN_TOP - TITLE_HEIGHT - MARGIN_BOTTOM - FOOTER_HEIGHT - y
    block = available / ITEMS_PER_ADDITIONAL_SHEET
    row = 24.0
    slot_cells: dict[int, tuple[Cell, ...]] = {}
    for slot in range(ITEMS_PER_ADDITIONAL_SHEET):
        first = len(g.cells)
        y += _goods_block(g, y, row, block - 7 * row, slot=slot, main=False)
        slot_cells[slot] = tuple(c for c in g.cells[first:] if not c.strip)
    return Sheet(
        kind="additional",
        cells=tuple(g.cells),
        slots=ITEMS_PER_ADDITIONAL_SHEET,
        slot_cells=slot_cells,
    )
