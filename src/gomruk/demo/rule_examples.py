"""Complete, valid example declarations for every profile (tests, benchmarks, demos); one of
the three configurations of the declaration builder (``documents``).

``example_document("01", "İD", "40", items=100)`` builds the JSON data of a declaration that
passes every rule: it fills every box the profile (§4.2) lists, leaves the others empty and
computes the totals (5, 6, 12, 22, 47, B) the way the rules check them.

``python -m gomruk.demo.rule_examples DIR`` writes the example files of ``tests/data/declarations``.
"""

from __future__ import annotations

import json
import sys
from decimal import Decimal
from pathlib import Path
from typing import Any

from gomruk.demo import documents
from gomruk.document.shape import fields_of_box
from gomruk.reference.snapshot import packaged_reference
from gomruk.rules.checks.header import PRINCIPAL_TEXTS, sheets_needed
from gomruk.rules.profiles import TYPE_DIRECTIONS, BoxStatus, profile_for

AZ_PARTY = documents.party("Kaspi Ticarət MMC", "Bakı şəhəri, Nizami küçəsi 10", "1401555071")
TYPE_DEFAULTS: dict[str, tuple[str, str]] = {
    "02": ("İD", "40"),
    "03": ("İX", "10"),
    "04": ("İD", "40"),
    "05": ("İD", "40"),
    "06": ("İD", "40"),
    "07": ("İD", "40"),
    "08": ("İD", "40"),
    "09": ("İX", "11"),
    "10": ("İD", "40"),
    "11": ("İD", "40"),
    "12": ("İX", "10"),
}
GB_DIRECTIONS = {"80": "İD", "81": "İX", "61": "İD", "74": "İX", "71": "İD"}
DUTIABLE = frozenset({"40", "20", "31", "51", "41"})


def default_direction(declaration_type: str, procedure: str | None) -> str:
    if declaration_type in TYPE_DIRECTIONS:
        return TYPE_DIRECTIONS[declaration_type]
    if declaration_type == "01":
        if procedure in GB_DIRECTIONS:
            return GB_DIRECTIONS[procedure]
        return "İX" if procedure in ("10", "11", "21", "52") else "İD"
    return TYPE_DEFAULTS.get(declaration_type, ("İD", "40"))[0]


def _documents(declaration_type: str, procedure: str, i: int) -> list[dict[str, Any]]:
    def invoice(line: int) -> dict[str, Any]:
        return documents.document_line(line, "8001", f"INV-{i + 1}", "2025-01-05")

    if declaration_type in ("02", "03", "05"):  # NB / SB 05 lines 1–4
        return [documents.document_line(2, "4011", "K-2025/7", "2025-01-03"), invoice(4)]
    if procedure in ("80", "81"):  # transit numbering
        return [
            documents.document_line(2, "2011", "CMR-4471", "2025-01-06"),
            documents.document_line(3, "4011", "D-2025/3", "2025-01-02"),
            invoice(4),
        ]
    docs: list[dict[str, Any]] = [
        documents.document_line(2, "2011", "CMR-4471", "2025-01-06"),
        documents.document_line(4, "4012" if procedure in ("74", "61") else "4011", "K-2025/7", "2025-01-03"),
        invoice(8),
    ]
    extra = {"31": "9101", "21": "9102", "51": "9202", "52": "9201"}.get(procedure)
    if extra and i == 0:
        docs.append(documents.document_line(9, extra, "Ö-12", "2025-01-04"))
    if procedure in ("31", "11") and i == 0:
        docs.append({"line": 9, "guarantee_until": "2035-12-31"})
    return docs


def example_document(
    declaration_type: str = "01",
    direction: str | None = None,
    procedure: str | None = None,
    *,
    items: int = 1,
) -> dict[str, Any]:
    """A valid declaration of this profile as JSON data."""
    procedure = procedure or TYPE_DEFAULTS.get(declaration_type, ("İD", "40"))[1]
    direction = direction or default_direction(declaration_type, procedure)
    profile = profile_for(declaration_type, direction, procedure)
    listed = profile.fillable
    imports = direction == "İD"
    # The trade partner is in Türkiyə for imports and in Gürcüstan for exports; the goods are
    # Turkish, except a re-import's (41), which brings Azerbaijani goods back.
    if imports:
        foreign, abroad = documents.party("Aksa Tekstil A.Ş.", "İstanbul, Türkiyə"), "TR"
    else:
        foreign, abroad = documents.party("Tbilisi Trade LLC", "Tbilisi, Gürcüstan"), "GE"
    origin = "AZ" if procedure == "41" else "TR"

    goods: list[dict[str, Any]] = []
    for i in range(items):
        invoice = Decimal(1000 + 10 * i).quantize(Decimal("0.01"))
        customs = documents.customs_value(invoice)
        goods.append(
            documents.goods_item(
                i + 1,
                f"Pambıq parça, istehsalçı Aksa Tekstil, model PX-{i + 1}, 100 m",
                packages={"count": 10, "kind": "qutu", "marks": f"AKS-{i + 1}"},
                quantity="100",
                quantity_unit="m",
                commodity_code=f"5208{120000 + i:06d}",
                origin_country=documents.country(origin),
                gross_mass="120.500",
                privilege="000",
                procedure_code=f"{procedure}{'10' if procedure == '41' else '00'}00",
                net_mass="100.250",
                supplementary_unit="006",
                invoice_value=invoice,
                valuation={"adjusted": "0", "method": "01"},
                documents=_documents(declaration_type, procedure, i),
                customs_value=customs,
                statistical_value=documents.statistical_value(customs),
            )
        )
    totals = documents.goods_totals(goods)
    total_customs = Decimal(totals["total_customs_value"])

    deferral = declaration_type == "01" and procedure == "40"
    if listed("47"):
        _payments(goods, declaration_type, procedure, imports, total_customs, deferral)

    dispatch, destination = ("TR", "AZ") if imports else ("AZ", "GE")
    doc: dict[str, Any] = {
        "schema_version": "1",
        "declaration_type": declaration_type,
        "direction": direction,
        "procedure": procedure,
        "office_of_dispatch": documents.office_of_dispatch("2025-01-15"),
        "consignor": foreign if imports else dict(AZ_PARTY),
        "total_items": totals["total_items"],
        "total_packages": totals["total_packages"],
        "consignee": dict(AZ_PARTY) if imports else foreign,
        "financial_party": dict(AZ_PARTY),
        "first_destination_country": {"alpha": "AZE", "numeric": "031"} if imports else documents.country("GE"),
        "trading_country": documents.country(abroad),
        "total_customs_value": totals["total_customs_value"],
        "aeo_indicator": "1" if declaration_type in ("05", "08") else "0",
        "declarant": dict(AZ_PARTY),
        "dispatch_country_name": documents.country_name(dispatch),
        "dispatch_country": documents.country(dispatch),
        "origin_country_name": documents.country_name(origin),
        "destination_country_name": documents.country_name(destination),
        "destination_country": documents.country(destination),
        "departure_transport": documents.transport("10-AA-123", "792"),
        "container_indicator": "0",
        "delivery_terms": {
            "code": "06",
            "place": "CIF Bakı" if imports else "CIF Tbilisi",
            "settlement_code": "100" if imports else "001",
        },
        "border_transport": (
            documents.same_transport_as_box_18("792") if imports else documents.transport("10-AA-123", "792")
        ),
        **documents.dollar_invoice(totals["total_invoice_value"]),
        "transaction_nature": "010",
        "border_transport_mode": "30",
        "inland_transport_mode": "30",
        "loading_place": "Bakı şəhəri, Qaradağ rayonu" if imports else "Bakı şəhəri, Binəqədi rayonu",
        "financial_details": _financial_details(procedure),
        "border_office": "00100" if imports else "00201",
        "goods": goods,
        "principal_statement": PRINCIPAL_TEXTS["09" if declaration_type == "09" else direction],
        "destination_office": {"office_codes": ["00100"], "office_name": "Bakı Baş Gömrük İdarəsi", "country": "031"}
        if imports
        else {"office_codes": ["00201"], "office_name": "Candargöl postu", "country": "268"},
        "place_and_signature": documents.signature_box(
            "2025-01-15", "Əli Məmmədov", "Direktor", "+994 12 555 00 00"
        ),
    }
    if items > 1 and listed("3"):
        doc["forms"] = {"sheet": 1, "total": sheets_needed(items)}
    if procedure in ("74", "61"):
        doc["warehouse"] = {"licence_number": "L-2024/17", "licence_date": "2024-03-01"}
    previous = _previous(declaration_type, procedure)
    if previous:
        doc["previous_declarations"] = [previous]
    box_b = documents.accounting(goods)
    if listed("B") and box_b["lines"]:
        doc["accounting"] = box_b
    if deferral:
        doc["deferred_until"] = "2035-06-30"
        doc["guarantee"] = {"letter": "BQ", "code": "33"}
    _drop_unlisted(doc, profile)
    return doc


def _payments(
    goods: list[dict[str, Any]],
    declaration_type: str,
    procedure: str,
    imports: bool,
    total_customs: Decimal,
    deferral: bool,
) -> None:
    goods[0]["payments"] = [documents.clearance_fee_payment(total_customs)]
    if not (imports and procedure in DUTIABLE and declaration_type in ("01", "06", "10")):
        return
    method = "05" if procedure == "31" else "01"
    for g in goods:
        g.setdefault("payments", []).extend(
            documents.duty_and_vat(
                Decimal(g["customs_value"]), duty_method=method, vat_method="03" if deferral else method
            )
        )


def _financial_details(procedure: str) -> list[dict[str, Any]]:
    if procedure in ("80", "81"):  # transit: two lines, account and bank each (§4.3.8)
        return documents.financial_details(
            "AZ21NABZ00000000137010001944 Kapital Bank",
            "AZ21NABZ00000000137010001840 Kapital Bank",
        )
    return documents.financial_details(
        "BIN 501004",
        "Kapital Bank",
        "AZ21NABZ00000000137010001944",
        "AZ21NABZ00000000137010001840",
    )


# Earlier declarations the examples name in box 40 (number, type, direction, procedure, date):
# tests register them so that the examples are signable with every fact (V-40-1, V-40-3).
EARLIER_DECLARATIONS: dict[str, tuple[str, str, str, str]] = {
    "00100/100624/0000042": ("01", "İX", "10", "2024-06-10"),  # the export a re-import brings back
    "00100/050924/0000031": ("01", "İD", "31", "2024-09-05"),  # the temporary import a re-export ends
    "00100/120125/0000007": ("11", "İD", "40", "2025-01-12"),  # the short declaration NB/SB follow
}


def _previous(declaration_type: str, procedure: str) -> dict[str, Any] | None:
    if procedure == "41" and declaration_type == "01":
        return {"number": "00100/100624/0000042", "date": "2024-06-10", "exit_date": "2024-06-12", "kind": "GB"}
    if procedure == "11":
        return {"number": "00100/050924/0000031", "date": "2024-09-05", "kind": "GB"}
    kind = {"02": "QB", "03": "QB", "04": "QB", "05": "QB", "07": "SB", "08": "SB"}.get(declaration_type)
    if kind:
        return {"number": "00100/120125/0000007", "date": "2025-01-12", "kind": kind}
    return None


def _drop_unlisted(doc: dict[str, Any], profile: Any) -> None:
    for box, status in profile.statuses.items():
        if status is BoxStatus.MUST or status is BoxStatus.MAY:
            continue
        for pointer in fields_of_box(box):
            parts = pointer.strip("/").split("/")
            if parts[0] == "goods":
                for g in doc["goods"]:
                    g.pop(parts[2], None)
            else:
                doc.pop(parts[0], None)
    # Optional boxes an example leaves out: box 13 in special procedures.
    if profile.status("13") is BoxStatus.MAY:
        doc.pop("aeo_indicator", None)


# --- Example files ---------------------------------------------------------------------------


def valid_examples() -> dict[str, dict[str, Any]]:
    """File name -> document: every declaration type of Appendix 15, every procedure of
    Appendix 2 under GB 01, one with 100 goods items."""
    ref = packaged_reference()
    result: dict[str, dict[str, Any]] = {}
    for entry in ref.entries("procedures"):
        doc = example_document("01", None, entry.code, items=3 if entry.code == "40" else 1)
        result[f"01-{_slug(doc['direction'])}-{entry.code}.json"] = doc
    for entry in ref.entries("declaration-types"):
        if entry.code == "01":
            continue
        doc = example_document(entry.code, items=2)
        result[f"{entry.code}-{_slug(doc['direction'])}-{doc['procedure']}.json"] = doc
    result["01-id-40-100-items.json"] = example_document("01", "İD", "40", items=100)
    return result


def _slug(direction: str) -> str:
    return {"İX": "ix", "İD": "id"}[direction]


def write_examples(folder: Path) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for name, doc in valid_examples().items():
        path = folder / name
        path.write_text(json.dumps(doc, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
        written.append(path)
    return written


if __name__ == "__main__":  # pragma: no cover - developer tool
    for written_path in write_examples(Path(sys.argv[1])):
        print(written_path)
