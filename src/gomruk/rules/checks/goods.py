"""Rules of the goods-item boxes 31–47 and of box B (spec §3.3)."""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterator
from decimal import Decimal, InvalidOperation

from gomruk.core.money import CENT  # a computed amount's tolerance
from gomruk.document.model import PreviousDocument
from gomruk.reference.codes import NATIONAL_CURRENCY
from gomruk.rules.base import (
    DecimalPlaces,
    Env,
    FieldRule,
    InClassifier,
    MinValue,
    Pattern,
    Required,
    Rule,
    RuleError,
    SameCountryRow,
)
from gomruk.rules.checks.common import (
    CONDITIONAL_METHOD,
    DEFERRED_METHODS,
    DUTY_AND_TAX_GROUPS,
    TRANSIT_PROCEDURES,
    is_electricity,
    method_code,
    money,
)

FOUR_DIGITS = re.compile(r"\d{4}")

# --- Box 31 ----------------------------------------------------------------------------------


class V_31_1(Required):
    """Box 31: the description of the goods (name, manufacturer, brand/model, quantity)."""

    message_az = "31-ci qrafa: malın təsviri göstərilməlidir."
    message_en = "Box 31: the description of the goods is required."
    boxes = ("31",)
    fields = ("/goods/*/description",)


class V_31_2(Required):
    """Box 31 lower-right: the quantity and its unit."""

    message_az = "31-ci qrafa: aşağı sağ küncdə malın miqdarı və ölçü vahidi göstərilməlidir."
    message_en = "Box 31: the quantity and its unit are required in the lower-right corner."
    boxes = ("31",)
    fields = ("/goods/*/quantity", "/goods/*/quantity_unit")


# --- Box 32, 33 ------------------------------------------------------------------------------


class V_32_1(Rule):
    """Box 32: items are numbered 1…n in order, without gaps."""

    message_az = "32-ci qrafa: malın sıra nömrəsi {expected} olmalıdır: {value}."
    message_en = "Box 32: the item number must be {expected}: {value}."
    boxes = ("32",)

    def check(self, env: Env) -> Iterator[RuleError]:
        for i, item in enumerate(env.doc.goods):
            if item.item_number is not None and item.item_number != i + 1:
                yield self.error(f"/goods/{i}/item_number", item.item_number, expected=i + 1)


class V_33_1(Pattern):
    """Box 33: the 10-digit XİF MN code, no blanks or separators."""

    message_az = "33-cü qrafa: malın kodu boşluqsuz və ayırıcısız 10 rəqəm olmalıdır: {value}."
    message_en = "Box 33: the commodity code must be 10 digits without blanks or separators: {value}."
    boxes = ("33",)
    field = "/goods/*/commodity_code"
    pattern = re.compile(r"\d{10}")


class V_33_2(Rule):
    """Box 33: the code exists in the commodity nomenclature on the acceptance date (spec §3.3
    box 33, V-33-2; L441–442: sub-division 1 is the 6-digit HS subheading, sub-division 2 the
    4 national digits). Its first six digits must be a subheading of the Harmonized System;
    once administrators have loaded the national XİF MN list, the whole 10-digit code must be
    in it, valid on the acceptance date. Checked when the context supplies the nomenclature."""

    message_az = "33-cü qrafa: {value} kodu {reason_az}."
    message_en = "Box 33: code {value} {reason_en}."
    boxes = ("33",)

    def check(self, env: Env) -> Iterator[RuleError]:
        nomenclature = env.context.nomenclature
        if nomenclature is None:
            return
        ten = re.compile(r"\d{10}")
        for i, g in enumerate(env.doc.goods):
            code = g.commodity_code
            if not code or not ten.fullmatch(code):
                continue  # V-33-1
            if not nomenclature.is_subheading(code):
                yield self.error(
                    f"/goods/{i}/commodity_code",
                    code,
                    reason_az=f"Harmonikləşdirilmiş Sistemdə yoxdur: {code[:6]} subpozisiya deyil",
                    reason_en=f"is not in the Harmonized System: {code[:6]} is not a subheading",
                )
            elif nomenclature.national_loaded and nomenclature.national(code, env.on) is None:
                on = env.on.strftime("%d.%m.%Y")
                yield self.error(
                    f"/goods/{i}/commodity_code",
                    code,
                    reason_az=f"{on} tarixində XİF MN milli siyahısında yoxdur",
                    reason_en=f"is not in the national XİF MN list on {on}",
                )


# --- Box 34 ----------------------------------------------------------------------------------


class V_34_1(SameCountryRow):
    """Box 34: letter (alpha-2, Q-46) and numeric codes of one Appendix 3 row."""

    message_az = "34-cü qrafa: mənşə ölkəsinin hərf və rəqəm kodları 3 nömrəli əlavənin eyni sətrindən olmalıdır: {value}."
    message_en = "Box 34: the origin's letter and numeric codes must come from one Appendix 3 row: {value}."
    boxes = ("34",)
    field = "/goods/*/origin_country"


class V_34_2(FieldRule):
    """Box 34: the pseudo-country 'Müxtəlif' (001/XX/XXX) is not an item's origin [proposal]."""

    message_az = "34-cü qrafa: 'Müxtəlif' (001/XX) malın mənşə ölkəsi ola bilməz."
    message_en = "Box 34: 'Müxtəlif' (001/XX) cannot be an item's country of origin."
    boxes = ("34",)
    field = "/goods/*/origin_country"

    def ok(self, value: object, env: Env) -> bool:
        return getattr(value, "alpha", None) not in ("XX", "XXX") and getattr(value, "numeric", None) != "001"


class V_34_3(Rule):
    """Items with the same box 33, 34, 36 and 37 belong in one item (G-04, G-05, Q-47)."""

    severity = "warning"
    message_az = "Bu malın kodu, mənşəyi, imtiyazı və proseduru {expected}-ci malla eynidir; onlar bir malda birləşdirilməlidir."
    message_en = "This item has the same code, origin, privilege and procedure as item {expected}; declare them as one item."
    boxes = ("34", "33", "36", "37")

    def check(self, env: Env) -> Iterator[RuleError]:
        seen: dict[tuple[object, ...], int] = {}
        for i, g in enumerate(env.doc.goods):
            if not g.commodity_code:
                continue
            key = (g.commodity_code, g.origin_country.alpha if g.origin_country else None, g.privilege, g.procedure_code)
            if key in seen:
                yield self.error(f"/goods/{i}/origin_country", g.commodity_code, expected=seen[key] + 1)
            else:
                seen[key] = i


# --- Weights 35, 38 --------------------------------------------------------------------------


class V_35_1(DecimalPlaces):
    """Box 35: gross mass in kg, ≥ 0, three decimals."""

    message_az = "35-ci qrafa: brutto çəki kq-la, mənfi olmayan və vergüldən sonra 3 rəqəmlə olmalıdır: {value}."
    message_en = "Box 35: gross mass must be non-negative kg with 3 decimals: {value}."
    boxes = ("35",)
    field = "/goods/*/gross_mass"
    places = 3


class V_35_2(Rule):
    """Box 35 = 0 for electrical energy (box 33 in heading 2716) [proposal for the trigger]."""

    message_az = "35-ci qrafa: elektrik enerjisi üçün brutto çəki 0 olmalıdır: {value}."
    message_en = "Box 35: gross mass of electrical energy must be 0: {value}."
    boxes = ("35", "33")

    def check(self, env: Env) -> Iterator[RuleError]:
        for i, g in enumerate(env.doc.goods):
            if is_electricity(g.commodity_code) and g.gross_mass:
                yield self.error(f"/goods/{i}/gross_mass", g.gross_mass)


class V_35_3(Rule):
    """Box 35 ≥ box 38: gross mass is not below net mass [proposal] (also X-11)."""

    severity = "warning"
    message_az = "35-ci qrafa: brutto çəki netto çəkidən ({expected}) az ola bilməz: {value}."
    message_en = "Box 35: gross mass cannot be less than net mass ({expected}): {value}."
    boxes = ("35", "38")

    def check(self, env: Env) -> Iterator[RuleError]:
        for i, g in enumerate(env.doc.goods):
            if g.gross_mass is not None and g.net_mass is not None and g.gross_mass < g.net_mass:
                yield self.error(f"/goods/{i}/gross_mass", g.gross_mass, expected=g.net_mass)


class V_38_1(DecimalPlaces):
    """Box 38: net mass in kg, ≥ 0, three decimals; 0 for electrical energy."""

    message_az = "38-ci qrafa: netto çəki kq-la, mənfi olmayan, vergüldən sonra 3 rəqəmlə, elektrik enerjisi üçün 0 olmalıdır: {value}."
    message_en = "Box 38: net mass must be non-negative kg with 3 decimals, 0 for electrical energy: {value}."
    boxes = ("38", "33")
    field = "/goods/*/net_mass"
    places = 3

    def check(self, env: Env) -> Iterator[RuleError]:
        yield from super().check(env)
        if not any(map(is_electricity, {g.commodity_code for g in env.doc.goods})):
            return  # no electrical energy among the items (each code asked once)
        for i, g in enumerate(env.doc.goods):
            if is_electricity(g.commodity_code) and g.net_mass:
                yield self.error(f"/goods/{i}/net_mass", g.net_mass)


# --- Box 36, 37 ------------------------------------------------------------------------------


class V_36_1(InClassifier):
    """Box 36: a privilege of Appendix 14 valid on the acceptance date (Q-38), or '000'."""

    message_az = "36-cı qrafa: imtiyazın kodu qəbul tarixində 14 nömrəli əlavədə yoxdur: {value}."
    message_en = "Box 36: the privilege code is not in Appendix 14 on the acceptance date: {value}."
    boxes = ("36",)
    field = "/goods/*/privilege"
    classifier = "privileges"
    extra_values = frozenset({"000"})


class V_36_2(Rule):
    """Box 36 ≠ '000' needs a privilege document on box 44 line 9 (also X-13)."""

    severity = "warning"
    message_az = "36-cı qrafada imtiyaz ({value}) göstərilib, lakin 44-cü qrafanın 9-cu sətrində imtiyaz sənədi yoxdur."
    message_en = "Box 36 claims a privilege ({value}) but box 44 has no line-9 document."
    boxes = ("36", "44")

    def check(self, env: Env) -> Iterator[RuleError]:
        for i, g in enumerate(env.doc.goods):
            if g.privilege and g.privilege != "000" and not any(d.line == 9 and d.code for d in g.documents):
                yield self.error(f"/goods/{i}/privilege", g.privilege)


class V_37_1(Pattern):
    """Box 37: six digits PPppFF."""

    message_az = "37-ci qrafa: 6 rəqəmli kod (PPppFF) olmalıdır: {value}."
    message_en = "Box 37: a 6-digit code (PPppFF) is required: {value}."
    boxes = ("37",)
    field = "/goods/*/procedure_code"
    pattern = re.compile(r"\d{6}")


class ProcedurePart(FieldRule):
    abstract = True
    field = "/goods/*/procedure_code"
    start = 0
    classifier = "procedures"
    allow_none = False

    def ok(self, value: str, env: Env) -> bool:
        if not re.fullmatch(r"\d{6}", value):
            return True  # V-37-1
        part = value[self.start : self.start + 2]
        return (self.allow_none and part == "00") or env.ref.has(self.classifier, part, env.on)


class V_37_2(ProcedurePart):
    """Box 37 digits 1–2: a procedure of Appendix 2 part 1 (agreement with box 1: X-07)."""

    message_az = "37-ci qrafa: 1–2-ci rəqəmlər 2 nömrəli əlavənin 1-ci hissəsindəki prosedur olmalıdır: {value}."
    message_en = "Box 37: digits 1–2 must be a procedure of Appendix 2 part 1: {value}."
    boxes = ("37",)


class V_37_3(ProcedurePart):
    """Box 37 digits 3–4: the previous procedure (Appendix 2 part 1) or '00'."""

    message_az = "37-ci qrafa: 3–4-cü rəqəmlər əvvəlki prosedurun kodu və ya '00' olmalıdır: {value}."
    message_en = "Box 37: digits 3–4 must be the previous procedure or '00': {value}."
    boxes = ("37",)
    start = 2
    allow_none = True


class V_37_4(ProcedurePart):
    """Box 37 digits 5–6: a movement feature of Appendix 2 part 2, or '00'."""

    message_az = "37-ci qrafa: 5–6-cı rəqəmlər 2 nömrəli əlavənin 2-ci hissəsindən və ya '00' olmalıdır: {value}."
    message_en = "Box 37: digits 5–6 must be a movement feature of Appendix 2 part 2 or '00': {value}."
    boxes = ("37",)
    start = 4
    classifier = "movement-features"
    allow_none = True


class V_37_5(Rule):
    """Box 37 digits 3–4 ≠ '00' (a previous procedure) ⇒ box 40 names the previous
    declaration."""

    severity = "warning"
    message_az = "37-ci qrafada əvvəlki prosedur göstərilib; 40-cı qrafada əvvəlki bəyannamə göstərilməlidir."
    message_en = "Box 37 names a previous procedure; box 40 should give the previous declaration."
    boxes = ("37", "40")

    def check(self, env: Env) -> Iterator[RuleError]:
        doc = env.doc
        header = bool(doc.previous_declarations or doc.incomplete_declarations)
        for i, g in enumerate(doc.goods):
            code = g.procedure_code or ""
            if len(code) == 6 and code[2:4] != "00" and not header and not g.previous_documents:
                yield self.error(f"/goods/{i}/procedure_code", code)


# --- Box 39, 40, 41, 42 ----------------------------------------------------------------------


class V_39_1(Rule):
    """Box 39: the declared quantity should not exceed the quota remainder (L505–507); the
    officer decides, so this is a warning (spec V-39-1, (W) part; issue 15)."""

    severity = "warning"
    message_az = "39-cu qrafa: bəyan edilən miqdar ({expected}) kvota qalığını aşır: {value}."
    message_en = "Box 39: the declared quantity ({expected}) exceeds the quota remainder: {value}."
    boxes = ("39", "31")

    def check(self, env: Env) -> Iterator[RuleError]:
        for i, g in enumerate(env.doc.goods):
            rest = g.quota_remaining
            if rest is not None and rest >= 0 and g.quantity is not None and g.quantity > rest:
                yield self.error(f"/goods/{i}/quota_remaining", rest, expected=g.quantity)


class V_39_2(Rule):
    """Box 39: the quota remainder is a non-negative quantity (spec V-39-1, (E) part)."""

    message_az = "39-cu qrafa: kvota qalığı mənfi ola bilməz: {value}."
    message_en = "Box 39: the quota remainder cannot be negative: {value}."
    boxes = ("39",)

    def check(self, env: Env) -> Iterator[RuleError]:
        for i, g in enumerate(env.doc.goods):
            if g.quota_remaining is not None and g.quota_remaining < 0:
                yield self.error(f"/goods/{i}/quota_remaining", g.quota_remaining)


class V_40_1(Rule):
    """Box 40: each referenced declaration exists and belongs to the same declarant (checked
    when the context knows the declarations) [proposal]."""

    message_az = "40-cı qrafa: {value} nömrəli bəyannamə tapılmadı və ya başqa bəyannaməçiyə aiddir."
    message_en = "Box 40: declaration {value} does not exist or belongs to another declarant."
    boxes = ("40",)

    def check(self, env: Env) -> Iterator[RuleError]:
        known = env.context.known_declarations
        if known is None:
            return
        voen = env.context.declarant_voen or (env.doc.declarant.identifier if env.doc.declarant else None)
        for path, ref in _previous(env):
            found = known.get(ref.number)
            if found is None or (voen and found.trader_voen and found.trader_voen != voen):
                yield self.error(f"{path}/number", ref.number)


# Procedures that follow an earlier declaration (§4.3.5 re-import L3339–3342, §4.3.6
# re-export) and procedures whose goods come out of processing (box 37 digits 3–4).
FOLLOWING_PROCEDURES = frozenset({"41", "11"})
PROCESSING = frozenset({"51", "52"})


class V_40_3(Rule):
    """Box 40 names the earlier declaration where the procedure needs it — re-import (41: the
    export GB, L3339–3342), re-export (11: the declaration the goods came in under) and goods
    leaving processing (box 37 digits 3–4 = 51 or 52; L484–486, L511–516) — and every earlier
    declaration precedes this one: its date is before the acceptance date (its own date in box
    40, and the system's acceptance date when the context knows it)."""

    message_az = "40-cı qrafa: {reason_az}."
    message_en = "Box 40: {reason_en}."
    boxes = ("40", "37")

    def check(self, env: Env) -> Iterator[RuleError]:
        doc = env.doc
        refs = list(_previous(env))
        processing = any((g.procedure_code or "")[2:4] in PROCESSING for g in doc.goods)
        if not refs and (doc.procedure in FOLLOWING_PROCEDURES or processing) and doc.goods and env.listed("40"):
            yield self.error(
                "/previous_declarations", None,
                reason_az="bu prosedurda əvvəlki bəyannamənin nömrəsi və tarixi göstərilməlidir",
                reason_en="this procedure needs the number and date of the earlier declaration",
            )
            return
        known = env.context.known_declarations or {}
        for path, ref in refs:
            found = known.get(ref.number)
            dates = [d for d in (ref.date, found.date if found else None) if d is not None]
            if any(d > env.on for d in dates):
                yield self.error(
                    f"{path}/date", ref.date or (found.date if found else None),
                    reason_az=f"{ref.number} bəyannaməsi bu bəyannamədən ({env.on:%d.%m.%Y}) sonradır",
                    reason_en=f"declaration {ref.number} is later than this one ({env.on:%d.%m.%Y})",
                )


def _previous(env: Env) -> Iterator[tuple[str, PreviousDocument]]:
    for i, ref in enumerate(env.doc.previous_declarations):
        yield f"/previous_declarations/{i}", ref
    for i, g in enumerate(env.doc.goods):
        for j, ref in enumerate(g.previous_documents):
            yield f"/goods/{i}/previous_documents/{j}", ref


class V_40_2(Rule):
    """Box 40 NB table: rows numbered 1…n; transport units and weight are not negative."""

    message_az = "40-cı qrafa (NB cədvəli): sətir natamam və ya səhv nömrələnib: {value}."
    message_en = "Box 40 (NB table): a row is incomplete or misnumbered: {value}."
    boxes = ("40",)

    def check(self, env: Env) -> Iterator[RuleError]:
        for i, row in enumerate(env.doc.incomplete_declarations):
            if row.sequence != i + 1:
                yield self.error(f"/incomplete_declarations/{i}/sequence", row.sequence)
            if row.transport_units < 0 or row.weight < 0 or not row.number:
                yield self.error(f"/incomplete_declarations/{i}", row.number)


class V_41_1(InClassifier):
    """Box 41: a supplementary unit of Appendix 16."""

    message_az = "41-ci qrafa: ölçü vahidinin kodu 16 nömrəli əlavədə yoxdur: {value}."
    message_en = "Box 41: the unit code is not in Appendix 16: {value}."
    boxes = ("41",)
    field = "/goods/*/supplementary_unit"
    classifier = "units"


class V_41_2(Rule):
    """Box 41 agrees with the unit written in box 31 lower-right."""

    severity = "warning"
    message_az = "31-ci qrafadakı ölçü vahidi ({value}) 41-ci qrafadakı vahidə ({expected}) uyğun deyil."
    message_en = "The unit in box 31 ({value}) differs from box 41 ({expected})."
    boxes = ("41", "31")

    def check(self, env: Env) -> Iterator[RuleError]:
        for i, g in enumerate(env.doc.goods):
            if not g.supplementary_unit or not g.quantity_unit:
                continue
            entry = env.ref.lookup("units", g.supplementary_unit)
            if entry is not None and g.quantity_unit != entry.attributes.get("abbrev_az", entry.name_az):
                yield self.error(f"/goods/{i}/quantity_unit", g.quantity_unit, expected=entry.name_az)


class V_42_1(MinValue):
    """Box 42: the item's invoice value is ≥ 0."""

    message_az = "42-ci qrafa: invoys dəyəri mənfi ola bilməz: {value}."
    message_en = "Box 42: the invoice value cannot be negative: {value}."
    boxes = ("42",)
    field = "/goods/*/invoice_value"


# --- Box 43 ----------------------------------------------------------------------------------


class V_43_1(Rule):
    """Box 43 (import): sub-division 1 '0'/'1', sub-division 2 a method of Appendix 12."""

    message_az = "43-cü qrafa: düzəliş əlaməti '0'/'1' və 12 nömrəli əlavədən üsul olmalıdır: {value}."
    message_en = "Box 43: the adjustment flag must be '0'/'1' and the method from Appendix 12: {value}."
    boxes = ("43",)

    def check(self, env: Env) -> Iterator[RuleError]:
        for i, g in enumerate(env.doc.goods):
            v = g.valuation
            if v is None:
                continue
            if v.adjusted and not env.ref.has("valuation-adjustments", v.adjusted):
                yield self.error(f"/goods/{i}/valuation/adjusted", v.adjusted)
            if v.method and not env.ref.has("valuation-methods", v.method, env.on):
                yield self.error(f"/goods/{i}/valuation/method", v.method)


class V_43_2(Rule):
    """Box 43 is empty on export (also X-20)."""

    message_az = "43-cü qrafa ixracda doldurulmur."
    message_en = "Box 43 is not filled on export."
    boxes = ("43",)
    directions = frozenset({"İX"})

    def check(self, env: Env) -> Iterator[RuleError]:
        # M-2 leaves box 43 on export to this rule: one error per value.
        for i, g in enumerate(env.doc.goods):
            if g.valuation is not None and (g.valuation.adjusted or g.valuation.method):
                yield self.error(f"/goods/{i}/valuation", g.valuation)


# --- Box 44 ----------------------------------------------------------------------------------

GUARANTEE_PROCEDURES = frozenset({"31", "11"})


def line_is_code_group(declaration_type: str | None, procedure: str | None) -> bool:
    """Whether box 44's line is the first digit of its document code (X-17): the App. 13 group
    digit equals the line only on a GB outside transit (Q-25, Q-30). The completion fills the
    line from the code where this holds."""
    return declaration_type in ("01", "06", "10") and procedure not in TRANSIT_PROCEDURES


def _x17_applies(env: Env) -> bool:
    return line_is_code_group(env.profile.declaration_type, env.doc.procedure)


class V_44_1(Rule):
    """Box 44: each line is '<line> XXXX/S/T1[/T2]' — line 1–9, a 4-digit code, a number and a
    date; or line 9's guarantee phrase with its date."""

    message_az = "44-cü qrafa, {line}-ci sətir ('<sətir> XXXX/S/T1'): {what_az}: {value}."
    message_en = "Box 44, line {line} ('<line> XXXX/S/T1'): {what_en}: {value}."
    boxes = ("44",)

    def check(self, env: Env) -> Iterator[RuleError]:
        for i, g in enumerate(env.doc.goods):
            for j, d in enumerate(g.documents):
                if 1 <= d.line <= 9 and d.code and d.number and d.issued_on is not None and FOUR_DIGITS.fullmatch(d.code):
                    continue  # a complete line: the usual case, answered at once
                path = f"/goods/{i}/documents/{j}"
                if not 1 <= d.line <= 9:
                    yield self.error(f"{path}/line", d.line, line=d.line, what_az="sətir nömrəsi 1–9 olmalıdır",
                                     what_en="the line number must be 1–9")
                elif d.line == 9 and d.guarantee_until is not None and not d.code:
                    continue
                elif not d.code or not FOUR_DIGITS.fullmatch(d.code):
                    yield self.error(f"{path}/code", d.code, line=d.line, what_az="13 nömrəli əlavədən 4 rəqəmli sənəd kodu (XXXX) olmalıdır",
                                     what_en="a 4-digit document code of Appendix 13 (XXXX) is expected")
                elif not d.number:
                    yield self.error(f"{path}/number", d.number, line=d.line, what_az=f"{d.code} sənədinin nömrəsi (S) göstərilməlidir",
                                     what_en=f"the number (S) of document {d.code} is expected")
                elif d.issued_on is None:
                    yield self.error(f"{path}/issued_on", d.issued_on, line=d.line, what_az=f"{d.code} sənədinin tarixi (T1) göstərilməlidir",
                                     what_en=f"the date (T1) of document {d.code} is expected")


class V_44_2(Rule):
    """Box 44: T2 (last date of validity) on line 1 (licences), absent elsewhere."""

    message_az = "44-cü qrafa: son qüvvə tarixi (T2) yalnız 1-ci sətirdə və orada mütləq göstərilir."
    message_en = "Box 44: the validity date (T2) is given on line 1, and only there."
    boxes = ("44",)

    def check(self, env: Env) -> Iterator[RuleError]:
        for i, g in enumerate(env.doc.goods):
            for j, d in enumerate(g.documents):
                if (d.line == 1) != (d.valid_until is not None):
                    yield self.error(f"/goods/{i}/documents/{j}/valid_until", d.valid_until)


class V_44_3(Rule):
    """Box 44: the first digit of the document code is the line number (also X-17); the TIR
    carnet 2022 may stand on line 3 (Q-11); not for NB/SB (Q-30) or transit (Q-25)."""

    message_az = "44-cü qrafa: sənədin kodunun birinci rəqəmi sətir nömrəsinə ({expected}) bərabər olmalıdır: {value}."
    message_en = "Box 44: the document code's first digit must equal the line number ({expected}): {value}."
    boxes = ("44",)

    def check(self, env: Env) -> Iterator[RuleError]:
        if not _x17_applies(env):
            return
        for i, g in enumerate(env.doc.goods):
            for j, d in enumerate(g.documents):
                code = d.code
                if not code or not code[:1].isdigit() or (code == "2022" and d.line == 3):
                    continue
                if int(code[0]) != d.line:
                    yield self.error(f"/goods/{i}/documents/{j}/code", code, expected=d.line)


class V_44_4(InClassifier):
    """Box 44: the document code is in Appendix 13."""

    message_az = "44-cü qrafa: sənədin kodu 13 nömrəli əlavədə yoxdur: {value}."
    message_en = "Box 44: the document code is not in Appendix 13: {value}."
    boxes = ("44",)
    field = "/goods/*/documents/*/code"
    classifier = "document-types"


class V_44_5(Rule):
    """Box 44: after the codes 1999, 2999, 4999, 5999, 6999, 8002 and 9999 the short name of the
    document and of the issuing body is written (also X-18)."""

    message_az = "44-cü qrafa: {value} kodundan sonra sənədin və onu verən orqanın qısa adı yazılmalıdır."
    message_en = "Box 44: code {value} must be followed by the short name of the document and its issuer."
    boxes = ("44",)
    codes = frozenset({"1999", "2999", "4999", "5999", "6999", "8002", "9999"})

    def check(self, env: Env) -> Iterator[RuleError]:
        for i, g in enumerate(env.doc.goods):
            for j, d in enumerate(g.documents):
                if d.code in self.codes and not d.short_name:
                    yield self.error(f"/goods/{i}/documents/{j}/short_name", d.code)


class V_44_6(Rule):
    """Box 44 line 1: T1 ≤ T2, and the licence is still valid on the acceptance date
    [proposal]."""

    message_az = "44-cü qrafa: lisenziyanın qüvvədə olma tarixi verilmə tarixindən əvvəl və ya qəbul tarixindən əvvəldir: {value}."
    message_en = "Box 44: the licence's validity date is before its issue date or before the acceptance date: {value}."
    boxes = ("44",)

    def check(self, env: Env) -> Iterator[RuleError]:
        for i, g in enumerate(env.doc.goods):
            for j, d in enumerate(g.documents):
                if d.valid_until is None:
                    continue
                if (d.issued_on is not None and d.issued_on > d.valid_until) or d.valid_until < env.on:
                    yield self.error(f"/goods/{i}/documents/{j}/valid_until", d.valid_until)


class V_44_7(Rule):
    """Box 44: an invoice (line 8) for paid transactions and a transport document (line 2)
    [proposal]; not for NB/SB (Q-30) or transit (Q-25)."""

    severity = "warning"
    message_az = "44-cü qrafa, {value}-ci sətir — {what_az} yoxdur."
    message_en = "Box 44 line {value} — {what_en} is missing."
    boxes = ("44",)

    def check(self, env: Env) -> Iterator[RuleError]:
        if not _x17_applies(env) or not env.doc.goods:
            return
        lines = {d.line for g in env.doc.goods for d in g.documents}
        if 2 not in lines:
            yield self.error(
                "/goods/0/documents", 2,
                what_az="nəqliyyat sənədi (13 nömrəli əlavənin 2-ci qrupu, məs. 2011 konosament, CMR)",
                what_en="the transport document (Appendix 13 group 2, e.g. 2011 bill of lading, CMR)",
            )
        if 8 not in lines and not env.doc.gratuitous:
            yield self.error(
                "/goods/0/documents", 8,
                what_az="invoys (8001 — hesab-faktura, proforma-invoys)",
                what_en="the invoice (document code 8001 — invoice, pro-forma invoice)",
            )


class V_44_8(Rule):
    """Procedures 31 (temporary import) and 11 (re-export): box 44 line 9 carries the guarantee
    'Malların DD.MM.YYYY-cu ilə qədər çıxarılmasına zəmanət verirəm' (Q-22: not required for
    21)."""

    message_az = "44-cü qrafanın 9-cu sətrində malların çıxarılma müddətinə zəmanət göstərilməlidir."
    message_en = "Box 44 line 9 must carry the guarantee of the date by which the goods leave."
    boxes = ("44",)
    procedures = GUARANTEE_PROCEDURES

    def check(self, env: Env) -> Iterator[RuleError]:
        if env.doc.goods and not any(
            d.line == 9 and d.guarantee_until is not None for g in env.doc.goods for d in g.documents
        ):
            yield self.error("/goods/0/documents", None)


# --- Box 45, 46 ------------------------------------------------------------------------------


class V_45_1(DecimalPlaces):
    """Box 45: customs value in AZN, ≥ 0, two decimals [proposal]."""

    message_az = "45-ci qrafa: gömrük dəyəri mənfi olmayan, vergüldən sonra 2 rəqəmli məbləğ olmalıdır: {value}."
    message_en = "Box 45: the customs value must be a non-negative amount with 2 decimals: {value}."
    boxes = ("45",)
    field = "/goods/*/customs_value"
    places = 2


class V_45_2(Rule):
    """Box 45 ≈ box 42 × box 23 on import when box 43 says the value was not adjusted
    (difference above 0.01 AZN) [proposal]."""

    severity = "warning"
    message_az = "45-ci qrafa: düzəliş edilməyibsə, gömrük dəyəri invoys dəyəri × məzənnəyə ({expected}) bərabər olmalıdır: {value}."
    message_en = "Box 45: without adjustment the customs value should equal invoice value × rate ({expected}): {value}."
    boxes = ("45", "42", "23", "43")
    directions = frozenset({"İD"})

    def check(self, env: Env) -> Iterator[RuleError]:
        rate = env.doc.exchange_rate
        if rate is None:
            return
        for i, g in enumerate(env.doc.goods):
            if g.customs_value is None or g.invoice_value is None:
                continue
            if g.valuation is None or g.valuation.adjusted != "0":
                continue
            expected = money(g.invoice_value * rate)
            if abs(g.customs_value - expected) > CENT:
                yield self.error(f"/goods/{i}/customs_value", g.customs_value, expected=expected)


class V_46_1(Rule):
    """Box 46 ≈ box 45 ÷ the USD rate of box A, 2 decimals (Q-13)."""

    severity = "warning"
    message_az = "46-cı qrafa: statistik dəyər gömrük dəyəri ÷ ABŞ dollarının məzənnəsinə ({expected}) bərabər olmalıdır (Q-13): {value}."
    message_en = "Box 46: the statistical value should equal customs value ÷ USD rate ({expected}) (Q-13): {value}."
    boxes = ("46", "45", "A")

    def check(self, env: Env) -> Iterator[RuleError]:
        office = env.doc.office_of_dispatch
        rate = office.usd_rate if office else None
        if not rate:
            return
        for i, g in enumerate(env.doc.goods):
            if g.statistical_value is None or g.customs_value is None:
                continue
            expected = money(g.customs_value / rate)
            if abs(g.statistical_value - expected) > CENT:
                yield self.error(f"/goods/{i}/statistical_value", g.statistical_value, expected=expected)


# --- Box 47 ----------------------------------------------------------------------------------


class V_47_1(Rule):
    """Box 47: every row fills all five columns (Növ, base, rate, amount, ÖÜ)."""

    message_az = "47-ci qrafa, {row}-ci sətir: «{column_az}» sütunu boşdur (hər sətirdə 5 sütun doldurulur)."
    message_en = "Box 47, row {row}: the column '{column_en}' is empty (every row fills all five columns)."
    boxes = ("47",)
    columns = {
        "payment_type": ("Növ", "Type"),
        "base": ("Hesablama bazası", "Tax base"),
        "rate": ("Tarif dərəcəsi", "Rate"),
        "amount": ("Məbləğ", "Amount"),
        "method": ("ÖÜ", "Method of payment"),
    }

    def check(self, env: Env) -> Iterator[RuleError]:
        for i, g in enumerate(env.doc.goods):
            for j, p in enumerate(g.payments):
                if p.payment_type and p.base is not None and p.rate and p.amount is not None and p.method:
                    continue  # the usual row, every column filled: answered without a loop
                for column, (az, en) in self.columns.items():
                    value = getattr(p, column)
                    if value is None or value == "":
                        yield self.error(f"/goods/{i}/payments/{j}/{column}", None, row=j + 1, column_az=az, column_en=en)


class V_47_2(InClassifier):
    """Box 47 'Növ': a payment type of Appendix 8."""

    message_az = "47-ci qrafa: ödəniş növü 8 nömrəli əlavədə yoxdur: {value}."
    message_en = "Box 47: the payment type is not in Appendix 8: {value}."
    boxes = ("47",)
    field = "/goods/*/payments/*/payment_type"
    classifier = "payment-types"


class V_47_3(FieldRule):
    """Box 47 'ÖÜ': a payment method of Appendix 10 (the letter alias is accepted, Q-15)."""

    message_az = "47-ci qrafa: ödəniş üsulu 10 nömrəli əlavədə yoxdur: {value}."
    message_en = "Box 47: the payment method is not in Appendix 10: {value}."
    boxes = ("47",)
    field = "/goods/*/payments/*/method"

    def ok(self, value: str, env: Env) -> bool:
        return env.ref.has("payment-methods", method_code(value), env.on)


PERCENT = re.compile(r"^(\d+(?:[.,]\d+)?)%$")


def _percent(rate: str) -> Decimal | None:
    """The percentage of an ad valorem rate 'NN%' (None for any other rate)."""
    match = PERCENT.match(rate.replace(" ", ""))
    if match is None:
        return None
    try:
        return Decimal(match.group(1).replace(",", "."))
    except InvalidOperation:
        return None


class V_47_4(Rule):
    """Box 47: amount = round(base × rate, 2), half up (CBAR rounding), within 0.01, for ad
    valorem rates 'NN%' (Q-43) [proposal]."""

    message_az = "47-ci qrafa: məbləğ hesablama bazası × dərəcəyə ({expected}) bərabər deyil: {value}."
    message_en = "Box 47: the amount does not equal base × rate ({expected}): {value}."
    boxes = ("47",)

    def check(self, env: Env) -> Iterator[RuleError]:
        # A hundred items repeat a few rates: each text is read once per run.
        percents: dict[str, Decimal | None] = {}
        for i, g in enumerate(env.doc.goods):
            for j, p in enumerate(g.payments):
                if p.base is None or p.amount is None or not p.rate:
                    continue
                if p.rate in percents:
                    percent = percents[p.rate]
                else:
                    percent = percents[p.rate] = _percent(p.rate)
                if percent is None:
                    continue
                expected = money(p.base * percent / 100)
                if abs(p.amount - expected) > CENT:
                    yield self.error(f"/goods/{i}/payments/{j}/amount", p.amount, expected=expected)


def _is_duty_or_tax(env: Env, payment_type: str | None) -> bool:
    entry = env.ref.lookup("payment-types", payment_type)
    return entry is not None and str(entry.attributes.get("group_code")) in DUTY_AND_TAX_GROUPS


class V_47_5(Rule):
    """Procedures 21 and 31: duties and taxes are calculated conditionally, ÖÜ = 05 ('ŞH')
    (also X-16)."""

    message_az = "47-ci qrafa: müvəqqəti idxal/ixracda rüsum və vergilər üçün ödəniş üsulu 05 (ŞH) olmalıdır: {value}."
    message_en = "Box 47: under temporary import/export, duties and taxes take payment method 05 (ŞH): {value}."
    boxes = ("47",)
    procedures = frozenset({"21", "31"})

    def check(self, env: Env) -> Iterator[RuleError]:
        for i, g in enumerate(env.doc.goods):
            for j, p in enumerate(g.payments):
                if _is_duty_or_tax(env, p.payment_type) and method_code(p.method) != CONDITIONAL_METHOD:
                    yield self.error(f"/goods/{i}/payments/{j}/method", p.method)


# --- Box B -----------------------------------------------------------------------------------


def payable_by_type(env: Env) -> dict[str, tuple[Decimal, bool]]:
    """Σ box-47 amounts per payment type over all items, ÖÜ 05 rows left out (L688–689), and
    whether any row of the type is deferred (ÖÜ 03/04)."""
    cached = env.memo.get("payable_by_type")
    if cached is not None:
        return cached  # type: ignore[no-any-return]
    sums: dict[str, Decimal] = defaultdict(Decimal)
    deferred: dict[str, bool] = defaultdict(bool)
    for g in env.doc.goods:
        for p in g.payments:
            method = method_code(p.method)
            if not p.payment_type or method == CONDITIONAL_METHOD:
                continue
            sums[p.payment_type] += p.amount or Decimal(0)
            deferred[p.payment_type] |= method in DEFERRED_METHODS
    result = {t: (sums[t], deferred[t]) for t in sums}
    env.memo["payable_by_type"] = result
    return result


class BoxBRule(Rule):
    abstract = True

    def when(self, env: Env) -> bool:
        return env.listed("B")


class V_B_1(BoxBRule):
    """Box B: one line per payment type of box 47 whose ÖÜ is not 05; no other lines, no
    repeats."""

    message_az = "B qrafası: {value} ödəniş növü üçün bir sətir olmalıdır."
    message_en = "Box B: there must be exactly one line for payment type {value}."
    boxes = ("B", "47")

    def check(self, env: Env) -> Iterator[RuleError]:
        expected = payable_by_type(env)
        lines = env.doc.accounting.lines if env.doc.accounting else []
        seen: set[str | None] = set()
        for i, line in enumerate(lines):
            if line.payment_type not in expected or line.payment_type in seen:
                yield self.error(f"/accounting/lines/{i}/payment_type", line.payment_type)
            seen.add(line.payment_type)
        for payment_type in expected:
            if payment_type not in seen:
                yield self.error("/accounting/lines", payment_type)


class V_B_2(BoxBRule):
    """Box B element 2 = Σ box-47 amounts of that type over all items (also X-06)."""

    message_az = "B qrafası: məbləğ 47-ci qrafadakı bu növ ödənişlərin cəminə ({expected}) bərabər olmalıdır: {value}."
    message_en = "Box B: the amount must equal the sum of box 47 for this type ({expected}): {value}."
    boxes = ("B", "47")

    def check(self, env: Env) -> Iterator[RuleError]:
        if env.doc.accounting is None:
            return
        expected = payable_by_type(env)
        for i, line in enumerate(env.doc.accounting.lines):
            if line.payment_type in expected and line.amount is not None:
                total = expected[line.payment_type][0]
                if line.amount != total:
                    yield self.error(f"/accounting/lines/{i}/amount", line.amount, expected=total)


class V_B_3(BoxBRule):
    """Box B lower part: the total = Σ element 2 of the lines."""

    message_az = "B qrafası: yekun məbləğ sətirlərin cəminə ({expected}) bərabər olmalıdır: {value}."
    message_en = "Box B: the total must equal the sum of the lines ({expected}): {value}."
    boxes = ("B",)

    def check(self, env: Env) -> Iterator[RuleError]:
        accounting = env.doc.accounting
        if accounting is None:
            return
        expected = sum((line.amount or Decimal(0) for line in accounting.lines), Decimal(0))
        if accounting.lines and accounting.total is None:
            yield self.error("/accounting/total", None, expected=expected)
        elif accounting.total is not None and accounting.total != expected:
            yield self.error("/accounting/total", accounting.total, expected=expected)


class V_B_4(BoxBRule):
    """Box B: no blanks inside an element."""

    message_az = "B qrafası: elementlərin daxilində boşluq olmamalıdır: {value}."
    message_en = "Box B: elements must not contain blanks: {value}."
    boxes = ("B",)

    def check(self, env: Env) -> Iterator[RuleError]:
        if env.doc.accounting is None:
            return
        for i, line in enumerate(env.doc.accounting.lines):
            for name in ("payment_type", "currency", "guarantee"):
                value = getattr(line, name)
                if value and any(c.isspace() for c in value):
                    yield self.error(f"/accounting/lines/{i}/{name}", value)


class V_B_5(BoxBRule):
    """Box B element 4 (guarantee, Appendix 9 numeric or letter code) is present iff the
    payment type is deferred (ÖÜ 03 or 04) [proposal]."""

    message_az = "B qrafası: təminat kodu yalnız möhlət verilmiş ödəniş üçün və 9 nömrəli əlavədən göstərilir: {value}."
    message_en = "Box B: a guarantee code (Appendix 9) is given for deferred payments only: {value}."
    boxes = ("B", "47")

    def check(self, env: Env) -> Iterator[RuleError]:
        if env.doc.accounting is None:
            return
        expected = payable_by_type(env)
        for i, line in enumerate(env.doc.accounting.lines):
            deferred = expected.get(line.payment_type or "", (Decimal(0), False))[1]
            g = line.guarantee
            valid = bool(g) and (
                env.ref.has("guarantee-types", g) or bool(env.ref.by_attribute("guarantee-types", "letter", g))
            )
            if (deferred and not valid) or (not deferred and g):
                yield self.error(f"/accounting/lines/{i}/guarantee", g)


class V_B_7(BoxBRule):
    """Box B element 3 is the national currency, numeric 944 [proposal]."""

    message_az = "B qrafası: valyuta milli valyutanın kodu (944) olmalıdır: {value}."
    message_en = "Box B: the currency must be the national currency code 944: {value}."
    boxes = ("B",)

    def check(self, env: Env) -> Iterator[RuleError]:
        if env.doc.accounting is None:
            return
        for i, line in enumerate(env.doc.accounting.lines):
            if line.currency != NATIONAL_CURRENCY:
                yield self.error(f"/accounting/lines/{i}/currency", line.currency)
