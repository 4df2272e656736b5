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
from gomruk.core.errors import GomrukError
from gomruk.declarations.models import Declaration
from gomruk.declarations.portal_input import coerce, set_value, type_of
from gomruk.declarations.selectors import declaration_get
from gomruk.declarations.services import declaration_update
from gomruk.document.model import Declaration as Document
from gomruk.document.model import GoodsItem

MAX_ITEMS = 100  # the Methodology's limit of goods items per declaration
MAX_BYTES = 5 * 1024 * 1024


@dataclass(frozen=True)
class Column:
    name: str
    path: str  # inside a goods item
    box: str
    az: str
    en: str
    example: str


COLUMNS: tuple[Column, ...] = (
    Column("description", "/description", "31", "Malın təsviri", "Description of the goods", "Sürüşmə yastıqları, polad, 100 ədəd"),
    Column("package_count", "/packages/count", "31", "Yük yerlərinin sayı", "Number of packages", "4"),
    Column("package_kind", "/packages/kind", "31", "Qablaşdırmanın növü", "Kind of packages", "qutu"),
    Column("package_marks", "/packages/marks", "31", "Markalanma", "Marks", "BY-101"),
    Column("container_numbers", "/container_numbers", "31", "Konteynerlərin nömrələri (vergüllə)", "Container numbers (comma-separated)", ""),
    Column("quantity", "/quantity", "31", "Əlavə ölçü vahidində miqdar", "Quantity in the supplementary unit", "100"),
    Column("quantity_unit", "/quantity_unit", "31", "Miqdarın ölçü vahidi", "Unit of that quantity", "ədəd"),
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
    Column("customs_value", "/customs_value", "45", "Gömrük dəyəri, AZN", "Customs value, AZN", "2125.00"),
    Column("statistical_value", "/statistical_value", "46", "Statistik dəyər, USD", "Statistical value, USD", "1250.00"),
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
            "value": self.value,
            "message": {"az": self.message_az, "en": self.message_en},
        }


def _fail(errors: list[RowError], message_az: str, message_en: str) -> GomrukError:
    return GomrukError(
        code="goods_import_failed",
        message_az=message_az,
        message_en=message_en,
        status=422,
        details={"errors": [e.as_dict() for e in errors]},
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


def _rows_xlsx(content: bytes) -> Iterator[list[str]]:
    from openpyxl import load_workbook

    try:
        book = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError) as exc:
        raise _fail([], "XLSX faylı oxunmadı.", "The XLSX file cannot be read.") from exc
    sheet = book.worksheets[0]
    try:
        for row in sheet.iter_rows(values_only=True):
            yield [_cell_text(v) for v in row]
    finally:
        book.close()


def _rows_csv(content: bytes) -> Iterator[list[str]]:
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise _fail([], "CSV faylı UTF-8 kodlaşmasında olmalıdır.", "The CSV file must be UTF-8 encoded.") from exc
    first = text.split("\n", 1)[0]
    delimiter = ";" if first.count(";") > first.count(",") else ","
    for row in csv.reader(io.StringIO(text), delimiter=delimiter):
        yield [cell.strip() for cell in row]


def read_rows(content: bytes, filename: str = "") -> list[list[str]]:
    if len(content) > MAX_BYTES:
        raise _fail([], "Fayl 5 MB-dan böyükdür.", "The file is larger than 5 MB.")
    is_xlsx = content[:4] == b"PK\x03\x04"
    return list(_rows_xlsx(content) if is_xlsx else _rows_csv(content))


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


def _item(row_number: int, cells: list[str], columns: list[Column | None], start: int) -> tuple[GoodsItem | None, list[RowError]]:
    data: dict[str, Any] = {"item_number": start}
    given: dict[str, tuple[Column, str]] = {}
    for column, raw in zip(columns, cells, strict=False):
        if column is None or not raw:
            continue
        kind = type_of(f"/goods/0{column.path}")
        value = coerce(kind, raw) if kind else raw
        set_value(data, column.path, value)
        given[column.path] = (column, raw)
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
                    f"«{column.az if column else path}» dəyəri oxunmadı: {raw}",
                    f"'{column.en if column else path}' cannot be read: {error['msg']}",
                    raw or None,
                )
            )
        return None, errors


def parse_goods(rows: Iterable[list[str]], *, start: int = 1) -> list[GoodsItem]:
    """Goods items numbered from ``start``; any error refuses the whole file."""
    rows = list(rows)
    if not rows:
        raise _fail([], "Fayl boşdur.", "The file is empty.")
    columns, errors = _header(rows[0])
    items: list[GoodsItem] = []
    for row_number, cells in enumerate(rows[1:], start=2):
        if not any(cell.strip() for cell in cells):
            continue
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
    items = parse_goods(read_rows(content, filename), start=len(kept) + 1)
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
