"""The customs bodies' hierarchy: post → department → State Customs Committee.

Appendix 11 lists departments (``DDD00``, level ``department``) and the posts under them
(``DDDPP``, level ``post``, ``parent_code`` = their department; spec §5.11). The Committee itself
is not in the appendix: the system names it :data:`COMMITTEE`, the office code of its officers.
A complaint against a decision goes to the superior body of the office that took it (S002
§3.5, Customs Code art. 51).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from gomruk.reference.snapshot import ReferenceData, current_reference

#: The State Customs Committee (Dövlət Gömrük Komitəsi): above every department.
COMMITTEE = "00000"
COMMITTEE_NAME = ("Dövlət Gömrük Komitəsi", "State Customs Committee")

OFFICES = "customs-offices"


@dataclass(frozen=True)
class Office:
    code: str
    level: str  # "post" | "department" | "committee"
    name_az: str
    name_en: str
    parent: str | None


def office(code: str | None, *, on: date | None = None, reference: ReferenceData | None = None) -> Office | None:
    """The body with this code (the Committee included), or None if no such body exists."""
    if not code:
        return None
    if code == COMMITTEE:
        return Office(COMMITTEE, "committee", COMMITTEE_NAME[0], COMMITTEE_NAME[1], None)
    entry = (reference or current_reference()).lookup(OFFICES, code, on)
    if entry is None:
        return None
    level = str(entry.attributes.get("level") or ("department" if code.endswith("00") else "post"))
    parent = str(entry.attributes.get("parent_code") or "") or None
    return Office(entry.code, level, entry.name_az, entry.name_en, parent)


def superior_office(code: str | None, *, on: date | None = None, reference: ReferenceData | None = None) -> str | None:
    """The superior body: a post's department, a department's Committee. A post whose
    department is not in the classifier goes to the Committee; the Committee has none."""
    found = office(code, on=on, reference=reference)
    if found is None or found.level == "committee":
        return None
    if found.level == "post" and found.parent and office(found.parent, on=on, reference=reference):
        return found.parent
    return COMMITTEE
