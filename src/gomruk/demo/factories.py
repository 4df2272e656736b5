"""The demo's declarations (an export GB, an import GB with many items, a transit GB); one of
the three configurations of the declaration builder (``documents``)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from gomruk.clock import service_today
from gomruk.demo import documents
from gomruk.demo.documents import clearance_fee
from gomruk.document.model import Declaration

# ``clearance_fee`` is the builder's; the tests that price a change import it from here.
__all__ = ["BROKER", "ISTANBUL", "TBILISI", "XEZER", "clearance_fee", "export_gb", "import_gb", "transit_gb"]

TWO = Decimal("0.01")
XEZER = documents.party("Xəzər Ticarət MMC", "Bakı ş., Nizami küç. 12", "1401555071")
# The demo broker (accounts.demo): its firm, licence and contract with its principals.
BROKER = documents.party(
    "Sərhəd Broker MMC", "Bakı ş., Neftçilər pr. 88", "1700120051", acts_as_broker=True,
    broker_licence_number="GB-0417", broker_licence_date="2024-03-01", representation_documents="Müqavilə 2026/11",
)
TBILISI = documents.party("Kartli Trading LLC", "Tbilisi, Rustaveli ave. 5, Georgia")
ISTANBUL = documents.party("Boğaziçi Dış Ticaret A.Ş.", "İstanbul, Levent, Türkiye")
CONTACTS = "+994 12 555 00 00"
#: The customs value of the transit declaration's grain (box 12, box 45).
TRANSIT_VALUE = Decimal("85000.00")


def export_gb(today: date | None = None) -> Declaration:
    """İX 10: three items of Azerbaijani goods sold to Georgia by road."""
    today = today or service_today()
    goods_spec = [
        ("0806101000", "Təzə üzüm, Şamaxı, qutularda", Decimal("2500.000"), Decimal("2350.000"), 120, Decimal("3000.00")),
        ("0809400500", "Təzə gavalı, qutularda", Decimal("1200.000"), Decimal("1130.000"), 60, Decimal("1800.00")),
        ("2009890000", "Nar şirəsi, 1 l şüşə qablarda", Decimal("900.000"), Decimal("720.000"), 40, Decimal("2400.00")),
    ]
    return _build(
        today, "İX", "10", goods_spec, partner=TBILISI, abroad="GE", delivery=("02", "FCA Bakı", "001"),
        border_office="00206", vehicle=("10-AB-123", "031"),
    )


def import_gb(items: int = 12, today: date | None = None) -> Declaration:
    """İD 40: electric water heaters from Türkiye released for free circulation; 15 % duty, 18 % VAT."""
    today = today or service_today()
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
        today, "İD", "40", goods_spec, partner=ISTANBUL, abroad="TR", delivery=("07", "CPT Bakı", "100"),
        border_office="00400", vehicle=("34-TR-5678", "792"),
    )


def transit_gb(today: date | None = None) -> Declaration:
    """İD 80: Kazakh goods through Azerbaijan from Ələt port to the Georgian border."""
    today = today or service_today()
    issued = today.isoformat()
    transit_fee = clearance_fee(TRANSIT_VALUE)
    goods = [
        documents.goods_item(
            1,
            "Buğda, ərzaq, 3-cü sinif, tökmə halda, 2 vaqon",
            packages={"count": 0, "kind": "tökmə"},
            quantity="130000.000",
            quantity_unit="kq",
            commodity_code="1001990000",
            origin_country=documents.country("KZ"),
            gross_mass="130000.000",
            procedure_code="800000",
            net_mass="130000.000",
            documents=[
                documents.document_line(2, "2013", "SMGS-778812", issued),
                documents.document_line(3, "4011", "TR-2026/15", issued),
                documents.document_line(4, "8001", "INV-5531", issued),
            ],
            customs_value=TRANSIT_VALUE,
            # The schedule's fee, its rate written in whole manats.
            payments=[documents.payment("01", TRANSIT_VALUE, f"{transit_fee:.0f} AZN", transit_fee)],
        ),
    ]
    document = {
        "declaration_type": "01",
        "direction": "İD",
        "procedure": "80",
        "office_of_dispatch": {"office_code": "01701"},
        "consignor": documents.party("Astana Grain LLP", "Aktau, Kazakhstan"),
        "consignee": dict(TBILISI),
        "financial_party": documents.party("Gəncə Aqro Logistika ASC", "Gəncə ş., Atatürk pr. 3", "1500420091"),
        "forms": None,
        "loading_lists": 1,
        "total_items": 1,
        "total_packages": 0,
        "total_customs_value": str(TRANSIT_VALUE),
        # The carrier of box 9 is the broker's principal; the broker declares (box 14, box 54).
        "declarant": dict(BROKER),
        "dispatch_country_name": documents.country_name("KZ"),
        "dispatch_country": documents.country("KZ"),
        "origin_country_name": documents.country_name("KZ"),
        "destination_country_name": documents.country_name("GE"),
        "destination_country": documents.country("GE"),
        "departure_transport": documents.transport("59001234, 59001235", "398", count=2),
        "container_indicator": "0",
        "border_transport": documents.same_transport_as_box_18("398"),
        **documents.dollar_invoice(Decimal("50000.00")),
        "border_transport_mode": "20",
        "inland_transport_mode": "20",
        "financial_details": documents.financial_details(
            "AZ21NABZ01350100000000001944 Kapital Bank",
            "AZ21NABZ01350100000000002840 Kapital Bank",
        ),
        "border_office": "01701",
        "goods": goods,
        "accounting": documents.accounting(goods),
        "destination_office": {"office_codes": ["00206"], "office_name": "Böyük Kəsik postu", "country": "268"},
        "place_and_signature": documents.signature_box(
            today, "Elvin Həsənov", "Gömrük brokeri", CONTACTS, broker_firm_name=BROKER["name"],
            broker_firm_voen=BROKER["identifier"], specialist_name="Elvin Həsənov",
        ),
    }
    return Declaration.model_validate(document)


def _build(
    today: date,
    direction: str,
    procedure: str,
    goods_spec: list[tuple[str, str, Decimal, Decimal, int, Decimal]],
    *,
    partner: dict[str, Any],
    abroad: str,
    delivery: tuple[str, str, str],
    border_office: str,
    vehicle: tuple[str, str],
) -> Declaration:
    """Xəzər's trade by road with ``partner`` in the country ``abroad`` (bought there on import,
    sold there on export); ``delivery`` is box 20 (terms, place, settlement), ``vehicle`` boxes
    18 and 21 (number, country). Imports pay duty and VAT."""
    issued = today.isoformat()
    imports = direction == "İD"
    consignor, consignee = (partner, XEZER) if imports else (XEZER, partner)
    dispatch, destination = (abroad, "AZ") if imports else ("AZ", abroad)
    origin = dispatch
    goods: list[dict[str, Any]] = []
    for number, (code, description, gross, net, packages, invoice) in enumerate(goods_spec, start=1):
        customs = documents.customs_value(invoice)
        goods.append(
            documents.goods_item(
                number,
                description,
                packages={"count": packages, "kind": "qutu", "marks": f"XT-{number:03d}"},
                quantity=str(net),
                quantity_unit="kq",
                commodity_code=code,
                origin_country=documents.country(origin),
                gross_mass=str(gross),
                privilege="000",
                procedure_code=f"{procedure}0000",
                net_mass=str(net),
                supplementary_unit="166",
                invoice_value=invoice,
                valuation={"adjusted": "0", "method": "01"} if direction == "İD" else None,
                documents=[
                    documents.document_line(2, "2015", f"CMR-{4410 + number}", issued),
                    documents.document_line(4, "4011", "MK-2026/77", issued),
                    documents.document_line(8, "8001", f"INV-{900 + number}", issued),
                ],
                customs_value=customs,
                statistical_value=documents.statistical_value(customs),
                payments=documents.duty_and_vat(customs) if imports else [],
            )
        )
    totals = documents.goods_totals(goods)
    goods[0]["payments"].insert(0, documents.clearance_fee_payment(Decimal(totals["total_customs_value"])))
    document = {
        "declaration_type": "01",
        "direction": direction,
        "procedure": procedure,
        "office_of_dispatch": documents.office_of_dispatch(issued),
        "consignor": consignor,
        "forms": {"sheet": 1, "total": 1 + (len(goods) + 1) // 3} if len(goods) > 1 else None,
        "total_items": totals["total_items"],
        "total_packages": totals["total_packages"],
        "consignee": consignee,
        "financial_party": XEZER,
        "first_destination_country": (
            documents.country(destination) if direction == "İX" else {"alpha": "AZE", "numeric": "031"}
        ),
        "trading_country": documents.country(abroad),
        "total_customs_value": totals["total_customs_value"],
        "aeo_indicator": "0",
        "declarant": dict(XEZER),
        "dispatch_country_name": documents.country_name(dispatch),
        "dispatch_country": documents.country(dispatch),
        "origin_country_name": documents.country_name(origin),
        "destination_country_name": documents.country_name(destination),
        "destination_country": documents.country(destination),
        "departure_transport": documents.transport(*vehicle),
        "container_indicator": "0",
        "delivery_terms": {"code": delivery[0], "place": delivery[1], "settlement_code": delivery[2]},
        "border_transport": documents.transport(*vehicle),
        **documents.dollar_invoice(totals["total_invoice_value"]),
        "transaction_nature": "210",
        "border_transport_mode": "30",
        "inland_transport_mode": "30",
        "loading_place": "Bakı",
        "financial_details": documents.financial_details(
            "Valyuta nəzarəti sənədi VN-2026-0042",
            "Kapital Bank",
            "AZ21NABZ01350100000000001944",
            "AZ21NABZ01350100000000002840",
        ),
        "border_office": border_office,
        "goods_location": "00100",
        "goods": goods,
        "accounting": documents.accounting(goods),
        "principal_statement": (
            "GB və onun qoşma vərəqlərində göstərilən məlumatları təsdiq edirəm"
            if direction == "İX"
            else "GB-də və əlavə vərəqlərdə göstərilən məlumatları təsdiq edirəm"
        ),
        "destination_office": {"office_name": "Bakı Baş Gömrük İdarəsi", "office_codes": ["00100"],
                               "country": documents.country(destination)["numeric"]},
        "place_and_signature": documents.signature_box(today, "Aygün Məmmədova", "Direktor", CONTACTS),
    }
    return Declaration.model_validate(document)

