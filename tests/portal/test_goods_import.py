"""Goods from CSV or XLSX: documented columns, errors by row and column, all or nothing."""

from __future__ import annotations

import csv
import io

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from gomruk.declarations.goods_import import COLUMNS, template_csv, template_xlsx

HEADER = "description,commodity_code,origin_alpha,gross_mass,net_mass,invoice_value,package_count"


def _upload(client, declaration, name, content, **extra):
    return client.post(
        reverse("portal:goods_import", args=[declaration.pk]), {"file": SimpleUploadedFile(name, content), **extra}
    )


def test_csv_rows_become_goods_items(declarant_client, export_declaration):
    csv = f"{HEADER}\nNar şirəsi,2009890000,AZ,\"12,5\",10,300.00,4\nÜzüm,0806101000,AZ,20,18,50,2\n"
    response = _upload(declarant_client, export_declaration, "mallar.csv", csv.encode())
    assert response.status_code == 302
    export_declaration.refresh_from_db()
    goods = export_declaration.document["goods"]
    assert len(goods) == 5
    assert goods[3]["item_number"] == 4 and goods[3]["gross_mass"] == "12.500"
    assert goods[3]["packages"] == {"count": 4}
    assert goods[4]["origin_country"] == {"alpha": "AZ"}


def test_xlsx_can_replace_the_goods(declarant_client, export_declaration):
    book = Workbook()
    sheet = book.active
    sheet.append(["description", "commodity_code", "gross_mass", "customs_value"])
    sheet.append(["Polad boru", 7304190000, 1250.5, 3000])
    out = io.BytesIO()
    book.save(out)
    response = _upload(declarant_client, export_declaration, "goods.xlsx", out.getvalue(), replace="1")
    assert response.status_code == 302
    export_declaration.refresh_from_db()
    goods = export_declaration.document["goods"]
    assert len(goods) == 1
    filled = {k: v for k, v in goods[0].items() if v != []}
    assert filled == {"item_number": 1, "description": "Polad boru", "commodity_code": "7304190000",
                      "gross_mass": "1250.500", "customs_value": "3000.00"}


def test_errors_name_row_and_column_and_nothing_is_imported(declarant_client, export_declaration):
    csv = f"{HEADER}\nA,1111111111,AZ,1,1,1,1\nB,2222222222,AZ,ağır,1,1,1\nC,3333333333,AZ,1,1,1,bir\n"
    response = _upload(declarant_client, export_declaration, "x.csv", csv.encode())
    assert response.status_code == 422
    page = response.content.decode()
    assert "<td>3</td><td>gross_mass</td><td>35</td><td>ağır</td>" in page
    assert "<td>4</td><td>package_count</td><td>31</td><td>bir</td>" in page
    export_declaration.refresh_from_db()
    assert len(export_declaration.document["goods"]) == 3


def test_unknown_columns_are_refused(declarant_client, export_declaration):
    response = _upload(declarant_client, export_declaration, "x.csv", b"description,weight\nA,1\n")
    assert response.status_code == 422
    assert "weight" in response.content.decode()


def test_more_than_100_items_are_refused(declarant_client, export_declaration):
    rows = "\n".join(f"Mal {n}" for n in range(98))
    response = _upload(declarant_client, export_declaration, "x.csv", f"description\n{rows}\n".encode())
    assert response.status_code == 422
    export_declaration.refresh_from_db()
    assert len(export_declaration.document["goods"]) == 3


def test_templates_list_every_documented_column(declarant_client):
    csv = declarant_client.get(reverse("portal:goods_template", args=["csv"]))
    assert csv.content.decode("utf-8-sig").splitlines()[0] == ",".join(c.name for c in COLUMNS)
    xlsx = declarant_client.get(reverse("portal:goods_template", args=["xlsx"]))
    sheet = load_workbook(io.BytesIO(xlsx.content)).active
    assert [c.value for c in sheet[1]] == [c.name for c in COLUMNS]
    assert template_csv().startswith(b"\xef\xbb\xbf") and template_xlsx()[:2] == b"PK"


def test_the_template_imports_as_it_is(declarant_client, export_declaration):
    response = _upload(declarant_client, export_declaration, "t.xlsx", template_xlsx(), replace="1")
    assert response.status_code == 302
    export_declaration.refresh_from_db()
    assert export_declaration.document["goods"][0]["commodity_code"] == "8483308000"


EVERY_COLUMN = {
    "description": "Polad boru",
    "package_count": "4",
    "package_kind": "qutu",
    "package_marks": "BY-101",
    "container_numbers": "MSCU1234567, MSCU7654321",
    "quantity": "100",
    "quantity_unit": "ədəd",
    "commodity_code": "7304190000",
    "origin_alpha": "TR",
    "origin_numeric": "792",
    "gross_mass": "49,5",
    "privilege": "000",
    "procedure_code": "100000",
    "net_mass": "45",
    "quota_remaining": "10",
    "supplementary_unit": "796",
    "invoice_value": "1250",
    "valuation_adjusted": "0",
    "valuation_method": "01",
    "documents": "8001:INV-1:12.03.2026; 2015:CMR-778812:10.03.2026; 3 2022/TIR-5/11.03.2026",
    "customs_value": "2125",
    "statistical_value": "1250",
    "payments": "20:01; 32:03",
}

EVERY_COLUMN_STORED = {
    "item_number": 4,
    "description": "Polad boru",
    "packages": {"count": 4, "kind": "qutu", "marks": "BY-101"},
    "container_numbers": ["MSCU1234567", "MSCU7654321"],
    "quantity": "100",
    "quantity_unit": "ədəd",
    "commodity_code": "7304190000",
    "origin_country": {"alpha": "TR", "numeric": "792"},
    "gross_mass": "49.500",
    "privilege": "000",
    "procedure_code": "100000",
    "net_mass": "45.000",
    "quota_remaining": "10",
    "supplementary_unit": "796",
    "invoice_value": "1250.00",
    "valuation": {"adjusted": "0", "method": "01"},
    "documents": [
        {"line": 8, "code": "8001", "number": "INV-1", "issued_on": "2026-03-12"},
        {"line": 2, "code": "2015", "number": "CMR-778812", "issued_on": "2026-03-10"},
        {"line": 3, "code": "2022", "number": "TIR-5", "issued_on": "2026-03-11"},
    ],
    "customs_value": "2125.00",
    "statistical_value": "1250.00",
    "payments": [{"payment_type": "20", "method": "01"}, {"payment_type": "32", "method": "03"}],
    "previous_documents": [],
}


def test_every_documented_column_is_a_column_of_the_file():
    assert set(EVERY_COLUMN) == {c.name for c in COLUMNS}


def test_every_column_imports_from_csv(declarant_client, export_declaration):
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(EVERY_COLUMN)
    writer.writerow(EVERY_COLUMN.values())
    response = _upload(declarant_client, export_declaration, "mallar.csv", out.getvalue().encode())
    assert response.status_code == 302, response.content.decode()[:2000]
    export_declaration.refresh_from_db()
    assert export_declaration.document["goods"][3] == EVERY_COLUMN_STORED


def test_every_column_imports_from_xlsx(declarant_client, export_declaration):
    book = Workbook()
    sheet = book.active
    sheet.append(list(EVERY_COLUMN))
    # Numbers as a spreadsheet keeps them (a number cell, a date cell would be text here).
    sheet.append([float(v.replace(",", ".")) if k in ("gross_mass", "invoice_value") else v for k, v in EVERY_COLUMN.items()])
    out = io.BytesIO()
    book.save(out)
    response = _upload(declarant_client, export_declaration, "goods.xlsx", out.getvalue())
    assert response.status_code == 302, response.content.decode()[:2000]
    export_declaration.refresh_from_db()
    assert export_declaration.document["goods"][3] == EVERY_COLUMN_STORED


def test_box_lines_that_cannot_be_read_are_reported_by_row_column_and_box(declarant_client, export_declaration):
    before = export_declaration.document
    csv_text = (
        "description,documents,payments\n"
        "A,8001:INV-1:12.03.2026,20:01\n"
        "B,INV-1,20:01\n"  # no code: the line cannot be told
        "C,8001:INV-1:31.02.2026,20\n"  # no such date
        "D,8001:INV-1,20:01:9\n"  # a payment line with a third part
    )
    response = _upload(declarant_client, export_declaration, "x.csv", csv_text.encode())
    assert response.status_code == 422
    page = response.content.decode()
    assert "<td>3</td><td>documents</td><td>44</td><td>INV-1</td>" in page
    assert "<td>4</td><td>documents</td><td>44</td><td>8001:INV-1:31.02.2026</td>" in page
    assert "<td>5</td><td>payments</td><td>47</td><td>20:01:9</td>" in page
    assert "Qrafa 44, «Sənədlər" in page and "Qrafa 47, «Ödənişlər" in page
    export_declaration.refresh_from_db()
    assert export_declaration.document == before


def test_a_value_under_an_unnamed_column_is_reported_not_dropped(declarant_client, export_declaration):
    response = _upload(declarant_client, export_declaration, "x.csv", "description,,gross_mass\nA,unutulmuş,1\n".encode())
    assert response.status_code == 422
    assert "unutulmuş" in response.content.decode()
    export_declaration.refresh_from_db()
    assert len(export_declaration.document["goods"]) == 3


def test_the_import_page_documents_every_column_and_offers_the_templates(declarant_client, export_declaration):
    page = declarant_client.get(reverse("portal:goods_import", args=[export_declaration.pk])).content.decode()
    for column in COLUMNS:
        assert f"<code>{column.name}</code>" in page
    assert "endirin" in page
    assert reverse("portal:goods_template", args=["xlsx"]) in page
