"""A complete, realistic import declaration for demonstrations, the benchmark and the tests
of the printed form (every box filled, Azerbaijani letters throughout); one of the three
configurations of the declaration builder (``documents``)."""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_EVEN, Decimal
from typing import Any

from gomruk.demo import documents
from gomruk.document.model import Declaration

PRODUCTS = (
    ("Şüşə qablar (bankalar), 0,5 l", "7010905100", "TR"),
    ("Çay, qara, fermentləşdirilmiş, 100 q-lıq qutularda", "0902300000", "GE"),
    ("Gön ayaqqabılar, kişi üçün, ölçü 40–45", "6403990000", "IT"),
    ("Ağ şəkər, çuğundur şəkəri, 50 kq-lıq kisələrdə", "1701991000", "UA"),
)


def _item(number: int) -> dict[str, Any]:
    name, code, alpha = PRODUCTS[(number - 1) % len(PRODUCTS)]
    invoice = Decimal(1000 + 37 * number)
    customs = documents.customs_value(invoice)
    return documents.goods_item(
        number,
        f"{name}. İstehsalçı: «Öz Gömrük Şirkəti» MMC, marka ÇİNAR-{number}",
        packages={"count": 10 + number, "kind": "karton qutu", "marks": f"ŞÇ-{number:03d}"},
        container_numbers=["MSKU1234565"],
        quantity=str(100 * number),
        quantity_unit="ədəd",
        commodity_code=code,
        origin_country=documents.country(alpha),
        gross_mass=str(Decimal(150 + number) + Decimal("0.5")),
        privilege="000",
        procedure_code="400000",
        net_mass=str(Decimal(140 + number)),
        supplementary_unit="796",
        invoice_value=invoice,
        valuation={"adjusted": "0", "method": "01"},
        documents=[
            documents.document_line(2, "2015", f"CMR-{number:05d}", "2026-11-10"),
            documents.document_line(7, "7001", f"MS-{number:04d}", "2026-11-02"),
            documents.document_line(8, "8001", f"İNV-{number:04d}", "2026-11-01"),
        ],
        customs_value=customs,
        statistical_value=documents.statistical_value(customs),
        # The printed reference image was drawn with duty and VAT rounded half-to-even (a cent
        # off half-up on every fourth item): kept so that the sample prints as it always has.
        payments=documents.duty_and_vat(customs, rounding=_cents_half_even),
    )


def _cents_half_even(value: Decimal) -> Decimal:
    return value.quantize(Decimal("0.01"), rounding=ROUND_HALF_EVEN)


def sample_document(items: int = 1, *, long_description: bool = False) -> Declaration:
    goods = [_item(n) for n in range(1, items + 1)]
    if long_description and goods:
        goods[0]["description"] = " ".join(
            f"Hissə {n}: paslanmayan poladdan hazırlanmış ölçü cihazı, model ÖLÇÜ-{n}, "
            "şəbəkə gərginliyi 220 V, çəkisi 1,2 kq, qablaşdırılmış."
            for n in range(1, 31)
        )
    totals = documents.goods_totals(goods)
    # The principal and its broker (boxes 8, 9, 14, 54).
    principal = documents.party(
        "«Şəki Çay Evi» MMC", "Azərbaycan, Şəki şəhəri, M. F. Axundzadə küçəsi 45", "1234567891"
    )
    broker = documents.party(
        "«Gömrük Xidmətləri Ölkə» MMC (gömrük brokeri)", "Bakı şəhəri, Nizami küçəsi 10", "9876543211",
        acts_as_broker=True, broker_licence_number="GB-0457", broker_licence_date="2024-03-15",
    )
    data: dict[str, Any] = {
        "declaration_type": "01",
        "direction": "İD",
        "procedure": "40",
        "office_of_dispatch": documents.office_of_dispatch("2026-11-20"),
        "consignor": documents.party("Öztürk Cam Sanayi A.Ş.", "Atatürk bulvarı 12, İstanbul, Türkiyə"),
        "loading_lists": 2,
        "total_items": totals["total_items"],
        "total_packages": totals["total_packages"],
        "consignee": principal,
        "financial_party": dict(principal),
        "first_destination_country": {"alpha": "AZE", "numeric": "031"},
        "trading_country": documents.country("TR"),
        "total_customs_value": totals["total_customs_value"],
        "aeo_indicator": "0",
        "declarant": broker,
        "dispatch_country_name": documents.country_name("TR"),
        "dispatch_country": documents.country("TR"),
        "origin_country_name": "Müxtəlif" if items > 1 else documents.country_name("TR"),
        "destination_country_name": documents.country_name("AZ"),
        "destination_country": documents.country("AZ"),
        "departure_transport": documents.transport("34 ÇĞ 1234, 34 ŞÖ 5678", "792", count=2),
        "container_indicator": "1",
        "delivery_terms": {"code": "01", "place": "CIP Bakı", "settlement_code": "100"},
        "border_transport": documents.same_transport_as_box_18("792"),
        **documents.dollar_invoice(totals["total_invoice_value"]),
        "transaction_nature": "110",
        "border_transport_mode": "30",
        "inland_transport_mode": "30",
        "loading_place": "Bakı şəhəri, Qaradağ rayonu",
        "financial_details": documents.financial_details(
            "VÖEN 9900003611",
            "«Kapital Bank» ASC",
            "AZ21NABZ00000000137010001944",
        ),
        "border_office": "00102",
        "goods_location": "00104",
        "goods": goods,
        "accounting": documents.accounting(goods),
        "place_and_signature": documents.signature_box(
            dt.date(2026, 11, 21), "Əliyev Ülvi Şahin oğlu", "direktor", "+994 12 555 12 34, info@sekicay.az",
            broker_firm_name="«Gömrük Xidmətləri Ölkə» MMC", broker_firm_voen=broker["identifier"],
            specialist_name="Qasımova Gülşən",
        ),
    }
    return Declaration.model_validate(data)
