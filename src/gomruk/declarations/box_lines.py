"""A box's repeated lines written in one cell, the way brokers keep them in a goods list.

Box 44: ``8001:INV-1:12.03.2026; 2015:CMR-778812:10.03.2026`` — each document
``code[ short name]:number[:T1[:T2]]``, documents separated by ``;`` or a line break. The
Methodology's own notation ``8 8001/INV-1/12.03.2026`` is read too (``/`` separates the parts
when the entry has no ``:``, so a number such as ``INV/2026/7`` needs the ``:`` form). The box-44
line is the code's first digit (V-44-3) unless the entry starts with it (``3 2022:…``, the TIR
carnet on line 3).

Box 47: ``20:01; 32:03`` — each line ``payment type[:method]`` (Appendix 10 method, the letter
alias too); the amounts are the calculation's.

What cannot be read is reported, never dropped; the document model judges the values after.
"""

from __future__ import annotations

import re
from typing import Any

from gomruk.declarations.portal_input import coerce
from gomruk.document.shape import FieldType

Problem = tuple[str, str]  # (az, en)

_SEPARATOR = re.compile(r"[;\n]")
_LINE_FIRST = re.compile(r"^([1-9])\s+(?=\d)")
_DATE = FieldType("date")


def _entries(raw: str) -> list[str]:
    return [part.strip() for part in _SEPARATOR.split(raw) if part.strip()]


def _document(entry: str) -> tuple[dict[str, Any] | None, Problem | None]:
    text, line = entry, None
    first = _LINE_FIRST.match(text)
    if first is not None:
        line, text = int(first.group(1)), text[first.end() :]
    parts = [part.strip() for part in text.split(":" if ":" in text else "/")]
    if not 2 <= len(parts) <= 4 or not parts[0] or not parts[1]:
        return None, (
            f"«{entry}» oxunmadı: «kod:nömrə[:tarix[:son tarix]]» yazın",
            f"'{entry}' cannot be read: write 'code:number[:date[:valid until]]'",
        )
    code, _, short_name = parts[0].partition(" ")
    if line is None:
        if code[:1] not in tuple("123456789"):
            return None, (
                f"«{entry}»: sətir kodun birinci rəqəmindən tapılmadı; kodu 13 nömrəli əlavədən yazın",
                f"'{entry}': the line cannot be told from the code; give an Appendix 13 code",
            )
        line = int(code[0])
    row: dict[str, Any] = {"line": line, "code": code, "number": parts[1]}
    if short_name.strip():
        row["short_name"] = short_name.strip()
    for name, value in zip(("issued_on", "valid_until"), parts[2:], strict=False):
        if value:
            row[name] = coerce(_DATE, value)
    return row, None


def _payment(entry: str) -> tuple[dict[str, Any] | None, Problem | None]:
    parts = [part.strip() for part in entry.split(":")]
    if len(parts) > 2 or not parts[0]:
        return None, (
            f"«{entry}» oxunmadı: «növ:ÖÜ» yazın (məs. 20:01)",
            f"'{entry}' cannot be read: write 'type:method' (e.g. 20:01)",
        )
    row: dict[str, Any] = {"payment_type": parts[0]}
    if len(parts) == 2 and parts[1]:
        row["method"] = parts[1]
    return row, None


READERS = {"documents": _document, "payments": _payment}


def read_lines(column: str, raw: str) -> tuple[list[dict[str, Any]], list[Problem]]:
    """The lines of one cell of ``column`` (documents, payments) and what could not be read."""
    read = READERS[column]
    lines: list[dict[str, Any]] = []
    problems: list[Problem] = []
    for entry in _entries(raw):
        row, problem = read(entry)
        if row is not None:
            lines.append(row)
        if problem is not None:
            problems.append(problem)
    return lines, problems
