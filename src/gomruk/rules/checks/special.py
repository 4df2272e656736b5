"""Rules derived from §4: special procedures (``P-<procedure>-<n>``, §4.3) and the other
declaration types (``T-<type>-<n>``, §4.4)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import ClassVar

from gomruk.rules.base import Env, Rule, RuleError

# --- Special procedures (§4.3) ---------------------------------------------------------------


class HasDocument(Rule):
    """Some item's box 44 carries a document with ``code`` (on ``line`` when given)."""

    abstract = True
    document_code: ClassVar[str] = ""
    line: ClassVar[int | None] = None

    def check(self, env: Env) -> Iterator[RuleError]:
        for g in env.doc.goods:
            for d in g.documents:
                if d.code == self.document_code and (self.line is None or d.line == self.line):
                    return
        if env.doc.goods:
            yield self.error("/goods/0/documents", self.document_code)


class P_51_1(HasDocument):
    """Inward processing (51): box 44 line 9 carries the authorisation 9202 [derived from the
    related codes of §4.3.1]."""

    severity = "warning"
    message_az = "Daxildə emal: 44-cü qrafanın 9-cu sətrində {value} kodlu icazə göstərilməlidir."
    message_en = "Inward processing: box 44 line 9 should carry authorisation {value}."
    boxes = ("44",)
    procedures = frozenset({"51"})
    document_code = "9202"
    line = 9


class P_52_1(HasDocument):
    """Outward processing (52): box 44 line 9 carries the authorisation 9201 [derived from the
    related codes of §4.3.1]."""

    severity = "warning"
    message_az = "Xaricdə emal: 44-cü qrafanın 9-cu sətrində {value} kodlu icazə göstərilməlidir."
    message_en = "Outward processing: box 44 line 9 should carry authorisation {value}."
    boxes = ("44",)
    procedures = frozenset({"52"})
    document_code = "9201"
    line = 9


class P_74_1(HasDocument):
    """Customs warehouse (74) and temporary storage (61): box 44 line 4 carries the contract 4012
    between the person placing the goods and the warehouse owner (§4.3.2)."""

    message_az = "Gömrük anbarı / müvəqqəti saxlanc: 44-cü qrafanın 4-cü sətrində anbar sahibi ilə müqavilə ({value}) göstərilməlidir."
    message_en = "Customs warehouse / temporary storage: box 44 line 4 must carry the contract with the warehouse owner ({value})."
    boxes = ("44",)
    procedures = frozenset({"74", "61"})
    document_code = "4012"
    line = 4


class P_74_2(Rule):
    """Customs warehouse (74) and temporary storage (61): box 49 gives the number and date of the
    warehouse licence (§4.3.2)."""

    message_az = "Gömrük anbarı / müvəqqəti saxlanc: 49-cu qrafada anbarın lisenziyasının nömrəsi və tarixi göstərilməlidir."
    message_en = "Customs warehouse / temporary storage: box 49 must give the warehouse licence number and date."
    boxes = ("49",)
    procedures = frozenset({"74", "61"})

    def check(self, env: Env) -> Iterator[RuleError]:
        warehouse = env.doc.warehouse
        if warehouse is None or not warehouse.licence_number:
            yield self.error("/warehouse/licence_number", None)
        elif warehouse.licence_date is None:
            yield self.error("/warehouse/licence_date", None)


class P_21_1(HasDocument):
    """Temporary export (21): box 44 carries the undertaking 9102 to bring the goods back
    (Q-22)."""

    severity = "warning"
    message_az = "Müvəqqəti ixrac: 44-cü qrafada malların geri qaytarılması üzrə öhdəlik ({value}) göstərilməlidir (Q-22)."
    message_en = "Temporary export: box 44 should carry the undertaking to bring the goods back ({value}) (Q-22)."
    boxes = ("44",)
    procedures = frozenset({"21"})
    document_code = "9102"


class P_31_1(HasDocument):
    """Temporary import (31): box 44 carries the undertaking 9101 to take the goods out again
    [derived from the related codes of §4.3.3]."""

    severity = "warning"
    message_az = "Müvəqqəti idxal: 44-cü qrafada malların geri qaytarılması üzrə öhdəlik ({value}) göstərilməlidir."
    message_en = "Temporary import: box 44 should carry the undertaking to take the goods out again ({value})."
    boxes = ("44",)
    procedures = frozenset({"31"})
    document_code = "9101"


class P_41_1(Rule):
    """Re-import (41): box 36 is '000' or the re-import privilege '020' (Q-24)."""

    message_az = "Təkrar idxal: 36-cı qrafada yalnız '000' və ya '020' (təkrar idxal) ola bilər (Q-24): {value}."
    message_en = "Re-import: box 36 may only be '000' or '020' (re-import) (Q-24): {value}."
    boxes = ("36",)
    procedures = frozenset({"41"})

    def check(self, env: Env) -> Iterator[RuleError]:
        for i, g in enumerate(env.doc.goods):
            if g.privilege and g.privilege not in ("000", "020"):
                yield self.error(f"/goods/{i}/privilege", g.privilege)


class P_80_1(Rule):
    """Transit (80, 81): box 53 gives both the name and the code of the destination office
    (§4.3.8)."""

    message_az = "Tranzit: 53-cü qrafada təyinat gömrük orqanının adı və kodu göstərilməlidir."
    message_en = "Transit: box 53 must give both the name and the code of the destination office."
    boxes = ("53",)
    procedures = frozenset({"80", "81"})

    def check(self, env: Env) -> Iterator[RuleError]:
        office = env.doc.destination_office
        if office is None or not office.office_codes:
            yield self.error("/destination_office/office_codes", None)


# --- Other declaration types (§4.4) ----------------------------------------------------------


class TypeDirection(Rule):
    """The declaration type fixes the direction of box 1."""

    abstract = True
    direction: ClassVar[str] = ""

    def check(self, env: Env) -> Iterator[RuleError]:
        if env.doc.direction is not None and env.doc.direction != self.direction:
            yield self.error("/direction", env.doc.direction, expected=self.direction)


class T_02_1(TypeDirection):
    """NB 02 (incomplete declaration, import) is an import: box 1 = İD."""

    message_az = "NB 02 idxal bəyannaməsidir: istiqamət {expected} olmalıdır: {value}."
    message_en = "NB 02 is an import declaration: the direction must be {expected}: {value}."
    boxes = ("1",)
    declaration_types = frozenset({"02"})
    direction = "İD"


class T_03_1(TypeDirection):
    """NB 03 (incomplete declaration, export) is an export: box 1 = İX."""

    message_az = "NB 03 ixrac bəyannaməsidir: istiqamət {expected} olmalıdır: {value}."
    message_en = "NB 03 is an export declaration: the direction must be {expected}: {value}."
    boxes = ("1",)
    declaration_types = frozenset({"03"})
    direction = "İX"


class T_06_1(TypeDirection):
    """SB 06 (natural persons) follows the GB import rules until it has a methodology (Q-19):
    box 1 = İD."""

    message_az = "SB 06 GB idxal qaydaları ilə doldurulur (Q-19): istiqamət {expected} olmalıdır: {value}."
    message_en = "SB 06 follows the GB import rules (Q-19): the direction must be {expected}: {value}."
    boxes = ("1",)
    declaration_types = frozenset({"06"})
    direction = "İD"


class T_11_1(TypeDirection):
    """QİB 11 (short import): box 1 is set by the system to İD (Q-28)."""

    message_az = "QİB 11 qısa idxal bəyannaməsidir: istiqamət {expected} olmalıdır (Q-28): {value}."
    message_en = "QİB 11 is a short import declaration: the direction must be {expected} (Q-28): {value}."
    boxes = ("1",)
    declaration_types = frozenset({"11"})
    direction = "İD"


class T_12_1(TypeDirection):
    """QİXB 12 (short export): box 1 = İX."""

    message_az = "QİXB 12 qısa ixrac bəyannaməsidir: istiqamət {expected} olmalıdır: {value}."
    message_en = "QİXB 12 is a short export declaration: the direction must be {expected}: {value}."
    boxes = ("1",)
    declaration_types = frozenset({"12"})
    direction = "İX"


class RefersTo(Rule):
    """Box 40 names at least one earlier declaration of ``kind``."""

    abstract = True
    kind: ClassVar[str] = ""

    def check(self, env: Env) -> Iterator[RuleError]:
        refs = list(env.doc.previous_declarations) + [r for g in env.doc.goods for r in g.previous_documents]
        if not any((r.kind or "").upper() == self.kind for r in refs):
            yield self.error("/previous_declarations", self.kind)


class T_02_2(RefersTo):
    """NB 02/03: box 40 gives the numbers of the related short import/export declarations (QB)
    (§4.4.6)."""

    message_az = "NB: 40-cı qrafada əlaqəli qısa bəyannamələrin ({value}) nömrələri göstərilməlidir."
    message_en = "NB: box 40 must give the numbers of the related short declarations ({value})."
    boxes = ("40",)
    declaration_types = frozenset({"02", "03"})
    kind = "QB"


class T_04_1(RefersTo):
    """SB 04 (aid cargo): box 40 gives the numbers of the short import/export declarations (QB)
    (§4.4.8)."""

    message_az = "SB 04: 40-cı qrafada qısa bəyannamələrin ({value}) nömrələri göstərilməlidir."
    message_en = "SB 04: box 40 must give the numbers of the short declarations ({value})."
    boxes = ("40",)
    declaration_types = frozenset({"04"})
    kind = "QB"


class T_05_1(RefersTo):
    """SB 05 (AEO): box 40 gives the numbers of the short import/export declarations (QB)
    (§4.4.7)."""

    message_az = "SB 05: 40-cı qrafada qısa bəyannamələrin ({value}) nömrələri göstərilməlidir."
    message_en = "SB 05: box 40 must give the numbers of the short declarations ({value})."
    boxes = ("40",)
    declaration_types = frozenset({"05"})
    kind = "QB"


class T_07_1(RefersTo):
    """ƏB 07 (aid cargo): box 40 gives the numbers of the simplified declarations SB (aid
    cargo) (§4.4.3)."""

    message_az = "ƏB 07: 40-cı qrafada sadələşdirilmiş bəyannamələrin ({value}) nömrələri göstərilməlidir."
    message_en = "ƏB 07: box 40 must give the numbers of the simplified declarations ({value})."
    boxes = ("40",)
    declaration_types = frozenset({"07"})
    kind = "SB"


class T_08_1(RefersTo):
    """ƏB 08 (AEO): box 40 gives the numbers of the AEO's simplified declarations SB (§4.4.2)."""

    message_az = "ƏB 08: 40-cı qrafada SİO-nun sadələşdirilmiş bəyannamələrinin ({value}) nömrələri göstərilməlidir."
    message_en = "ƏB 08: box 40 must give the numbers of the AEO's simplified declarations ({value})."
    boxes = ("40",)
    declaration_types = frozenset({"08"})
    kind = "SB"


class T_02_3(Rule):
    """NB 02/03 and SB 05: box 44 uses lines 1–4 only (licence; contract; preliminary
    classification decision; other documents — Q-30)."""

    message_az = "NB / SB 05: 44-cü qrafada yalnız 1–4 sətirləri istifadə olunur (Q-30): {value}."
    message_en = "NB / SB 05: box 44 uses lines 1–4 only (Q-30): {value}."
    boxes = ("44",)
    declaration_types = frozenset({"02", "03", "05"})

    def check(self, env: Env) -> Iterator[RuleError]:
        for i, g in enumerate(env.doc.goods):
            for j, d in enumerate(g.documents):
                if d.line > 4:
                    yield self.error(f"/goods/{i}/documents/{j}/line", d.line)
