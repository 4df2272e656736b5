"""The five data-entry sections of the e-service (S000 step 4c) and their boxes (spec §1.1.5).

§1.1.5 leaves box 10 (first country of destination) out; it is a header country box like 11,
15–17a, so it belongs to "general" here.

The portal validates one section at a time: ``validate(document, boxes=SECTION_BOXES[...])``.
"""

from __future__ import annotations

from gomruk.document.boxes import SECTIONS, section_boxes

# Which boxes a section shows is a column of the box table (gomruk/document/data/boxes.csv).
SECTION_BOXES: dict[str, frozenset[str]] = {section: section_boxes(section) for section in SECTIONS}

SECTION_TITLES: dict[str, tuple[str, str]] = {
    "general": ("Ümumi məlumat", "General information"),
    "participants": ("XİFİ haqqında məlumat", "Foreign-trade participants"),
    "transport": ("Nəqliyyat haqqında məlumat", "Transport"),
    "goods": ("Mallar haqqında məlumat", "Goods"),
    "summary": ("Yekun – Sənədlərin surətlərinin əlavə olunması", "Summary – document copies"),
}
