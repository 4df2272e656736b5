"""Profiles: which boxes a declaration must, may or must not carry (spec §4.2).

The box applicability matrix of §4.2 is kept verbatim below. A profile is one column of it,
chosen by declaration type (Appendix 15), direction and procedure (:func:`profile_for`), and
each box gets one :class:`BoxStatus`:

* ``must``    the declarant fills it (``D``, ``D*``, ``D?``, ``G?``, ``L``, ``L*``);
* ``may``     listed, but the general rules fill it only in some cases (:data:`CONDITIONAL`:
  box 3 only with additional sheets, 9/20 not for gratuitous deals, 48 only with a deferral …);
  the rules of those boxes say when;
* ``empty``   not listed: the declarant leaves it empty;
* ``system``  box 7 (``S``): the system assigns the registration number;
* ``customs`` ``C``: filled by customs (box 7 under re-export, boxes C and D).
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from enum import StrEnum
from functools import cache

from gomruk.document.boxes import box_ids, goods_item_boxes
from gomruk.reference.snapshot import packaged_reference

MATRIX_CSV = """\
box,GB_export_general,GB_import_general,IP51_OP52,CW74_TSW61,TempEx21_TempIm31,EndUse20,ReImport41,ReExport11,Transit80_81,DB_10,NB_02_03,SB_YY_04,SB_SIO_05,EB_YY_07,EB_SIO_08,TIB_09,QIB_11,QIXB_12
A,D,D,D,D,D,D,D,D,D*,L,L,L,L,L,L,L,L,L
1,D,D*,D*,D*,D*,D*,D*,D*,D*,L,L,L,L,L,L,L,,L
2,D,D*,D,D*,D,D*,D,D,D*,L,L,L,L,L,L,L,L,L
3,D,D,D,D,D,D,D,D,D,L,L,L,L,,,L,L,
4,D,D,,,D,D,D,D,D,L,,,,L,L,L,,L
5,D,D,D,D,D,D,D,D,D,L,L,L,L,,L,L,L,L
6,D,D,D,D,D,D,D,D,D,L,L,,,L,L,L,,
7,S,S,S,S,S,S,S,C,S,S,S,S,S,S,S,S,S,S
8,D,D*,D,D*,D,D,D,D,D*,L,L,L,L,L,L,,L,L
9,D,D,D*,D*,D*,D*,D*,D,D*,L,L,,L,,,L,,
10,D,D*,,,,,,,,L,L,,,L,L,L,,
11,D,D,D,D?,D,D,,D,,L,L,,L,L,,L,,
12,D,D,D,D,D,D,D,D,D,L,,,L,L,,L,,
13,D,D?,,,,,,,,L,,,L,L,L,L,,
14,D,D,D,D,D,D,D,D,D,L,L,L,L,L,L,L,L,L
15,D,D,D,D,D,D,D,D,D,L,L,L,L,,L,,L,L
15a,D,D,D,D,D,D,D,D,D,L,L,L,,,,L,L,L
16,D,D,D,D,D,D,D,D,D,L,,,,L,L,L,L,L
17,D,D,,D,D,D,D,D,D,L,L,L,,,L,L,L,L
17a,D,D,,D,D,D,D,D,D,L,L,L,,,L,L,L,L
18,D,D*,D,D?,D,D,D,D,D*,L,L,,,L,L,L,,L
19,D,D,D,D,D,D,D,D,D,L,L,,L,L,,L,L,
20,D,D*,D,D,D,D,D,D,,L,,,L,L,L,,,
21,D,D*,D,D,D,D,D,D,D*,L,L,L,L,,,L,L,
22,D,D,D,D,D,D,D,D,D?,L,,L,L,,,L,L,L
23,D,D,D,D,D,D,D,D,D,L,,L,L,,,L,,
24,D,D,D,D,D,D,D,D,,L,,L,L,,,L,,
25,D,D,D,D,D,D,D,D,D,L,L,L,,,L,L,,
26,D,D,D,D,D,D,D,D,D,L,L,,,L,L,L,,L
27,D,D*,,D,D,D,D,D,,L,L,L,,,L,L,,L
28,D,D,D,D,D,D,D,D,D*,L,L,,L,L,,L,,
29,D,D,D,D,D,D,D,D,D,L,L,L,,,L,L,L,
30,D,D,D,D,D,D,D,D,,L,L,L,,,L,L,,L
31,D,D,G?,D,D,D,D*,D,D*,L,L,L,L,,,L,L,L
32,D,D,D,D,D,D,D,D,D,L,L,L,L,L,L,L,L,L
33,D,D,D,D,D,D,D,D,D,L,L,L,L,,,L,L,L
34,D,D,D,D,D,D,D,D,D,L,,,L,L,,,L,L
35,D,D,D,D,D,D,D,D,D,L,,L,L,,,L,L,L
36,D,D,D,D?,D,D,,D,,L,,L,L,,,,,
37,D,D,D,D,D,D,D,D,D,L,L,L,L,,,L,,
38,D,D,D,D,D,D,D,D,D,L,,L,L,,,L,L,
39,D,D,,,D,D,,D,,L,,,,L,,,,
40,D,D,D,D,D,D,D*,D,D*,L,L*,L*,L*,L*,L*,L,,
41,D,D,D,D,D,D,D,D,,L,L,L,L,,,L,L,L
42,D,D,D,D,D,D,D,D,,L,L,L,L,,,L,L,L
43,,D*,,,D,D,D,D,,L,,L,L,,,,,
44,D,D,D,D*,D*,D,D,D*,D*,L,L*,L,L*,,,L,L,L
45,D,D,D,D,D,D,D,D,D,L,,L,L,,,L,,
46,D,D,D,G?,D,D,D,D,,L,,L,L,,,L,,
47,D,D,D,D,D*,D,D,D,D,L,L,,L,L,L,L,L,
B,D,D,D,D,D,D,D,D,D,L,L,,L,L,L,L,,
48,D,D,D,G?,D,D,D,D,,L,L,L,L,,,L,,
49,D,D?,,D*,,,,,,L,L,,,,L,,,
50,D,D*,,D,D,D,D?,D,,L,L,L,L,L,L,L*,L,L
51,D,D?,,,,,,,D*,L,,,,,,,,
52,D,D?,,,,,,,,L,L,,,L,L,,,
53,D,D?,D,D,D,D,D,D,D*,L,L,L,,L,L,L,L,L
54,D,D,D,D,D,D,D,D,D,L,,L,L,L,L,L*,L,L
C,C,C,C,C,C,C,C,C,C,C,C,C,C,C,C,C,C,C
D,C,C,C,C,C,C,C,C,C,C,C,C,C,C,C,C,C,C
"""

# The order of the form (A, 1 … 47, B, 48 … 54, C, D) is the box table's.
BOX_ORDER: tuple[str, ...] = box_ids()
BOX_RANK: dict[str | None, int] = {b: i for i, b in enumerate(BOX_ORDER)}
GOODS_BOXES = goods_item_boxes()

# Filled under the general rules only in some cases (the box's own rules say when).
CONDITIONAL = frozenset({"3", "4", "9", "20", "28", "30", "39", "40", "41", "48", "49", "51", "52", "B"})


class BoxStatus(StrEnum):
    MUST = "must"
    MAY = "may"
    EMPTY = "empty"
    SYSTEM = "system"
    CUSTOMS = "customs"


FILL_MARKS = frozenset({"D", "D*", "D?", "G?", "L", "L*"})

COLUMN_TITLES: dict[str, tuple[str, str]] = {
    "GB_export_general": ("GB ixrac (ümumi qaydalar)", "GB export (general rules)"),
    "GB_import_general": ("GB idxal (ümumi qaydalar)", "GB import (general rules)"),
    "IP51_OP52": ("Daxildə / xaricdə emal (51, 52)", "Inward / outward processing (51, 52)"),
    "CW74_TSW61": ("Gömrük anbarı / müvəqqəti saxlanc (74, 61)", "Customs warehouse / temporary storage (74, 61)"),
    "TempEx21_TempIm31": ("Müvəqqəti ixrac / idxal (21, 31)", "Temporary export / import (21, 31)"),
    "EndUse20": ("Son istifadə (20)", "End-use (20)"),
    "ReImport41": ("Təkrar idxal (41)", "Re-import (41)"),
    "ReExport11": ("Təkrar ixrac (11)", "Re-export (11)"),
    "Transit80_81": ("Tranzit (80, 81)", "Transit (80, 81)"),
    "DB_10": ("DB 10 — Dövri bəyannamə", "DB 10 — periodic declaration"),
    "NB_02_03": ("NB 02/03 — Natamam bəyannamə", "NB 02/03 — incomplete declaration"),
    "SB_YY_04": ("SB 04 — Sadələşdirilmiş (yardım yükləri)", "SB 04 — simplified (aid cargo)"),
    "SB_SIO_05": ("SB 05 — Sadələşdirilmiş (SİO)", "SB 05 — simplified (AEO)"),
    "EB_YY_07": ("ƏB 07 — Əlavə (yardım yükləri)", "ƏB 07 — supplementary (aid cargo)"),
    "EB_SIO_08": ("ƏB 08 — Əlavə (SİO)", "ƏB 08 — supplementary (AEO)"),
    "TIB_09": ("TİB 09 — Təkrar ixrac bildirişi", "TİB 09 — re-export notification"),
    "QIB_11": ("QİB 11 — Qısa idxal bəyannaməsi", "QİB 11 — short import declaration"),
    "QIXB_12": ("QİXB 12 — Qısa ixrac bəyannaməsi", "QİXB 12 — short export declaration"),
}

GB_PROCEDURE_COLUMNS: dict[str, str] = {
    "51": "IP51_OP52",
    "52": "IP51_OP52",
    "74": "CW74_TSW61",
    "61": "CW74_TSW61",
    "21": "TempEx21_TempIm31",
    "31": "TempEx21_TempIm31",
    "20": "EndUse20",
    "41": "ReImport41",
    "11": "ReExport11",
    "80": "Transit80_81",
    "81": "Transit80_81",
}
TYPE_COLUMNS: dict[str, str] = {
    "10": "DB_10",
    "02": "NB_02_03",
    "03": "NB_02_03",
    "04": "SB_YY_04",
    "05": "SB_SIO_05",
    "07": "EB_YY_07",
    "08": "EB_SIO_08",
    "09": "TIB_09",
    "11": "QIB_11",
    "12": "QIXB_12",
}
# Declaration types bound to one direction (Appendix 15 names; Q-19 for 06, Q-28 for 11).
TYPE_DIRECTIONS: dict[str, str] = {"02": "İD", "03": "İX", "06": "İD", "11": "İD", "12": "İX"}


@dataclass(frozen=True, eq=False)  # one instance per profile (cached): hashed by identity
class Profile:
    column: str
    declaration_type: str
    direction: str | None
    procedure: str | None
    statuses: dict[str, BoxStatus]

    def status(self, box: str) -> BoxStatus:
        return self.statuses.get(box, BoxStatus.EMPTY)

    def fillable(self, box: str) -> bool:
        return self.statuses.get(box) in (BoxStatus.MUST, BoxStatus.MAY)

    def must(self, box: str) -> bool:
        return self.statuses.get(box) is BoxStatus.MUST

    def boxes(self, status: BoxStatus) -> list[str]:
        return [b for b in BOX_ORDER if self.status(b) is status]


@cache
def matrix() -> dict[str, dict[str, str]]:
    """column -> box -> mark, as printed in §4.2."""
    rows = list(csv.DictReader(MATRIX_CSV.splitlines()))
    columns = [c for c in rows[0] if c != "box"]
    return {c: {row["box"]: row[c].strip() for row in rows} for c in columns}


def column_for(declaration_type: str, direction: str | None, procedure: str | None) -> str:
    if declaration_type in TYPE_COLUMNS:
        return TYPE_COLUMNS[declaration_type]
    # GB 01 and SB 06 (Q-19: GB import rules until SB 06 has a methodology of its own).
    if declaration_type == "01" and procedure in GB_PROCEDURE_COLUMNS:
        return GB_PROCEDURE_COLUMNS[procedure]
    return "GB_export_general" if direction == "İX" else "GB_import_general"


def _status(column: str, box: str, mark: str, direction: str | None) -> BoxStatus:
    if mark == "S":
        return BoxStatus.SYSTEM
    if mark == "C":
        return BoxStatus.CUSTOMS
    if box == "13" and column.startswith(("IP", "CW", "Temp", "EndUse", "Re", "Transit")):
        return BoxStatus.MAY  # missing from every special-procedure list; AEO-derived
    if box == "36" and column == "ReImport41":
        return BoxStatus.MAY  # box 36 is optional on re-import, with privilege 020 (P-41-1)
    if box == "1" and column == "QIB_11":
        return BoxStatus.MAY  # not listed; the system sets İD and the procedure
    if mark not in FILL_MARKS:
        return BoxStatus.EMPTY
    if box == "43" and direction == "İX":
        return BoxStatus.EMPTY  # box 43 is an import box whatever the column says
    if box == "A" and column == "Transit80_81":
        return BoxStatus.MAY  # transit: only when an escort declares the goods
    if box in CONDITIONAL:
        return BoxStatus.MAY
    return BoxStatus.MUST


@cache
def profile_for(declaration_type: str | None, direction: str | None, procedure: str | None) -> Profile:
    declaration_type = declaration_type or "01"
    column = column_for(declaration_type, direction, procedure)
    marks = matrix()[column]
    statuses = {box: _status(column, box, marks.get(box, ""), direction) for box in BOX_ORDER}
    return Profile(column, declaration_type, direction, procedure, statuses)


def profile_keys() -> list[tuple[str, str, str | None]]:
    """Every declaration type × direction × procedure combination the engine distinguishes."""
    ref = packaged_reference()
    procedures = [e.code for e in ref.entries("procedures")]
    keys: list[tuple[str, str, str | None]] = []
    for dtype in [e.code for e in ref.entries("declaration-types")]:
        for direction in ("İX", "İD"):
            if TYPE_DIRECTIONS.get(dtype, direction) != direction:
                continue
            if dtype == "01":
                keys.extend((dtype, direction, p) for p in procedures)
            else:
                keys.append((dtype, direction, None))
    return keys
