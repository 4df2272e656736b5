"""What each box prints: the document's fields of that box (the box table's fields, read by
``gomruk.document.shape`` from the model's ``x-box`` metadata) turned into text, plus the few
values the printout itself decides (box 3, box 7, "Qoşma-SS").

Numbers print with a decimal comma and no thousands separator (Q-16), dates as dd.mm.yyyy,
box 48 as dd.mm.yy (spec §2.3).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cache
from typing import Any

from pydantic import BaseModel

from gomruk.core import numbers
from gomruk.document.model import (
    AccountingDetails,
    AccountingLine,
    CountryCodes,
    CustomsControl,
    Declarant,
    Declaration,
    DeliveryTerms,
    DocumentLine,
    FinancialLine,
    GoodsItem,
    Guarantee,
    OfficeAndCountry,
    Packages,
    Party,
    PaymentLine,
    PlaceAndSignature,
    PreviousDocument,
    TransportIdentity,
    Valuation,
    Warehouse,
)
from gomruk.document.shape import fields_of_box
from gomruk.reference.snapshot import ReferenceData

SEE_ATTACHMENT = "qoşma vərəqə bax"
STATEMENT_EXPORT = "GB və onun qoşma vərəqlərində göstərilən məlumatları təsdiq edirəm"
STATEMENT_IMPORT = "GB-də və əlavə vərəqlərdə göstərilən məlumatları təsdiq edirəm"


@dataclass
class BoxText:
    """A box's printed content: one text region per sub-division, an upper-right corner
    (identifier, container numbers, USD rate) and lower-right lines (quantity, Qoşma-SS)."""

    regions: list[list[str]] = field(default_factory=lambda: [[]])
    corner: str = ""
    footer: list[str] = field(default_factory=list)
    table: list[tuple[str, ...]] | None = None

    @property
    def empty(self) -> bool:
        return not (any(self.regions) or self.corner or self.footer or self.table)


@dataclass(frozen=True)
class PrintFacts:
    """What the printout knows besides the document: numbers assigned by the system."""

    registration_number: str = ""
    acceptance_date: dt.date | None = None
    sheet: int = 1
    total_sheets: int = 1


# --- Scalars ---------------------------------------------------------------------------------


def fmt_decimal(value: Decimal | None) -> str:
    # The form is printed in Azerbaijani: the one number format of gomruk.core.numbers (issue 16.8).
    return "" if value is None else numbers.format_number(value, None, "az")


def fmt_weight(value: Decimal | None) -> str:
    """Kilograms with at least 3 decimals (spec §2.3); extra decimals are printed as given."""
    return "" if value is None else numbers.format_weight(value, "az")


def fmt_rate(value: Decimal | None) -> str:
    """An exchange rate with its meaningful digits (1,7000, not 1,7000000000)."""
    return "" if value is None else numbers.format_rate(value, "az")


def fmt_date(value: dt.date | None) -> str:
    return numbers.format_date(value)


def fmt_short_date(value: dt.date | None) -> str:
    return value.strftime("%d.%m.%y") if value else ""


_UNITS_SUFFIX = {1: "ci", 2: "ci", 3: "cü", 4: "cü", 5: "ci", 6: "cı", 7: "ci", 8: "ci", 9: "cu"}
_TENS_SUFFIX = {1: "cu", 2: "ci", 3: "cu", 4: "cı", 5: "ci", 6: "cı", 7: "ci", 8: "ci", 9: "cı"}


def year_suffix(year: int) -> str:
    """Ordinal suffix of a year by vowel harmony of its last spoken number (Q-12)."""
    if year % 10:
        return _UNITS_SUFFIX[year % 10]
    if year % 100:
        return _TENS_SUFFIX[(year % 100) // 10]
    if year % 1000:
        return "cü"  # yüz
    return "ci"  # min


def _join(*parts: Any) -> str:
    return " ".join(str(p) for p in parts if p not in (None, ""))


# --- Values by type --------------------------------------------------------------------------


def _party(value: Party) -> list[str]:
    lines = [value.name or "", value.address or "", value.identity_document or ""]
    if isinstance(value, Declarant):
        if value.broker_licence_number or value.broker_licence_date:
            lines.append(
                _join(
                    "Lisenziya №", value.broker_licence_number, fmt_date(value.broker_licence_date)
                )
            )
        lines.append(value.representation_documents or "")
    return [line for line in lines if line]


def _transport(value: TransportIdentity) -> list[str]:
    if value.same_as_box_18:
        return ["(bax Qrafa 18)"]
    return [_join(value.count, value.identifiers)]


def _previous(value: PreviousDocument) -> list[str]:
    exit_date = f"çıxış {fmt_date(value.exit_date)}" if value.exit_date else ""
    return [_join(value.kind, value.number, fmt_date(value.date), exit_date)]


def _document_line(value: DocumentLine) -> list[str]:
    if value.guarantee_until:
        day = value.guarantee_until
        return [
            f"{value.line} Malların {fmt_date(day)}-{year_suffix(day.year)} ilə qədər "
            "çıxarılmasına zəmanət verirəm"
        ]
    head = _join(value.code, value.short_name)
    tail = [value.number or "", fmt_date(value.issued_on)]
    if value.valid_until:
        tail.append(fmt_date(value.valid_until))
    return [f"{value.line} " + "/".join([head, *tail])]


def _packages(value: Packages) -> list[str]:
    return [
        line
        for line in (_join(value.count, value.kind), value.marks or "", value.partial or "")
        if line
    ]


def _warehouse(value: Warehouse) -> list[str]:
    if value.licence_number or value.licence_date:
        return [_join("№", value.licence_number, fmt_date(value.licence_date))]
    return [value.office_code] if value.office_code else []


def _office_and_country(value: OfficeAndCountry) -> list[str]:
    return [
        line
        for line in (", ".join(value.office_codes), value.office_name or "", value.country or "")
        if line
    ]


def _accounting_line(value: AccountingLine) -> list[str]:
    elements = [value.payment_type, fmt_decimal(value.amount), value.currency, value.guarantee]
    return ["-".join(e for e in elements if e)]


_FORMATTERS: dict[type, Callable[[Any], list[str]]] = {
    Party: _party,
    CountryCodes: lambda v: [_join(v.alpha, v.numeric)],
    TransportIdentity: _transport,
    DeliveryTerms: lambda v: [_join(v.code, v.place, v.settlement_code)],
    FinancialLine: lambda v: [f"{v.line} {v.text}"],
    PreviousDocument: _previous,
    Warehouse: _warehouse,
    OfficeAndCountry: _office_and_country,
    Guarantee: lambda v: [_join(v.letter, v.code)],
    Packages: _packages,
    DocumentLine: _document_line,
    Valuation: lambda v: [_join(v.adjusted, v.method)],
    AccountingLine: _accounting_line,
    PaymentLine: lambda v: [" ".join(_payment_row(v))],
}


def text_of(value: Any) -> list[str]:
    """Printed lines of any document value."""
    if value is None or isinstance(value, bool):
        return []
    if isinstance(value, Decimal):
        return [fmt_decimal(value)]
    if isinstance(value, dt.date):
        return [fmt_date(value)]
    if isinstance(value, str):
        return [line for line in value.splitlines() if line.strip()] or ([value] if value else [])
    if isinstance(value, (list, tuple)):
        return [line for element in value for line in text_of(element)]
    if isinstance(value, BaseModel):
        for kind in type(value).__mro__:
            formatter = _FORMATTERS.get(kind)
            if formatter is not None:
                return formatter(value)
        return [line for name in type(value).model_fields for line in text_of(getattr(value, name))]
    return [str(value)]


# --- Boxes -----------------------------------------------------------------------------------


@cache
def box_field_names(box_id: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """Declaration-level and goods-item-level field names of a box, from the model metadata."""
    header: list[str] = []
    goods: list[str] = []
    for path in fields_of_box(box_id):
        parts = path.strip("/").split("/")
        (goods if parts[0] == "goods" else header).append(parts[-1])
    return tuple(header), tuple(goods)


def box_values(document: Declaration, box_id: str, item: GoodsItem | None = None) -> list[Any]:
    header, goods = box_field_names(box_id)
    if item is not None and goods:
        return [getattr(item, name) for name in goods]
    return [getattr(document, name) for name in header]


#: Boxes that hold a rate: printed with its meaningful digits, not the stored scale.
RATE_BOXES = frozenset({"23"})


def generic_box(document: Declaration, box_id: str, item: GoodsItem | None = None) -> BoxText:
    values = box_values(document, box_id, item)
    if box_id in RATE_BOXES:
        return BoxText(regions=[[fmt_rate(v) if isinstance(v, Decimal) else line for v in values for line in text_of(v)]])
    return BoxText(regions=[[line for value in values for line in text_of(value)]])


def _parts(*values: Any) -> BoxText:
    return BoxText(
        regions=[text_of(v) if not isinstance(v, str) else ([v] if v else []) for v in values]
    )


def _country(value: CountryCodes | None) -> BoxText:
    return _parts(value.alpha if value else "", value.numeric if value else "")


def _payment_row(line: PaymentLine) -> tuple[str, ...]:
    return (
        line.payment_type or "",
        fmt_decimal(line.base),
        line.rate or "",
        fmt_decimal(line.amount),
        line.method or "",
    )


class BoxBuilder:
    """Builds the text of every box of one declaration."""

    def __init__(
        self, document: Declaration, reference: ReferenceData | None, facts: PrintFacts
    ) -> None:
        self.document = document
        self.reference = reference
        self.facts = facts

    def office_name(self, code: str | None) -> str:
        if not code or self.reference is None:
            return ""
        entry = self.reference.lookup("customs-offices", code)
        return entry.name_az if entry else ""

    def office(self, code: str | None) -> str:
        return _join(code, self.office_name(code))

    def registration_lines(self) -> list[str]:
        lines = [self.facts.registration_number] if self.facts.registration_number else []
        if self.facts.acceptance_date:
            lines.append(f"Qeydiyyat tarixi: {fmt_date(self.facts.acceptance_date)}")
        return lines

    # Header boxes -----------------------------------------------------------------------

    def header(self, box_id: str, *, additional: bool = False) -> BoxText:
        d = self.document
        if box_id == "A":
            if additional:
                # Customs writes the number and date in the lower part on additional sheets (G-11).
                return BoxText(footer=self.registration_lines())
            office = d.office_of_dispatch
            if office is None:
                return BoxText()
            rate = _join(fmt_rate(office.usd_rate), fmt_date(office.usd_rate_date))
            return BoxText(
                regions=[[self.office(office.office_code), office.bank_details or ""]], corner=rate
            )
        if box_id == "1":
            return _parts(d.direction or "", d.procedure or "", d.type_subdivision_3 or "")
        if box_id == "3":
            if self.facts.total_sheets <= 1:
                return BoxText(regions=[[], []])  # empty without additional sheets
            return _parts(str(self.facts.sheet), str(self.facts.total_sheets))
        if box_id == "7":
            return BoxText(regions=[self.registration_lines()])
        if box_id in ("2", "8", "9", "14"):
            party = box_values(d, box_id)[0]
            if party is None:
                return BoxText()
            corner = _join(party.identifier_kind, party.identifier)
            return BoxText(regions=[_party(party)], corner=corner)
        if box_id in ("10", "11", "15a", "17a"):
            return _country(box_values(d, box_id)[0])
        if box_id in ("18", "21"):
            transport = box_values(d, box_id)[0]
            if transport is None:
                return BoxText(regions=[[], []])
            return BoxText(regions=[_transport(transport), [transport.nationality or ""]])
        if box_id == "20":
            terms = d.delivery_terms or DeliveryTerms()
            return _parts(terms.code or "", terms.place or "", terms.settlement_code or "")
        if box_id == "22":
            return _parts(d.invoice_currency or "", fmt_decimal(d.total_invoice_value))
        if box_id in ("29", "30"):
            code = box_values(d, box_id)[0]
            return BoxText(regions=[[self.office(code)] if code else []])
        if box_id == "48":
            return BoxText(regions=[[fmt_short_date(d.deferred_until)]])
        if box_id == "B":
            return self.accounting(d.accounting)
        if box_id == "50":
            statement = d.principal_statement or (
                STATEMENT_EXPORT if d.is_export else STATEMENT_IMPORT
            )
            signing = d.place_and_signature
            where = _join(signing.place, fmt_date(signing.date)) if signing else ""
            return BoxText(regions=[[f"«{statement}»"]], footer=[where] if where else [])
        if box_id == "52":
            guarantee = d.guarantee or Guarantee()
            return _parts(guarantee.letter or "", guarantee.code or "")
        if box_id == "53":
            destination = d.destination_office
            if destination is None:
                return BoxText()
            codes = destination.office_codes
            name = destination.office_name or ", ".join(filter(None, map(self.office_name, codes)))
            return BoxText(regions=[[", ".join(codes), name, destination.country or ""]])
        return generic_box(d, box_id)

    def accounting(self, details: AccountingDetails | None) -> BoxText:
        if details is None:
            return BoxText()
        footer = [f"CƏMİ: {fmt_decimal(details.total)}"] if details.total is not None else []
        return BoxText(regions=[text_of(details.lines)], footer=footer)

    def signature(
        self, place: PlaceAndSignature | None, signer: str, serial: str, digest: str
    ) -> BoxText:
        lines: list[str] = []
        if place is not None:
            lines += [
                _join(place.place, fmt_date(place.date)),
                _join(
                    place.signatory_name,
                    f"({place.signatory_position})" if place.signatory_position else "",
                ),
                place.contacts or "",
                _join(
                    place.broker_firm_name,
                    f"VÖEN {place.broker_firm_voen}" if place.broker_firm_voen else "",
                ),
                _join("Mütəxəssis:", place.specialist_name) if place.specialist_name else "",
            ]
        if signer:
            lines.append(f"Elektron imza: {signer}")
        if serial:
            lines.append(f"Sertifikat №: {serial}")
        if digest:
            # Two halves keep the hash readable beside the QR code.
            lines += [f"SHA-256: {digest[:32]}", f"{' ' * 14}{digest[32:]}"]
        return BoxText(regions=[[line for line in lines if line]])

    def control(self, control: CustomsControl | None) -> list[str]:
        """Box D sub-fields in the order of the form: result, seals, conformity, date, officer."""
        if control is None:
            return ["", "", "", "", ""]
        return [
            control.result or "",
            control.seals or "",
            control.conformity or "",
            fmt_date(control.date),
            control.officer or "",
        ]

    # Goods-item boxes -------------------------------------------------------------------

    def item(self, box_id: str, item: GoodsItem, position: int, *, first: bool) -> BoxText:
        if box_id == "31":
            lines = text_of(item.description) + text_of(item.packages)
            if item.positions:
                lines.append(f"Sənəd üzrə №-li pozisiyalar: {item.positions}")
            quantity = _join(fmt_decimal(item.quantity), item.quantity_unit)
            return BoxText(
                regions=[lines],
                corner=", ".join(item.container_numbers),
                footer=[quantity] if quantity else [],
            )
        if box_id == "32":
            return BoxText(
                regions=[[str(item.item_number if item.item_number is not None else position)]]
            )
        if box_id == "33":
            code = item.commodity_code or ""
            return _parts(code[:6], code[6:], "", "")
        if box_id == "34":
            return _country(item.origin_country)
        if box_id == "37":
            code = item.procedure_code or ""
            return _parts(code[:4], code[4:])
        if box_id == "40":
            lines = text_of(self.document.previous_declarations) if first else []
            lines += text_of(item.previous_documents)
            if first and self.document.incomplete_declarations:
                lines.append(SEE_ATTACHMENT)
            return BoxText(regions=[lines])
        if box_id == "43":
            valuation = item.valuation or Valuation()
            return _parts(valuation.adjusted or "", valuation.method or "")
        if box_id == "47":
            return BoxText(regions=[[]], table=[_payment_row(line) for line in item.payments])
        return generic_box(self.document, box_id, item)


def incomplete_rows(document: Declaration) -> list[tuple[str, ...]]:
    """The NB table of box 40's attachment sheet (X-24)."""
    return [
        (
            str(row.sequence),
            row.number,
            fmt_date(row.date),
            str(row.transport_units),
            fmt_weight(row.weight),
        )
        for row in document.incomplete_declarations
    ]

