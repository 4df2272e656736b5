"""Pickers that agree with the rules (issue 16.2): the codes a classifier field offers are the
codes its rules accept for this declaration, searched by code and by name (az/en) in one box.

A field's candidates are the rows of its classifier valid on the date, in the column the field
stores (box 10: alpha-3 on import, alpha-2 on export — V-10-1). Each candidate is then put into
a small document of this declaration's type, direction and procedure and the rules of the
field's box are run (:func:`gomruk.rules.engine.validate`): a code any rule reports at the field
is not offered. The rules are the one judge, so the picker cannot drift from them (e.g. box 1's
procedures follow the direction: "10 İxrac" is not offered on an İD). Answers are cached per
field, profile, date and classifier snapshot.

:func:`resolve` reads what a person typed: a code in another column the world writes ("USD" in
box 22, "FCA" in box 20, "TR" where alpha-3 is due, "BQ" for a guarantee) is stored in the
spec's form; a *name* typed into a code field ("Türkiyə") is not stored as a code — the caller
keeps it as pending input with what the field expected.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from functools import cache
from typing import Any

from django.utils import timezone
from pydantic import ValidationError

from gomruk.core.i18n import pick
from gomruk.declarations.errors import ERRORS
from gomruk.declarations.portal_input import set_value
from gomruk.document.model import Declaration as Document
from gomruk.document.model import pointer as spell
from gomruk.document.shape import box_pointers, locate
from gomruk.duties.selectors import tariff_snapshot
from gomruk.duties.tariff import EXCISE, EXPORT_DUTY, VAT
from gomruk.reference.data import Entry
from gomruk.reference.nomenclature import current_nomenclature
from gomruk.reference.snapshot import ReferenceData, current_reference
from gomruk.rules.base import REGISTRY, FieldRule
from gomruk.rules.engine import validate
from gomruk.rules.registry import autodiscover

#: Field (pointer template) → (classifier, the column it stores; None: the code).
CLASSIFIER_FIELDS: dict[str, tuple[str, str | None]] = {
    "/declaration_type": ("declaration-types", None),
    "/procedure": ("procedures", None),
    "/office_of_dispatch/office_code": ("customs-offices", None),
    "/aeo_indicator": ("aeo-indicators", None),
    "/container_indicator": ("container-indicators", None),
    "/delivery_terms/code": ("delivery-terms", None),
    "/delivery_terms/settlement_code": ("settlement-codes", None),
    "/invoice_currency": ("currencies", None),
    "/border_transport_mode": ("transport-modes", None),
    "/inland_transport_mode": ("transport-modes", None),
    "/border_office": ("customs-offices", None),
    "/goods_location": ("customs-offices", None),
    "/warehouse/office_code": ("customs-offices", None),
    "/departure_office/office_codes": ("customs-offices", None),
    "/destination_office/office_codes": ("customs-offices", None),
    "/departure_office/country": ("countries", None),
    "/destination_office/country": ("countries", None),
    "/guarantee/code": ("guarantee-types", None),
    "/guarantee/letter": ("guarantee-types", "letter"),
    "/departure_transport/nationality": ("countries", None),
    "/border_transport/nationality": ("countries", None),
    "/accounting/lines/*/payment_type": ("payment-types", None),
    "/accounting/lines/*/currency": ("currencies", None),
    "/accounting/lines/*/guarantee": ("guarantee-types", None),
    "/goods/*/origin_country/alpha": ("countries", "alpha2"),
    "/goods/*/origin_country/numeric": ("countries", None),
    "/goods/*/privilege": ("privileges", None),
    "/goods/*/supplementary_unit": ("units", None),
    "/goods/*/quantity_unit": ("units", "abbrev_az"),
    "/goods/*/invoice_currency": ("currencies", None),
    "/goods/*/valuation/adjusted": ("valuation-adjustments", None),
    "/goods/*/valuation/method": ("valuation-methods", None),
    "/goods/*/documents/*/code": ("document-types", None),
    "/goods/*/payments/*/payment_type": ("payment-types", None),
    "/goods/*/payments/*/method": ("payment-methods", None),
}
#: The country boxes whose letter and numeric codes are one Appendix 3 row (V-10-1 … V-17a-1).
COUNTRY_PAIRS = ("first_destination_country", "trading_country", "dispatch_country", "destination_country")
for _country in COUNTRY_PAIRS:
    CLASSIFIER_FIELDS[f"/{_country}/alpha"] = ("countries", "alpha2")
    CLASSIFIER_FIELDS[f"/{_country}/numeric"] = ("countries", None)

#: Other columns of a classifier that name the same row: what people type instead of the code.
ALIAS_COLUMNS: dict[str, tuple[str, ...]] = {
    "countries": ("alpha2", "alpha3", "numeric"),
    "currencies": ("alpha",),
    "delivery-terms": ("incoterm", "abbrev_az"),
    "guarantee-types": ("letter",),
    "units": ("abbrev_az",),
}

_INDEX = re.compile(r"/\d+(?=/|$)")


def template_of(path: str) -> str:
    return _INDEX.sub("/*", path)


@dataclass(frozen=True)
class Profile:
    """What the offered codes depend on: the declaration's box 1 and the date."""

    declaration_type: str
    direction: str | None
    procedure: str | None
    on: date

    @classmethod
    def of(cls, data: Mapping[str, Any], on: date) -> Profile:
        return cls(
            declaration_type=str(data.get("declaration_type") or "01"),
            direction=str(data["direction"]) if data.get("direction") else None,
            procedure=str(data["procedure"]) if data.get("procedure") else None,
            on=on,
        )


@dataclass(frozen=True)
class Choice:
    code: str  # the value the field stores
    name_az: str
    name_en: str
    classifier_code: str  # the row's own code (for a country alpha field: its numeric code)

    def name(self, language: str | None) -> str:
        return pick(self.name_az, self.name_en or self.name_az, language)

    def data(self) -> dict[str, str]:
        return {"code": self.code, "name_az": self.name_az, "name_en": self.name_en}


def country_alpha_column(box_id: str, direction: str | None) -> str:
    """The Appendix 3 letter column a country box stores (V-10-1: alpha-3 in box 10 on an
    import; alpha-2 elsewhere, Q-45, Q-46)."""
    return "alpha3" if box_id == "10" and direction == "İD" else "alpha2"


def is_picker(path: str) -> bool:
    return template_of(path) in CLASSIFIER_FIELDS


def column_of(template: str, direction: str | None) -> str | None:
    """The classifier column a field stores for this direction (box 10: alpha-3 on import)."""
    classifier, column = CLASSIFIER_FIELDS[template]
    if template == "/first_destination_country/alpha":
        return country_alpha_column("10", direction)
    return column


def _value(entry: Entry, column: str | None) -> str:
    return str(entry.attributes.get(column, "") if column else entry.code)


# --- What the rules accept ----------------------------------------------------------------------


def _concrete(template: str) -> str:
    return template.replace("*", "0")


def _probe(
    template: str, value: str, entry: Entry, profile: Profile, column: str | None, context: Mapping[str, Any]
) -> dict[str, Any]:
    """A small document of this profile with ``value`` in the field (and, for a country pair,
    the same row's other code, so the pair rule judges the row, not a missing half), plus the
    header boxes the field's rules compare it with (``context``: box 22 for an item's currency)."""
    data: dict[str, Any] = {**context, "declaration_type": profile.declaration_type}
    if profile.direction:
        data["direction"] = profile.direction
    if profile.procedure:
        data["procedure"] = profile.procedure
    pointer = _concrete(template)
    set_value(data, pointer, [value] if template.endswith("/office_codes") else value)
    for sibling in _siblings(template):  # the same row's other code (box 10's numeric, 52's letter)
        sibling_pointer = _concrete(sibling)
        set_value(data, sibling_pointer, _value(entry, column_of(sibling, profile.direction)))
    if template == "/goods/*/documents/*/code" and value[:1].isdigit():
        # Box 44: a code's first digit is the line it goes on (the line is typed beside it).
        set_value(data, "/goods/0/documents/0/line", int(value[0]))
    if template.startswith("/goods/"):
        data["goods"][0].setdefault("item_number", 1)
    return data


def _siblings(template: str) -> list[str]:
    """Fields of the same part that hold another column of the same classifier row."""
    parent = template.rpartition("/")[0]
    classifier = CLASSIFIER_FIELDS[template][0]
    return [
        other
        for other, (name, _column) in CLASSIFIER_FIELDS.items()
        if other != template and name == classifier and other.rpartition("/")[0] == parent
        and not parent.endswith("/*") and parent
    ]


def _box_of(template: str) -> str | None:
    return locate(_concrete(template))[0]


def _refused(
    template: str,
    value: str,
    entry: Entry,
    profile: Profile,
    column: str | None,
    reference: ReferenceData,
    context: Mapping[str, Any],
) -> bool:
    box = _box_of(template)
    data = _probe(template, value, entry, profile, column, context)
    try:
        document = Document.model_validate(data)
    except ValidationError as exc:
        # A row needs its other required fields (a box-44 line's number): give them one.
        for error in exc.errors(include_url=False):
            if error["type"] == "missing":
                set_value(data, spell(*error["loc"]), 1)
        try:
            document = Document.model_validate(data)
        except ValidationError:
            return True
    pointer = _concrete(template)
    parent = pointer.rpartition("/")[0]
    at = {pointer}
    if parent and not re.fullmatch(r"/goods/\d+(/\w+/\d+)?", parent):
        at.add(parent)  # the part the field belongs to (box 43 is not filled on an export)
    at |= {_concrete(sibling) for sibling in _siblings(template)}  # one row: both codes stand or fall
    if template.endswith("/office_codes"):
        at.add(f"{pointer}/0")
    if template == "/procedure":
        at.add("/direction")  # V-1-4: box 1's direction and procedure agree
    errors = validate(document, reference=reference, on=profile.on, boxes={box} if box else None)
    own = _own_rules(template)
    return any(e.path in at and e.rule in own for e in errors)


@cache
def _own_rules(template: str) -> frozenset[str]:
    """The rules that judge the value of a field itself (its ``FieldRule`` checks: classifier,
    pattern, a country pair's row; box 1's direction/procedure agreement) — not the rules
    about what else the declaration must then carry (a privilege's line-9 document, V-36-2),
    which the picker cannot know yet and the rules report afterwards. A rule that reads only
    the field's box and box 1 (the declaration's type, direction, procedure) judges the value
    for this declaration, and counts."""
    autodiscover()
    parent = template.rpartition("/")[0]
    box = _box_of(template)
    reads = {box, "1"}
    own = {
        code
        for code, rule in REGISTRY.items()
        if (isinstance(rule, FieldRule) and rule.field in (template, parent)) or (rule.boxes and set(rule.boxes) <= reads)
    }
    return frozenset(own)


_lock = threading.Lock()
_cache: dict[tuple[Any, ...], tuple[Choice, ...]] = {}


def _context(template: str, document: Mapping[str, Any] | None) -> dict[str, Any]:
    """The declaration's header fields of the other boxes the field's own rules read."""
    if not document:
        return {}
    return {name: document[name] for name in _context_fields(template) if document.get(name) not in (None, "", [], {})}


@cache
def _context_fields(template: str) -> tuple[str, ...]:
    autodiscover()
    parent = template.rpartition("/")[0]
    boxes = {
        box
        for rule in REGISTRY.values()
        if isinstance(rule, FieldRule) and rule.field in (template, parent)
        for box in rule.boxes
    } - {_box_of(template), "1"}
    names = {p.strip("/") for box in boxes for p in box_pointers().get(box, ()) if not p.startswith("/goods/")}
    return tuple(sorted(names))


def offered(
    template: str, profile: Profile, reference: ReferenceData, document: Mapping[str, Any] | None = None
) -> tuple[Choice, ...]:
    """The codes a field offers in this declaration: every row valid on the date, in the
    field's column, that no rule of the field's box refuses there (``document``: the
    declaration, for the boxes those rules compare the field with)."""
    template = template_of(template)
    classifier, _column = CLASSIFIER_FIELDS[template]
    column = column_of(template, profile.direction)
    _own_rules(template)  # the rules are registered before the context is read
    context = _context(template, document)
    key = (template, profile, id(reference), repr(sorted(context.items())))
    found = _cache.get(key)
    if found is not None:
        return found
    seen: set[str] = set()
    choices: list[Choice] = []
    for entry in reference.entries(classifier):
        if not entry.valid_on(profile.on):
            continue
        value = _value(entry, column)
        if not value or value in seen or _refused(template, value, entry, profile, column, reference, context):
            continue
        seen.add(value)
        choices.append(Choice(value, entry.name_az, entry.name_en or entry.name_az, entry.code))
    found = tuple(choices)
    with _lock:
        if len(_cache) > 2048:
            _cache.clear()
        _cache[key] = found
    return found


def _fold(text: str) -> str:
    return text.casefold().replace("i̇", "i").strip()


def search(
    template: str,
    query: str,
    profile: Profile,
    reference: ReferenceData,
    limit: int = 50,
    document: Mapping[str, Any] | None = None,
) -> list[Choice]:
    """Offered codes matching ``query`` by code (prefix first) or by name, az or en."""
    wanted = _fold(query)
    choices = offered(template, profile, reference, document)
    if not wanted:
        return list(choices[:limit])
    by_code = [c for c in choices if _fold(c.code).startswith(wanted)]
    by_name = [
        c for c in choices if c not in by_code and (wanted in _fold(c.name_az) or wanted in _fold(c.name_en))
    ]
    return (by_code + by_name)[:limit]


# --- Reading what a person typed ----------------------------------------------------------------


@dataclass(frozen=True)
class Resolution:
    """``code``: what to store (None: keep the typed text aside); ``expected``: why not (az, en)."""

    code: str | None
    expected: tuple[str, str] | None = None


def _examples(choices: Iterable[Choice], limit: int = 3) -> str:
    return ", ".join(f"{c.code} — {c.name_az}" for c in list(choices)[:limit])


def resolve(
    template: str,
    typed: str,
    profile: Profile,
    reference: ReferenceData,
    document: Mapping[str, Any] | None = None,
) -> Resolution:
    """What to store for ``typed`` in a classifier field."""
    template = template_of(template)
    text = typed.strip()
    if not text:
        return Resolution(text)
    choices = offered(template, profile, reference, document)
    codes = {c.code: c for c in choices}
    if text in codes:
        return Resolution(text)
    upper = text.upper()
    if upper in codes:
        return Resolution(upper)
    classifier, _column = CLASSIFIER_FIELDS[template]
    by_row = {c.classifier_code: c for c in choices}
    for entry in reference.entries(classifier):
        names = (entry.code, *(str(entry.attributes.get(a, "")) for a in ALIAS_COLUMNS.get(classifier, ())))
        if upper in {n.upper() for n in names if n} and entry.code in by_row:
            return Resolution(by_row[entry.code].code)
    folded = _fold(text)
    rows = [e for e in reference.entries(classifier) if folded in (_fold(e.name_az), _fold(e.name_en or ""))]
    if not rows and len(folded) > 3:
        rows = [e for e in reference.entries(classifier) if folded in _fold(e.name_az) or folded in _fold(e.name_en or "")]
    if rows:  # a name: never stored as a code
        fitting = [by_row[e.code] for e in rows if e.code in by_row]
        if fitting:
            hint = _examples(fitting)
            return Resolution(
                None, (f"Bu sahəyə ad deyil, kod yazılır: {hint}.", f"This field takes a code, not a name: {hint}.")
            )
        named = ", ".join(f"{_value(e, column_of(template, profile.direction)) or e.code} — {e.name_az}" for e in rows[:3])
        return Resolution(
            None,
            (
                f"Bu sahəyə ad deyil, kod yazılır; {named} bu bəyannamədə qəbul edilmir.",
                f"This field takes a code, not a name; {named} is not accepted in this declaration.",
            ),
        )
    return Resolution(text)  # an unknown code: stored, and its rule says what is wrong




# --- Box 33: the nomenclature, with the tariff line -----------------------------------------------

COMMODITY_FIELD = "/goods/*/commodity_code"


def _rate_text(measure: Any) -> str:
    """'15%', '0.50 EUR/166', '15% ≥ 2.00 EUR/715', 'bands' — the rate of a tariff line."""
    parts = []
    if measure.percent is not None:
        parts.append(f"{measure.percent.normalize():f}%")
    if measure.specific_amount is not None:
        parts.append(f"{measure.specific_amount} {measure.currency}/{measure.unit}".strip())
    if measure.bands:
        parts.append("bands")
    return " ≥ ".join(parts) if measure.kind == "combined" else " ".join(parts)


def commodity_choices(query: str, *, on: date, limit: int = 50) -> list[dict[str, Any]]:
    """Box 33 searched in the nomenclature (code prefix or words of the name), each code with
    the tariff lines that would apply to it on the date (import duty, VAT, excise, export duty)."""
    tariff = tariff_snapshot()
    rows = current_nomenclature().search(query[:200], on=on, limit=limit)
    return [
        {
            "code": row.code,
            "name_az": row.name_az or row.name_en,
            "name_en": row.name_en,
            "tariff": tariff_lines(row.code, on, tariff),
        }
        for row in rows
    ]


def tariff_lines(code: str, on: date, tariff: Any = None) -> list[dict[str, str]]:
    """The tariff lines that apply to a commodity code on a date (import duty, excise, VAT,
    export duty): payment type, rate and the line's description (az, en)."""
    tariff = tariff or tariff_snapshot()
    lines = []
    for payment_type in ("20", EXCISE, VAT, EXPORT_DUTY):
        measure = tariff.measure_for(code, payment_type, on)
        if measure is not None:
            az, en = measure.describe()
            lines.append({"payment_type": payment_type, "rate": _rate_text(measure), "az": az, "en": en})
    return lines


def field_choices(*, declaration: Any, field: str, query: str, limit: int = 50) -> list[dict[str, Any]]:
    """What ``field`` offers in a stored declaration, searched (the API's ``…/choices``)."""
    on = declaration.acceptance_date or timezone.localdate()
    template = template_of(field)
    if template == COMMODITY_FIELD:
        return commodity_choices(query, on=on, limit=limit)
    if template not in CLASSIFIER_FIELDS:
        raise ERRORS.error(
            "not_a_picker", status=422, field=field, details={"fields": sorted(CLASSIFIER_FIELDS) + [COMMODITY_FIELD]}
        )
    profile = Profile.of(declaration.document or {}, on)
    document = declaration.document or {}
    return [c.data() for c in search(template, query, profile, current_reference(), limit, document)]


__all__ = [
    "CLASSIFIER_FIELDS",
    "Choice",
    "Profile",
    "Resolution",
    "column_of",
    "commodity_choices",
    "country_alpha_column",
    "field_choices",
    "is_picker",
    "offered",
    "resolve",
    "search",
    "tariff_lines",
]
