"""The criteria a risk profile can hold, checked once when a profile is saved and compiled to
plain functions over :class:`Facts` when the engine loads the profiles.

A criterion is ``{"kind": …, "params": {…}, "weight": 0–100, "channel": "" | green | …}``:
when it matches it adds its weight to the score, and a non-empty ``channel`` forces at least
that channel. Item-level criteria also say which goods items matched.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from gomruk.core.errors import Bilingual, GomrukError
from gomruk.risk.errors import ERRORS

CHANNELS = ("green", "blue", "yellow", "red")
SEVERITY = {channel: rank for rank, channel in enumerate(CHANNELS)}


@dataclass(frozen=True)
class ItemFacts:
    number: int
    commodity_code: str
    origin: frozenset[str]
    documents: frozenset[str]
    value_per_kg: Decimal | None
    value_per_unit: Decimal | None
    procedure_code: str


@dataclass
class Facts:
    """What the engine knows of one declaration: its document and the trader's history."""

    office_code: str
    procedure: str
    dispatch: frozenset[str]
    trader_aeo: bool
    trader_refusals: int
    items: list[ItemFacts]
    _by_prefix_length: dict[int, dict[str, list[int]]] = field(default_factory=dict)
    _by_origin: dict[str, list[int]] = field(default_factory=dict)
    _by_document: dict[str, list[int]] = field(default_factory=dict)
    _memo: dict[tuple[str, tuple[str, ...]], list[int]] = field(default_factory=dict)
    per_kg: dict[int, Decimal] = field(default_factory=dict)
    per_unit: dict[int, Decimal] = field(default_factory=dict)
    numbers: list[int] = field(default_factory=list)

    def __post_init__(self) -> None:
        # Indexes built once per declaration so that each of the hundreds of criteria is a
        # few dictionary look-ups rather than a walk over every goods item.
        for item in self.items:
            self.numbers.append(item.number)
            for country in item.origin:
                self._by_origin.setdefault(country, []).append(item.number)
            for document in item.documents:
                self._by_document.setdefault(document, []).append(item.number)
            if item.value_per_kg is not None:
                self.per_kg[item.number] = item.value_per_kg
            if item.value_per_unit is not None:
                self.per_unit[item.number] = item.value_per_unit

    def _prefix_index(self, length: int) -> dict[str, list[int]]:
        index = self._by_prefix_length.get(length)
        if index is None:
            index = {}
            for item in self.items:
                if len(item.commodity_code) >= length:
                    index.setdefault(item.commodity_code[:length], []).append(item.number)
            self._by_prefix_length[length] = index
        return index

    def items_with_prefix(self, prefixes: tuple[str, ...]) -> list[int]:
        key = ("prefix", prefixes)
        found = self._memo.get(key)
        if found is None:
            numbers: set[int] = set()
            for prefix in prefixes:
                numbers.update(self._prefix_index(len(prefix)).get(prefix, ()))
            found = self._memo[key] = sorted(numbers)
        return found

    def items_from(self, countries: tuple[str, ...]) -> list[int]:
        key = ("origin", countries)
        found = self._memo.get(key)
        if found is None:
            numbers: set[int] = set()
            for country in countries:
                numbers.update(self._by_origin.get(country, ()))
            found = self._memo[key] = sorted(numbers)
        return found

    def items_with_document(self, code: str) -> set[int]:
        return set(self._by_document.get(code, ()))


#: A compiled criterion: the goods items that matched (``[0]`` for a header-level match),
#: empty when it does not match.
Check = Callable[[Facts], list[int]]
HEADER = [0]


def _codes(params: dict[str, Any], key: str, field_az: str, field_en: str) -> list[str]:
    raw = params.get(key)
    if isinstance(raw, str):
        raw = list(raw.replace(";", ",").split(","))
    codes = [str(code).strip().upper() for code in raw or [] if str(code).strip()]
    if not codes or any(not code.isalnum() or len(code) > 10 for code in codes):
        raise _invalid(key, f"{field_az}: ən azı bir kod yazın (vergüllə ayrılmış).",
                       f"{field_en}: give at least one code (comma-separated).")
    return codes


def _reference(params: dict[str, Any]) -> Decimal:
    try:
        value = Decimal(str(params.get("reference", "")).strip().replace(",", "."))
    except InvalidOperation:
        value = Decimal(-1)
    if not value.is_finite() or value <= 0:
        raise _invalid("reference", "İstinad dəyəri müsbət ədəd olmalıdır (AZN).",
                       "The reference value must be a positive number (AZN).")
    return value


def _prefixes(params: dict[str, Any]) -> tuple[str, ...] | None:
    if not str(params.get("commodity_prefix") or "").strip():
        return None
    return tuple(_codes(params, "commodity_prefix", "XİF MN kodu", "Commodity code"))


def _invalid(field_name: str, message_az: str, message_en: str) -> GomrukError:
    return ERRORS.error(
        "invalid_criterion", status=422, details={"field": field_name}, reason=Bilingual(message_az, message_en)
    )


def _commodity_prefix(params: dict[str, Any]) -> Check:
    prefixes = tuple(_codes(params, "prefixes", "XİF MN kodunun əvvəli", "Commodity code prefix"))
    return lambda facts: facts.items_with_prefix(prefixes)


def _origin_country(params: dict[str, Any]) -> Check:
    countries = tuple(_codes(params, "countries", "Mənşə ölkəsi", "Country of origin"))
    return lambda facts: facts.items_from(countries)


def _dispatch_country(params: dict[str, Any]) -> Check:
    countries = frozenset(_codes(params, "countries", "Göndərən ölkə", "Country of dispatch"))
    return lambda facts: HEADER if facts.dispatch & countries else []


def _procedure(params: dict[str, Any]) -> Check:
    codes = tuple(_codes(params, "codes", "Prosedur", "Procedure"))

    def check(facts: Facts) -> list[int]:
        if facts.procedure in codes:
            return HEADER
        return [i.number for i in facts.items if i.procedure_code.startswith(codes)]

    return check


def _value_below(attribute: str) -> Callable[[dict[str, Any]], Check]:
    def build(params: dict[str, Any]) -> Check:
        reference = _reference(params)
        prefixes = _prefixes(params)

        def check(facts: Facts) -> list[int]:
            values: dict[int, Decimal] = getattr(facts, attribute)
            if prefixes is None:
                return [n for n, value in values.items() if value < reference]
            found = []
            for number in facts.items_with_prefix(prefixes):
                value = values.get(number)
                if value is not None and value < reference:
                    found.append(number)
            return found

        return check

    return build


def _trader_not_aeo(params: dict[str, Any]) -> Check:
    return lambda facts: [] if facts.trader_aeo else HEADER


def _trader_refusals(params: dict[str, Any]) -> Check:
    try:
        at_least = int(params.get("at_least", 1))
    except (TypeError, ValueError):
        at_least = 0
    if at_least < 1:
        raise _invalid("at_least", "İmtinaların sayı 1 və ya daha çox olmalıdır.",
                       "The number of refusals must be 1 or more.")
    return lambda facts: HEADER if facts.trader_refusals >= at_least else []


def _office(params: dict[str, Any]) -> Check:
    offices = frozenset(_codes(params, "offices", "Gömrük orqanı", "Customs office"))
    return lambda facts: HEADER if facts.office_code in offices else []


def _document_missing(params: dict[str, Any]) -> Check:
    code = _codes(params, "code", "Sənəd kodu", "Document code")[0]
    prefixes = _prefixes(params)

    def check(facts: Facts) -> list[int]:
        having = facts.items_with_document(code)
        candidates = facts.items_with_prefix(prefixes) if prefixes else facts.numbers
        return [n for n in candidates if n not in having]

    return check


def _document_present(params: dict[str, Any]) -> Check:
    code = _codes(params, "code", "Sənəd kodu", "Document code")[0]
    return lambda facts: sorted(facts.items_with_document(code))


@dataclass(frozen=True)
class Kind:
    build: Callable[[dict[str, Any]], Check]
    label_az: str
    label_en: str
    params: tuple[str, ...]


KINDS: dict[str, Kind] = {
    "commodity_prefix": Kind(_commodity_prefix, "XİF MN kodu ilə başlayır", "Commodity code starts with", ("prefixes",)),
    "origin_country": Kind(_origin_country, "Mənşə ölkəsi", "Country of origin", ("countries",)),
    "dispatch_country": Kind(_dispatch_country, "Göndərən ölkə", "Country of dispatch", ("countries",)),
    "procedure": Kind(_procedure, "Prosedur", "Procedure", ("codes",)),
    "value_per_kg_below": Kind(_value_below("per_kg"), "1 kq-ın dəyəri istinaddan aşağıdır (AZN)",
                               "Value per kg below the reference (AZN)", ("reference", "commodity_prefix")),
    "value_per_unit_below": Kind(_value_below("per_unit"), "Vahidin dəyəri istinaddan aşağıdır (AZN)",
                                 "Value per unit below the reference (AZN)", ("reference", "commodity_prefix")),
    "trader_not_aeo": Kind(_trader_not_aeo, "XİFİ SİO deyil", "Trader is not an AEO", ()),
    "trader_refusals": Kind(_trader_refusals, "XİFİ-yə son 365 gündə imtina edilib",
                            "Trader refused in the last 365 days", ("at_least",)),
    "office": Kind(_office, "Gömrük orqanı", "Customs office", ("offices",)),
    "document_missing": Kind(_document_missing, "Sənəd təqdim edilməyib (44)", "Document missing (box 44)",
                             ("code", "commodity_prefix")),
    "document_present": Kind(_document_present, "Sənəd təqdim edilib (44)", "Document present (box 44)", ("code",)),
}


def clean_criterion(raw: Any, index: int) -> dict[str, Any]:
    """A criterion as stored, or a 422 naming the criterion and the field."""
    if not isinstance(raw, dict):
        raise _invalid(f"criteria/{index}", f"{index + 1}-ci meyar obyekt olmalıdır.",
                       f"Criterion {index + 1} must be an object.")
    kind = str(raw.get("kind") or "")
    if kind not in KINDS:
        raise ERRORS.error(
            "invalid_criterion#kind", status=422,
            details={"field": f"criteria/{index}/kind", "allowed": sorted(KINDS)}, number=index + 1, kind=kind,
        )
    params = raw.get("params") or {}
    if not isinstance(params, dict):
        params = {}
    params = {key: params[key] for key in KINDS[kind].params if key in params}
    channel = str(raw.get("channel") or "")
    try:
        weight = int(raw.get("weight") or 0)
    except (TypeError, ValueError):
        weight = -1
    if channel and channel not in CHANNELS:
        raise _at(index, "channel", f"«{channel}» dəhlizi yoxdur.", f"Unknown channel '{channel}'.")
    if not 0 <= weight <= 100:
        raise _at(index, "weight", "Çəki 0 ilə 100 arasında olmalıdır.", "The weight must be between 0 and 100.")
    if not weight and not channel:
        raise _at(index, "weight", "Meyara çəki və ya məcburi dəhliz verin.", "Give the criterion a weight or a forced channel.")
    try:
        KINDS[kind].build(params)
    except GomrukError as error:
        field_name = error.details.get("field", "params")
        raise _at(index, f"params/{field_name}", error.message_az, error.message_en) from error
    return {"kind": kind, "params": params, "weight": weight, "channel": channel}


def _at(index: int, field_name: str, message_az: str, message_en: str) -> GomrukError:
    return ERRORS.error(
        "invalid_criterion#at", status=422, details={"field": f"criteria/{index}/{field_name}"},
        number=index + 1, reason=Bilingual(message_az, message_en),
    )


def compile_criterion(stored: dict[str, Any]) -> Check:
    return KINDS[stored["kind"]].build(stored.get("params") or {})


def describe(stored: dict[str, Any], english: bool) -> str:
    kind = KINDS.get(stored.get("kind", ""))
    if kind is None:
        return str(stored.get("kind"))
    values = ", ".join(f"{v}" for v in (stored.get("params") or {}).values() if v not in (None, "", []))
    label = kind.label_en if english else kind.label_az
    return f"{label}: {values}" if values else label
