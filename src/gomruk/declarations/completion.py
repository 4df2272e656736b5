"""The boxes the system fills: what follows from what the declarant typed (issue 16.1).

:func:`complete` is a pure function of a declaration document and the facts outside it (the
classifiers, a tariff snapshot, a CBAR rate lookup, the date): it reads no database, so the
portal (on every section save), the API (``POST /api/v1/declarations/{id}/complete``) and
tests get the same boxes from the same code. The payment boxes come from
:func:`gomruk.duties.calculation.calculate` (12, 22's total, 23, A, 45, 46, 47); box B's lines
are the rules' own sums of box 47 (:func:`gomruk.rules.checks.goods.payable_by_type`), so what
is filled is what the rules check.

Two kinds of computed field (docs/adr/0020-computed-boxes-and-pickers.md):

* **system** — follows from other boxes and nothing else (5, 12, 22's total, 23, A's rate,
  46, B, 50, the numeric codes next to letter codes, box 3): always recomputed; what the
  declarant typed there is replaced;
* **overridable** — the Methodology lets the declarant state it (6: packages shared by items;
  45: a value adjusted under box 43; 47: methods, exemptions and deferrals the declarant
  chooses): filled when empty; a different stated value is kept and reported as an
  override (:attr:`Completion.overridden`).

Only boxes the declaration's §4.2 profile lists are filled.
"""

from __future__ import annotations

import copy
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone

from gomruk.declarations import pickers
from gomruk.declarations.models import Declaration
from gomruk.declarations.pickers import country_alpha_column
from gomruk.declarations.portal_input import get_value, set_value, split
from gomruk.declarations.selectors import declaration_get
from gomruk.declarations.services import declaration_update
from gomruk.declarations.states import Actor, can
from gomruk.document.boxes import box_rank
from gomruk.document.model import Declaration as Document
from gomruk.document.shape import field_types, locate
from gomruk.duties.calculation import calculate
from gomruk.duties.money import fmt, fmt_rate, money
from gomruk.duties.rates import RateLookup, rates_lookup
from gomruk.duties.results import CalcOptions, Calculation, Text
from gomruk.duties.rules import CALCULATED_TYPES  # box 47 is computed for these types only (§4.4)
from gomruk.duties.selectors import tariff_snapshot
from gomruk.duties.tariff import TariffSnapshot
from gomruk.reference.codes import NATIONAL_CURRENCY
from gomruk.reference.snapshot import ReferenceData, current_reference
from gomruk.rules.base import Env, ValidationContext
from gomruk.rules.checks.goods import line_is_code_group, payable_by_type
from gomruk.rules.checks.header import PRINCIPAL_TEXTS, sheets_needed
from gomruk.rules.profiles import Profile, profile_for

#: Pipelines and power lines carry no packages (V-6-2).
FIXED_TRANSPORT = frozenset({"71", "72"})

#: Box → the letter-code column its rule wants (V-10-1: alpha-3 on import, else alpha-2).
COUNTRY_FIELDS: dict[str, str] = {
    "/first_destination_country": "10",
    "/trading_country": "11",
    "/dispatch_country": "15a",
    "/destination_country": "17a",
}


@dataclass(frozen=True)
class Computed:
    """One computed field: where, which box, the value the system gives it and why."""

    pointer: str
    box: str
    value: Any
    formula: Text
    overridable: bool = False

    def data(self) -> dict[str, Any]:
        return {"pointer": self.pointer, "box": self.box, "formula": self.formula.data()}


@dataclass
class Completion:
    document: dict[str, Any]
    #: Fields whose value the system wrote (changed or newly filled), in form order.
    filled: list[Computed] = field(default_factory=list)
    #: Overridable fields where the declarant's own value is kept although it differs.
    overridden: list[Computed] = field(default_factory=list)
    #: Every field the system computes in this document (for showing formulas read-only).
    computed: dict[str, Computed] = field(default_factory=dict)
    calculation: Calculation | None = None

    @property
    def filled_pointers(self) -> list[dict[str, Any]]:
        return [{"pointer": c.pointer, "box": c.box} for c in self.filled]

    @property
    def remembered(self) -> dict[str, Any]:
        """Pointer → what the system computes there, how, and whether the declarant's own value
        stands instead (``overridden``): kept with the draft (``Declaration.computed_values``)
        so that the next completion knows an old computed value from an override, and the
        portal shows the formula beside the field."""
        overridden = {c.pointer for c in self.overridden}
        return {
            p: {
                "value": c.value,
                "box": c.box,
                "formula": c.formula.data(),
                "overridable": c.overridable,
                "overridden": p in overridden,
            }
            for p, c in self.computed.items()
        }


def system_value(remembered: Mapping[str, Any], path: str) -> Any:
    """The value an earlier completion wrote at ``path`` (None when the declarant's stood)."""
    entry = remembered.get(path)
    if not isinstance(entry, Mapping) or entry.get("overridden"):
        return None
    return entry.get("value")


# --- Comparing values -------------------------------------------------------------------------


def _empty(value: Any) -> bool:
    return value is None or value == "" or value == [] or value == {}


def _same(a: Any, b: Any) -> bool:
    if _empty(a) and _empty(b):
        return True
    try:
        return Decimal(str(a)) == Decimal(str(b))
    except ArithmeticError:
        return a == b


class _Writer:
    def __init__(self, data: dict[str, Any], profile: Profile, system_values: Mapping[str, Any]) -> None:
        self.data = data
        self.profile = profile
        self.system_values = system_values
        self.result = Completion(document=data)

    def put(self, path: str, value: Any, formula: Text, *, overridable: bool = False) -> None:
        box, _item = locate(path)
        if box is None or not self.profile.fillable(box) or value is None:
            return
        computed = Computed(path, box, value, formula, overridable)
        self.result.computed[path] = computed
        current = get_value(self.data, path)
        if _same(current, value):
            return
        earlier = system_value(self.system_values, path)
        if overridable and not _empty(current) and not (earlier is not None and _same(earlier, current)):
            self.result.overridden.append(computed)
            return
        set_value(self.data, path, value)
        self.result.filled.append(computed)

    def default(self, path: str, value: Any, formula: Text) -> None:
        """A value the Methodology gives when the declarant states none (box 36 '000': no
        privilege; box 37's '00' pairs: no previous procedure, no movement feature; box 43 on a
        transaction value): filled when empty or still the value an earlier completion filled.
        A stated value is the declarant's choice (a privilege, a previous procedure), not an
        override, so it is neither replaced nor marked."""
        current = get_value(self.data, path)
        earlier = system_value(self.system_values, path)
        if not _empty(current) and not _same(current, value) and not (earlier is not None and _same(earlier, current)):
            return
        self.put(path, value, formula, overridable=True)

    def normalise(self, path: str, value: Any, formula: Text) -> None:
        """Store a typed code in the form the spec wants ('AZ' where alpha-3 is due): the
        declarant's input, rewritten, not a computed field."""
        box, _item = locate(path)
        if box is None or get_value(self.data, path) == value:
            return
        set_value(self.data, path, value)
        self.result.filled.append(Computed(path, box, value, formula))


def _rate(rate: Decimal) -> str:
    """A CBAR rate as the bulletin prints it: four decimals, more only when it has them."""
    exponent = rate.normalize().as_tuple().exponent
    if isinstance(exponent, int) and exponent >= -4:
        return str(rate.quantize(Decimal("0.0001")))
    return str(rate.normalize())


def _text(az: str, en: str | None = None) -> Text:
    return Text(az, en if en is not None else az)


# --- The boxes ------------------------------------------------------------------------------------


def _country_codes(w: _Writer, reference: ReferenceData, direction: str | None, goods: int) -> None:
    """Numeric codes that follow from letter codes (10, 11, 15a, 17a, 34); a letter code of the
    other Appendix 3 column is accepted and stored in the column the rule wants."""
    paths = list(COUNTRY_FIELDS.items())
    paths += [(f"/goods/{i}/origin_country", "34") for i in range(goods)]
    for path, box_id in paths:
        letters = str(get_value(w.data, f"{path}/alpha") or "").strip().upper()
        if not letters:
            continue
        wanted = country_alpha_column(box_id, direction)
        other = "alpha2" if wanted == "alpha3" else "alpha3"
        rows = reference.by_attribute("countries", wanted, letters) or reference.by_attribute("countries", other, letters)
        if len(rows) != 1:
            continue  # unknown or ambiguous: the rule says so, nothing is guessed
        row = rows[0]
        name = row.name_az
        alpha = str(row.attributes.get(wanted, ""))
        how = _text(f"3 nömrəli əlavə: {alpha} — {name} → {row.code}", f"Appendix 3: {alpha} — {row.name_en} → {row.code}")
        w.normalise(f"{path}/alpha", alpha, how)
        w.put(f"{path}/numeric", row.code, how)


def _letter_codes(w: _Writer, reference: ReferenceData, on: date) -> None:
    """Codes typed in a form the spec does not store ('USD' in box 22, 'FCA' in box 20, 'BQ' in
    box 52's code) are stored in the spec's form (:func:`gomruk.declarations.pickers.resolve`)."""
    profile = pickers.Profile.of(w.data, on)
    kinds = field_types()
    for template in pickers.CLASSIFIER_FIELDS:
        if kinds.get(template) is None or kinds[template].kind == "list":
            continue
        for path, typed in _values(w.data, template):
            if not isinstance(typed, str) or not typed.strip():
                continue
            found = pickers.resolve(template, typed, profile, reference, w.data)
            if found.code is not None and found.code != typed:
                w.normalise(path, found.code, _text(f"{typed} → {found.code}"))


def _values(data: Any, template: str) -> list[tuple[str, Any]]:
    """(pointer, value) of every position of a ``*`` template present in the data."""
    found: list[tuple[str, Any]] = [("", data)]
    for part in split(template):
        following: list[tuple[str, Any]] = []
        for path, node in found:
            if part == "*":
                if isinstance(node, list):
                    following.extend((f"{path}/{i}", child) for i, child in enumerate(node))
            elif isinstance(node, dict) and part in node:
                following.append((f"{path}/{part}", node[part]))
        found = following
    return found


#: The TIR carnet is coded in group 2 but may stand on box 44's line 3 (Q-11).
TIR_CARNET = "2022"

#: Appendix 16's kilogram: a box-31 quantity in kilograms is the net mass of box 38.
KILOGRAM = "166"


def line_of_code(code: Any) -> int | None:
    """Box 44's line of an Appendix 13 code: its first digit, the group (V-44-3)."""
    text = str(code or "").strip()
    return int(text[0]) if len(text) == 4 and text.isdigit() and text[0] != "0" else None


def fill_document_lines(data: dict[str, Any]) -> list[str]:
    """Box 44 lines left empty, filled from their codes where the line is the code's group.
    Works on raw data: the line is what makes a row a box-44 line at all, so the portal's input
    (a row typed as code, number, date) and :func:`complete` both need it before the document
    is parsed. Returns the pointers filled."""
    if not line_is_code_group(data.get("declaration_type") or "01", data.get("procedure")):
        return []
    filled: list[str] = []
    goods = data.get("goods")
    for i, item in enumerate(goods if isinstance(goods, list) else []):
        lines = item.get("documents") if isinstance(item, dict) else None
        for j, row in enumerate(lines if isinstance(lines, list) else []):
            if isinstance(row, dict) and row.get("line") in (None, ""):
                line = line_of_code(row.get("code"))
                if line is not None:
                    row["line"] = line
                    filled.append(f"/goods/{i}/documents/{j}/line")
    return filled


def _document_lines(w: _Writer, document: Document, added: list[str]) -> None:
    """Box 44: each line number follows its document code (V-44-3); the TIR carnet's may be
    3 instead of 2 (Q-11), so there the declarant's line stands, marked."""
    if not line_is_code_group(document.declaration_type or "01", document.procedure):
        return
    for i, item in enumerate(document.goods):
        for j, row in enumerate(item.documents):
            line = line_of_code(row.code)
            if line is None:
                continue
            how = _text(
                f"13 nömrəli əlavə: {row.code} kodunun qrupu → sətir {line}",
                f"Appendix 13: code {row.code} is in group {line} → line {line}",
            )
            path = f"/goods/{i}/documents/{j}/line"
            w.put(path, line, how, overridable=row.code == TIR_CARNET)
            if path in added:
                w.result.filled.append(w.result.computed[path])


def _country_names(w: _Writer, reference: ReferenceData) -> None:
    """Boxes 15 and 17: the short name of the Appendix 3 row coded in 15a / 17a (V-15-1, V-17-1)."""
    for name_path, codes_path in (("/dispatch_country_name", "/dispatch_country"), ("/destination_country_name", "/destination_country")):
        alpha = str(get_value(w.data, f"{codes_path}/alpha") or "").strip()
        rows = reference.by_attribute("countries", "alpha2", alpha) if alpha else ()
        if len(rows) != 1:
            continue
        name = str(rows[0].attributes.get("short_name_az", rows[0].name_az))
        w.put(name_path, name, _text(f"3 nömrəli əlavə: {alpha} → {name}", f"Appendix 3: {alpha} → {name}"))


def _origins(w: _Writer, reference: ReferenceData, direction: str | None, goods: int) -> None:
    """Box 34 of every item from box 16 when box 16 names one country: V-16-1 has box 16 name the
    common origin of all items (else 'Müxtəlif'), so one named country is each item's origin.
    The declarant may state another origin for an item (then box 16 must say 'Müxtəlif')."""
    name = str(get_value(w.data, "/origin_country_name") or "").strip().casefold()
    if not name or not goods:
        return
    rows = [
        r for r in reference.entries("countries")
        if str(r.attributes.get("short_name_az", r.name_az)).casefold() == name and r.attributes.get("alpha2") != "XX"
    ]
    if len(rows) != 1:
        return  # 'Müxtəlif', or a name the rules will report: nothing is guessed
    column = country_alpha_column("34", direction)
    alpha = str(rows[0].attributes.get(column, ""))
    if not alpha:
        return
    shown = rows[0].attributes.get("short_name_az", rows[0].name_az)
    how = _text(f"16-cı qrafa: {shown} → {alpha}", f"box 16: {shown} → {alpha}")
    for i in range(goods):
        w.put(f"/goods/{i}/origin_country/alpha", alpha, how, overridable=True)


def _item_defaults(w: _Writer, reference: ReferenceData, document: Document) -> None:
    """Per item: box 36 '000' (no privilege), box 37 from box 1's procedure with '00' for no
    previous procedure and no movement feature (L470–493), and box 31's quantity in kilograms:
    the net mass of box 38."""
    procedure = document.procedure or ""
    kilogram = reference.lookup("units", KILOGRAM)
    kg = str(kilogram.attributes.get("abbrev_az", kilogram.name_az)) if kilogram is not None else None
    for i, item in enumerate(document.goods):
        base = f"/goods/{i}"
        w.default(f"{base}/privilege", "000", _text("36-cı qrafa: imtiyaz yoxdur → 000", "box 36: no privilege → 000"))
        if len(procedure) == 2 and procedure.isdigit():
            code = f"{procedure}0000"
            w.default(
                f"{base}/procedure_code",
                code,
                _text(
                    f"1-ci qrafa: rejim {procedure}; əvvəlki rejim yoxdur (00); hərəkət xüsusiyyəti yoxdur (00) → {code}",
                    f"box 1: procedure {procedure}; no previous procedure (00); no movement feature (00) → {code}",
                ),
            )
        if kg is not None and item.quantity_unit == kg and item.net_mass is not None:
            net = str(item.net_mass)
            w.put(f"{base}/quantity", net, _text(f"38-ci qrafa: netto {net} {kg}", f"box 38: net mass {net} {kg}"), overridable=True)


def _valuation(w: _Writer, calc: Calculation, document: Document) -> None:
    """Box 43 on an import whose box 45 is the system's 42 × 23: the value was not adjusted (0)
    and is the transaction value of the goods (Appendix 12, 01). An adjusted box 45 is the
    declarant's, and so is its method."""
    for index, result in enumerate(calc.items):
        if index >= len(document.goods) or result.rate is None or result.customs_value is None:
            continue
        item = document.goods[index]
        if item.invoice_value is None or item.customs_value != result.customs_value:
            continue
        if result.customs_value != money(item.invoice_value * result.rate.rate):
            continue
        how = _text(
            f"45-ci qrafa = 42 × 23 = {fmt(result.customs_value)} AZN: düzəliş yoxdur (0), malların sövdələşmə qiyməti üsulu (01)",
            f"box 45 = 42 × 23 = {fmt(result.customs_value)} AZN: not adjusted (0), transaction value of the goods (01)",
        )
        w.default(f"/goods/{index}/valuation/adjusted", "0", how)
        w.default(f"/goods/{index}/valuation/method", "01", how)


def _guarantee_code(w: _Writer, reference: ReferenceData) -> None:
    """Box 52: the numeric code follows the Appendix 9 letter code."""
    letter = str(get_value(w.data, "/guarantee/letter") or "").strip().upper()
    if not letter:
        return
    rows = reference.by_attribute("guarantee-types", "letter", letter)
    if len(rows) == 1:
        row = rows[0]
        w.put("/guarantee/code", row.code, _text(f"9 nömrəli əlavə: {letter} → {row.code}", f"Appendix 9: {letter} → {row.code}"))


def _offices(w: _Writer, reference: ReferenceData, document: Document) -> None:
    """Boxes 51 and 53 name their office (Appendix 11); on an import the destination office is
    prefilled from the office of dispatch (box A), in Azerbaijan — the declarant may change it."""
    dispatch = document.office_of_dispatch.office_code if document.office_of_dispatch else None
    if document.is_import and dispatch and reference.has("customs-offices", dispatch):
        how = _text(
            f"A qrafasının gömrük orqanı: {dispatch}", f"the office of box A: {dispatch}"
        )
        w.put("/destination_office/office_codes", [dispatch], how, overridable=True)
        w.put("/destination_office/country", "031", _text("idxal: Azərbaycan (031)", "import: Azerbaijan (031)"), overridable=True)
    for name in ("departure_office", "destination_office"):
        codes = get_value(w.data, f"/{name}/office_codes") or []
        if len(codes) != 1:
            continue
        entry = reference.lookup("customs-offices", str(codes[0]))
        if entry is not None:
            w.put(
                f"/{name}/office_name",
                entry.name_az,
                _text(f"11 nömrəli əlavə: {entry.code} — {entry.name_az}", f"Appendix 11: {entry.code} — {entry.name_en}"),
            )


def _counts(w: _Writer, document: Document) -> None:
    items = len(document.goods)
    if not items:
        return
    w.put("/total_items", items, _text(f"malların sayı (32) = {items}", f"number of goods items (32) = {items}"))
    if items > 1:  # box 3 is filled only with additional sheets
        total = sheets_needed(items)
        how = _text(
            f"1 + ⌈({items} − 1) ÷ 3⌉ = {total} vərəq", f"1 + ⌈({items} − 1) ÷ 3⌉ = {total} sheets"
        )
        w.put("/forms/sheet", 1, how)
        w.put("/forms/total", total, how)
    if document.border_transport_mode in FIXED_TRANSPORT or document.inland_transport_mode in FIXED_TRANSPORT:
        w.put("/total_packages", 0, _text("boru kəməri / elektrik xətti: 0", "pipeline / power line: 0"), overridable=True)
        return
    counts = [g.packages.count if g.packages else None for g in document.goods]
    if all(c is not None for c in counts):
        total_packages = sum(c for c in counts if c is not None)
        terms = " + ".join(str(c) for c in counts) if items <= 10 else f"Σ {items}"
        w.put(
            "/total_packages",
            total_packages,
            _text(f"Σ yük yerləri (31) = {terms} = {total_packages}", f"Σ packages (31) = {terms} = {total_packages}"),
            overridable=True,
        )


def _principal_statement(w: _Writer, document: Document) -> None:
    key = "09" if document.declaration_type == "09" else document.direction
    text = PRINCIPAL_TEXTS.get(key or "")
    if text:
        w.put("/principal_statement", text, _text("Metodika: 50-ci qrafanın sabit mətni", "Methodology: box 50's fixed text"))


def _payments(w: _Writer, calc: Calculation, document: Document, *, with_box_47: bool) -> None:
    if calc.usd_rate is not None:
        usd = calc.usd_rate
        how = _text(
            f"AMB bülleteni {usd.bulletin_date:%d.%m.%Y}: 1 USD = {fmt_rate(usd.rate)} AZN",
            f"CBAR bulletin {usd.bulletin_date:%d.%m.%Y}: 1 USD = {fmt_rate(usd.rate)} AZN",
        )
        w.put("/office_of_dispatch/usd_rate", _rate(usd.rate), how)
        w.put("/office_of_dispatch/usd_rate_date", usd.bulletin_date.isoformat(), how)
    if calc.exchange_rate is not None and calc.invoice_currency:
        quote = calc.exchange_rate
        w.put(
            "/exchange_rate",
            _rate(quote.rate),
            _text(
                f"AMB bülleteni {quote.bulletin_date:%d.%m.%Y}: {calc.invoice_currency} = {fmt_rate(quote.rate)} AZN",
                f"CBAR bulletin {quote.bulletin_date:%d.%m.%Y}: {calc.invoice_currency} = {fmt_rate(quote.rate)} AZN",
            ),
        )
    if calc.total_invoice_value is not None:
        w.put(
            "/total_invoice_value",
            str(calc.total_invoice_value),
            _text(f"Σ 42-ci qrafa = {fmt(calc.total_invoice_value)}", f"Σ box 42 = {fmt(calc.total_invoice_value)}"),
        )
    for index, result in enumerate(calc.items):
        base = f"/goods/{index}"
        if result.customs_value is not None and result.customs_value_formula is not None:
            w.put(f"{base}/customs_value", str(result.customs_value), result.customs_value_formula, overridable=True)
        stated = get_value(w.data, f"{base}/customs_value")
        if calc.usd_rate is not None and stated is not None:
            value = Decimal(str(stated))
            if value == result.customs_value and result.statistical_value is not None and result.statistical_value_formula:
                w.put(f"{base}/statistical_value", str(result.statistical_value), result.statistical_value_formula)
            else:  # the declarant's own box 45 (an adjusted value): 46 follows it
                statistical = money(value / calc.usd_rate.rate)
                text = f"{fmt(value)} AZN ÷ {fmt_rate(calc.usd_rate.rate)} = {fmt(statistical)} USD"
                w.put(f"{base}/statistical_value", str(statistical), _text(text))
        if with_box_47 and result.lines and index < len(document.goods):
            rows = [line.as_payment_line().model_dump(mode="json", exclude_none=True) for line in result.lines]
            formula = Text(
                "; ".join(f"{line.payment_type}: {line.formula.az}" for line in result.lines),
                "; ".join(f"{line.payment_type}: {line.formula.en}" for line in result.lines),
            )
            current = get_value(w.data, f"{base}/payments") or []
            if not any(line.get("amount") is not None for line in current):
                # Lines without amounts carry only what the declarant chooses (types, ÖÜ
                # methods such as a deferral, which the calculation honours): fill them.
                set_value(w.data, f"{base}/payments", [])
            if current != rows:
                w.put(f"{base}/payments", rows, formula, overridable=True)
            else:
                w.result.computed[f"{base}/payments"] = Computed(f"{base}/payments", "47", rows, formula, True)


def _box_12(w: _Writer, items: int) -> None:
    values = [get_value(w.data, f"/goods/{i}/customs_value") for i in range(items)]
    if not items or any(v is None for v in values):
        return
    total = money(sum((Decimal(str(v)) for v in values), Decimal(0)))
    w.put("/total_customs_value", str(total), _text(f"Σ 45-ci qrafa = {fmt(total)} AZN", f"Σ box 45 = {fmt(total)} AZN"))


def _box_b(w: _Writer, reference: ReferenceData, profile: Profile, on: date) -> None:
    """Box B from the box-47 lines as they stand (filled or stated), the rules' own sums."""
    document = Document.model_validate(w.data)
    env = Env(doc=document, ref=reference, on=on, context=ValidationContext(), profile=profile)
    sums = payable_by_type(env)
    if not sums:
        return
    guarantee = document.guarantee
    guarantee_code = (guarantee.code or guarantee.letter) if guarantee else None
    lines = []
    for payment_type, (amount, deferred) in sums.items():
        line: dict[str, Any] = {"payment_type": payment_type, "amount": str(money(amount)), "currency": NATIONAL_CURRENCY}
        if deferred and guarantee_code:
            line["guarantee"] = guarantee_code
        lines.append(line)
    total = money(sum((money(a) for a, _ in sums.values()), Decimal(0)))
    how = _text(
        "Σ 47-ci qrafa ödəniş növləri üzrə (ÖÜ 05 istisna); " + f"yekun {fmt(total)} AZN",
        "Σ box 47 by payment type (ÖÜ 05 left out); " + f"total {fmt(total)} AZN",
    )
    current = get_value(w.data, "/accounting/lines") or []
    if current != lines:
        w.put("/accounting/lines", lines, how)
    else:
        w.result.computed["/accounting/lines"] = Computed("/accounting/lines", "B", lines, how)
    w.put("/accounting/total", str(total), how)


# --- The service ----------------------------------------------------------------------------------


def complete(
    data: dict[str, Any],
    *,
    reference: ReferenceData,
    tariff: TariffSnapshot,
    rates: RateLookup,
    on: date | None,
    options: CalcOptions | None = None,
    system_values: Mapping[str, Any] | None = None,
) -> Completion:
    """Fill every computable box of a declaration document (JSON data; not changed in place).

    ``on`` is the acceptance date; ``None`` for a draft: the latest rates (provisional).
    ``system_values``: what an earlier completion computed (:attr:`Completion.remembered`);
    an overridable field still holding that value is recomputed, not taken for an override."""
    work = copy.deepcopy(data)
    lines_added = fill_document_lines(work)
    document = Document.model_validate(work)
    work = document.to_data()
    declaration_type = document.declaration_type or "01"
    profile = profile_for(declaration_type, document.direction, document.procedure)
    w = _Writer(work, profile, system_values or {})
    _letter_codes(w, reference, on or _today())
    _origins(w, reference, document.direction, len(document.goods))
    _country_codes(w, reference, document.direction, len(document.goods))
    _country_names(w, reference)
    _guarantee_code(w, reference)
    _offices(w, reference, Document.model_validate(w.data))
    document = Document.model_validate(w.data)
    _document_lines(w, document, lines_added)
    _item_defaults(w, reference, document)
    document = Document.model_validate(w.data)
    _counts(w, document)
    _principal_statement(w, document)
    # Without goods the calculation still gives boxes A's and 23's rates: they follow from the
    # date and box 22's currency, not from the items.
    if document.goods or document.invoice_currency:
        calc = calculate(document, reference=reference, tariff=tariff, rates=rates, on=on, options=options)
        w.result.calculation = calc
        # Box 47 only from a loaded tariff and fee schedule (as the validation's calculation
        # fact): a VAT line alone would look like a complete box 47.
        tariff_loaded = bool(tuple(tariff.measures)) and bool(tuple(tariff.fee_schedules))
        _payments(w, calc, document, with_box_47=declaration_type in CALCULATED_TYPES and tariff_loaded)
        if profile.fillable("43"):
            _valuation(w, calc, Document.model_validate(w.data))
    _box_12(w, len(document.goods))
    if profile.fillable("B"):
        _box_b(w, reference, profile, on or _today())
    w.result.filled.sort(key=_form_order)
    w.result.document = Document.model_validate(w.data).to_data()
    return w.result


def _today() -> date:
    return timezone.localdate()


def _form_order(computed: Computed) -> tuple[int, int, str]:
    _box, item = locate(computed.pointer)
    return (box_rank(computed.box), item or 0, computed.pointer)


def complete_with_current_facts(
    data: dict[str, Any], *, on: date | None, system_values: Mapping[str, Any] | None = None
) -> Completion:
    """:func:`complete` with the administrators' classifiers, tariff and CBAR rates."""
    return complete(
        data,
        reference=current_reference(),
        tariff=tariff_snapshot(),
        rates=rates_lookup(),
        on=on,
        system_values=system_values,
    )





#: Box 32's list of items and the boxes that total it (5, 6, 12, 22's total).
FROM_GOODS = frozenset({"/goods", "/total_items", "/total_packages", "/total_customs_value", "/total_invoice_value"})


def awaiting_goods(errors: list[Any], document: Mapping[str, Any]) -> list[Any]:
    """Findings of a section saved before any goods item exists, without those on the boxes the
    items make (issue 16.7: none before the data they judge exists). The goods section, the
    summary and the signing gate still report a declaration without goods."""
    if document.get("goods"):
        return errors
    return [e for e in errors if getattr(e, "path", None) not in FROM_GOODS]


# --- The door: a stored draft -----------------------------------------------------------------


def declaration_complete(*, user: Any, declaration_id: Any) -> tuple[Any, Completion]:
    """Fill the computable boxes of a stored declaration the caller may edit (the API's
    ``POST …/complete``; the portal on every section save). Scoped like an update: another
    party's declaration is not found; a signed one becomes a new draft version, as any edit."""
    with transaction.atomic():
        declaration = declaration_get(user=user, declaration_id=declaration_id, for_update=True)
        completion = complete_with_current_facts(
            declaration.document, on=declaration.acceptance_date, system_values=declaration.computed_values or {}
        )
        if completion.document != declaration.document:
            declaration = declaration_update(
                user=user, declaration_id=declaration.pk, document=Document.model_validate(completion.document)
            )
        remembered = completion.remembered
        if remembered != declaration.computed_values:
            Declaration.objects.filter(pk=declaration.pk).update(computed_values=remembered)
            declaration.computed_values = remembered
    return declaration, completion


def draft_recompute(*, user: Any, declaration: Any) -> Any:
    """The portal's section save ("Hesabla"): the computed boxes follow what was just typed.
    Only a plain draft: on a signed declaration a recomputation (new rates) must not make a new
    version behind the declarant's back — the declarant's own edit does that first."""
    if not can("update", declaration.state, Actor.TRADER):
        return declaration
    return declaration_complete(user=user, declaration_id=declaration.pk)[0]


__all__ = [
    "FROM_GOODS",
    "Completion",
    "awaiting_goods",
    "Computed",
    "complete",
    "complete_with_current_facts",
    "country_alpha_column",
    "declaration_complete",
    "draft_recompute",
    "fill_document_lines",
    "line_of_code",
]
