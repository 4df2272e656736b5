"""The declaration builder: the parts every demo, test and benchmark document is made of.

Three configurations lay these parts out into whole declarations:

- ``factories``: the demo's declarations (an export GB, an import GB with many items, a transit GB);
- ``rule_examples``: a valid declaration for every profile (type × direction × procedure);
- ``print_samples``: a form with every box filled, for the printed form.

They share the worked-figure assumptions below: the example bulletin's USD rate, 15 % duty and
18 % VAT, money rounded half-up to 2 places and the clearance fee of the shipped fee schedule,
so that the documents pass the rules.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import date
from decimal import Decimal
from typing import Any

from gomruk.core.money import money
from gomruk.duties.fees import default_schedule
from gomruk.reference.data import Entry
from gomruk.reference.snapshot import packaged_reference

#: The example bulletin's USD rate (box A, box 23).
USD_RATE = Decimal("1.7000")
DUTY_PERCENT = Decimal(15)
VAT_PERCENT = Decimal(18)
#: The currency of box B's lines (manat).
MANAT = "944"


def country(alpha: str) -> dict[str, str]:
    """A country of boxes 15a, 17a, 34a: alpha and numeric codes from the shipped classifier."""
    return {"alpha": alpha, "numeric": _country(alpha).code}


def country_name(alpha: str) -> str:
    """The country's Azerbaijani name (boxes 15, 16, 17) in the shipped classifier."""
    return _country(alpha).name_az


def _country(alpha: str) -> Entry:
    (entry,) = packaged_reference().by_attribute("countries", "alpha2", alpha)
    return entry


def office_of_dispatch(day: date | str) -> dict[str, str]:
    """Box A: the Baku head office and the bulletin's USD rate of that day."""
    return {"office_code": "00100", "usd_rate": str(USD_RATE), "usd_rate_date": _iso(day)}


def party(name: str, address: str, voen: str | None = None, **extra: Any) -> dict[str, Any]:
    """A party of boxes 2, 8, 9, 14: an Azerbaijani one identified by its VÖEN, a foreign one by
    name and address only; ``extra`` carries a broker's licence and representation (box 14)."""
    identified = {"identifier_kind": "VÖEN", "identifier": voen} if voen else {}
    return {**identified, "name": name, "address": address, **extra}


def transport(identifiers: str, nationality: str, count: int = 1) -> dict[str, Any]:
    """Boxes 18 and 21: the vehicles and their country."""
    return {"count": count, "identifiers": identifiers, "nationality": nationality}


def same_transport_as_box_18(nationality: str) -> dict[str, Any]:
    """Box 21 when the vehicle crossing the border is the one of box 18."""
    return {"same_as_box_18": True, "nationality": nationality}


def document_line(line: int, code: str, number: str, issued_on: str) -> dict[str, Any]:
    """A line of box 44: the document's code, number and date."""
    return {"line": line, "code": code, "number": number, "issued_on": issued_on}


def customs_value(invoice: Decimal) -> Decimal:
    """Box 45 of an item invoiced in US dollars."""
    return money(invoice * USD_RATE)


def statistical_value(customs: Decimal) -> Decimal:
    """Box 46: the customs value back in US dollars."""
    return money(customs / USD_RATE)


def dollar_invoice(total_invoice_value: Any) -> dict[str, str]:
    """Boxes 22 and 23: the documents are invoiced in US dollars at the bulletin's rate."""
    return {
        "invoice_currency": "840", "total_invoice_value": str(total_invoice_value), "exchange_rate": str(USD_RATE),
    }


def financial_details(*texts: str) -> list[dict[str, Any]]:
    """Box 28: its lines, numbered from 1."""
    return [{"line": number, "text": text} for number, text in enumerate(texts, start=1)]


def payment(payment_type: str, base: Any, rate: str, amount: Any, method: str = "01") -> dict[str, Any]:
    """A line of box 47."""
    return {
        "payment_type": payment_type, "base": str(base), "rate": rate, "amount": str(amount), "method": method,
    }


def clearance_fee(customs_value: Decimal) -> Decimal:
    """The clearance fee of the default schedule shipped with the payments app (docs/payments.md)."""
    bracket = default_schedule().bracket_for(customs_value)
    if bracket is None:
        raise ValueError(f"no fee bracket covers {customs_value}")
    return bracket.amount


def clearance_fee_payment(total_customs_value: Decimal) -> dict[str, Any]:
    """The clearance fee is declaration-level; it is carried on item 1's box 47 (base: box 12)."""
    fee = clearance_fee(total_customs_value)
    return payment("01", total_customs_value, f"{fee} AZN", fee)


def duty_and_vat(
    customs: Decimal,
    *,
    duty_method: str = "01",
    vat_method: str = "01",
    rounding: Callable[[Decimal], Decimal] = money,
) -> list[dict[str, Any]]:
    """Box 47's import duty (type 20) on the customs value and VAT (type 32) on value plus duty."""
    duty = rounding(customs * DUTY_PERCENT / 100)
    vat_base = customs + duty
    vat = rounding(vat_base * VAT_PERCENT / 100)
    return [
        payment("20", customs, f"{DUTY_PERCENT}%", duty, duty_method),
        payment("32", vat_base, f"{VAT_PERCENT}%", vat, vat_method),
    ]


def goods_item(
    item_number: int,
    description: str,
    *,
    packages: dict[str, Any],
    container_numbers: list[str] | None = None,
    quantity: str,
    quantity_unit: str,
    commodity_code: str,
    origin_country: dict[str, str],
    gross_mass: str,
    privilege: str | None = None,
    procedure_code: str,
    net_mass: str,
    supplementary_unit: str | None = None,
    invoice_value: Any = None,
    valuation: dict[str, str] | None = None,
    documents: list[dict[str, Any]],
    customs_value: Any,
    statistical_value: Any = None,
    payments: list[dict[str, Any]] | None = None,
) -> dict[str, Any]:
    """A goods item (boxes 31–47) with its boxes in the form's order; boxes left ``None`` are
    left out."""
    fields: dict[str, Any] = {
        "item_number": item_number,
        "description": description,
        "packages": packages,
        "container_numbers": container_numbers,
        "quantity": quantity,
        "quantity_unit": quantity_unit,
        "commodity_code": commodity_code,
        "origin_country": origin_country,
        "gross_mass": gross_mass,
        "privilege": privilege,
        "procedure_code": procedure_code,
        "net_mass": net_mass,
        "supplementary_unit": supplementary_unit,
        "invoice_value": None if invoice_value is None else str(invoice_value),
        "valuation": valuation,
        "documents": documents,
        "customs_value": str(customs_value),
        "statistical_value": None if statistical_value is None else str(statistical_value),
        "payments": payments,
    }
    return {key: value for key, value in fields.items() if value is not None}


def goods_totals(goods: list[dict[str, Any]]) -> dict[str, Any]:
    """Boxes 5, 6, 12 and 22 (invoice total) as the items add them up."""
    return {
        "total_items": len(goods),
        "total_packages": sum(g["packages"]["count"] for g in goods),
        "total_customs_value": str(_sum(g["customs_value"] for g in goods)),
        "total_invoice_value": str(_sum(g["invoice_value"] for g in goods)),
    }


def accounting(goods: list[dict[str, Any]]) -> dict[str, Any]:
    """Box B: box 47's amounts summed per payment type in the order they first appear; payments
    by method 05 (guaranteed, not paid) are left out and deferred ones (03, 04) name their
    guarantee."""
    sums: dict[str, Decimal] = {}
    deferred: set[str] = set()
    for g in goods:
        for p in g.get("payments", []):
            if p["method"] == "05":
                continue
            sums[p["payment_type"]] = sums.get(p["payment_type"], Decimal(0)) + Decimal(p["amount"])
            if p["method"] in ("03", "04"):
                deferred.add(p["payment_type"])
    lines = []
    for payment_type, amount in sums.items():
        line = {"payment_type": payment_type, "amount": str(amount), "currency": MANAT}
        if payment_type in deferred:
            line["guarantee"] = "33"
        lines.append(line)
    return {"lines": lines, "total": str(_sum(sums.values()))}


def signature_box(
    day: date | str,
    signatory_name: str,
    signatory_position: str,
    contacts: str,
    *,
    place: str = "Bakı",
    **broker: str,
) -> dict[str, Any]:
    """Box 54: place, date and signatory; ``broker`` names a broker's firm and specialist."""
    return {
        "place": place,
        "date": _iso(day),
        "signatory_name": signatory_name,
        "signatory_position": signatory_position,
        "contacts": contacts,
        **broker,
    }


def _sum(values: Iterable[Any]) -> Decimal:
    return sum((Decimal(v) for v in values), Decimal(0))


def _iso(day: date | str) -> str:
    return day if isinstance(day, str) else day.isoformat()
