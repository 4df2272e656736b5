"""The printed declaration: main sheet, additional sheets, attachment sheets, as one PDF.

A pure function of the document (plus what the system assigned: number, dates, signature):
no database, no HTTP. It works in two steps so that box A of the main sheet can show the
number of attachment sheets: first every box is *planned* (text fitted, overflow collected),
then the pages are drawn. The empty form of each sheet kind is drawn once per PDF as a form
XObject and reused on every page, which keeps 100 items well under 200 ms.
"""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass, field, replace
from functools import lru_cache

import qrcode
from qrcode.constants import ERROR_CORRECT_M
from reportlab import rl_config
from reportlab.pdfgen.canvas import Canvas

from gomruk.document.model import Declaration, GoodsItem
from gomruk.printing import layout as L
from gomruk.printing import text as T
from gomruk.printing.content import (
    SEE_ATTACHMENT,
    BoxBuilder,
    BoxText,
    PrintFacts,
    fmt_date,
    incomplete_rows,
)
from gomruk.printing.fonts import BOLD, REGULAR, register_fonts
from gomruk.reference.snapshot import ReferenceData, packaged_reference

# Binary rather than ASCII85 streams: a fifth smaller, faster to write, read by every viewer.
rl_config.useA85 = 0

DRAFT_STATES = frozenset({"", "draft"})
HEADER_BOXES_MAIN = (
    "A", "1", "2", "3", "4", "5", "6", "7", "8", "9", "10", "11", "12", "13", "14", "15", "15a",
    "16", "17", "17a", "18", "19", "20", "21", "22", "23", "24", "25", "26", "27", "28", "29",
    "30", "48", "49", "B", "50", "51", "52", "53", "C",
)  # fmt: skip
HEADER_BOXES_ADDITIONAL = ("A", "1", "2", "3")
ITEM_BOXES = (
    "31", "32", "33", "34", "35", "36", "37", "38", "39", "40", "41", "42", "43", "44", "45",
    "46", "47",
)  # fmt: skip
CONTROL_LABELS = (
    "Nəticə",
    "Tətbiq olunmuş gömrük təminatı və onların nömrələri",
    "Uyğunluq",
    "Tarix",
    "İmza",
)
NB_COLUMNS = (
    "Sıra sayı",
    "NB qeydiyyat nömrəsi",
    "NB tarixi",
    "Nəqliyyat vahidinin sayı",
    "Malın çəkisi",
)
QR_SIZE = 60.0
QR_QUIET = 6.0  # white around the code (about 3.5 modules): box borders must not touch it
TABLE_ROW = 7.6
TABLE_SIZE = 6.0


@dataclass(frozen=True)
class PrintContext:
    """What the system knows about a declaration besides its document."""

    registration_number: str | None = None
    acceptance_date: dt.date | None = None
    state: str | None = None
    signer_name: str | None = None
    certificate_serial: str | None = None
    signed_sha256: str | None = None
    verification_url: str | None = None
    declaration_type_name: str | None = None
    #: A frozen version printed on request: which one, and whether it is in force.
    version_note: str | None = None

    @property
    def is_draft(self) -> bool:
        return (self.state or "") in DRAFT_STATES

    def qr_payload(self, registration_number: str) -> str:
        return " ".join(p for p in (registration_number, self.verification_url or "") if p)


@dataclass
class Overflow:
    """Text that did not fit its box, for an attachment sheet."""

    box: str
    item: int | None
    lines: list[str] = field(default_factory=list)
    table: tuple[tuple[str, ...], list[tuple[str, ...]]] | None = None

    @property
    def heading(self) -> str:
        label = L.LABELS.get(self.box, self.box).split(". ", 1)[-1]
        where = f", mal № {self.item}" if self.item is not None else ""
        return f"Qrafa {self.box} «{label}»{where}"


@dataclass
class Page:
    kind: str  # main | additional | attachment
    texts: list[tuple[float, float, str, str, float]] = field(default_factory=list)
    lines: list[tuple[float, float, float, float]] = field(default_factory=list)
    qr: tuple[float, float, str] | None = None

    def text(
        self,
        x: float,
        y: float,
        value: str,
        size: float,
        *,
        bold: bool = False,
        align: str = "left",
    ) -> None:
        if not value:
            return
        if align != "left":
            w = T.width(value, size, bold)
            x = x - w if align == "right" else x - w / 2
        self.texts.append((x, y, value, BOLD if bold else REGULAR, size))


class _Planner:
    def __init__(
        self, document: Declaration, context: PrintContext, reference: ReferenceData | None
    ) -> None:
        self.document = document
        self.context = context
        self.reference = reference
        self.number = context.registration_number or document.registration_number or ""
        self.items = list(document.goods)
        additional = max(0, -(-(len(self.items) - 1) // L.ITEMS_PER_ADDITIONAL_SHEET))
        self.total_sheets = 1 + additional
        self.overflows: list[Overflow] = []

    def builder(self, sheet: int) -> BoxBuilder:
        facts = PrintFacts(
            registration_number=self.number,
            acceptance_date=self.context.acceptance_date,
            sheet=sheet,
            total_sheets=self.total_sheets,
        )
        return BoxBuilder(self.document, self.reference, facts)

    # --- cells ----------------------------------------------------------------------------

    def overflow(self, box: str, item: int | None, lines: list[str]) -> None:
        for existing in self.overflows:
            if existing.box == box and existing.item == item and existing.table is None:
                existing.lines.extend(lines)
                return
        self.overflows.append(Overflow(box=box, item=item, lines=list(lines)))

    def fill(self, page: Page, cell: L.Cell, content: BoxText, item: int | None = None) -> None:
        top = cell.content_top
        bottom = cell.y + L.PADDING
        right = cell.x + cell.w - L.PADDING
        if content.corner:
            placed = T.fit([content.corner], cell.w * 0.6, T.VALUE_SIZES[0] + 0.5)
            if placed is None:
                self.overflow(cell.box, item, [content.corner])
                placed = (T.VALUE_SIZES[0], [SEE_ATTACHMENT])
            size, lines = placed
            page.text(right, top - size, lines[0], size, bold=True, align="right")
            top -= T.leading(size)
        for line in reversed(content.footer):
            page.text(right, bottom + 1, line, T.VALUE_SIZES[0], align="right")
            bottom += T.leading(T.VALUE_SIZES[0])
        if content.table is not None:
            self.table(page, cell, content.table, top, bottom, item)
            return
        for (x, w), lines in zip(cell.part_spans(), content.regions, strict=False):
            if lines:
                self.region(page, cell, lines, x + L.PADDING, w - 2 * L.PADDING, top, bottom, item)

    def region(
        self,
        page: Page,
        cell: L.Cell,
        lines: list[str],
        x: float,
        room: float,
        top: float,
        bottom: float,
        item: int | None,
    ) -> None:
        placed = T.fit(lines, room, top - bottom)
        if placed is None:
            self.overflow(cell.box, item, lines)
            placed = T.fit([SEE_ATTACHMENT], room, max(top - bottom, T.VALUE_SIZES[-1])) or (
                T.VALUE_SIZES[-1],
                [SEE_ATTACHMENT],
            )
        size, wrapped = placed
        y = top - size
        step = T.leading(size)
        for line in wrapped:
            page.text(x, y, line, size)
            y -= step

    def table(
        self,
        page: Page,
        cell: L.Cell,
        rows: list[tuple[str, ...]],
        top: float,
        bottom: float,
        item: int | None,
    ) -> None:
        top -= TABLE_ROW  # the column heads are part of the empty form
        if not rows:
            return
        if int((top - bottom) // TABLE_ROW) < len(rows):
            self.overflows.append(
                Overflow(box=cell.box, item=item, table=(L.PAYMENT_COLUMNS, rows))
            )
            page.text(cell.x + L.PADDING, top - TABLE_SIZE, SEE_ATTACHMENT, TABLE_SIZE)
            return
        spans = _columns(cell, L.PAYMENT_WIDTHS)
        y = top - TABLE_SIZE
        for row in rows:
            for (x, w), value in zip(spans, row, strict=True):
                size = _shrink(value, w - 2 * L.PADDING, TABLE_SIZE)
                page.text(
                    x + w - L.PADDING if value[:1].isdigit() else x + L.PADDING,
                    y,
                    value,
                    size,
                    align="right" if value[:1].isdigit() else "left",
                )
            y -= TABLE_ROW

    # --- sheets ---------------------------------------------------------------------------

    def goods(
        self,
        page: Page,
        sheet: L.Sheet,
        builder: BoxBuilder,
        item: GoodsItem,
        position: int,
        slot: int,
    ) -> None:
        for box_id in ITEM_BOXES:
            content = builder.item(box_id, item, position, first=position == 1)
            if not content.empty:
                self.fill(page, sheet.cell(box_id, slot), content, position)

    def main_sheet(self) -> Page:
        sheet = L.main_sheet()
        page = Page("main")
        builder = self.builder(1)
        for box_id in HEADER_BOXES_MAIN:
            content = builder.header(box_id)
            if not content.empty:
                self.fill(page, sheet.cell(box_id), content)
        if self.items:
            self.goods(page, sheet, builder, self.items[0], 1, 0)
        self.control(page, sheet.cell("D"), builder)
        self.signature(page, sheet.cell("54"), builder)
        return page

    def control(self, page: Page, cell: L.Cell, builder: BoxBuilder) -> None:
        values = builder.control(self.document.customs_control)
        for (y, label), value in zip(_control_rows(cell), values, strict=True):
            if value:
                # Each value starts after its own label (issue 16.8): the long seals label runs
                # past the column the short ones leave free, and a fixed column printed over it.
                x = max(cell.x + cell.w * 0.42, cell.x + L.PADDING + T.width(label, L.LABEL_SIZE) + 3)
                self.region(page, cell, [value], x, cell.x + cell.w - L.PADDING - x, y + 7.5, y - 1.5, None)

    def signature(self, page: Page, cell: L.Cell, builder: BoxBuilder) -> None:
        c = self.context
        content = builder.signature(
            self.document.place_and_signature,
            c.signer_name or "",
            c.certificate_serial or "",
            c.signed_sha256 or "",
        )
        payload = c.qr_payload(self.number) if c.verification_url else ""
        room = cell.w - (QR_SIZE + QR_QUIET if payload else 0)
        if content.regions[0]:
            self.region(
                page,
                cell,
                content.regions[0],
                cell.x + L.PADDING,
                room - 2 * L.PADDING,
                cell.content_top,
                cell.y + L.PADDING,
                None,
            )
        if payload:
            x = cell.x + cell.w - QR_SIZE - QR_QUIET
            page.qr = (x, cell.y + QR_QUIET, payload)
            page.text(
                x + QR_SIZE / 2, cell.y + QR_QUIET + QR_SIZE + 3, "Yoxlama", 4.6, align="center"
            )

    def additional_sheets(self) -> list[Page]:
        sheet = L.additional_sheet()
        pages: list[Page] = []
        per = L.ITEMS_PER_ADDITIONAL_SHEET
        for index, start in enumerate(range(1, len(self.items), per)):
            number = index + 2
            page = Page("additional")
            builder = self.builder(number)
            for box_id in HEADER_BOXES_ADDITIONAL:
                content = builder.header(box_id, additional=True)
                if not content.empty:
                    self.fill(page, sheet.cell(box_id), content)
            chunk = self.items[start : start + per]
            for slot, item in enumerate(chunk):
                self.goods(page, sheet, builder, item, start + slot + 1, slot)
            for slot in range(len(chunk), per):
                # G-15: unused goods boxes of an additional sheet are struck through.
                cells = sheet.slot_cells[slot]
                x0 = min(c.x for c in cells)
                x1 = max(c.x + c.w for c in cells)
                y0 = min(c.y for c in cells)
                y1 = max(c.top for c in cells)
                page.lines.append((x0, y1, x1, y0))
            footer = f"Bəyannamə {self.number}" if self.number else "Bəyannamə (qeydiyyatsız)"
            page.text(L.MARGIN_LEFT, L.MARGIN_BOTTOM - 9, footer, 6)
            page.text(
                L.PAGE_WIDTH - L.MARGIN_RIGHT,
                L.MARGIN_BOTTOM - 9,
                f"Əlavə vərəq · {number}/{self.total_sheets}",
                6,
                align="right",
            )
            pages.append(page)
        return pages

    def incomplete_table(self) -> None:
        rows = incomplete_rows(self.document)
        if rows:
            self.overflows.append(Overflow(box="40", item=None, table=(NB_COLUMNS, rows)))

    # --- attachment sheets ----------------------------------------------------------------

    def attachment_sheets(self) -> list[Page]:
        if not self.overflows:
            return []
        width = L.WIDTH
        size = 7.5
        step = T.leading(size)
        top = L.PAGE_HEIGHT - L.MARGIN_TOP - L.TITLE_HEIGHT - 30
        bottom = L.MARGIN_BOTTOM + 40
        pages: list[Page] = []
        page = Page("attachment")
        y = top

        def new_page() -> None:
            nonlocal page, y
            pages.append(page)
            page = Page("attachment")
            y = top

        for entry in self.overflows:
            if y - 2 * step < bottom:
                new_page()
            page.text(L.MARGIN_LEFT, y - size, entry.heading, size, bold=True)
            y -= step * 1.3
            if entry.table is not None:
                columns, rows = entry.table
                spans = [
                    (L.MARGIN_LEFT + width * i / len(columns), width / len(columns))
                    for i in range(len(columns))
                ]
                for row_index, row in enumerate([columns, *rows]):
                    if y - step < bottom:
                        new_page()
                    for (x, w), value in zip(spans, row, strict=True):
                        page.text(
                            x + 2, y - size, value, _shrink(value, w - 4, size), bold=row_index == 0
                        )
                    page.lines.append(
                        (L.MARGIN_LEFT, y - step - 1, L.MARGIN_LEFT + width, y - step - 1)
                    )
                    y -= step + 1
            else:
                for line in T.wrap(entry.lines, width - 8, size, 10**6):
                    if y - step < bottom:
                        new_page()
                    page.text(L.MARGIN_LEFT + 8, y - size, line, size)
                    y -= step
            y -= step * 0.7
        pages.append(page)
        return pages


def _columns(cell: L.Cell, widths: tuple[float, ...]) -> list[tuple[float, float]]:
    total = sum(widths)
    spans, x = [], cell.x
    for part in widths:
        w = cell.w * part / total
        spans.append((x, w))
        x += w
    return spans


def _shrink(value: str, room: float, size: float) -> float:
    while size > 4.2 and T.width(value, size) > room:
        size -= 0.4
    return size


def _control_rows(cell: L.Cell) -> list[tuple[float, str]]:
    """Baselines of the sub-fields of box D."""
    step = (cell.content_top - cell.y - 4) / (len(CONTROL_LABELS) + 1)
    return [(cell.content_top - step * (i + 1), label) for i, label in enumerate(CONTROL_LABELS)]


# --- Drawing -------------------------------------------------------------------------------


def _draw_form(canvas: Canvas, name: str, sheet: L.Sheet, context: PrintContext) -> None:
    canvas.beginForm(name)
    _watermark(canvas, context)
    canvas.setLineWidth(0.6)
    canvas.setStrokeGray(0)
    for cell in sheet.cells:
        canvas.rect(cell.x, cell.y, cell.w, cell.h)
    canvas.setLineWidth(0.3)
    for cell in sheet.cells:
        for x, _w in cell.part_spans()[1:]:
            canvas.line(x, cell.y + 1, x, cell.content_top + 1)
    text = canvas.beginText()
    text.setFont(REGULAR, L.LABEL_SIZE)
    for cell in sheet.cells:
        if cell.strip:
            lines = L.STRIP_LABELS.get(cell.box, ())
            for i, line in enumerate(lines):
                text.setTextOrigin(
                    cell.x + L.PADDING,
                    cell.top - L.PADDING - L.LABEL_SIZE - i * (L.LABEL_LEADING + 0.6),
                )
                text.textOut(line)
            continue
        for i, line in enumerate(cell.label_lines):
            text.setTextOrigin(
                cell.x + L.PADDING, cell.top - L.PADDING - L.LABEL_SIZE - i * L.LABEL_LEADING
            )
            text.textOut(line)
        if cell.key == "47":
            top = cell.content_top
            for (x, _w), head in zip(
                _columns(cell, L.PAYMENT_WIDTHS), L.PAYMENT_COLUMNS, strict=True
            ):
                text.setTextOrigin(x + L.PADDING, top - L.LABEL_SIZE - 1)
                text.textOut(head)
        if cell.key == "52":
            x, _w = cell.part_spans()[1]
            text.setTextOrigin(x + L.PADDING, cell.content_top - L.LABEL_SIZE + 1)
            text.textOut("Kod")
        if cell.key == "50":
            text.setTextOrigin(cell.x + L.PADDING, cell.y + L.PADDING + 1)
            text.textOut("Təqdim olunmuş yer və tarix")
        if cell.key == "D":
            for y, label in (*_control_rows(cell), (cell.y + L.PADDING + 1, "Möhür")):
                text.setTextOrigin(cell.x + L.PADDING, y)
                text.textOut(label)
    canvas.drawText(text)
    for cell in sheet.cells:
        if cell.key == "47":
            top = cell.content_top - 3
            canvas.line(cell.x, top - L.LABEL_SIZE, cell.x + cell.w, top - L.LABEL_SIZE)
            for x, _w in _columns(cell, L.PAYMENT_WIDTHS)[1:]:
                canvas.line(x, cell.y, x, top + 2)
        if cell.key == "D":
            canvas.setStrokeGray(0.6)
            for y, _label in _control_rows(cell)[1:]:
                canvas.line(cell.x + L.PADDING, y + 7.6, cell.x + cell.w - L.PADDING, y + 7.6)
            canvas.setStrokeGray(0)
    _title(canvas, sheet.kind, context)
    canvas.endForm()


def _title(canvas: Canvas, kind: str, context: PrintContext) -> None:
    y = L.PAGE_HEIGHT - L.MARGIN_TOP - 13
    canvas.setFont(BOLD, 11)
    canvas.drawString(L.MARGIN_LEFT, y, "GÖMRÜK BƏYANNAMƏSİ")
    canvas.setFont(REGULAR, 7)
    sub = {"main": "Əsas vərəq", "additional": "Əlavə vərəq", "attachment": "Qoşma vərəq"}[kind]
    caption = " · ".join(p for p in (context.declaration_type_name or "", sub) if p)
    canvas.drawString(L.MARGIN_LEFT + T.width("GÖMRÜK BƏYANNAMƏSİ", 11, True) + 8, y, caption)
    canvas.setFont(REGULAR, 5)
    canvas.drawRightString(
        L.PAGE_WIDTH - L.MARGIN_RIGHT,
        y + 7,
        "Gömrük bəyannaməsinin bəyan edilməsi Qaydalarına 1 nömrəli əlavə",
    )
    if context.is_draft:
        canvas.setFont(BOLD, 9)
        canvas.setFillColorRGB(0.75, 0.1, 0.1)
        canvas.drawRightString(
            L.PAGE_WIDTH - L.MARGIN_RIGHT, y - 2, "QARALAMA — hüquqi qüvvəsi yoxdur"
        )
        canvas.setFillGray(0)
    elif context.version_note:
        canvas.setFont(BOLD, 8)
        canvas.setFillColorRGB(0.75, 0.1, 0.1)
        canvas.drawRightString(L.PAGE_WIDTH - L.MARGIN_RIGHT, y - 2, context.version_note)
        canvas.setFillGray(0)


def _watermark(canvas: Canvas, context: PrintContext) -> None:
    """A draft is marked across the whole sheet, under the grid, so nothing is hidden."""
    if not context.is_draft:
        return
    canvas.saveState()
    canvas.setFillGray(0.9)
    canvas.translate(L.PAGE_WIDTH / 2, L.PAGE_HEIGHT / 2)
    canvas.rotate(55)
    canvas.setFont(BOLD, 96)
    canvas.drawCentredString(0, -30, "QARALAMA")
    canvas.restoreState()


def _draw_attachment_frame(
    canvas: Canvas, number: int, total: int, registration: str, accepted: str
) -> None:
    left, right = L.MARGIN_LEFT, L.PAGE_WIDTH - L.MARGIN_RIGHT
    top = L.PAGE_HEIGHT - L.MARGIN_TOP - L.TITLE_HEIGHT
    canvas.setFont(BOLD, 9)
    canvas.drawString(left, top - 10, f"QOŞMA VƏRƏQ № {number:02d} / {total:02d}")
    canvas.setFont(REGULAR, 7)
    canvas.drawRightString(
        right,
        top - 10,
        " · ".join(p for p in (registration, accepted) if p) or "Qeydiyyat nömrəsi verilməyib",
    )
    canvas.setLineWidth(0.6)
    canvas.line(left, top - 16, right, top - 16)
    canvas.line(left, L.MARGIN_BOTTOM + 30, right, L.MARGIN_BOTTOM + 30)
    canvas.setFont(REGULAR, 6.5)
    canvas.drawString(
        left, L.MARGIN_BOTTOM + 18, "Səlahiyyətli şəxsin imzası: ______________________"
    )
    canvas.drawString(left + L.WIDTH * 0.55, L.MARGIN_BOTTOM + 18, "M.Y. (bəyannaməçinin möhürü)")
    canvas.drawString(
        left,
        L.MARGIN_BOTTOM + 6,
        "Gömrük orqanının qeydləri (ştamp, möhür): ______________________",
    )


def _draw_page(canvas: Canvas, page: Page) -> None:
    if page.lines:
        canvas.setLineWidth(0.5)
        for x0, y0, x1, y1 in page.lines:
            canvas.line(x0, y0, x1, y1)
    text = canvas.beginText()
    font: tuple[str, float] | None = None
    for x, y, value, name, size in page.texts:
        if font != (name, size):
            text.setFont(name, size)
            font = (name, size)
        text.setTextOrigin(x, y)
        text.textOut(value)
    canvas.drawText(text)
    if page.qr is not None:
        x, y, payload = page.qr
        _draw_qr(canvas, x, y, payload)


@lru_cache(maxsize=256)
def qr_runs(payload: str) -> tuple[int, tuple[tuple[int, int, int], ...]]:
    """Module count and the dark runs (row, first column, length) of the payload's QR code."""
    code = qrcode.QRCode(error_correction=ERROR_CORRECT_M, border=0)
    code.add_data(payload)
    code.make(fit=True)
    matrix = code.get_matrix()
    runs: list[tuple[int, int, int]] = []
    for row, modules in enumerate(matrix):
        column = 0
        while column < len(modules):
            if modules[column]:
                start = column
                while column < len(modules) and modules[column]:
                    column += 1
                runs.append((row, start, column - start))
            else:
                column += 1
    return len(matrix), tuple(runs)


def _draw_qr(canvas: Canvas, x: float, y: float, payload: str) -> None:
    # One filled path of horizontal runs: a few hundred rectangles instead of one per module.
    count, runs = qr_runs(payload)
    module = QR_SIZE / count
    path = canvas.beginPath()
    for row, column, length in runs:
        path.rect(x + column * module, y + QR_SIZE - (row + 1) * module, length * module, module)
    canvas.setFillGray(0)
    canvas.drawPath(path, stroke=0, fill=1)


def plan_pages(
    document: Declaration, context: PrintContext, reference: ReferenceData | None = None
) -> tuple[list[Page], int]:
    """Every page with its text placed, and the number of attachment sheets."""
    register_fonts()
    planner = _Planner(document, context, reference)
    main = planner.main_sheet()
    additional = planner.additional_sheets()
    planner.incomplete_table()
    attachments = planner.attachment_sheets()
    if attachments:
        cell = L.main_sheet().cell("A")
        main.text(
            cell.x + cell.w - L.PADDING,
            cell.y + L.PADDING + 1,
            f"Qoşma-{len(attachments):02d}",
            7,
            bold=True,
            align="right",
        )
    return [main, *additional, *attachments], len(attachments)


def render_declaration(
    document: Declaration,
    *,
    context: PrintContext | None = None,
    reference: ReferenceData | None = None,
) -> bytes:
    """The PDF of the declaration: main sheet, additional sheets, attachment sheets."""
    context = context or PrintContext()
    if reference is None:
        reference = packaged_reference()
    if context.declaration_type_name is None and document.declaration_type:
        entry = reference.lookup("declaration-types", document.declaration_type)
        if entry is not None:
            letter = entry.attributes.get("letter_code", "")
            name = f"{letter} {entry.code} — {entry.name_az}" if letter else entry.name_az
            context = replace(context, declaration_type_name=name)
    pages, attachment_count = plan_pages(document, context, reference)
    number = context.registration_number or document.registration_number or ""
    buffer = io.BytesIO()
    canvas = Canvas(
        buffer,
        pagesize=(L.PAGE_WIDTH, L.PAGE_HEIGHT),
        invariant=True,  # the same document gives the same bytes
        pageCompression=1,
        initialFontName=REGULAR,  # no unembedded Helvetica in the page resources
        initialFontSize=7,
    )
    title = f"Gömrük bəyannaməsi {number}".strip()
    canvas.setTitle(title)
    canvas.setAuthor("Gömrük")
    canvas.setSubject(context.verification_url or "")
    forms: set[str] = set()
    attachment_index = 0
    for page in pages:
        if page.kind not in forms:
            if page.kind == "main":
                _draw_form(canvas, "main", L.main_sheet(), context)
            elif page.kind == "additional":
                _draw_form(canvas, "additional", L.additional_sheet(), context)
            else:
                canvas.beginForm("attachment")
                _watermark(canvas, context)
                _title(canvas, "attachment", context)
                canvas.endForm()
            forms.add(page.kind)
        canvas.doForm(page.kind)
        if page.kind == "attachment":
            attachment_index += 1
            _draw_attachment_frame(
                canvas,
                attachment_index,
                attachment_count,
                number,
                fmt_date(context.acceptance_date),
            )
        _draw_page(canvas, page)
        canvas.showPage()
    canvas.save()
    return buffer.getvalue()
