"""Rules of the header boxes (spec §3.3): A, 1–30 and 48–54."""

from __future__ import annotations

import re
from collections.abc import Iterator
from math import ceil
from typing import ClassVar

from gomruk.core.identifiers import is_valid_voen
from gomruk.reference.codes import NATIONAL_CURRENCY, USD
from gomruk.rules.base import (
    Env,
    FieldRule,
    Forbidden,
    InClassifier,
    MinValue,
    OneOf,
    Required,
    Rule,
    RuleError,
    SameCountryRow,
    SumEquals,
)
from gomruk.rules.checks.common import TRANSIT_PROCEDURES, attachment_sheets_needed, identifier_ok

# --- Box A -----------------------------------------------------------------------------------


class V_A_1(MinValue):
    """Box A upper-right: the CBAR US-dollar rate is a positive decimal."""

    message_az = "A qrafasında ABŞ dollarının məzənnəsi müsbət ədəd olmalıdır: {value}."
    message_en = "Box A: the US dollar rate must be a positive number: {value}."
    boxes = ("A",)
    field = "/office_of_dispatch/usd_rate"
    strict = True


class V_A_2(Rule):
    """Box A: the rate date is not after the acceptance date, and the rate and its date are
    those of the acceptance date — the date itself or that of the CBAR bulletin in force on it
    (L120–123; checked when the context supplies exchange rates)."""

    message_az = "A qrafası: məzənnə qəbul tarixində ({expected}) ABŞ dolları üçün MB-nin məzənnəsinə uyğun deyil: {value}."
    message_en = "Box A: the rate does not match the CBAR US dollar rate on the acceptance date ({expected}): {value}."
    boxes = ("A",)

    def check(self, env: Env) -> Iterator[RuleError]:
        office = env.doc.office_of_dispatch
        if office is None:
            return
        if office.usd_rate_date is not None and office.usd_rate_date > env.on:
            yield self.error("/office_of_dispatch/usd_rate_date", office.usd_rate_date, expected=env.on.isoformat())
        lookup = env.context.exchange_rate
        if lookup is not None and office.usd_rate is not None:
            expected = lookup(USD, env.on)
            if expected is not None and office.usd_rate != expected:
                yield self.error("/office_of_dispatch/usd_rate", office.usd_rate, expected=expected)
        # The rate is the one *of the acceptance date* (L120–123): dated that day, or with the
        # date of the bulletin in force that day (a Monday acceptance may show Friday's
        # bulletin), never an older one.
        dated = env.context.rate_date
        if dated is not None and office.usd_rate_date is not None and office.usd_rate_date < env.on:
            bulletin = dated(USD, env.on)
            if bulletin is not None and office.usd_rate_date != bulletin:
                yield self.error("/office_of_dispatch/usd_rate_date", office.usd_rate_date, expected=env.on.isoformat())


class V_A_3(Rule):
    """Box A lower-right 'Qoşma-SS' (L124–127): present only when attachment sheets exist, and
    then equal to their number (two digits, ≤ 99). Attachment sheets exist when box 40 carries
    the NB table (X-24) or a box refers to one ('qoşma vərəqə bax', X-22); their number is the
    printed form's when the context knows it."""

    message_az = "A qrafası: 'Qoşma-SS' qoşma vərəqlərin sayına ({expected}) bərabər olmalıdır: {value}."
    message_en = "Box A: 'Qoşma-SS' must equal the number of attachment sheets ({expected}): {value}."
    boxes = ("A",)

    def check(self, env: Env) -> Iterator[RuleError]:
        office = env.doc.office_of_dispatch
        declared = office.attachment_sheets if office is not None else None
        path = "/office_of_dispatch/attachment_sheets"
        if declared is not None and not 0 <= declared <= 99:
            yield self.error(path, declared, expected="0–99")
            return
        needed = attachment_sheets_needed(env)
        counted = env.context.attachment_sheets
        if not needed:
            if declared:
                yield self.error(path, declared, expected=0)
        elif counted is not None and declared and declared != counted:
            yield self.error(path, declared, expected=counted)


class V_A_5(InClassifier):
    """Box A body: the office of dispatch is an Appendix 11 code (Q-08)."""

    message_az = "A qrafası: gömrük orqanının kodu 11 nömrəli əlavədə yoxdur: {value}."
    message_en = "Box A: the customs office code is not in Appendix 11: {value}."
    boxes = ("A",)
    field = "/office_of_dispatch/office_code"
    classifier = "customs-offices"


# --- Box 1 -----------------------------------------------------------------------------------


class V_1_2(InClassifier):
    """Box 1 sub-division 2: a customs procedure of Appendix 2 part 1."""

    message_az = "1-ci qrafa: gömrük prosedurunun kodu 2 nömrəli əlavədə yoxdur: {value}."
    message_en = "Box 1: the procedure code is not in Appendix 2 part 1: {value}."
    boxes = ("1",)
    field = "/procedure"
    classifier = "procedures"


class V_1_3(Forbidden):
    """Box 1 sub-division 3 is not filled (Q-07)."""

    message_az = "1-ci qrafanın üçüncü yarımbölməsi doldurulmur (Q-07)."
    message_en = "Box 1: the third sub-division is not filled (Q-07)."
    boxes = ("1",)
    fields = ("/type_subdivision_3",)


class V_1_4(Rule):
    """Box 1: direction and procedure agree (İX: 10, 11, 21, 52; İD: 20, 31, 40, 41, 51;
    either: 61, 74, 80, 81; 71 either, Q-09)."""

    message_az = "1-ci qrafa: {value} istiqaməti {procedure} proseduru ilə uyğun deyil."
    message_en = "Box 1: direction {value} does not agree with procedure {procedure}."
    boxes = ("1",)

    def check(self, env: Env) -> Iterator[RuleError]:
        doc = env.doc
        entry = env.ref.lookup("procedures", doc.procedure)
        if entry is None or doc.direction is None:
            return
        allowed = str(entry.attributes.get("box1_direction", "")).split("|")
        if allowed != [""] and doc.direction not in allowed:
            yield self.error("/direction", doc.direction, procedure=doc.procedure)


class V_1_6(Rule):
    """The declaration type is one of Appendix 15 (§4.1, §5.15; Q-18: a declaration-level
    attribute). An unknown type has no profile (§4.2), so nothing else is checked: it is not
    validated as a GB import."""

    message_az = "Bəyannamənin növü 15 nömrəli əlavədə yoxdur: {value}."
    message_en = "The declaration type is not in Appendix 15: {value}."
    boxes = ("1",)

    def check(self, env: Env) -> Iterator[RuleError]:
        value = env.doc.declaration_type
        if value is not None and not env.ref.has("declaration-types", value, env.on):
            yield self.error("/declaration_type", value)


# --- Parties (2, 8, 9, 14) -------------------------------------------------------------------


class PartyIdentifier(Rule):
    abstract = True
    party_field: ClassVar[str] = ""

    def check(self, env: Env) -> Iterator[RuleError]:
        party = getattr(env.doc, self.party_field)
        if party is None or not env.listed(self.boxes[0]):
            return
        if not identifier_ok(party):
            yield self.error(f"/{self.party_field}/identifier", party.identifier)


class V_2_1(PartyIdentifier):
    """Box 2 on export: the consignor's VÖEN (10 digits with check digit) or GÖÖEN (Q-39)."""

    message_az = "2-ci qrafa (ixrac): göndərənin VÖEN və ya GÖÖEN-i yoxdur və ya səhvdir: {value}."
    message_en = "Box 2 (export): the consignor's VÖEN or GÖÖEN is missing or invalid: {value}."
    boxes = ("2",)
    directions = frozenset({"İX"})
    party_field = "consignor"


class V_2_2(Required):
    """Box 2: the consignor's name and address."""

    message_az = "2-ci qrafa: göndərənin adı və ünvanı göstərilməlidir."
    message_en = "Box 2: the consignor's name and address are required."
    boxes = ("2",)
    fields = ("/consignor/name", "/consignor/address")


class V_2_3(Rule):
    """Box 2 on export: a natural person's identity document data."""

    message_az = "2-ci qrafa (ixrac): fiziki şəxsin şəxsiyyət sənədinin məlumatları göstərilməlidir."
    message_en = "Box 2 (export): a natural person's identity document data are required."
    boxes = ("2",)
    directions = frozenset({"İX"})

    def check(self, env: Env) -> Iterator[RuleError]:
        party = env.doc.consignor
        if party is not None and party.person_kind == "natural" and not party.identity_document:
            yield self.error("/consignor/identity_document", None)


class V_8_1(PartyIdentifier):
    """Box 8 on import: the consignee's VÖEN or GÖÖEN."""

    message_az = "8-ci qrafa (idxal): alıcının VÖEN və ya GÖÖEN-i yoxdur və ya səhvdir: {value}."
    message_en = "Box 8 (import): the consignee's VÖEN or GÖÖEN is missing or invalid: {value}."
    boxes = ("8",)
    directions = frozenset({"İD"})
    party_field = "consignee"

    def when(self, env: Env) -> bool:
        # Transit (§4.3.8): box 8 is the receiver's name and postal address as in the transport
        # documents, usually a foreign person with no VÖEN.
        return env.doc.procedure not in TRANSIT_PROCEDURES and super().when(env)


class V_8_2(Required):
    """Box 8: the consignee's name and address."""

    message_az = "8-ci qrafa: malı qəbul edənin adı və ünvanı göstərilməlidir."
    message_en = "Box 8: the consignee's name and address are required."
    boxes = ("8",)
    fields = ("/consignee/name", "/consignee/address")


class V_9_1(Required):
    """Box 9: the person responsible for financial settlement, unless the deal is gratuitous."""

    message_az = "9-cu qrafa: maliyyə tənzimlənməsinə məsul şəxs göstərilməlidir (təmənnasız sövdələşmə istisnadır)."
    message_en = "Box 9: the person responsible for financial settlement is required unless the deal is gratuitous."
    boxes = ("9",)
    fields = ("/financial_party/name", "/financial_party/address")

    def check(self, env: Env) -> Iterator[RuleError]:
        if env.doc.gratuitous:
            return iter(())
        return super().check(env)


class V_9_2(PartyIdentifier):
    """Box 9: the person's VÖEN or GÖÖEN, as in box 2."""

    message_az = "9-cu qrafa: VÖEN və ya GÖÖEN yoxdur və ya səhvdir: {value}."
    message_en = "Box 9: the VÖEN or GÖÖEN is missing or invalid: {value}."
    boxes = ("9",)
    party_field = "financial_party"


class V_14_1(Required):
    """Box 14: the declarant's identifier and name."""

    message_az = "14-cü qrafa: bəyannaməçinin VÖEN/GÖÖEN-i və adı göstərilməlidir."
    message_en = "Box 14: the declarant's VÖEN/GÖÖEN and name are required."
    boxes = ("14",)
    fields = ("/declarant/identifier", "/declarant/name")


class V_14_3(PartyIdentifier):
    """Box 14: the declarant's identifier is a valid VÖEN or GÖÖEN [derived from V-14-1]."""

    message_az = "14-cü qrafa: bəyannaməçinin VÖEN və ya GÖÖEN-i səhvdir: {value}."
    message_en = "Box 14: the declarant's VÖEN or GÖÖEN is invalid: {value}."
    boxes = ("14",)
    party_field = "declarant"

    def check(self, env: Env) -> Iterator[RuleError]:
        declarant = env.doc.declarant
        if declarant is None or not declarant.identifier:
            return iter(())  # missing: V-14-1
        return super().check(env)


class V_14_2(Rule):
    """Box 14: a customs broker states the number and date of its SCC licence."""

    message_az = "14-cü qrafa: gömrük brokerinin lisenziyasının nömrəsi və tarixi göstərilməlidir."
    message_en = "Box 14: a customs broker must state its licence number and date."
    boxes = ("14",)

    def check(self, env: Env) -> Iterator[RuleError]:
        declarant = env.doc.declarant
        if declarant is None or not declarant.acts_as_broker:
            return
        if not declarant.broker_licence_number:
            yield self.error("/declarant/broker_licence_number", None)
        if declarant.broker_licence_date is None:
            yield self.error("/declarant/broker_licence_date", None)


class PartyKind(Rule):
    """The identifier in the upper-right corner fits the kind of person: a GÖÖEN is the number
    of natural persons who are not taxpayers (§2.2, L91–94), so not a legal person's; a VÖEN's
    last digit is 1 for a legal person and 2 for a natural person (tax authority's format)."""

    abstract = True
    party_field: ClassVar[str] = ""
    message_az = "Qrafa {box}: {reason_az}: {value}."
    message_en = "Box {box}: {reason_en}: {value}."

    def check(self, env: Env) -> Iterator[RuleError]:
        party = getattr(env.doc, self.party_field)
        if party is None or not party.identifier or not env.listed(self.boxes[0]):
            return
        path = f"/{self.party_field}/identifier"
        box = self.boxes[0]
        kind = party.identifier_kind or "VÖEN"
        if kind == "GÖÖEN" and party.person_kind == "legal":
            yield self.error(
                path, party.identifier, box=box,
                reason_az="GÖÖEN yalnız vergi ödəyicisi olmayan fiziki şəxslərə verilir, hüquqi şəxs VÖEN göstərir",
                reason_en="a GÖÖEN is issued to natural persons who are not taxpayers; a legal person gives its VÖEN",
            )
        elif kind == "VÖEN" and is_valid_voen(party.identifier):
            expected = "1" if party.person_kind == "legal" else "2"
            if party.identifier[-1] != expected:
                yield self.error(
                    path, party.identifier, box=box,
                    reason_az=(
                        "VÖEN-in son rəqəmi hüquqi şəxs üçün 1, fiziki şəxs üçün 2 olur; "
                        f"bu VÖEN {'fiziki' if expected == '1' else 'hüquqi'} şəxsindir"
                    ),
                    reason_en=(
                        "a VÖEN's last digit is 1 for a legal and 2 for a natural person; "
                        f"this VÖEN is a {'natural' if expected == '1' else 'legal'} person's"
                    ),
                )


class V_2_4(PartyKind):
    """Box 2: the consignor's GÖÖEN / VÖEN fits the kind of person (L137–143, L91–94)."""

    boxes = ("2",)
    party_field = "consignor"


class V_8_4(PartyKind):
    """Box 8: the consignee's GÖÖEN / VÖEN fits the kind of person (L759–767, L91–94)."""

    boxes = ("8",)
    party_field = "consignee"


class V_9_4(PartyKind):
    """Box 9: the GÖÖEN / VÖEN fits the kind of person (L180–187, L91–94)."""

    boxes = ("9",)
    party_field = "financial_party"


class V_14_4(PartyKind):
    """Box 14: the declarant's GÖÖEN / VÖEN fits the kind of person (L216–225, L91–94)."""

    boxes = ("14",)
    party_field = "declarant"


class IdentityDocument(Rule):
    """A natural person in this box carries its identity-document data."""

    abstract = True
    party_field: ClassVar[str] = ""

    def check(self, env: Env) -> Iterator[RuleError]:
        party = getattr(env.doc, self.party_field)
        if party is None or party.person_kind != "natural" or not env.listed(self.boxes[0]):
            return
        if not party.identity_document:
            yield self.error(f"/{self.party_field}/identity_document", None)


class V_8_3(IdentityDocument):
    """Box 8 on import: a natural person's full name, address and identity-document data
    (L759–767); not for transit, whose box 8 is the receiver of the transport documents
    (§4.3.8)."""

    message_az = "8-ci qrafa (idxal): fiziki şəxsin şəxsiyyət sənədinin məlumatları göstərilməlidir."
    message_en = "Box 8 (import): a natural person's identity document data are required."
    boxes = ("8",)
    directions = frozenset({"İD"})
    party_field = "consignee"

    def when(self, env: Env) -> bool:
        return env.doc.procedure not in TRANSIT_PROCEDURES


class V_9_3(IdentityDocument):
    """Box 9: a natural person's full name (S.A.A.), address and identity-document data
    (L180–187)."""

    message_az = "9-cu qrafa: fiziki şəxsin şəxsiyyət sənədinin məlumatları göstərilməlidir."
    message_en = "Box 9: a natural person's identity document data are required."
    boxes = ("9",)
    party_field = "financial_party"


# --- Box 3 -----------------------------------------------------------------------------------


def sheets_needed(items: int) -> int:
    """Main sheet holds item 1, each additional sheet three more (L26–27)."""
    return 1 + ceil(max(items - 1, 0) / 3)


class V_3_1(FieldRule):
    """Box 3 sub-division 1 of the main sheet is 1 (additional sheets are numbered 2…N when
    printed)."""

    message_az = "3-cü qrafa: əsas vərəqin sıra nömrəsi 1 olmalıdır: {value}."
    message_en = "Box 3: the main sheet's number must be 1: {value}."
    boxes = ("3",)
    field = "/forms/sheet"

    def ok(self, value: int, env: Env) -> bool:
        return value == 1


class V_3_2(Rule):
    """Box 3 sub-division 2 = total sheets = 1 + ⌈(items − 1) / 3⌉ (also V-3-4)."""

    message_az = "3-cü qrafa: vərəqlərin ümumi sayı {expected} olmalıdır: {value}."
    message_en = "Box 3: the total number of sheets must be {expected}: {value}."
    boxes = ("3", "5")

    def check(self, env: Env) -> Iterator[RuleError]:
        forms = env.doc.forms
        if forms is None or forms.total is None:
            return
        expected = sheets_needed(len(env.doc.goods))
        if forms.total != expected:
            yield self.error("/forms/total", forms.total, expected=expected)


# --- Boxes 5, 6 ------------------------------------------------------------------------------


class V_5_1(Rule):
    """Box 5 = number of goods items (also X-03)."""

    message_az = "5-ci qrafa: malların sayı {expected} olmalıdır: {value}."
    message_en = "Box 5: the number of goods items must be {expected}: {value}."
    boxes = ("5", "32")

    def check(self, env: Env) -> Iterator[RuleError]:
        total = env.doc.total_items
        if total is not None and total != len(env.doc.goods):
            yield self.error("/total_items", total, expected=len(env.doc.goods))


class V_5_2(Rule):
    """1 ≤ number of goods items ≤ 100: one main sheet, at most 33 additional sheets of three
    items (G-08; also X-01 and V-3-3)."""

    message_az = "Bəyannamədə ən azı 1, ən çoxu 100 mal olmalıdır: {value}."
    message_en = "A declaration holds from 1 to 100 goods items: {value}."
    boxes = ("5", "32")

    def check(self, env: Env) -> Iterator[RuleError]:
        count = len(env.doc.goods)
        if not 1 <= count <= 100:
            yield self.error("/goods", count, box="5")


class V_6_2(Rule):
    """Box 6 = 0 when goods move by pipeline or power line (box 25 or 26 is 71 or 72)."""

    severity = "warning"
    message_az = "6-cı qrafa: boru kəməri və ya elektrik xətti ilə daşınmada yük yerlərinin sayı 0 olmalıdır: {value}."
    message_en = "Box 6: goods moved by pipeline or power line have 0 packages: {value}."
    boxes = ("6", "25", "26")

    def check(self, env: Env) -> Iterator[RuleError]:
        doc = env.doc
        fixed = {"71", "72"}
        if doc.total_packages and (doc.border_transport_mode in fixed or doc.inland_transport_mode in fixed):
            yield self.error("/total_packages", doc.total_packages)


class V_6_3(Rule):
    """Box 6 = Σ packages stated in box 31 of every item [proposal]."""

    severity = "warning"
    message_az = "6-cı qrafa: yük yerlərinin sayı 31-ci qrafalardakı cəmə ({expected}) bərabər deyil: {value}."
    message_en = "Box 6: the number of packages differs from the sum in box 31 ({expected}): {value}."
    boxes = ("6", "31")

    def check(self, env: Env) -> Iterator[RuleError]:
        doc = env.doc
        if doc.total_packages is None or not doc.goods:
            return
        counts = [g.packages.count if g.packages else None for g in doc.goods]
        if any(c is None for c in counts):
            return
        expected = sum(c for c in counts if c is not None)
        if doc.total_packages != expected:
            yield self.error("/total_packages", doc.total_packages, expected=expected)


# --- Countries (10, 11, 15, 15a, 16, 17, 17a) ------------------------------------------------


class V_10_1(SameCountryRow):
    """Box 10: both codes from one Appendix 3 row; alpha-2 on export, alpha-3 on import
    (Q-45)."""

    message_az = "10-cu qrafa: ölkənin hərf ({column}) və rəqəm kodları 3 nömrəli əlavənin eyni sətrindən olmalıdır: {value}."
    message_en = "Box 10: the country's letter ({column}) and numeric codes must come from one Appendix 3 row: {value}."
    boxes = ("10",)
    field = "/first_destination_country"

    def alpha_column_for(self, env: Env) -> str:
        return "alpha3" if env.doc.direction == "İD" else "alpha2"


class V_11_1(SameCountryRow):
    """Box 11: alpha-2 and numeric codes from one Appendix 3 row."""

    message_az = "11-ci qrafa: ölkənin hərf və rəqəm kodları 3 nömrəli əlavənin eyni sətrindən olmalıdır: {value}."
    message_en = "Box 11: the country's letter and numeric codes must come from one Appendix 3 row: {value}."
    boxes = ("11",)
    field = "/trading_country"


class V_15a_1(SameCountryRow):
    """Box 15a: alpha-2 and numeric codes from one Appendix 3 row."""

    message_az = "15a qrafası: ölkənin hərf və rəqəm kodları 3 nömrəli əlavənin eyni sətrindən olmalıdır: {value}."
    message_en = "Box 15a: the country's letter and numeric codes must come from one Appendix 3 row: {value}."
    boxes = ("15a",)
    field = "/dispatch_country"


class V_17a_1(SameCountryRow):
    """Box 17a: alpha-2 and numeric codes from one Appendix 3 row."""

    message_az = "17a qrafası: ölkənin hərf və rəqəm kodları 3 nömrəli əlavənin eyni sətrindən olmalıdır: {value}."
    message_en = "Box 17a: the country's letter and numeric codes must come from one Appendix 3 row: {value}."
    boxes = ("17a",)
    field = "/destination_country"


class CountryName(Rule):
    """A short-name box agrees with the Appendix 3 row of its code box."""

    abstract = True
    name_field: ClassVar[str] = ""
    codes_field: ClassVar[str] = ""

    def check(self, env: Env) -> Iterator[RuleError]:
        name = getattr(env.doc, self.name_field)
        codes = getattr(env.doc, self.codes_field)
        if not name or codes is None or not codes.alpha:
            return
        rows = env.ref.by_attribute("countries", "alpha2", codes.alpha)
        if rows and name.casefold() not in {r.attributes.get("short_name_az", r.name_az).casefold() for r in rows}:
            expected = rows[0].attributes.get("short_name_az", rows[0].name_az)
            yield self.error(f"/{self.name_field}", name, expected=expected)


class V_15_1(CountryName):
    """Box 15 = short name (Appendix 3) of the country coded in box 15a (also X-09)."""

    message_az = "15-ci qrafa: ölkənin qısa adı 15a qrafasındakı koda uyğun deyil (gözlənilən: {expected}): {value}."
    message_en = "Box 15: the country's short name does not match box 15a (expected {expected}): {value}."
    boxes = ("15", "15a")
    name_field = "dispatch_country_name"
    codes_field = "dispatch_country"


class V_17_1(CountryName):
    """Box 17 = short name (Appendix 3) of the country coded in box 17a (also X-09)."""

    message_az = "17-ci qrafa: ölkənin qısa adı 17a qrafasındakı koda uyğun deyil (gözlənilən: {expected}): {value}."
    message_en = "Box 17: the country's short name does not match box 17a (expected {expected}): {value}."
    boxes = ("17", "17a")
    name_field = "destination_country_name"
    codes_field = "destination_country"


class V_16_1(Rule):
    """Box 16 = short name of the common box-34 origin of all items, or 'Müxtəlif' when origins
    differ (also X-08)."""

    message_az = "16-cı qrafa: mənşə ölkəsi '{expected}' olmalıdır: {value}."
    message_en = "Box 16: the country of origin must be '{expected}': {value}."
    boxes = ("16", "34")

    def check(self, env: Env) -> Iterator[RuleError]:
        doc = env.doc
        name = doc.origin_country_name
        if not name or not doc.goods:
            return
        origins = {g.origin_country.alpha if g.origin_country else None for g in doc.goods}
        if None in origins:
            return
        if len(origins) > 1:
            expected = "Müxtəlif"
        else:
            rows = env.ref.by_attribute("countries", "alpha2", origins.pop())
            if not rows:
                return
            expected = rows[0].attributes.get("short_name_az", rows[0].name_az)
        if name.casefold() != expected.casefold():
            yield self.error("/origin_country_name", name, expected=expected)


# --- Transport (18, 19, 21, 25, 26) ----------------------------------------------------------


class V_18_1(Rule):
    """Box 18 left: '<count> <identifiers>' — a vehicle count ≥ 1 and the vehicles' data."""

    message_az = "18-ci qrafa: nəqliyyat vasitələrinin sayı (≥ 1) və məlumatları göstərilməlidir."
    message_en = "Box 18: the number of vehicles (≥ 1) and their identification are required."
    boxes = ("18",)

    def check(self, env: Env) -> Iterator[RuleError]:
        transport = env.doc.departure_transport
        if transport is None:
            return
        if transport.count is not None and transport.count < 1:
            yield self.error("/departure_transport/count", transport.count)


class TransportNationality(InClassifier):
    abstract = True
    classifier = "countries"
    dated = False

    def ok(self, value: str, env: Env) -> bool:
        return len(value) == 3 and value.isdigit() and super().ok(value, env)


class V_18_2(TransportNationality):
    """Box 18 right: the vehicle's country as a 3-digit Appendix 3 numeric code."""

    message_az = "18-ci qrafa: nəqliyyat vasitəsinin ölkəsinin 3 rəqəmli kodu 3 nömrəli əlavədə yoxdur: {value}."
    message_en = "Box 18: the vehicle's 3-digit country code is not in Appendix 3: {value}."
    boxes = ("18",)
    field = "/departure_transport/nationality"


IDENTIFIER_SPLIT = re.compile(r"\s*[,;]\s*")


class V_18_3(Rule):
    """Box 18: the vehicle count equals the number of identifiers listed (comma- or
    semicolon-separated), unless they are on an attachment sheet [proposal]."""

    severity = "warning"
    message_az = "18-ci qrafa: nəqliyyat vasitələrinin sayı ({value}) sadalanan nömrələrin sayına ({expected}) uyğun deyil."
    message_en = "Box 18: the number of vehicles ({value}) differs from the identifiers listed ({expected})."
    boxes = ("18",)

    def check(self, env: Env) -> Iterator[RuleError]:
        transport = env.doc.departure_transport
        if transport is None or transport.count is None or not transport.identifiers:
            return
        if "qoşma" in transport.identifiers.casefold():
            return
        listed = len([p for p in IDENTIFIER_SPLIT.split(transport.identifiers) if p])
        if listed != transport.count:
            yield self.error("/departure_transport/count", transport.count, expected=listed)


class V_19_1(OneOf):
    """Box 19: '1' in a container, '0' not."""

    message_az = "19-cu qrafa: '1' (konteynerdə) və ya '0' olmalıdır: {value}."
    message_en = "Box 19: must be '1' (in container) or '0': {value}."
    boxes = ("19",)
    field = "/container_indicator"
    values = frozenset({"0", "1"})


class V_21_1(TransportNationality):
    """Box 21 right: the active vehicle's country as a 3-digit Appendix 3 numeric code."""

    message_az = "21-ci qrafa: nəqliyyat vasitəsinin ölkəsinin 3 rəqəmli kodu 3 nömrəli əlavədə yoxdur: {value}."
    message_en = "Box 21: the vehicle's 3-digit country code is not in Appendix 3: {value}."
    boxes = ("21",)
    field = "/border_transport/nationality"


class V_21_2(Rule):
    """Box 21 left: '(bax Qrafa 18)' (import, transit: the box-18 vehicle) or '<count>
    <identifiers>'."""

    message_az = "21-ci qrafa: nəqliyyat vasitəsinin sayı və məlumatları və ya '(bax Qrafa 18)' göstərilməlidir."
    message_en = "Box 21: give the number and identification of the vehicles, or '(bax Qrafa 18)'."
    boxes = ("21", "18")

    def check(self, env: Env) -> Iterator[RuleError]:
        transport = env.doc.border_transport
        if transport is None or not env.listed("21"):
            return
        if transport.same_as_box_18:
            if env.doc.direction == "İX" and env.doc.procedure not in TRANSIT_PROCEDURES:
                yield self.error("/border_transport/same_as_box_18", True)
            return
        if not transport.count or transport.count < 1:
            yield self.error("/border_transport/count", transport.count)
        if not transport.identifiers:
            yield self.error("/border_transport/identifiers", None)


class V_25_1(InClassifier):
    """Box 25: mode of transport at the border, Appendix 7."""

    message_az = "25-ci qrafa: nəqliyyat növünün kodu 7 nömrəli əlavədə yoxdur: {value}."
    message_en = "Box 25: the mode of transport is not in Appendix 7: {value}."
    boxes = ("25",)
    field = "/border_transport_mode"
    classifier = "transport-modes"


class V_26_1(InClassifier):
    """Box 26: inland mode of transport, Appendix 7."""

    message_az = "26-cı qrafa: nəqliyyat növünün kodu 7 nömrəli əlavədə yoxdur: {value}."
    message_en = "Box 26: the mode of transport is not in Appendix 7: {value}."
    boxes = ("26",)
    field = "/inland_transport_mode"
    classifier = "transport-modes"


# --- Box 12, 13 ------------------------------------------------------------------------------


class V_12_1(SumEquals):
    """Box 12 = Σ box 45 over all items (also X-04)."""

    message_az = "12-ci qrafa: ümumi gömrük dəyəri 45-ci qrafaların cəminə ({expected}) bərabər olmalıdır: {value}."
    message_en = "Box 12: the total customs value must equal the sum of box 45 ({expected}): {value}."
    boxes = ("12", "45")
    total = "/total_customs_value"
    addends = "/goods/*/customs_value"
    addend_box = "45"


class V_13_1(InClassifier):
    """Box 13: '1' declared by an AEO, '0' otherwise."""

    message_az = "13-cü qrafa: '1' (SİO) və ya '0' olmalıdır: {value}."
    message_en = "Box 13: must be '1' (AEO) or '0': {value}."
    boxes = ("13",)
    field = "/aeo_indicator"
    classifier = "aeo-indicators"


class V_13_2(Rule):
    """Box 13 = '1' only if the declarant holds AEO status (checked when the context knows)."""

    severity = "warning"
    message_az = "13-cü qrafa: bəyannaməçi SİO statusuna malik deyil, lakin '1' göstərilib."
    message_en = "Box 13: '1' is given but the declarant is not an authorised economic operator."
    boxes = ("13", "14")

    def check(self, env: Env) -> Iterator[RuleError]:
        if env.doc.aeo_indicator == "1" and env.context.declarant_is_aeo is False:
            yield self.error("/aeo_indicator", "1")


class V_13_3(Rule):
    """Box 13: SB 05 and ƏB 08 (AEO declarations) should carry '1' [proposal]."""

    severity = "warning"
    message_az = "13-cü qrafa: SİO bəyannaməsində (SB 05, ƏB 08) '1' göstərilməlidir: {value}."
    message_en = "Box 13: an AEO declaration (SB 05, ƏB 08) should carry '1': {value}."
    boxes = ("13",)
    declaration_types = frozenset({"05", "08"})

    def check(self, env: Env) -> Iterator[RuleError]:
        if env.doc.aeo_indicator != "1":
            yield self.error("/aeo_indicator", env.doc.aeo_indicator)


# --- Box 20 ----------------------------------------------------------------------------------


class V_20_1(InClassifier):
    """Box 20 sub-division 1: delivery terms, Appendix 4."""

    message_az = "20-ci qrafa: çatdırılma şərtinin kodu 4 nömrəli əlavədə yoxdur: {value}."
    message_en = "Box 20: the delivery terms code is not in Appendix 4: {value}."
    boxes = ("20",)
    field = "/delivery_terms/code"
    classifier = "delivery-terms"


class V_20_2(Rule):
    """Box 20 sub-division 2: the term's Incoterms code or Azerbaijani abbreviation, then the
    geographic point (Q-35)."""

    message_az = "20-ci qrafa: ikinci yarımbölmə '{expected} <məntəqə>' şəklində olmalıdır: {value}."
    message_en = "Box 20: the second sub-division must read '{expected} <place>': {value}."
    boxes = ("20",)

    def check(self, env: Env) -> Iterator[RuleError]:
        terms = env.doc.delivery_terms
        if terms is None or not terms.place:
            return
        entry = env.ref.lookup("delivery-terms", terms.code)
        if entry is None:
            return
        prefixes = {str(entry.attributes.get("incoterm", "")), str(entry.attributes.get("abbrev_az", ""))} - {""}
        head, _sep, rest = terms.place.partition(" ")
        if head.upper() not in {p.upper() for p in prefixes} or not rest.strip():
            yield self.error("/delivery_terms/place", terms.place, expected=sorted(prefixes)[0])


class V_20_3(Rule):
    """Box 20 sub-division 3: a settlement code of the declaration's direction (export
    001–003, import 100–220)."""

    message_az = "20-ci qrafa: hesablaşma kodu bu istiqamət üçün keçərli deyil: {value}."
    message_en = "Box 20: the settlement code is not valid for this direction: {value}."
    boxes = ("20", "1")

    def check(self, env: Env) -> Iterator[RuleError]:
        terms = env.doc.delivery_terms
        if terms is None or not terms.settlement_code:
            return
        entry = env.ref.lookup("settlement-codes", terms.settlement_code)
        wanted = "export" if env.doc.direction == "İX" else "import"
        if entry is None or (env.doc.direction and entry.attributes.get("direction") != wanted):
            yield self.error("/delivery_terms/settlement_code", terms.settlement_code)


# --- Boxes 22–30 -----------------------------------------------------------------------------


class V_22_1(InClassifier):
    """Box 22 left: numeric currency code, Appendix 5."""

    message_az = "22-ci qrafa: valyutanın rəqəm kodu 5 nömrəli əlavədə yoxdur: {value}."
    message_en = "Box 22: the numeric currency code is not in Appendix 5: {value}."
    boxes = ("22",)
    field = "/invoice_currency"
    classifier = "currencies"


class V_22_2(SumEquals):
    """Box 22 right = Σ box 42 over all items (also X-05); skipped for transit, which has no
    box 42 (Q-26)."""

    message_az = "22-ci qrafa: ümumi invoys dəyəri 42-ci qrafaların cəminə ({expected}) bərabər olmalıdır: {value}."
    message_en = "Box 22: the total invoice value must equal the sum of box 42 ({expected}): {value}."
    boxes = ("22", "42")
    total = "/total_invoice_value"
    addends = "/goods/*/invoice_value"
    addend_box = "42"


class V_22_3(FieldRule):
    """One currency per declaration: an item's invoice currency, where given, is box 22's."""

    message_az = "42-ci qrafa: malın invoys dəyəri 22-ci qrafadakı valyutada olmalıdır: {value}."
    message_en = "Box 42: the item's invoice value must be in the currency of box 22: {value}."
    boxes = ("42", "22")
    field = "/goods/*/invoice_currency"

    def ok(self, value: str, env: Env) -> bool:
        return env.doc.invoice_currency is None or value == env.doc.invoice_currency


class V_23_1(Rule):
    """Box 23: a positive rate; equal to the CBAR rate of the box-22 currency on the acceptance
    date when the context supplies rates."""

    message_az = "23-cü qrafa: valyuta məzənnəsi müsbət olmalı və qəbul tarixində MB-nin məzənnəsinə ({expected}) bərabər olmalıdır: {value}."
    message_en = "Box 23: the exchange rate must be positive and equal the CBAR rate on the acceptance date ({expected}): {value}."
    boxes = ("23", "22")

    def check(self, env: Env) -> Iterator[RuleError]:
        rate = env.doc.exchange_rate
        if rate is None:
            return
        if rate <= 0:
            yield self.error("/exchange_rate", rate, expected="> 0")
            return
        lookup = env.context.exchange_rate
        currency = env.doc.invoice_currency
        if lookup is not None and currency and currency != NATIONAL_CURRENCY:
            expected = lookup(currency, env.on)
            if expected is not None and rate != expected:
                yield self.error("/exchange_rate", rate, expected=expected)


class V_23_2(Rule):
    """Box 23 = 1 when box 22 is the national currency 944 (AZN) [proposal]."""

    message_az = "23-cü qrafa: valyuta AZN (944) olduqda məzənnə 1 olmalıdır: {value}."
    message_en = "Box 23: with AZN (944) in box 22 the rate must be 1: {value}."
    boxes = ("23", "22")

    def check(self, env: Env) -> Iterator[RuleError]:
        doc = env.doc
        if doc.invoice_currency == NATIONAL_CURRENCY and doc.exchange_rate is not None and doc.exchange_rate != 1:
            yield self.error("/exchange_rate", doc.exchange_rate)


class V_24_1(Rule):
    """Box 24: three characters — a 2-digit Appendix 6 code and a special condition
    {0, 1, 2, 3, 4, 7}."""

    message_az = "24-cü qrafa: 6 nömrəli əlavənin 2 rəqəmli kodu və xüsusi şərt (0, 1, 2, 3, 4, 7) olmalıdır: {value}."
    message_en = "Box 24: a 2-digit Appendix 6 code and a special condition (0, 1, 2, 3, 4, 7) are required: {value}."
    boxes = ("24",)
    pattern = re.compile(r"^\d{2}[012347]$")

    def check(self, env: Env) -> Iterator[RuleError]:
        value = env.doc.transaction_nature
        if not value:
            return
        if not self.pattern.fullmatch(value) or not env.ref.has("transaction-natures", value[:2], env.on):
            yield self.error("/transaction_nature", value)


class V_27_1(Required):
    """Box 27: the place of loading (export) or unloading (import), city or district."""

    message_az = "27-ci qrafa: yükləmə (boşaltma) yeri göstərilməlidir."
    message_en = "Box 27: the place of loading (unloading) is required."
    boxes = ("27",)
    fields = ("/loading_place",)


class V_28_1(Rule):
    """Box 28: lines numbered 1–4, in order, each once, none empty."""

    message_az = "28-ci qrafa: sətirlər 1–4 sıra nömrələri ilə, artan sırada və təkrarsız olmalıdır: {value}."
    message_en = "Box 28: lines must be numbered 1–4, in order, without repeats: {value}."
    boxes = ("28",)

    def check(self, env: Env) -> Iterator[RuleError]:
        previous = 0
        for i, line in enumerate(env.doc.financial_details):
            if not previous < line.line <= 4 or not line.text:
                yield self.error(f"/financial_details/{i}/line", line.line)
            previous = max(previous, line.line)


class V_28_2(Rule):
    """Transit (80, 81): box 28 has the two-line layout of S003 §4.3.8 (L3476–3485): line 1 the
    national-currency account and bank, line 2 the foreign-currency account and bank."""

    message_az = "28-ci qrafa (tranzit): yalnız 1 (milli valyuta hesabı və bank) və 2 (xarici valyuta hesabı və bank) sətirləri olur: {value}."
    message_en = "Box 28 (transit): only line 1 (national-currency account and bank) and line 2 (foreign-currency account and bank): {value}."
    boxes = ("28",)
    procedures = TRANSIT_PROCEDURES

    def check(self, env: Env) -> Iterator[RuleError]:
        for i, line in enumerate(env.doc.financial_details):
            if line.line > 2:
                yield self.error(f"/financial_details/{i}/line", line.line)


class V_29_1(InClassifier):
    """Box 29: customs office at the border, Appendix 11."""

    message_az = "29-cu qrafa: gömrük orqanının kodu 11 nömrəli əlavədə yoxdur: {value}."
    message_en = "Box 29: the customs office code is not in Appendix 11: {value}."
    boxes = ("29",)
    field = "/border_office"
    classifier = "customs-offices"


class V_30_1(FieldRule):
    """Box 30: the Appendix 11 code of the office that set up the temporary storage warehouse,
    or the warehouse's number (letters, digits, '/', '-') [proposal]."""

    message_az = "30-cu qrafa: 11 nömrəli əlavənin kodu və ya müvəqqəti saxlanc anbarının nömrəsi olmalıdır: {value}."
    message_en = "Box 30: an Appendix 11 office code or a temporary storage warehouse number is required: {value}."
    boxes = ("30",)
    field = "/goods_location"
    number = re.compile(r"^[0-9A-Za-z/-]{1,30}$")

    def ok(self, value: str, env: Env) -> bool:
        if len(value) == 5 and value.isdigit():
            return env.ref.has("customs-offices", value, env.on)
        return self.number.fullmatch(value) is not None


# --- Boxes 48–54 -----------------------------------------------------------------------------


class V_48_2(FieldRule):
    """Box 48: the deferral deadline is after the acceptance date [proposal]."""

    message_az = "48-ci qrafa: möhlət müddəti qəbul tarixindən sonra olmalıdır: {value}."
    message_en = "Box 48: the deferral deadline must be after the acceptance date: {value}."
    boxes = ("48",)
    field = "/deferred_until"

    def ok(self, value: object, env: Env) -> bool:
        return value > env.on  # type: ignore[operator]


class V_49_1(Rule):
    """Box 49: the licence number and date of the customs warehouse, or the Appendix 11 code of
    the office that set it up."""

    message_az = "49-cu qrafa: anbarın lisenziyasının nömrəsi və tarixi və ya 11 nömrəli əlavədən gömrük orqanının kodu göstərilməlidir."
    message_en = "Box 49: give the warehouse licence number and date, or an Appendix 11 office code."
    boxes = ("49",)

    def check(self, env: Env) -> Iterator[RuleError]:
        warehouse = env.doc.warehouse
        if warehouse is None:
            return
        if warehouse.office_code:
            if not env.ref.has("customs-offices", warehouse.office_code, env.on):
                yield self.error("/warehouse/office_code", warehouse.office_code)
        elif not warehouse.licence_number or warehouse.licence_date is None:
            missing = "licence_number" if not warehouse.licence_number else "licence_date"
            yield self.error(f"/warehouse/{missing}", None)


PRINCIPAL_TEXTS = {
    "İX": "GB və onun qoşma vərəqlərində göstərilən məlumatları təsdiq edirəm",
    "İD": "GB-də və əlavə vərəqlərdə göstərilən məlumatları təsdiq edirəm",
    "09": "TİB-də və onun qoşma vərəqlərində göstərilən məlumatları təsdiq edirəm",
}


class V_50_1(Rule):
    """Box 50: the fixed certification text of the direction (export / import) or of the TİB."""

    message_az = "50-ci qrafa: mətn «{expected}» olmalıdır: {value}."
    message_en = "Box 50: the text must read «{expected}»: {value}."
    boxes = ("50",)

    def check(self, env: Env) -> Iterator[RuleError]:
        doc = env.doc
        text = doc.principal_statement
        if not text:
            return
        key = "09" if doc.declaration_type == "09" else doc.direction
        expected = PRINCIPAL_TEXTS.get(key or "")
        if expected and text.strip("«»\"' .") != expected:
            yield self.error("/principal_statement", text, expected=expected)


class V_51_1(Rule):
    """Box 51: office codes of Appendix 11 and a country of Appendix 3 (numeric or alpha-2)."""

    message_az = "51-ci qrafa: gömrük orqanının və ya ölkənin kodu təsnifatda yoxdur: {value}."
    message_en = "Box 51: the customs office or country code is not in its classifier: {value}."
    boxes = ("51",)
    field_name: ClassVar[str] = "departure_office"

    def check(self, env: Env) -> Iterator[RuleError]:
        office = getattr(env.doc, self.field_name)
        if office is None:
            return
        for i, code in enumerate(office.office_codes):
            if not env.ref.has("customs-offices", code, env.on):
                yield self.error(f"/{self.field_name}/office_codes/{i}", code)
        country = office.country
        if country and not (
            env.ref.lookup_all("countries", country) or env.ref.by_attribute("countries", "alpha2", country)
        ):
            yield self.error(f"/{self.field_name}/country", country)


class V_53_1(V_51_1):
    """Box 53: destination office codes of Appendix 11 and a country of Appendix 3."""

    message_az = "53-cü qrafa: təyinat gömrük orqanının və ya ölkənin kodu təsnifatda yoxdur: {value}."
    message_en = "Box 53: the destination office or country code is not in its classifier: {value}."
    boxes = ("53",)
    field_name = "destination_office"


class V_52_1(Rule):
    """Box 52: letter and numeric codes from one Appendix 9 row, e.g. 'BQ 33' (Q-44)."""

    message_az = "52-ci qrafa: təminatın hərf və rəqəm kodları 9 nömrəli əlavənin eyni sətrindən olmalıdır: {value}."
    message_en = "Box 52: the guarantee's letter and numeric codes must come from one Appendix 9 row: {value}."
    boxes = ("52",)

    def check(self, env: Env) -> Iterator[RuleError]:
        guarantee = env.doc.guarantee
        if guarantee is None or (not guarantee.letter and not guarantee.code):
            return
        entry = env.ref.lookup("guarantee-types", guarantee.code, env.on)
        if entry is None or entry.attributes.get("letter") != guarantee.letter:
            yield self.error("/guarantee", f"{guarantee.letter or ''} {guarantee.code or ''}".strip())


class V_54_1(Rule):
    """Box 54: the date is not after the acceptance date, and equals the signing date when the
    context knows it [proposal]."""

    message_az = "54-cü qrafa: tarix imzalanma tarixinə ({expected}) uyğun deyil: {value}."
    message_en = "Box 54: the date does not match the signing date ({expected}): {value}."
    boxes = ("54",)

    def check(self, env: Env) -> Iterator[RuleError]:
        signature = env.doc.place_and_signature
        if signature is None or signature.date is None:
            return
        expected = env.context.signing_date
        if expected is not None and signature.date != expected:
            yield self.error("/place_and_signature/date", signature.date, expected=expected.isoformat())
        elif expected is None and signature.date > env.on:
            yield self.error("/place_and_signature/date", signature.date, expected=f"≤ {env.on.isoformat()}")



class V_54_2(Rule):
    """Box 54: when a customs broker (representative) declares, the box gives the legal person
    the customs-clearance specialist works for — its name and VÖEN — and the specialist's first
    name and surname (L795–800)."""

    message_az = "54-cü qrafa: broker (təmsilçi) bəyan etdikdə {what_az} göstərilməlidir."
    message_en = "Box 54: when a broker (representative) declares, {what_en} must be given."
    boxes = ("54", "14")

    def check(self, env: Env) -> Iterator[RuleError]:
        declarant = env.doc.declarant
        if declarant is None or not declarant.acts_as_broker or not env.listed("54"):
            return
        box = env.doc.place_and_signature
        if box is None or not box.broker_firm_name:
            yield self.error(
                "/place_and_signature/broker_firm_name", None, box="54",
                what_az="mütəxəssisin təmsil etdiyi hüquqi şəxsin adı", what_en="the name of the specialist's firm",
            )
        if box is None or not is_valid_voen(box.broker_firm_voen):
            yield self.error(
                "/place_and_signature/broker_firm_voen", box.broker_firm_voen if box else None, box="54",
                what_az="həmin hüquqi şəxsin düzgün VÖEN-i", what_en="that firm's valid VÖEN",
            )
        if box is None or not box.specialist_name:
            yield self.error(
                "/place_and_signature/specialist_name", None, box="54",
                what_az="gömrük rəsmiləşdirilməsi üzrə mütəxəssisin adı və soyadı",
                what_en="the customs-clearance specialist's first name and surname",
            )
