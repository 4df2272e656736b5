"""Goods from CSV or XLSX: documented columns, errors by row and column, all or nothing."""

from __future__ import annotations

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
    assert "<td>3</td><td>gross_mass</td><td>ağır</td>" in page
    assert "<td>4</td><td>package_count</td><td>bir</td>" in page
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
