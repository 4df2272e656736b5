"""Goods items from a CSV or XLSX file: every row checked, all taken or none.

The first row names the columns (:data:`COLUMNS`, any order; unknown names are refused so a
typo does not silently drop data). Each later non-empty row is one goods item. Errors name
the row (as numbered in the file, header = 1) and the column. ``docs/portal.md`` lists the
columns; :func:`template_csv` and :func:`template_xlsx` give a file to start from.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db import transaction
from pydantic import ValidationError

from gomruk.accounts.models import User
from gomruk.core.errors import Bilingual, GomrukError
from gomruk.declarations.box_lines import read_lines
from gomruk.declarations.errors import ERRORS
from gomruk.declarations.models import Declaration
from gomruk.declarations.portal_input import coerce, set_value, type_of
from gomruk.declarations.selectors import declaration_get
from gomruk.declarations.services import declaration_update
from gomruk.document.model import Declaration as Document
from gomruk.document.model import GoodsItem

MAX_ITEMS = 100  # the Methodology's limit of goods items per declaration
MAX_BYTES = 5 * 1024 * 1024
# Work is bounded by what the file holds, not by what it claims, before and while reading:
MAX_ROWS_SCANNED = 1000  # rows looked at, blank ones included (a header, 100 items, some spare)
MAX_COLUMNS = 64  # cells read per row (there are 23 columns)
MAX_LINE_CHARS = 32 * 1024  # one CSV line (box 31's description is at most 4,000 characters)
# XLSX: a zip archive, judged by its central directory before anything is decompressed.
MAX_UNCOMPRESSED = 10 * 1024 * 1024  # all members together
MAX_MEMBERS = 200
MAX_RATIO = 100  # uncompressed / compressed, for members over RATIO_FLOOR
RATIO_FLOOR = 1024 * 1024

@dataclass(frozen=True)
class Column:
    name: str
    path: str  # inside a goods item
    box: str
    az: str
    en: str
    example: str
    #: A box's repeated lines in one cell (box 44, 47): read by :mod:`gomruk.declarations.box_lines`.
    lines: bool = False


COLUMNS: tuple[Column, ...] = (
    Column("description", "/description", "31", "Malın təsviri", "Description of the goods", "Sürüşmə yastıqları, polad, 100 ədəd"),
    Column("package_count", "/packages/count", "31", "Yük yerlərinin sayı", "Number of packages", "4"),
    Column("package_kind", "/packages/kind", "31", "Qablaşdırmanın növü", "Kind of packages", "qutu"),
    Column("package_marks", "/packages/marks", "31", "Markalanma", "Marks", "BY-101"),
    Column("container_numbers", "/container_numbers", "31", "Konteynerlərin nömrələri (vergüllə)", "Container numbers (comma-separated)", ""),
    Column("quantity", "/quantity", "31", "Əlavə ölçü vahidində miqdar", "Quantity in the supplementary unit", "100"),
    Column("quantity_unit", "/quantity_unit", "31", "Miqdarın ölçü vahidi", "Unit of that quantity", "əd"),
    Column("commodity_code", "/commodity_code", "33", "XİF MN kodu (10 rəqəm)", "Commodity code (10 digits)", "8483308000"),
    Column("origin_alpha", "/origin_country/alpha", "34", "Mənşə ölkəsinin hərf kodu", "Country of origin, letter code", "TR"),
    Column("origin_numeric", "/origin_country/numeric", "34", "Mənşə ölkəsinin rəqəm kodu", "Country of origin, numeric code", "792"),
    Column("gross_mass", "/gross_mass", "35", "Brutto çəki, kq", "Gross mass, kg", "49.500"),
    Column("privilege", "/privilege", "36", "İmtiyaz (əlavə 14)", "Privilege (appendix 14)", "000"),
    Column("procedure_code", "/procedure_code", "37", "Əməliyyat (PPppFF)", "Procedure (PPppFF)", "400000"),
    Column("net_mass", "/net_mass", "38", "Netto çəki, kq", "Net mass, kg", "45.000"),
    Column("quota_remaining", "/quota_remaining", "39", "Kvota qalığı", "Remaining quota", ""),
    Column("supplementary_unit", "/supplementary_unit", "41", "Əlavə ölçü vahidi (əlavə 16)", "Supplementary unit (appendix 16)", "796"),
    Column("invoice_value", "/invoice_value", "42", "Malın invoys dəyəri", "Item invoice value", "1250.00"),
    Column("valuation_adjusted", "/valuation/adjusted", "43", "Düzəliş əlaməti (0/1)", "Adjustment flag (0/1)", ""),
    Column("valuation_method", "/valuation/method", "43", "Gömrük dəyəri üsulu", "Valuation method", ""),
    Column(
        "documents", "/documents", "44",
        "Sənədlər: «kod:nömrə:tarix», «;» ilə ayrılır (sətir kodun birinci rəqəmidir)",
        "Documents: 'code:number:date', separated by ';' (the line is the code's first digit)",
        "8001:INV-1:12.03.2026; 2015:CMR-778812:10.03.2026", lines=True,
    ),
    Column("customs_value", "/customs_value", "45", "Gömrük dəyəri, AZN", "Customs value, AZN", "2125.00"),
    Column("statistical_value", "/statistical_value", "46", "Statistik dəyər, USD", "Statistical value, USD", "1250.00"),
    Column(
        "payments", "/payments", "47",
        "Ödənişlər: «növ:ÖÜ» (ödəniş üsulu, əlavə 10), «;» ilə ayrılır",
        "Payments: 'type:method' (payment method, appendix 10), separated by ';'",
        "20:01; 32:01", lines=True,
    ),
)
BY_NAME = {c.name: c for c in COLUMNS}


@dataclass(frozen=True)
class RowError:
    row: int
    column: str | None
    message_az: str
    message_en: str
    value: str | None = None

    def as_dict(self) -> dict[str, Any]:
        return {
            "row": self.row,
            "column": self.column,
            "box": BY_NAME[self.column].box if self.column in BY_NAME else None,
            "value": self.value,
            "message": {"az": self.message_az, "en": self.message_en},
        }


def _fail(errors: list[RowError], message_az: str, message_en: str) -> GomrukError:
    return ERRORS.error(
        "goods_import_failed", status=422, details={"errors": [e.as_dict() for e in errors]},
        reason=Bilingual(message_az, message_en),
    )


# --- Reading the file ---------------------------------------------------------------------------


def _cell_text(value: Any) -> str:
    """A spreadsheet cell as the text a person typed (12.5 stays 12.5, 3.0 becomes 3)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, float):
        if value.is_integer():
            return str(int(value))
        return format(Decimal(repr(value)), "f")
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value).strip()


def _too_big(message_az: str, message_en: str) -> GomrukError:
    return _fail([], message_az, message_en)


def check_archive(content: bytes) -> None:
    """Refuse an XLSX whose zip directory promises more work than a goods list needs: too many
    members, too many bytes once decompressed, or a compression ratio only a bomb has. Python's
    zipfile never inflates a member past the size the directory states, so these numbers bound
    what openpyxl can be made to read."""
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, ValueError, OSError) as exc:
        raise _fail([], "XLSX faylı oxunmadı.", "The XLSX file cannot be read.") from exc
    if len(members) > MAX_MEMBERS:
        raise _too_big(
            f"XLSX faylında {len(members)} hissə var (ən çoxu {MAX_MEMBERS}).",
            f"The XLSX file has {len(members)} parts (at most {MAX_MEMBERS}).",
        )
    total = sum(member.file_size for member in members)
    if total > MAX_UNCOMPRESSED:
        raise _too_big(
            f"XLSX faylı açıldıqda {total // (1024 * 1024)} MB olur (ən çoxu {MAX_UNCOMPRESSED // (1024 * 1024)} MB).",
            f"The XLSX file unpacks to {total // (1024 * 1024)} MB (at most {MAX_UNCOMPRESSED // (1024 * 1024)} MB).",
        )
    for member in members:
        if member.file_size > RATIO_FLOOR and member.file_size > MAX_RATIO * max(member.compress_size, 1):
            raise _too_big(
                f"XLSX faylının «{member.filename}» hissəsi şübhəli dərəcədə sıxılıb.",
                f"Part '{member.filename}' of the XLSX file is compressed suspiciously far.",
            )


def _rows_xlsx(content: bytes) -> Iterator[list[str]]:
    from openpyxl import load_workbook

    check_archive(content)
    try:
        # read_only streams the sheet; defusedxml (installed) refuses DTDs and entities.
        book = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError, SyntaxError) as exc:
        raise _fail([], "XLSX faylı oxunmadı.", "The XLSX file cannot be read.") from exc
    try:
        if not book.worksheets:
            raise _fail([], "XLSX faylında vərəq yoxdur.", "The XLSX file has no sheet.")
        sheet = book.worksheets[0]
        rows = sheet.iter_rows(max_row=MAX_ROWS_SCANNED + 1, max_col=MAX_COLUMNS, values_only=True)
        try:
            for row in rows:
                yield [_cell_text(v) for v in row]
        except (zipfile.BadZipFile, KeyError, ValueError, OSError, SyntaxError) as exc:
            raise _fail([], "XLSX faylı oxunmadı.", "The XLSX file cannot be read.") from exc
    finally:
        book.close()


def _lines(text: str) -> Iterator[str]:
    for number, line in enumerate(io.StringIO(text, newline=""), start=1):
        if len(line) > MAX_LINE_CHARS:
            raise _fail(
                [RowError(number, None, f"Sətir {MAX_LINE_CHARS} simvoldan uzundur.",
                          f"The line is longer than {MAX_LINE_CHARS} characters.")],
                "Faylda həddən uzun sətir var.", "The file has a line that is too long.",
            )
        yield line


def _rows_csv(content: bytes) -> Iterator[list[str]]:
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise _fail([], "CSV faylı UTF-8 kodlaşmasında olmalıdır.", "The CSV file must be UTF-8 encoded.") from exc
    first = text[:MAX_LINE_CHARS].split("\n", 1)[0]
    delimiter = ";" if first.count(";") > first.count(",") else ","
    reader = csv.reader(_lines(text), delimiter=delimiter)
    try:
        for row in reader:
            yield [cell.strip() for cell in row[: MAX_COLUMNS + 1]]
    except csv.Error as exc:
        raise _fail(
            [RowError(reader.line_num, None, "CSV sətri oxunmadı.", f"The CSV line cannot be read: {exc}.")],
            "CSV faylı oxunmadı.", "The CSV file cannot be read.",
        ) from exc


def read_rows(content: bytes, filename: str = "") -> Iterator[list[str]]:
    """The file's rows, streamed: at most ``MAX_ROWS_SCANNED + 1`` are ever produced."""
    if len(content) > MAX_BYTES:
        raise _fail([], "Fayl 5 MB-dan böyükdür.", "The file is larger than 5 MB.")
    is_xlsx = content[:4] == b"PK\x03\x04"
    return _rows_xlsx(content) if is_xlsx else _rows_csv(content)


# --- Checking the rows --------------------------------------------------------------------------


def _header(row: list[str]) -> tuple[list[Column | None], list[RowError]]:
    columns: list[Column | None] = []
    errors: list[RowError] = []
    seen: set[str] = set()
    for position, raw in enumerate(row, start=1):
        name = raw.strip().lower().replace(" ", "_")
        if not name:
            columns.append(None)
            continue
        column = BY_NAME.get(name)
        if column is None or name in seen:
            errors.append(
                RowError(
                    1,
                    raw,
                    f"{position}-ci sütunun adı tanınmır və ya təkrarlanır: «{raw}».",
                    f"Column {position} has an unknown or repeated name: '{raw}'.",
                    raw,
                )
            )
            columns.append(None)
            continue
        seen.add(name)
        columns.append(column)
    if not seen and not errors:
        errors.append(RowError(1, None, "Birinci sətirdə sütunların adları yoxdur.", "The first row has no column names."))
    return columns, errors


def _named(column: Column | None, path: str, az: bool) -> str:
    """How an error names where it is: the column's meaning and its box."""
    if column is None:
        return path
    return f"Qrafa {column.box}, «{column.az}»" if az else f"Box {column.box}, '{column.en}'"


def _item(row_number: int, cells: list[str], columns: list[Column | None], start: int) -> tuple[GoodsItem | None, list[RowError]]:
    data: dict[str, Any] = {"item_number": start}
    given: dict[str, tuple[Column, str]] = {}
    errors: list[RowError] = []
    for position, (column, raw) in enumerate(zip(columns, cells, strict=False), start=1):
        if not raw:
            continue
        if column is None:  # a value under a header cell left empty would be lost
            errors.append(RowError(row_number, None, f"Sütun {position}: adı yoxdur, dəyəri oxunmadı: {raw}",
                                   f"Column {position} has no name; its value is not read: {raw}", raw))
            continue
        if column.lines:
            lines, problems = read_lines(column.name, raw)
            errors.extend(RowError(row_number, column.name, f"{_named(column, '', True)}: {az}",
                                   f"{_named(column, '', False)}: {en}", raw) for az, en in problems)
            set_value(data, column.path, lines)
        else:
            kind = type_of(f"/goods/0{column.path}")
            set_value(data, column.path, coerce(kind, raw) if kind else raw)
        given[column.path] = (column, raw)
    if errors:
        return None, errors
    try:
        return GoodsItem.model_validate(data), []
    except ValidationError as exc:
        errors = []
        for error in exc.errors(include_url=False):
            path = "/" + "/".join(str(p) for p in error["loc"])
            column, raw = next(
                ((c, r) for p, (c, r) in given.items() if p == path or path.startswith(p + "/") or p.startswith(path + "/")),
                (None, ""),
            )
            errors.append(
                RowError(
                    row_number,
                    column.name if column else path,
                    f"{_named(column, path, True)} — dəyər oxunmadı: {raw}",
                    f"{_named(column, path, False)} cannot be read: {error['msg']}",
                    raw or None,
                )
            )
        return None, errors


def parse_goods(rows: Iterable[list[str]], *, start: int = 1, limit: int = MAX_ITEMS) -> list[GoodsItem]:
    """Goods items numbered from ``start``; any error refuses the whole file. Reading stops at
    the first item past ``limit`` and after ``MAX_ROWS_SCANNED`` rows, whatever follows."""
    rows = iter(rows)
    header = next(rows, None)
    if header is None:
        raise _fail([], "Fayl boşdur.", "The file is empty.")
    columns, errors = _header(header)
    items: list[GoodsItem] = []
    found = 0
    for row_number, cells in enumerate(rows, start=2):
        if row_number > MAX_ROWS_SCANNED:
            raise _fail(
                [],
                f"Faylda {MAX_ROWS_SCANNED}-dən çox sətir var (boş sətirlər də sayılır).",
                f"The file has more than {MAX_ROWS_SCANNED} rows (blank rows count too).",
            )
        if not any(cell.strip() for cell in cells):
            continue
        found += 1
        if found > limit:
            raise _fail(
                [],
                f"Bəyannamədə ən çoxu {MAX_ITEMS} mal ola bilər: {start - 1} var, faylda isə {limit}-dən çoxdur "
                f"({row_number}-ci sətir).",
                f"A declaration holds at most {MAX_ITEMS} goods items: it has {start - 1}, and the file more than "
                f"{limit} (row {row_number}).",
            )
        if len(cells) > len(columns) and any(c.strip() for c in cells[len(columns) :]):
            errors.append(
                RowError(row_number, None, "Sətirdə başlıqdan artıq sütun var.", "The row has more cells than the header.")
            )
            continue
        item, row_errors = _item(row_number, cells, columns, start + len(items))
        errors.extend(row_errors)
        if item is not None:
            items.append(item)
    if errors:
        raise _fail(errors, "Faylda səhvlər var; heç bir mal əlavə edilmədi.", "The file has errors; no goods item was added.")
    if not items:
        raise _fail([], "Faylda mal yoxdur.", "The file has no goods items.")
    return items


@transaction.atomic
def goods_import(
    *, user: User, declaration_id: Any, content: bytes, filename: str = "", replace: bool = False
) -> tuple[Declaration, int]:
    """Append (or, with ``replace``, substitute) the file's goods items; all or nothing."""
    declaration = declaration_get(user=user, declaration_id=declaration_id)
    document = Document.model_validate(declaration.document)
    kept = [] if replace else list(document.goods)
    items = parse_goods(read_rows(content, filename), start=len(kept) + 1, limit=max(MAX_ITEMS - len(kept), 0))
    if len(kept) + len(items) > MAX_ITEMS:
        raise _fail(
            [],
            f"Bəyannamədə ən çoxu {MAX_ITEMS} mal ola bilər: {len(kept)} var, faylda {len(items)}.",
            f"A declaration holds at most {MAX_ITEMS} goods items: it has {len(kept)}, the file {len(items)}.",
        )
    document.goods = kept + items
    pending = {k: v for k, v in (declaration.pending_input or {}).items() if not (replace and k.startswith("/goods/"))}
    declaration = declaration_update(user=user, declaration_id=declaration.pk, document=document, pending_input=pending)
    return declaration, len(items)


# --- Templates ----------------------------------------------------------------------------------


def template_csv() -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([c.name for c in COLUMNS])
    writer.writerow([c.example for c in COLUMNS])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def template_xlsx() -> bytes:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.title = "Mallar"
    sheet.append([c.name for c in COLUMNS])
    sheet.append([c.example for c in COLUMNS])
    help_sheet = book.create_sheet("Sütunlar")
    help_sheet.append(["sütun / column", "qrafa / box", "az", "en"])
    for column in COLUMNS:
        help_sheet.append([column.name, column.box, column.az, column.en])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
