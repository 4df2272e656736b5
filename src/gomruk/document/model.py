"""The customs declaration as one typed document (the 54-box form plus A, B, C, D).

One Pydantic model tree is the API schema, the storage format (JSON), and the input of the
rules engine, the duty calculation and the printed form. Fields have semantic names; each
carries its box as ``"x-box"`` in the JSON Schema, so an error at ``/goods/2/commodity_code``
maps to box 33 of goods item 3 without hand-written tables (:func:`gomruk.document.shape.locate`).

The model checks *types* (numbers, dates, codes are text) and leaves *content* to the rules
engine: a draft may be incomplete or wrong and must still be stored, so almost every field is
optional here and required-ness comes from the profile of the declaration type (rules app).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation
from typing import Annotated, Any, Literal

import rfc8785
from pydantic import BaseModel, ConfigDict, Field, field_validator

SCHEMA_VERSION: Literal["1"] = "1"
MAX_ITEMS_ACCEPTED = 1000  # parse limit; the Methodology's limit of 100 is a rule

Direction = Literal["İX", "İD"]
Text = Annotated[str, Field(max_length=4000)]
ShortText = Annotated[str, Field(max_length=500)]
Code = Annotated[str, Field(max_length=40)]


def box(box_id: str, description: str = "", **kwargs: Any) -> Any:
    """A field that belongs to a box of the form; the box travels in the JSON Schema."""
    extra: dict[str, Any] = {"x-box": box_id}
    extra.update(kwargs.pop("json_schema_extra", {}) or {})
    if "default_factory" not in kwargs:
        kwargs.setdefault("default", None)
    return Field(description=description or None, json_schema_extra=extra, **kwargs)


_QUANTA = {places: Decimal(1).scaleb(-places) for places in (2, 3)}


def _quantize_places(value: Decimal | None, places: int) -> Decimal | None:
    """Pad to the standard number of decimals (12.5 kg → 12.500); never round more digits away:
    a value with too many decimals is kept as sent and the rules report it."""
    if value is None:
        return value
    quantum = _QUANTA.get(places) or Decimal(1).scaleb(-places)
    # Stored documents already carry the places: one C call answers them, where reading the
    # exponent through as_tuple() builds a tuple of every digit (thousands of fields a parse).
    if value.same_quantum(quantum) or not value.is_finite():
        return value
    exponent = value.as_tuple().exponent
    if isinstance(exponent, int) and -exponent < places:
        try:
            return value.quantize(quantum)
        except InvalidOperation:
            raise ValueError("the number is too large") from None
    return value


class Part(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True, populate_by_name=True)


# --- Parties ---------------------------------------------------------------------------------


class Party(Part):
    """A person in boxes 2, 8, 9, 14: identified by VÖEN, GÖÖEN or FIN (natural persons)."""

    identifier_kind: Literal["VÖEN", "GÖÖEN", "FIN"] | None = Field(
        default=None, description="Kind of identifier in the box's upper-right corner"
    )
    identifier: Code | None = None
    person_kind: Literal["legal", "natural"] = "legal"
    name: ShortText | None = None
    address: ShortText | None = None
    identity_document: ShortText | None = Field(
        default=None, description="Natural persons: identity document data"
    )


class Declarant(Party):
    """Box 14: the declarant or its representative (customs broker)."""

    acts_as_broker: bool = False
    broker_licence_number: Code | None = None
    broker_licence_date: dt.date | None = None
    representation_documents: ShortText | None = None


class CountryCodes(Part):
    """A country of Appendix 3 as its letter code (alpha-2, or alpha-3 for box 10 on import) and
    its 3-digit numeric code; both must come from the same row."""

    alpha: Code | None = None
    numeric: Code | None = None


# --- Header boxes ----------------------------------------------------------------------------


class OfficeOfDispatch(Part):
    """Box A: office of dispatch, USD rate and its date, attachment-sheet count."""

    office_code: Code | None = None
    usd_rate: Decimal | None = None
    usd_rate_date: dt.date | None = None
    attachment_sheets: int | None = Field(default=None, ge=0, description="'Qoşma-SS'")
    bank_details: ShortText | None = Field(
        default=None, description="Transit: escort's national-currency account and bank"
    )


class Forms(Part):
    """Box 3: this sheet's number and the total number of sheets."""

    sheet: int | None = None
    total: int | None = None


class TransportIdentity(Part):
    """Boxes 18 and 21: '<count> <identifiers>' and the numeric country of the vehicle."""

    count: int | None = None
    identifiers: ShortText | None = None
    nationality: Code | None = Field(default=None, description="Numeric country code (App. 3)")
    same_as_box_18: bool = Field(
        default=False, description="Box 21 only: '(bax Qrafa 18)' — the vehicle of box 18"
    )


class DeliveryTerms(Part):
    """Box 20: Appendix 4 code, short name + geographic point, settlement code."""

    code: Code | None = None
    place: ShortText | None = None
    settlement_code: Code | None = None


class FinancialLine(Part):
    """Box 28: numbered lines 1–4."""

    line: int
    text: ShortText


class PreviousDocument(Part):
    """Box 40: a previous declaration or summary document."""

    number: Code
    date: dt.date | None = None
    exit_date: dt.date | None = Field(default=None, description="Re-import: date the goods left")
    kind: Code | None = Field(default=None, description="e.g. QB, NB, DB, SB or GB")


class IncompleteDeclarationRow(Part):
    """Box 40 attachment table when NB declarations are followed by a full GB (X-24)."""

    sequence: int
    number: Code
    date: dt.date
    transport_units: int
    weight: Decimal


class Warehouse(Part):
    """Box 49: licence number and date of the customs warehouse, or the office that set it up."""

    licence_number: Code | None = None
    licence_date: dt.date | None = None
    office_code: Code | None = None


class OfficeAndCountry(Part):
    """Boxes 51 and 53: customs office(s) and a country."""

    office_codes: list[Code] = Field(default_factory=list, max_length=10)
    office_name: ShortText | None = None
    country: Code | None = None


class Guarantee(Part):
    """Box 52: letter and numeric codes of Appendix 9 (e.g. 'BQ 33')."""

    letter: Code | None = None
    code: Code | None = None


class PlaceAndSignature(Part):
    """Box 54: place and date, the authorised person, contacts, the broker's specialist."""

    place: ShortText | None = None
    date: dt.date | None = None
    signatory_name: ShortText | None = None
    signatory_position: ShortText | None = None
    contacts: ShortText | None = None
    broker_firm_name: ShortText | None = None
    broker_firm_voen: Code | None = None
    specialist_name: ShortText | None = None


class CustomsControl(Part):
    """Box D: control results (filled by customs only)."""

    result: ShortText | None = None
    seals: ShortText | None = None
    conformity: ShortText | None = None
    date: dt.date | None = None
    officer: ShortText | None = None


# --- Goods items -----------------------------------------------------------------------------


class Packages(Part):
    count: int | None = Field(default=None, ge=0)
    kind: ShortText | None = None
    marks: ShortText | None = None
    partial: ShortText | None = Field(
        default=None, description="e.g. 'qutunun bir hissəsi' when a package is only partly used"
    )


class DocumentLine(Part):
    """Box 44: one document per line, '<line> XXXX/S/T1[/T2]'; or line 9's guarantee phrase."""

    line: int
    code: Code | None = None
    short_name: ShortText | None = Field(
        default=None, description="Required after codes 1999, 2999, 4999, 5999, 6999, 8002, 9999"
    )
    number: Code | None = None
    issued_on: dt.date | None = None
    valid_until: dt.date | None = Field(default=None, description="T2: licences (line 1) only")
    guarantee_until: dt.date | None = Field(
        default=None, description="Line 9: 'Malların … ilə qədər çıxarılmasına zəmanət verirəm'"
    )


class PaymentLine(Part):
    """Box 47: Növ | Hesablama bazası | Tarif dərəcəsi | Məbləğ | ÖÜ."""

    payment_type: Code | None = None
    base: Decimal | None = None
    rate: Code | None = Field(default=None, description="'10%', '0.5 USD/kq', '10%;0.5 USD/kq'")
    amount: Decimal | None = None
    method: Code | None = None

    @field_validator("amount", "base")
    @classmethod
    def _money(cls, value: Decimal | None) -> Decimal | None:
        return _quantize_places(value, 2)


class Valuation(Part):
    """Box 43 (import): adjustment flag and Appendix 12 method."""

    adjusted: Code | None = None
    method: Code | None = None


class GoodsItem(Part):
    item_number: int | None = box("32", "Sequence number of the goods item")
    description: Text | None = box("31", "Name, manufacturer, brand/model, quantity and composition")
    packages: Packages | None = box("31", "Number, kind and marks of packages")
    container_numbers: list[Code] = box("31", "Container numbers", default_factory=list)
    positions: ShortText | None = box("31", "'Sənəd üzrə №-li pozisiyalar'")
    quantity: Decimal | None = box("31", "Quantity in the supplementary unit (lower-right)")
    quantity_unit: Code | None = box("31", "Abbreviation of the unit of that quantity")
    commodity_code: Code | None = box("33", "10-digit XİF MN code")
    origin_country: CountryCodes | None = box("34")
    gross_mass: Decimal | None = box("35", "kg, 3 decimals")
    privilege: Code | None = box("36", "Appendix 14 code; '000' for none")
    procedure_code: Code | None = box("37", "PPppFF")
    net_mass: Decimal | None = box("38", "kg, 3 decimals")
    quota_remaining: Decimal | None = box("39")
    previous_documents: list[PreviousDocument] = box("40", default_factory=list)
    supplementary_unit: Code | None = box("41", "Appendix 16 code")
    invoice_value: Decimal | None = box("42", "In the currency of box 22")
    invoice_currency: Code | None = box("42", "Only if it differs from box 22 (then an error)")
    valuation: Valuation | None = box("43")
    documents: list[DocumentLine] = box("44", default_factory=list, max_length=200)
    customs_value: Decimal | None = box("45", "AZN")
    statistical_value: Decimal | None = box("46", "USD")
    payments: list[PaymentLine] = box("47", default_factory=list, max_length=50)

    @field_validator("gross_mass", "net_mass")
    @classmethod
    def _weights(cls, value: Decimal | None) -> Decimal | None:
        return _quantize_places(value, 3)

    @field_validator("invoice_value", "customs_value", "statistical_value")
    @classmethod
    def _money(cls, value: Decimal | None) -> Decimal | None:
        return _quantize_places(value, 2)


# --- Box B -----------------------------------------------------------------------------------


class AccountingLine(Part):
    """Box B element line: 'E1-E2-E3[-E4]' = payment type, amount, currency, guarantee."""

    payment_type: Code | None = None
    amount: Decimal | None = None
    currency: Code | None = None
    guarantee: Code | None = None

    @field_validator("amount")
    @classmethod
    def _money(cls, value: Decimal | None) -> Decimal | None:
        return _quantize_places(value, 2)


class AccountingDetails(Part):
    lines: list[AccountingLine] = Field(default_factory=list, max_length=50)
    total: Decimal | None = None

    @field_validator("total")
    @classmethod
    def _money(cls, value: Decimal | None) -> Decimal | None:
        return _quantize_places(value, 2)


# --- The declaration -------------------------------------------------------------------------


class Declaration(Part):
    schema_version: Literal["1"] = SCHEMA_VERSION
    declaration_type: Code | None = box("1", "Appendix 15 numeric code (01 = GB)")
    direction: Direction | None = box("1", "Sub-division 1: İX export, İD import")
    procedure: Code | None = box("1", "Sub-division 2: Appendix 2 procedure code")
    type_subdivision_3: Code | None = box("1", "Sub-division 3: not filled (Q-07)")
    gratuitous: bool = Field(
        default=False, description="Goods move under a gratuitous transaction (boxes 9, 20 empty)"
    )
    no_monetary_settlement: bool = Field(
        default=False, description="The contract has no monetary settlement (box 28 empty)"
    )

    office_of_dispatch: OfficeOfDispatch | None = box("A")
    consignor: Party | None = box("2", "Consignor / exporter")
    forms: Forms | None = box("3")
    loading_lists: int | None = box("4", "Number of loading-specification sheets", ge=0)
    total_items: int | None = box("5", "Number of goods items")
    total_packages: int | None = box("6", "Total number of packages", ge=0)
    registration_number: Code | None = box("7", "Assigned by the system; not for the declarant")
    consignee: Party | None = box("8", "Consignee / importer")
    financial_party: Party | None = box("9", "Person responsible for financial settlement")
    first_destination_country: CountryCodes | None = box("10")
    trading_country: CountryCodes | None = box("11")
    total_customs_value: Decimal | None = box("12", "AZN = Σ box 45")
    aeo_indicator: Code | None = box("13", "'1' declared by an AEO, '0' otherwise")
    declarant: Declarant | None = box("14")
    dispatch_country_name: ShortText | None = box("15")
    dispatch_country: CountryCodes | None = box("15a")
    origin_country_name: ShortText | None = box("16", "Short name, or 'Müxtəlif'")
    destination_country_name: ShortText | None = box("17")
    destination_country: CountryCodes | None = box("17a")
    departure_transport: TransportIdentity | None = box("18")
    container_indicator: Code | None = box("19", "'1' in container, '0' not")
    delivery_terms: DeliveryTerms | None = box("20")
    border_transport: TransportIdentity | None = box("21")
    invoice_currency: Code | None = box("22", "Numeric currency code (App. 5)")
    total_invoice_value: Decimal | None = box("22", "Σ box 42")
    exchange_rate: Decimal | None = box("23", "CBAR rate of the box-22 currency")
    transaction_nature: Code | None = box("24", "2-digit App. 6 code + special condition")
    border_transport_mode: Code | None = box("25")
    inland_transport_mode: Code | None = box("26")
    loading_place: ShortText | None = box("27", "Export: place of loading; import: unloading")
    financial_details: list[FinancialLine] = box("28", default_factory=list, max_length=4)
    border_office: Code | None = box("29")
    goods_location: Code | None = box("30", "Office that set up the TSW, or the TSW number")
    previous_declarations: list[PreviousDocument] = box(
        "40", "Header-level previous declarations", default_factory=list, max_length=200
    )
    incomplete_declarations: list[IncompleteDeclarationRow] = box(
        "40", "NB table on the attachment sheet", default_factory=list, max_length=500
    )
    goods: list[GoodsItem] = Field(
        default_factory=list, max_length=MAX_ITEMS_ACCEPTED, json_schema_extra={"x-item": True}
    )
    accounting: AccountingDetails | None = box("B")
    deferred_until: dt.date | None = box("48", "Printed dd.mm.yy")
    warehouse: Warehouse | None = box("49")
    principal_statement: ShortText | None = box("50")
    departure_office: OfficeAndCountry | None = box("51")
    guarantee: Guarantee | None = box("52")
    destination_office: OfficeAndCountry | None = box("53")
    place_and_signature: PlaceAndSignature | None = box("54")
    customs_notes: Text | None = box("C", "Customs only")
    customs_control: CustomsControl | None = box("D", "Customs only")

    @field_validator("total_customs_value", "total_invoice_value")
    @classmethod
    def _money(cls, value: Decimal | None) -> Decimal | None:
        return _quantize_places(value, 2)

    @field_validator("direction", mode="before")
    @classmethod
    def _direction(cls, value: Any) -> Any:
        # V-1-1: the printed form and recommendations use undotted ID/IX; normalise them.
        if isinstance(value, str):
            return {"IX": "İX", "ID": "İD", "ix": "İX", "id": "İD"}.get(value.strip(), value.strip())
        return value

    # --- Serialisation ---

    def to_data(self) -> dict[str, Any]:
        return self.model_dump(mode="json", exclude_none=True)

    def canonical_bytes(self) -> bytes:
        """RFC 8785 canonical JSON: the same document gives the same bytes, every time."""
        return rfc8785.dumps(self.to_data())  # what core.canonical.canonical_json does

    @property
    def is_import(self) -> bool:
        return self.direction == "İD"

    @property
    def is_export(self) -> bool:
        return self.direction == "İX"


# --- Pointers --------------------------------------------------------------------------------


def pointer(*parts: str | int) -> str:
    return "/" + "/".join(str(p).replace("~", "~0").replace("/", "~1") for p in parts)


def declaration_json_schema() -> dict[str, Any]:
    schema = Declaration.model_json_schema(mode="validation")
    schema["$id"] = "https://gomruk.customs.gov.az/api/v1/schema/declaration.json"
    schema["title"] = "Gömrük bəyannaməsi / Customs declaration"
    return schema
