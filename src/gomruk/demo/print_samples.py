"""A complete, realistic import declaration for demonstrations, the benchmark and the tests
of the printed form (every box filled, Azerbaijani letters throughout); one of the document
factories (see ``factories``)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from gomruk.demo.documents import DUTY_PERCENT, USD_RATE, VAT_PERCENT
from gomruk.document.model import Declaration

PRODUCTS = (
    ("Şüşə qablar (bankalar), 0,5 l", "7010905100", "TR", "792"),
    ("Çay, qara, fermentləşdirilmiş, 100 q-lıq qutularda", "0902300000", "GE", "268"),
    ("Gön ayaqqabılar, kişi üçün, ölçü 40–45", "6403990000", "İT", "380"),
    ("Ağ şəkər, çuğundur şəkəri, 50 kq-lıq kisələrdə", "1701991000", "UA", "804"),
)


def _item(number: int) -> dict[str, Any]:
    name, code, alpha, numeric = PRODUCTS[(number - 1) % len(PRODUCTS)]
    alpha = "IT" if alpha == "İT" else alpha
    value = Decimal(1000 + 37 * number)
    customs = value * Decimal("1.7")
    duty = (customs * DUTY_PERCENT / 100).quantize(Decimal("0.01"))
    vat = ((customs + duty) * VAT_PERCENT / 100).quantize(Decimal("0.01"))
    return {
        "item_number": number,
        "description": f"{name}. İstehsalçı: «Öz Gömrük Şirkəti» MMC, marka ÇİNAR-{number}",
        "packages": {"count": 10 + number, "kind": "karton qutu", "marks": f"ŞÇ-{number:03d}"},
        "container_numbers": ["MSKU1234565"],
        "quantity": str(100 * number),
        "quantity_unit": "ədəd",
        "commodity_code": code,
        "origin_country": {"alpha": alpha, "numeric": numeric},
        "gross_mass": str(Decimal(150 + number) + Decimal("0.5")),
        "privilege": "000",
        "procedure_code": "400000",
        "net_mass": str(Decimal(140 + number)),
        "supplementary_unit": "796",
        "invoice_value": str(value),
        "valuation": {"adjusted": "0", "method": "01"},
        "documents": [
            {"line": 2, "code": "2015", "number": f"CMR-{number:05d}", "issued_on": "2026-11-10"},
            {"line": 7, "code": "7001", "number": f"MS-{number:04d}", "issued_on": "2026-11-02"},
            {"line": 8, "code": "8001", "number": f"İNV-{number:04d}", "issued_on": "2026-11-01"},
        ],
        "customs_value": str(customs),
        "statistical_value": str((customs / Decimal("1.7")).quantize(Decimal("0.01"))),
        "payments": [
            {
                "payment_type": "20",
                "base": str(customs),
                "rate": f"{DUTY_PERCENT}%",
                "amount": str(duty),
                "method": "01",
            },
            {
                "payment_type": "32",
                "base": str(customs + duty),
                "rate": f"{VAT_PERCENT}%",
                "amount": str(vat),
                "method": "01",
            },
        ],
    }


def sample_document(items: int = 1, *, long_description: bool = False) -> Declaration:
    goods = [_item(n) for n in range(1, items + 1)]
    if long_description and goods:
        goods[0]["description"] = " ".join(
            f"Hissə {n}: paslanmayan poladdan hazırlanmış ölçü cihazı, model ÖLÇÜ-{n}, "
            "şəbəkə gərginliyi 220 V, çəkisi 1,2 kq, qablaşdırılmış."
            for n in range(1, 31)
        )
    total_customs = sum((Decimal(g["customs_value"]) for g in goods), Decimal(0))
    total_invoice = sum((Decimal(g["invoice_value"]) for g in goods), Decimal(0))
    totals: dict[str, Decimal] = {}
    for g in goods:
        for p in g["payments"]:
            totals[p["payment_type"]] = totals.get(p["payment_type"], Decimal(0)) + Decimal(
                p["amount"]
            )
    data: dict[str, Any] = {
        "declaration_type": "01",
        "direction": "İD",
        "procedure": "40",
        "office_of_dispatch": {
            "office_code": "00100",
            "usd_rate": str(USD_RATE),
            "usd_rate_date": "2026-11-20",
        },
        "consignor": {
            "name": "Öztürk Cam Sanayi A.Ş.",
            "address": "Atatürk bulvarı 12, İstanbul, Türkiyə",
        },
        "loading_lists": 2,
        "total_items": items,
        "total_packages": sum(g["packages"]["count"] for g in goods),
        "consignee": {
            "identifier_kind": "VÖEN",
            "identifier": "1234567891",
            "name": "«Şəki Çay Evi» MMC",
            "address": "Azərbaycan, Şəki şəhəri, M. F. Axundzadə küçəsi 45",
        },
        "financial_party": {
            "identifier_kind": "VÖEN",
            "identifier": "1234567891",
            "name": "«Şəki Çay Evi» MMC",
            "address": "Azərbaycan, Şəki şəhəri, M. F. Axundzadə küçəsi 45",
        },
        "first_destination_country": {"alpha": "AZE", "numeric": "031"},
        "trading_country": {"alpha": "TR", "numeric": "792"},
        "total_customs_value": str(total_customs),
        "aeo_indicator": "0",
        "declarant": {
            "identifier_kind": "VÖEN",
            "identifier": "9876543211",
            "name": "«Gömrük Xidmətləri Ölkə» MMC (gömrük brokeri)",
            "address": "Bakı şəhəri, Nizami küçəsi 10",
            "acts_as_broker": True,
            "broker_licence_number": "GB-0457",
            "broker_licence_date": "2024-03-15",
        },
        "dispatch_country_name": "Türkiyə",
        "dispatch_country": {"alpha": "TR", "numeric": "792"},
        "origin_country_name": "Müxtəlif" if items > 1 else "Türkiyə",
        "destination_country_name": "Azərbaycan",
        "destination_country": {"alpha": "AZ", "numeric": "031"},
        "departure_transport": {
            "count": 2,
            "identifiers": "34 ÇĞ 1234, 34 ŞÖ 5678",
            "nationality": "792",
        },
        "container_indicator": "1",
        "delivery_terms": {"code": "01", "place": "CIP Bakı", "settlement_code": "100"},
        "border_transport": {"same_as_box_18": True, "nationality": "792"},
        "invoice_currency": "840",
        "total_invoice_value": str(total_invoice),
        "exchange_rate": str(USD_RATE),
        "transaction_nature": "110",
        "border_transport_mode": "30",
        "inland_transport_mode": "30",
        "loading_place": "Bakı şəhəri, Qaradağ rayonu",
        "financial_details": [
            {"line": 1, "text": "VÖEN 9900003611"},
            {"line": 2, "text": "«Kapital Bank» ASC"},
            {"line": 3, "text": "AZ21NABZ00000000137010001944"},
        ],
        "border_office": "00102",
        "goods_location": "00104",
        "goods": goods,
        "accounting": {
            "lines": [
                {"payment_type": code, "amount": str(amount), "currency": "944"}
                for code, amount in sorted(totals.items())
            ],
            "total": str(sum(totals.values(), Decimal(0))),
        },
        "place_and_signature": {
            "place": "Bakı",
            "date": dt.date(2026, 11, 21).isoformat(),
            "signatory_name": "Əliyev Ülvi Şahin oğlu",
            "signatory_position": "direktor",
            "contacts": "+994 12 555 12 34, info@sekicay.az",
            "broker_firm_name": "«Gömrük Xidmətləri Ölkə» MMC",
            "broker_firm_voen": "9876543211",
            "specialist_name": "Qasımova Gülşən",
        },
    }
    return Declaration.model_validate(data)
