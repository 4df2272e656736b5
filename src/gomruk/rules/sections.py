"""The five data-entry sections of the e-service (S000 step 4c) and their boxes (spec §1.1.5).

§1.1.5 leaves box 10 (first country of destination) out; it is a header country box like 11,
15–17a, so it belongs to "general" here.

The portal validates one section at a time: ``validate(document, boxes=SECTION_BOXES[...])``.
"""

from __future__ import annotations

SECTION_BOXES: dict[str, frozenset[str]] = {
    "general": frozenset(
        {"A", "1", "3", "4", "5", "6", "7", "10", "11", "12", "13", "15", "15a", "16", "17", "17a",
         "20", "22", "23", "24", "29", "30", "40", "48", "49", "51", "52", "53"}
    ),
    "participants": frozenset({"2", "8", "9", "14", "28", "50", "54"}),
    "transport": frozenset({"18", "19", "21", "25", "26", "27"}),
    "goods": frozenset({str(n) for n in range(31, 48)} | {"B"}),
    "summary": frozenset({"5", "6", "12", "22", "B", "44"}),
}

SECTION_TITLES: dict[str, tuple[str, str]] = {
    "general": ("Ümumi məlumat", "General information"),
    "participants": ("XİFİ haqqında məlumat", "Foreign-trade participants"),
    "transport": ("Nəqliyyat haqqında məlumat", "Transport"),
    "goods": ("Mallar haqqında məlumat", "Goods"),
    "summary": ("Yekun – Sənədlərin surətlərinin əlavə olunması", "Summary – document copies"),
}
