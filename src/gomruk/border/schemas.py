"""What an arrival looks like on the way in (officer form, API, CSV) and on the way out.

The input model checks types only; the content (classifier codes, VÖEN, post of the officer)
is checked by :func:`gomruk.border.services.arrival_register`, which reports every wrong field.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Literal

from django.utils.translation import gettext_lazy as _
from pydantic import BaseModel, ConfigDict, Field

DocumentKind = Literal["transport", "commercial"]


class ArrivalDocumentIn(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    kind: DocumentKind
    code: str | None = Field(default=None, max_length=4, description="Appendix 13 document code")
    number: str = Field(min_length=1, max_length=100)
    issued_on: dt.date | None = None


class ArrivalIn(BaseModel):
    """Goods registered at a border post."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    post_code: str = Field(max_length=5, description="Border post, Appendix 11 code")
    consignee_voen: str = Field(max_length=10)
    consignee_name: str = Field(default="", max_length=300)
    arrived_at: dt.datetime = Field(description="Without an offset: Baku time")
    transport_mode: str = Field(max_length=2, description="Appendix 7 code")
    vehicle_identifiers: str = Field(min_length=1, max_length=200)
    vehicle_count: int = Field(default=1, ge=1, le=999)
    transport_country: str = Field(default="", max_length=3, description="Appendix 3 numeric or alpha-2")
    consignor_name: str = Field(min_length=1, max_length=300)
    consignor_address: str = Field(default="", max_length=500)
    consignor_country: str = Field(default="", max_length=3, description="Appendix 3 numeric or alpha-2")
    description: str = Field(min_length=1, max_length=4000)
    commodity_codes: list[str] = Field(default_factory=list, max_length=100)
    package_count: int | None = Field(default=None, ge=0)
    package_kind: str = Field(default="", max_length=100)
    gross_mass: Decimal = Field(gt=0, max_digits=15, decimal_places=3, description="kg, at most 3 decimals")
    documents: list[ArrivalDocumentIn] = Field(default_factory=list, max_length=50)
    storage_place: str = Field(
        default="", max_length=40, description="Temporary storage warehouse (box 30)"
    )


class ArrivalDocumentOut(BaseModel):
    kind: str
    code: str | None = None
    number: str
    issued_on: dt.date | None = None


class TraderOut(BaseModel):
    voen: str
    name: str


class ArrivalOut(BaseModel):
    """FR-I-06 (proposal): checkpoint, when, transport, consignor, goods, packages, weight, state."""

    id: str
    trader: TraderOut
    post_code: str
    post_name: str
    arrived_at: dt.datetime
    transport_mode: str
    vehicle_identifiers: str
    vehicle_count: int
    transport_country: str
    consignor_name: str
    consignor_address: str
    consignor_country: str
    description: str
    commodity_codes: list[str]
    package_count: int | None
    package_kind: str
    gross_mass: Decimal
    documents: list[ArrivalDocumentOut]
    storage_place: str
    state: str
    state_label: str


class GoodsPageOut(BaseModel):
    items: list[ArrivalOut]
    count: int
    next_cursor: str | None = None
    message: str | None = Field(default=None, description="Why the list is empty, when it is")


class AttachIn(BaseModel):
    arrival_ids: list[str] = Field(min_length=1, max_length=100)


class DeclarationRefOut(BaseModel):
    id: str
    state: str
    arrival_ids: list[str]


#: Every input field with its label, in the order of the officer's form and the CSV file.
FIELD_LABELS = {
    "post_code": _("Sərhəd buraxılış məntəqəsi"),
    "consignee_voen": _("Malı qəbul edənin VÖEN-i"),
    "consignee_name": _("Malı qəbul edənin adı"),
    "arrived_at": _("Qeydə alınma tarixi və vaxtı"),
    "transport_mode": _("Nəqliyyat növü"),
    "vehicle_identifiers": _("Nəqliyyat vasitəsinin nömrələri"),
    "vehicle_count": _("Nəqliyyat vasitələrinin sayı"),
    "transport_country": _("Nəqliyyat vasitəsinin ölkəsi"),
    "consignor_name": _("Göndərən"),
    "consignor_address": _("Göndərənin ünvanı"),
    "consignor_country": _("Göndərənin ölkəsi"),
    "description": _("Malların təsviri"),
    "commodity_codes": _("XİF MN kodları"),
    "package_count": _("Yerlərin sayı"),
    "package_kind": _("Qablaşdırmanın növü"),
    "gross_mass": _("Brutto çəki, kq"),
    "transport_documents": _("Nəqliyyat sənədləri"),
    "commercial_documents": _("Kommersiya sənədləri"),
    "storage_place": _("Müvəqqəti saxlanc anbarı"),
}
