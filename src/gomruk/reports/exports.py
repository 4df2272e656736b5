"""A dashboard table as CSV or XLSX (the same rows the chart and the page table show)."""

from __future__ import annotations

import csv
import datetime as dt
import io
from typing import Any

from openpyxl import Workbook

from gomruk.reports.selectors import Table


def _cell(value: Any) -> Any:
    return value.isoformat() if isinstance(value, dt.date) else ("" if value is None else value)


def table_csv(table: Table) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(table.columns)
    for row in table.rows:
        # A leading = + - @ would be a formula in a spreadsheet: our cells are dates, numbers
        # and box numbers, never such text, but a label is quoted to be sure.
        writer.writerow([_cell(v) if not isinstance(v, str) or v[:1] not in "=+-@" else "'" + v for v in row])
    return buffer.getvalue()


def table_xlsx(table: Table) -> bytes:
    book = Workbook(write_only=True)
    sheet = book.create_sheet(table.name)
    sheet.append(table.columns)
    for row in table.rows:
        sheet.append(["" if v is None else v for v in row])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
