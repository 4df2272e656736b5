"""Issue #13 item 3: a goods file small on disk and enormous inside is refused (422) at once,
with bounded memory, whatever it holds — zip bombs, sparse sheets, endless CSV rows.

Before: a 266 kB XLSX of 1,000,000 rows held a worker for 94 s and 1.7 GB.
"""

from __future__ import annotations

import io
import time
import tracemalloc
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook

from gomruk.core.errors import GomrukError
from gomruk.declarations.goods_import import MAX_ITEMS, parse_goods, read_rows

MEMORY_BOUND = 64 * 1024 * 1024  # generous: the refusal itself needs a few MB at most

CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
    '<Override PartName="/xl/worksheets/sheet1.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
    "</Types>"
)
ROOT_RELS = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" '
    'Target="xl/workbook.xml"/></Relationships>'
)
WORKBOOK = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
    'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
    '<sheets><sheet name="Mallar" sheetId="1" r:id="rId1"/></sheets></workbook>'
)
WORKBOOK_RELS = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" '
    'Target="worksheets/sheet1.xml"/></Relationships>'
)


def _xlsx(rows_xml) -> bytes:
    """A minimal workbook whose one sheet holds ``rows_xml`` (an iterable of XML strings),
    deflated while it is written."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        archive.writestr("[Content_Types].xml", CONTENT_TYPES)
        archive.writestr("_rels/.rels", ROOT_RELS)
        archive.writestr("xl/workbook.xml", WORKBOOK)
        archive.writestr("xl/_rels/workbook.xml.rels", WORKBOOK_RELS)
        with archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as sheet:
            sheet.write(
                b'<?xml version="1.0" encoding="UTF-8"?>'
                b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
            )
            chunk: list[str] = []
            for row in rows_xml:
                chunk.append(row)
                if len(chunk) == 10_000:
                    sheet.write("".join(chunk).encode())
                    chunk = []
            sheet.write("".join(chunk).encode())
            sheet.write(b"</sheetData></worksheet>")
    return out.getvalue()


def _million_rows():
    yield '<row r="1"><c r="A1" t="inlineStr"><is><t>description</t></is></c></row>'
    for number in range(2, 1_000_002):
        yield f'<row r="{number}"><c r="A{number}" t="inlineStr"><is><t>x</t></is></c></row>'


@pytest.fixture(scope="module")
def zip_bomb() -> bytes:
    return _xlsx(_million_rows())


def _refused(content: bytes) -> tuple[GomrukError, float, int]:
    """The refusal, the seconds it took and the peak of memory allocated on the way."""
    tracemalloc.start()
    started = time.perf_counter()
    try:
        with pytest.raises(GomrukError) as caught:
            parse_goods(read_rows(content, "goods"))
        elapsed = time.perf_counter() - started
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert caught.value.status == 422 and caught.value.code == "goods_import_failed"
    return caught.value, elapsed, peak


def test_a_million_row_zip_bomb_is_refused_at_once(zip_bomb):
    assert len(zip_bomb) < 5 * 1024 * 1024  # small on disk: passes the upload limit
    error, elapsed, peak = _refused(zip_bomb)
    assert "MB" in error.message_en  # its unpacked size, from the zip's directory
    assert elapsed < 1.0
    assert peak < MEMORY_BOUND


def test_the_zip_bomb_is_a_422_page_in_the_portal(zip_bomb, declarant_client, export_declaration):
    response = declarant_client.post(
        reverse("portal:goods_import", args=[export_declaration.pk]),
        {"file": SimpleUploadedFile("mallar.xlsx", zip_bomb)},
    )
    assert response.status_code == 422
    assert "XLSX" in response.content.decode()
    export_declaration.refresh_from_db()
    assert len(export_declaration.document["goods"]) == 3


def test_a_sheet_that_claims_a_million_rows_stops_reading_early():
    """Tiny inside too: one header, then a row numbered 1,048,576 (openpyxl fills the gap)."""
    sparse = _xlsx(
        ['<row r="1"><c r="A1" t="inlineStr"><is><t>description</t></is></c></row>',
         '<row r="1048576"><c r="A1048576" t="inlineStr"><is><t>x</t></is></c></row>']
    )
    error, elapsed, peak = _refused(sparse)
    assert "1000" in error.message_en
    assert elapsed < 1.0 and peak < MEMORY_BOUND


def test_item_101_stops_the_reading():
    rows = ['<row r="1"><c r="A1" t="inlineStr"><is><t>description</t></is></c></row>']
    rows += [f'<row r="{n}"><c r="A{n}" t="inlineStr"><is><t>mal {n}</t></is></c></row>' for n in range(2, 600)]
    error, _, _ = _refused(_xlsx(rows))
    assert f"at most {MAX_ITEMS}" in error.message_en and "row 102" in error.message_en


def test_a_sheet_claiming_sixteen_thousand_columns_reads_only_the_first_ones():
    book = Workbook()
    sheet = book.active
    sheet.append(["description", "commodity_code"])
    sheet.append(["Polad boru", "7304190000"])
    sheet.cell(row=2, column=16384, value="far away")
    out = io.BytesIO()
    book.save(out)
    items = parse_goods(read_rows(out.getvalue(), "wide.xlsx"))
    assert [i.description for i in items] == ["Polad boru"]


def test_a_huge_csv_row_is_refused_at_once():
    content = ("description,commodity_code\n" + "x" * (5 * 1024 * 1024 - 100) + "\n").encode()
    error, elapsed, peak = _refused(content)
    assert error.details["errors"][0]["row"] == 2
    assert elapsed < 1.0 and peak < MEMORY_BOUND


def test_a_csv_of_endless_blank_or_comma_rows_is_refused_at_once():
    for filler in ("\n", ",,,,,,,,,,\n", "\r"):
        content = ("description\n" + filler * ((5 * 1024 * 1024 - 100) // len(filler))).encode()
        error, elapsed, peak = _refused(content)
        assert elapsed < 1.0 and peak < MEMORY_BOUND, filler


def test_a_quoted_field_over_many_lines_is_a_422_naming_the_line():
    """Each line is short, the field they make is not (csv's field limit)."""
    content = ('description,commodity_code\n"' + ("y" * 30_000 + "\n") * 6 + '",1\n').encode()
    error, _, _ = _refused(content)
    assert error.details["errors"][0]["row"] >= 2
