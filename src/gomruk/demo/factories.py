"""The document factories: every declaration the demo, the tests and the benchmarks build.

- here: the demo's declarations (an export GB, an import GB with many items, a transit GB);
- ``rule_examples``: a valid declaration for every profile (type × direction × procedure);
- ``print_samples``: a form with every box filled, for the printed form.

They share the worked-figure assumptions below: the example bulletin's USD rate, 15 % duty and
18 % VAT, money rounded half-up to 2 places, so the examples pass the rules.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from gomruk.core.money import money
from gomruk.document.model import Declaration
from gomruk.duties.fees import default_schedule

#: The example bulletin's USD rate (box A, box 23).
USD_RATE = Decimal("1.7000")
DUTY_PERCENT = Decimal(15)
VAT_PERCENT = Decimal(18)
TWO = Decimal("0.01")


def clearance_fee(customs_value: Decimal) -> Decimal:
    """The clearance fee of the default schedule shipped with the payments app."""
    bracket = default_schedule().bracket_for(customs_value)
    if bracket is None:
        raise ValueError(f"no fee bracket covers {customs_value}")
    return bracket.amount


XEZER = {"identifier_kind": "VÖEN", "identifier": "1401555071", "name": "Xəzər Ticarət MMC",
         "address": "Bakı ş., Nizami küç. 12"}
# The demo broker (accounts.demo): its firm, licence and contract with its principals.
BROKER = {"identifier_kind": "VÖEN", "identifier": "1700120051", "name": "Sərhəd Broker MMC",
          "address": "Bakı ş., Neftçilər pr. 88", "acts_as_broker": True, "broker_licence_number": "GB-0417",
          "broker_licence_date": "2024-03-01", "representation_documents": "Müqavilə 2026/11"}
TBILISI = {"name": "Kartli Trading LLC", "address": "Tbilisi, Rustaveli ave. 5, Georgia"}
ISTANBUL = {"name": "Boğaziçi Dış Ticaret A.Ş.", "address": "İstanbul, Levent, Türkiye"}
COUNTRY = {
    "AZ": {"alpha": "AZ", "numeric": "031"},
    "GE": {"alpha": "GE", "numeric": "268"},
    "TR": {"alpha": "TR", "numeric": "792"},
    "KZ": {"alpha": "KZ", "numeric": "398"},
}


def _signature_box(today: date) -> dict[str, Any]:
    return {
        "place": "Bakı",
        "date": today.isoformat(),
        "signatory_name": "Aygün Məmmədova",
        "signatory_position": "Direktor",
        "contacts": "+994 12 555 00 00",
    }


def export_gb(today: date | None = None) -> Declaration:
    """İX 10: three items of Azerbaijani goods sold to Georgia by road."""
    today = today or date.today()  # noqa: DTZ011
    goods_spec = [
        ("0806101000", "Təzə üzüm, Şamaxı, qutularda", Decimal("2500.000"), Decimal("2350.000"), 120, Decimal("3000.00")),
        ("0809400500", "Təzə gavalı, qutularda", Decimal("1200.000"), Decimal("1130.000"), 60, Decimal("1800.00")),
        ("2009890000", "Nar şirəsi, 1 l şüşə qablarda", Decimal("900.000"), Decimal("720.000"), 40, Decimal("2400.00")),
    ]
    return _build(
        today=today,
        direction="İX",
        procedure="10",
        consignor=XEZER,
        consignee=TBILISI,
        financial=XEZER,
        destination="GE",
        dispatch="AZ",
        trading="GE",
        origin="AZ",
        goods_spec=goods_spec,
        settlement="001",
        delivery=("02", "FCA Bakı"),
        nature="210",
        mode="30",
        border_office="00206",
        vehicle="1 10-AB-123",
        vehicle_country="031",
        place="Bakı",
        duty_rate=None,
        vat=False,
    )


def import_gb(items: int = 12, today: date | None = None) -> Declaration:
    """İD 40: electric water heaters from Türkiye released for free circulation; 15 % duty, 18 % VAT."""
    today = today or date.today()  # noqa: DTZ011
    goods_spec = []
    for number in range(1, items + 1):
        net = Decimal(40 + number * 5).quantize(Decimal("0.001"))
        goods_spec.append(
            (
                f"8516{number % 100:02d}{number // 100:02d}00",
                f"Elektrik su qızdırıcısı, model SQ-{100 + number}, 80 l, {number * 2} ədəd",
                net + Decimal("4.500"),
                net,
                2 + number % 3,
                Decimal(1000 + number * 250).quantize(TWO),
            )
        )
    return _build(
        today=today,
        direction="İD",
        procedure="40",
        consignor=ISTANBUL,
        consignee=XEZER,
        financial=XEZER,
        destination="AZ",
        dispatch="TR",
        trading="TR",
        origin="TR",
        goods_spec=goods_spec,
        settlement="100",
        delivery=("07", "CPT Bakı"),
        nature="210",
        mode="30",
        border_office="00400",
        vehicle="1 34-TR-5678",
        vehicle_country="792",
        place="Bakı",
        duty_rate=DUTY_PERCENT,
        vat=True,
    )


def transit_gb(today: date | None = None) -> Declaration:
    """İD 80: Kazakh goods through Azerbaijan from Ələt port to the Georgian border."""
    today = today or date.today()  # noqa: DTZ011
    document = {
        "declaration_type": "01",
        "direction": "İD",
        "procedure": "80",
        "office_of_dispatch": {"office_code": "01701"},
        "consignor": {"name": "Astana Grain LLP", "address": "Aktau, Kazakhstan"},
        "consignee": dict(TBILISI),
        "financial_party": {"identifier_kind": "VÖEN", "identifier": "1500420091",
                            "name": "Gəncə Aqro Logistika ASC", "address": "Gəncə ş., Atatürk pr. 3"},
        "forms": None,
        "loading_lists": 1,
        "total_items": 1,
        "total_packages": 0,
        "total_customs_value": "85000.00",
        # The carrier of box 9 is the broker's principal; the broker declares (box 14, box 54).
        "declarant": dict(BROKER),
        "dispatch_country_name": "Qazaxıstan",
        "dispatch_country": COUNTRY["KZ"],
        "origin_country_name": "Qazaxıstan",
        "destination_country_name": "Gürcüstan",
        "destination_country": COUNTRY["GE"],
        "departure_transport": {"count": 2, "identifiers": "59001234, 59001235", "nationality": "398"},
        "container_indicator": "0",
        "border_transport": {"same_as_box_18": True, "nationality": "398"},
        "invoice_currency": "840",
        "total_invoice_value": "50000.00",
        "exchange_rate": str(USD_RATE),
        "border_transport_mode": "20",
        "inland_transport_mode": "20",
        "financial_details": [
            {"line": 1, "text": "AZ21NABZ01350100000000001944 Kapital Bank"},
            {"line": 2, "text": "AZ21NABZ01350100000000002840 Kapital Bank"},
        ],
        "border_office": "01701",
        "goods": [
            {
                "item_number": 1,
                "description": "Buğda, ərzaq, 3-cü sinif, tökmə halda, 2 vaqon",
                "packages": {"count": 0, "kind": "tökmə"},
                "quantity": "130000.000",
                "quantity_unit": "kq",
                "commodity_code": "1001990000",
                "origin_country": COUNTRY["KZ"],
                "gross_mass": "130000.000",
                "procedure_code": "800000",
                "net_mass": "130000.000",
                "documents": [
                    {"line": 2, "code": "2013", "number": "SMGS-778812", "issued_on": today.isoformat()},
                    {"line": 3, "code": "4011", "number": "TR-2026/15", "issued_on": today.isoformat()},
                    {"line": 4, "code": "8001", "number": "INV-5531", "issued_on": today.isoformat()},
                ],
                "customs_value": "85000.00",
                "payments": [
                    {"payment_type": "01", "base": "85000.00", "rate": "200 AZN", "amount": "200.00", "method": "01"}
                ],
            }
        ],
        "accounting": {"lines": [{"payment_type": "01", "amount": "200.00", "currency": "944"}], "total": "200.00"},
        "destination_office": {"office_codes": ["00206"], "office_name": "Böyük Kəsik postu", "country": "268"},
        "place_and_signature": {
            **_signature_box(today),
            "signatory_name": "Elvin Həsənov",
            "signatory_position": "Gömrük brokeri",
            "broker_firm_name": BROKER["name"],
            "broker_firm_voen": BROKER["identifier"],
            "specialist_name": "Elvin Həsənov",
        },
    }
    return Declaration.model_validate(document)


def _build(
    *,
    today: date,
    direction: str,
    procedure: str,
    consignor: dict[str, Any],
    consignee: dict[str, Any],
    financial: dict[str, Any],
    destination: str,
    dispatch: str,
    trading: str,
    origin: str,
    goods_spec: list[tuple[str, str, Decimal, Decimal, int, Decimal]],
    settlement: str,
    delivery: tuple[str, str],
    nature: str,
    mode: str,
    border_office: str,
    vehicle: str,
    vehicle_country: str,
    place: str,
    duty_rate: Decimal | None,
    vat: bool,
) -> Declaration:
    goods: list[dict[str, Any]] = []
    total_value = Decimal(0)
    total_invoice = Decimal(0)
    totals_by_type: dict[str, Decimal] = {}
    for number, (code, description, gross, net, packages, invoice) in enumerate(goods_spec, start=1):
        customs_value = money(invoice * USD_RATE)
        statistical = money(customs_value / USD_RATE)
        payments = []
        if duty_rate is not None:
            duty = money(customs_value * duty_rate / 100)
            payments.append({"payment_type": "20", "base": str(customs_value), "rate": f"{duty_rate}%",
                             "amount": str(duty), "method": "01"})
            totals_by_type["20"] = totals_by_type.get("20", Decimal(0)) + duty
            if vat:
                vat_base = customs_value + duty
                vat_amount = money(vat_base * VAT_PERCENT / 100)
                payments.append({"payment_type": "32", "base": str(vat_base), "rate": f"{VAT_PERCENT}%",
                                 "amount": str(vat_amount), "method": "01"})
                totals_by_type["32"] = totals_by_type.get("32", Decimal(0)) + vat_amount
        total_value += customs_value
        total_invoice += invoice
        documents = [
            {"line": 2, "code": "2015", "number": f"CMR-{4410 + number}", "issued_on": today.isoformat()},
            {"line": 4, "code": "4011", "number": "MK-2026/77", "issued_on": today.isoformat()},
            {"line": 8, "code": "8001", "number": f"INV-{900 + number}", "issued_on": today.isoformat()},
        ]
        goods.append(
            {
                "item_number": number,
                "description": description,
                "packages": {"count": packages, "kind": "qutu", "marks": f"XT-{number:03d}"},
                "quantity": str(net),
                "quantity_unit": "kq",
                "commodity_code": code,
                "origin_country": COUNTRY[origin],
                "gross_mass": str(gross),
                "privilege": "000",
                "procedure_code": f"{procedure}0000",
                "net_mass": str(net),
                "supplementary_unit": "166",
                "invoice_value": str(invoice),
                "valuation": {"adjusted": "0", "method": "01"} if direction == "İD" else None,
                "documents": documents,
                "customs_value": str(customs_value),
                "statistical_value": str(statistical),
                "payments": payments,
            }
        )
    fee = clearance_fee(total_value)
    # The clearance fee is declaration-level; it is carried on item 1's box 47 (base: box 12).
    goods[0]["payments"].insert(
        0, {"payment_type": "01", "base": str(total_value), "rate": f"{fee} AZN", "amount": str(fee), "method": "01"}
    )
    totals_by_type = {"01": fee, **totals_by_type}
    lines = [{"payment_type": t, "amount": str(a), "currency": "944"} for t, a in totals_by_type.items()]
    country_name = {"AZ": "Azərbaycan", "GE": "Gürcüstan", "TR": "Türkiyə"}
    document = {
        "declaration_type": "01",
        "direction": direction,
        "procedure": procedure,
        "office_of_dispatch": {"office_code": "00100", "usd_rate": str(USD_RATE), "usd_rate_date": today.isoformat()},
        "consignor": consignor,
        "forms": {"sheet": 1, "total": 1 + (len(goods) + 1) // 3} if len(goods) > 1 else None,
        "total_items": len(goods),
        "total_packages": sum(packages for _, _, _, _, packages, _ in goods_spec),
        "consignee": consignee,
        "financial_party": financial,
        "first_destination_country": (
            COUNTRY[destination] if direction == "İX" else {"alpha": "AZE", "numeric": "031"}
        ),
        "trading_country": COUNTRY[trading],
        "total_customs_value": str(total_value),
        "aeo_indicator": "0",
        "declarant": dict(XEZER),
        "dispatch_country_name": country_name[dispatch],
        "dispatch_country": COUNTRY[dispatch],
        "origin_country_name": country_name[origin],
        "destination_country_name": country_name[destination],
        "destination_country": COUNTRY[destination],
        "departure_transport": {"count": 1, "identifiers": vehicle.split(" ", 1)[1], "nationality": vehicle_country},
        "container_indicator": "0",
        "delivery_terms": {"code": delivery[0], "place": delivery[1], "settlement_code": settlement},
        "border_transport": {"count": 1, "identifiers": vehicle.split(" ", 1)[1], "nationality": vehicle_country},
        "invoice_currency": "840",
        "total_invoice_value": str(total_invoice),
        "exchange_rate": str(USD_RATE),
        "transaction_nature": nature,
        "border_transport_mode": mode,
        "inland_transport_mode": mode,
        "loading_place": place,
        "financial_details": [
            {"line": 1, "text": "Valyuta nəzarəti sənədi VN-2026-0042"},
            {"line": 2, "text": "Kapital Bank"},
            {"line": 3, "text": "AZ21NABZ01350100000000001944"},
            {"line": 4, "text": "AZ21NABZ01350100000000002840"},
        ],
        "border_office": border_office,
        "goods_location": "00100",
        "goods": goods,
        "accounting": {"lines": lines, "total": str(sum(totals_by_type.values(), Decimal(0)))},
        "principal_statement": (
            "GB və onun qoşma vərəqlərində göstərilən məlumatları təsdiq edirəm"
            if direction == "İX"
            else "GB-də və əlavə vərəqlərdə göstərilən məlumatları təsdiq edirəm"
        ),
        "destination_office": {"office_name": "Bakı Baş Gömrük İdarəsi", "office_codes": ["00100"],
                               "country": COUNTRY[destination]["numeric"]},
        "place_and_signature": _signature_box(today),
    }
    return Declaration.model_validate(document)
