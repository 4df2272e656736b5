"""Cross-box rules (spec §3.5) that are not already a box rule of §3.3."""

from __future__ import annotations

from collections.abc import Iterator

from gomruk.rules.base import Env, Rule, RuleError
from gomruk.rules.checks.common import (
    DEFERRED_METHODS,
    attachment_sheets_needed,
    is_electricity,
    method_code,
)


class X_02(Rule):
    """Box 3 is filled when, and only when, additional sheets exist (more than one item); empty
    otherwise (Q-48)."""

    message_az = "3-cü qrafa yalnız əlavə vərəqlər olduqda (birdən çox mal) doldurulur."
    message_en = "Box 3 is filled when, and only when, there are additional sheets (more than one item)."
    boxes = ("3", "5")

    def check(self, env: Env) -> Iterator[RuleError]:
        forms = env.doc.forms
        filled = forms is not None and (forms.sheet is not None or forms.total is not None)
        needed = len(env.doc.goods) > 1
        if needed and not filled and env.listed("3"):
            yield self.error("/forms", None)
        elif filled and not needed:
            yield self.error("/forms", forms)


class X_07(Rule):
    """Box 37 digits 1–2 = box 1 sub-division 2 for every item: one procedure per declaration
    (also V-1-5 and V-37-2's agreement clause)."""

    message_az = "37-ci qrafanın ilk iki rəqəmi 1-ci qrafadakı prosedura ({expected}) bərabər olmalıdır: {value}."
    message_en = "The first two digits of box 37 must equal the procedure in box 1 ({expected}): {value}."
    boxes = ("37", "1")

    def check(self, env: Env) -> Iterator[RuleError]:
        procedure = env.doc.procedure
        if not procedure:
            return
        for i, g in enumerate(env.doc.goods):
            code = g.procedure_code
            if code and code[:2] != procedure:
                yield self.error(f"/goods/{i}/procedure_code", code, expected=procedure)


class X_10(Rule):
    """Box 6 = 0 when every item is electrical energy (heading 2716)."""

    message_az = "6-cı qrafa: elektrik enerjisi üçün yük yerlərinin sayı 0 olmalıdır: {value}."
    message_en = "Box 6: electrical energy has 0 packages: {value}."
    boxes = ("6", "33")

    def check(self, env: Env) -> Iterator[RuleError]:
        doc = env.doc
        if doc.total_packages and doc.goods and all(is_electricity(g.commodity_code) for g in doc.goods):
            yield self.error("/total_packages", doc.total_packages)


def _deferred(env: Env) -> bool:
    """Whether box 47 has a deferred payment (X-14 and V-48-3 ask), read once per run."""
    known = env.memo.get("deferred_payment")
    if known is None:
        known = env.memo["deferred_payment"] = any(
            method_code(p.method) in DEFERRED_METHODS for g in env.doc.goods for p in g.payments
        )
    return bool(known)


class X_14(Rule):
    """A deferred payment in box 47 (ÖÜ 03 or 04) needs box 48 (deadline) and, where the profile
    lists it, box 52 (guarantee) (also V-B-6)."""

    message_az = "47-ci qrafada möhlət verilmiş ödəniş var; {value} qrafası doldurulmalıdır."
    message_en = "Box 47 has a deferred payment; box {value} must be filled."
    boxes = ("47", "48", "52")

    def check(self, env: Env) -> Iterator[RuleError]:
        if not _deferred(env):
            return
        doc = env.doc
        if doc.deferred_until is None and env.listed("48"):
            yield self.error("/deferred_until", "48")
        if (doc.guarantee is None or not doc.guarantee.code) and env.listed("52"):
            yield self.error("/guarantee", "52")


class V_48_3(Rule):
    """Box 48 is filled only when box 47 has a deferred payment (ÖÜ 03 or 04) [proposal]."""

    message_az = "48-ci qrafa yalnız 47-ci qrafada möhlət verilmiş ödəniş (ÖÜ 03, 04) olduqda doldurulur."
    message_en = "Box 48 is filled only when box 47 has a deferred payment (ÖÜ 03 or 04)."
    boxes = ("48", "47")

    def check(self, env: Env) -> Iterator[RuleError]:
        if env.doc.deferred_until is not None and not _deferred(env):
            yield self.error("/deferred_until", env.doc.deferred_until)


class X_15(Rule):
    """Procedures 31 and 11: the date in the line-9 guarantee is after the acceptance date."""

    message_az = "44-cü qrafa: malların çıxarılmasına zəmanət tarixi qəbul tarixindən sonra olmalıdır: {value}."
    message_en = "Box 44: the guaranteed exit date must be after the acceptance date: {value}."
    boxes = ("44",)
    procedures = frozenset({"31", "11"})

    def check(self, env: Env) -> Iterator[RuleError]:
        for i, g in enumerate(env.doc.goods):
            for j, d in enumerate(g.documents):
                if d.guarantee_until is not None and d.guarantee_until <= env.on:
                    yield self.error(f"/goods/{i}/documents/{j}/guarantee_until", d.guarantee_until)


class X_19(Rule):
    """Boxes 9 and 20 are empty for a gratuitous deal, box 20 filled otherwise (Q-06: on import
    too); box 28 is empty iff the contract has no monetary settlement."""

    message_az = "{value} qrafası: təmənnasız sövdələşmədə və ya pul hesablaşması olmadıqda doldurulmur, digər hallarda doldurulur."
    message_en = "Box {value}: left empty for gratuitous deals or without monetary settlement, filled otherwise."
    boxes = ("9", "20", "28")

    def check(self, env: Env) -> Iterator[RuleError]:
        doc = env.doc
        if doc.gratuitous:
            if doc.financial_party is not None:
                yield self.error("/financial_party", "9")
            if doc.delivery_terms is not None:
                yield self.error("/delivery_terms", "20")
        elif env.listed("20") and (doc.delivery_terms is None or not doc.delivery_terms.code):
            yield self.error("/delivery_terms/code", "20")
        if doc.no_monetary_settlement and doc.financial_details or not doc.no_monetary_settlement and env.listed("28") and not doc.financial_details:
            yield self.error("/financial_details", "28")


class X_22(Rule):
    """A box that says 'qoşma vərəqə bax', or box 40's NB table, needs attachment sheets,
    counted in box A 'Qoşma-SS'."""

    message_az = "'Qoşma vərəqə bax' istinadı var, lakin A qrafasında qoşma vərəqlərin sayı göstərilməyib."
    message_en = "A box refers to an attachment sheet, but box A gives no attachment sheets."
    boxes = ("A", "18", "21", "28", "31", "40", "44")

    def check(self, env: Env) -> Iterator[RuleError]:
        doc = env.doc
        office = doc.office_of_dispatch
        if office is not None and office.attachment_sheets:
            return
        if attachment_sheets_needed(env):
            yield self.error("/office_of_dispatch/attachment_sheets", None if office is None else office.attachment_sheets)


class V_19_2(Rule):
    """Box 19 = 1 ⇒ container numbers in box 31 of every item (also X-12, V-31-3)."""

    severity = "warning"
    message_az = "19-cu qrafada '1' göstərilib; 31-ci qrafada konteynerin nömrəsi göstərilməlidir."
    message_en = "Box 19 says '1'; box 31 should give the container numbers."
    boxes = ("19", "31")

    def check(self, env: Env) -> Iterator[RuleError]:
        if env.doc.container_indicator != "1":
            return
        for i, g in enumerate(env.doc.goods):
            if not g.container_numbers:
                yield self.error(f"/goods/{i}/container_numbers", None)


class X_23(Rule):
    """Re-import (41): box 40 holds the export declaration's number and date and the date the
    goods left."""

    message_az = "40-cı qrafa (təkrar idxal): ixrac bəyannaməsinin nömrəsi, tarixi və malların çıxarılma tarixi göstərilməlidir."
    message_en = "Box 40 (re-import): give the export declaration's number and date and the date the goods left."
    boxes = ("40",)
    procedures = frozenset({"41"})

    def check(self, env: Env) -> Iterator[RuleError]:
        refs = list(env.doc.previous_declarations) + [r for g in env.doc.goods for r in g.previous_documents]
        if not any(r.number and r.date and r.exit_date for r in refs):
            yield self.error("/previous_declarations", None)


class X_24(Rule):
    """A full GB that follows incomplete declarations (NB) lists them in the box-40 table."""

    message_az = "40-cı qrafa: natamam bəyannamələr (NB) qoşma vərəqdəki cədvəldə göstərilməlidir."
    message_en = "Box 40: the incomplete declarations (NB) must be listed in the attachment-sheet table."
    boxes = ("40",)
    declaration_types = frozenset({"01"})

    def check(self, env: Env) -> Iterator[RuleError]:
        doc = env.doc
        follows_nb = any((r.kind or "").upper() == "NB" for r in doc.previous_declarations)
        if follows_nb and not doc.incomplete_declarations:
            yield self.error("/incomplete_declarations", None)


class V_RI_1(Rule):
    """Re-import (41): box 40 refers to an export declaration (İX, procedure 10 or 21) of the
    same person (checked when the context knows the declarations) [proposal]."""

    message_az = "40-cı qrafa (təkrar idxal): {value} eyni şəxsin ixrac bəyannaməsi (İX, 10 və ya 21) deyil."
    message_en = "Box 40 (re-import): {value} is not an export declaration (İX, 10 or 21) of the same person."
    boxes = ("40",)
    procedures = frozenset({"41"})

    def check(self, env: Env) -> Iterator[RuleError]:
        known = env.context.known_declarations
        if known is None:
            return
        for i, ref in enumerate(env.doc.previous_declarations):
            found = known.get(ref.number)
            if found is None or found.direction != "İX" or found.procedure not in ("10", "21"):
                yield self.error(f"/previous_declarations/{i}/number", ref.number)


class V_RI_2(Rule):
    """Re-import (41): the goods are of Azerbaijani origin, box 34 = AZ / 031 [proposal]."""

    severity = "warning"
    message_az = "34-cü qrafa (təkrar idxal): malların mənşəyi Azərbaycan (AZ/031) olmalıdır: {value}."
    message_en = "Box 34 (re-import): the goods should be of Azerbaijani origin (AZ/031): {value}."
    boxes = ("34",)
    procedures = frozenset({"41"})

    def check(self, env: Env) -> Iterator[RuleError]:
        for i, g in enumerate(env.doc.goods):
            if g.origin_country is not None and g.origin_country.alpha and g.origin_country.alpha != "AZ":
                yield self.error(f"/goods/{i}/origin_country/alpha", g.origin_country.alpha)
