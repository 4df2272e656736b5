"""Options of the searchable classifier inputs (a ``<datalist>`` per classifier and page)."""

from __future__ import annotations

import weakref
import zlib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.utils import timezone, translation
from django.utils.html import format_html, format_html_join

from gomruk.core.i18n import is_english, pick
from gomruk.declarations.pickers import (
    COMMODITY_FIELD,
    Profile,
    commodity_choices,
    is_picker,
    offered,
    tariff_lines,
)
from gomruk.declarations.portal_input import template_of
from gomruk.reference.snapshot import ReferenceData, current_reference


@dataclass(frozen=True)
class Option:
    value: str
    label: str


@dataclass(frozen=True)
class DataList:
    dom_id: str
    options: tuple[Option, ...]

    @property
    def html(self) -> str:
        """The whole ``<datalist>``, rendered once per classifier, attribute and language: the
        country list alone is 250 options, on every section page."""
        key = (self.dom_id, translation.get_language() or "az", self.options)
        found = _html_cache.get(key)
        if found is None:
            rows = format_html_join("", '<option value="{}">{}</option>', ((o.value, o.label) for o in self.options))
            found = format_html('<datalist id="{}">{}</datalist>', self.dom_id, rows)
            if len(_html_cache) > 256:
                _html_cache.clear()
            _html_cache[key] = found
        return found


_html_cache: dict[tuple[str, str, tuple[Option, ...]], str] = {}


# Built once per reference snapshot and language: a page with 100 goods rows reuses them.
_cache: weakref.WeakKeyDictionary[ReferenceData, dict[tuple[str, str | None, str], tuple[Option, ...]]] = (
    weakref.WeakKeyDictionary()
)


def options(name: str, attribute: str | None = None, reference: ReferenceData | None = None) -> tuple[Option, ...]:
    reference = reference or current_reference()
    english = is_english()
    key = (name, attribute, "en" if english else "az")
    table = _cache.setdefault(reference, {})
    found = table.get(key)
    if found is None:
        today = timezone.localdate()
        seen: set[str] = set()
        rows: list[Option] = []
        for entry in reference.entries(name):
            if not entry.valid_on(today):
                continue
            value = entry.attributes.get(attribute, "") if attribute else entry.code
            if not value or value in seen:
                continue
            seen.add(value)
            title = entry.name_en if english and entry.name_en else entry.name_az
            rows.append(Option(value=value, label=f"{value} — {title}" if value != entry.code else title))
        found = table[key] = tuple(rows)
    return found


def picker_datalists(inputs: Iterable[Any], data: Mapping[str, Any]) -> list[DataList]:
    """One datalist per set of offered codes: what each field's rules accept for this
    declaration (:func:`gomruk.declarations.pickers.offered` — box 10 in alpha-3 on an import,
    box 1's procedures of its direction). An option's value is the code and its text the name
    in the active language, so one box finds a row by code or by name."""
    profile = Profile.of(data, timezone.localdate())
    reference = current_reference()
    lists: dict[str, DataList] = {}
    # The grid repeats a field per item (and per box-44/47 line): its offered codes are one
    # cached tuple, turned into options once (the object is kept so its id stays its own).
    keys: dict[int, tuple[tuple[Any, ...], str]] = {}
    for item in inputs:
        path = getattr(item, "path", "")
        if not getattr(item, "list_key", "") or not is_picker(path):
            continue
        choices = offered(template_of(path), profile, reference, data)
        known = keys.get(id(choices))
        if known is None:
            rows = tuple(Option(value=c.code, label=pick(c.name_az, c.name_en)) for c in choices)
            key = f"{getattr(item, 'classifier', None) or 'codes'}-{zlib.crc32(repr([o.value for o in rows]).encode()):08x}"
            lists.setdefault(key, DataList(dom_id=f"dl-{key}", options=rows))
            known = keys[id(choices)] = (choices, key)
        item.list_key = known[1]
    return list(lists.values())


def datalists(inputs: Iterable[object]) -> list[DataList]:
    """One datalist per classifier used by the given inputs."""
    from gomruk.portal.fields import CLASSIFIER_FIELDS

    wanted: dict[str, tuple[str, str | None]] = {}
    for item in inputs:
        key = getattr(item, "list_key", "")
        spec = CLASSIFIER_FIELDS.get(template_of(getattr(item, "path", ""))) if key else None
        if spec is not None:
            wanted.setdefault(key, spec)
    reference = current_reference()
    return [DataList(dom_id=f"dl-{key}", options=options(name, attribute, reference)) for key, (name, attribute) in wanted.items()]


def label_of(name: str, code: str | None, reference: ReferenceData | None = None) -> str:
    """A classifier code's name in the active language ('' when unknown)."""
    if not code:
        return ""
    entry = (reference or current_reference()).lookup(name, code)
    if entry is None:
        return ""
    english = is_english()
    return entry.name_en if english and entry.name_en else entry.name_az


def commodity_search(inputs: Iterable[Any], search_url: str, on: date) -> None:
    """Box 33 inputs search the nomenclature as one types (``search_url`` answers a
    ``<datalist>``), and say which tariff lines their code falls under."""
    for item in inputs:
        if template_of(getattr(item, "path", "")) != COMMODITY_FIELD:
            continue
        item.search_url = search_url
        if item.value and not item.pending:
            lines = tariff_lines(item.value, on)
            item.hint = "; ".join(f"{line['payment_type']}: {line['rate']} — {pick(line['az'], line['en'])}" for line in lines)


def commodity_datalist(dom_id: str, query: str, on: date) -> DataList:
    """The nomenclature codes matching what was typed into a box 33 input, each labelled with
    its name and import duty."""
    rows = []
    for found in commodity_choices(query, on=on, limit=30):
        duty = next((line["rate"] for line in found["tariff"] if line["payment_type"] == "20"), "")
        name = pick(found["name_az"], found["name_en"])
        rows.append(Option(value=found["code"], label=f"{name} · 20: {duty}" if duty else name))
    return DataList(dom_id=dom_id, options=tuple(rows))
