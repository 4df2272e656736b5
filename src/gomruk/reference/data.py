"""The classifier data files shipped in the package (``reference/data/classifiers``)."""

from __future__ import annotations

import csv
import json
from dataclasses import dataclass, field
from datetime import date
from functools import cache
from importlib import resources
from typing import Any

BASE_COLUMNS = ("key", "code", "name_az", "name_en", "valid_from", "valid_to", "note")


@dataclass(frozen=True)
class ClassifierSpec:
    name: str
    file: str
    appendix: str
    title_az: str
    title_en: str
    boxes: tuple[str, ...]
    extra_columns: tuple[str, ...]


@dataclass(frozen=True)
class Entry:
    key: str
    code: str
    name_az: str
    name_en: str
    valid_from: date | None = None
    valid_to: date | None = None
    note: str = ""
    attributes: dict[str, Any] = field(default_factory=dict, hash=False, compare=False)

    def valid_on(self, on: date | None) -> bool:
        if on is None:
            return True
        if self.valid_from and on < self.valid_from:
            return False
        return not (self.valid_to and on > self.valid_to)

    def data(self) -> dict[str, Any]:
        return {
            "key": self.key,
            "code": self.code,
            "name_az": self.name_az,
            "name_en": self.name_en,
            "valid_from": self.valid_from.isoformat() if self.valid_from else None,
            "valid_to": self.valid_to.isoformat() if self.valid_to else None,
            "note": self.note,
            "attributes": dict(self.attributes),
        }


def _folder() -> Any:
    return resources.files("gomruk.reference") / "data" / "classifiers"


def _date(value: str) -> date | None:
    return date.fromisoformat(value) if value else None


@cache
def manifest() -> tuple[ClassifierSpec, ...]:
    raw = json.loads((_folder() / "manifest.json").read_text(encoding="utf-8"))
    return tuple(
        ClassifierSpec(
            name=item["name"],
            file=item["file"],
            appendix=str(item.get("appendix", "")),
            title_az=item["title_az"],
            title_en=item["title_en"],
            boxes=tuple(str(b) for b in item.get("boxes", [])),
            extra_columns=tuple(item.get("extra_columns", [])),
        )
        for item in raw
    )


def read_entries(spec: ClassifierSpec) -> list[Entry]:
    text = (_folder() / spec.file).read_text(encoding="utf-8")
    reader = csv.DictReader(text.splitlines())
    missing = [c for c in BASE_COLUMNS if c not in (reader.fieldnames or [])]
    if missing:
        raise ValueError(f"{spec.file}: missing columns {missing}")
    entries = []
    for row in reader:
        entries.append(
            Entry(
                key=row["key"],
                code=row["code"],
                name_az=row["name_az"],
                name_en=row["name_en"],
                valid_from=_date(row["valid_from"]),
                valid_to=_date(row["valid_to"]),
                note=row["note"],
                attributes={k: v for k, v in row.items() if k not in BASE_COLUMNS and k is not None},
            )
        )
    return entries
