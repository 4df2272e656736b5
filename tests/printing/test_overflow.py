"""Text that does not fit its box goes to attachment sheets ("qoşma vərəq", G-13)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from gomruk.demo.print_samples import sample_document
from gomruk.document.model import IncompleteDeclarationRow, PaymentLine
from gomruk.printing.content import SEE_ATTACHMENT
from gomruk.printing.render import render_declaration


def test_long_description_moves_to_an_attachment_sheet(registered, reference, pages_of):
    document = sample_document(2, long_description=True)
    pages = pages_of(render_declaration(document, context=registered, reference=reference))
    assert len(pages) == 3  # main + 1 additional + 1 attachment
    main, additional, attachment = pages
    assert SEE_ATTACHMENT in main
    assert "Qoşma-01" in main  # box A, lower right
    assert "Qoşma-" not in additional
    assert "QOŞMA VƏRƏQ № 01 / 01" in attachment
    assert "Qrafa 31 «Malların təsviri», mal № 1" in attachment
    assert "Hissə 30" in attachment and "Hissə 30" not in main
    assert "00100/211126/0000042" in attachment
    # Box 3 counts main and additional sheets only.
    assert "Əlavə vərəq · 2/2" in additional


def test_attachment_sheets_are_counted_in_box_a(registered, reference, pages_of):
    document = sample_document(1)
    long = " ".join(f"sətir {n} — şüşə, çini, göyçək məmulatlar" for n in range(1, 600))
    goods = [document.goods[0].model_copy(update={"description": long})]
    pages = pages_of(
        render_declaration(
            document.model_copy(update={"goods": goods}), context=registered, reference=reference
        )
    )
    attachments = [p for p in pages if "QOŞMA VƏRƏQ" in p]
    assert len(attachments) >= 2
    assert f"Qoşma-{len(attachments):02d}" in pages[0]
    assert f"QOŞMA VƏRƏQ № {len(attachments):02d} / {len(attachments):02d}" in attachments[-1]
    assert "sətir 599" in attachments[-1]


def test_incomplete_declarations_table_goes_to_an_attachment_sheet(registered, reference, pages_of):
    rows = [
        IncompleteDeclarationRow(
            sequence=n,
            number=f"00100/0{n}1126/000000{n}",
            date=dt.date(2026, 11, n),
            transport_units=n,
            weight=Decimal("1250.5"),
        )
        for n in range(1, 4)
    ]
    document = sample_document(1).model_copy(update={"incomplete_declarations": rows})
    pages = pages_of(render_declaration(document, context=registered, reference=reference))
    assert len(pages) == 2
    assert SEE_ATTACHMENT in pages[0]
    for heading in (
        "Sıra sayı",
        "NB qeydiyyat nömrəsi",
        "NB tarixi",
        "Nəqliyyat vahidinin sayı",
        "Malın çəkisi",
    ):
        assert heading in pages[1]
    assert "00100/031126/0000003" in pages[1] and "1 250,500" in pages[1]


def test_too_many_payment_lines_move_the_box_47_table(registered, reference, pages_of):
    document = sample_document(1)
    payments = [
        PaymentLine(
            payment_type=f"{n:02d}",
            base=Decimal("100"),
            rate="1%",
            amount=Decimal("1"),
            method="01",
        )
        for n in range(1, 16)
    ]
    goods = [document.goods[0].model_copy(update={"payments": payments})]
    pages = pages_of(
        render_declaration(
            document.model_copy(update={"goods": goods}), context=registered, reference=reference
        )
    )
    assert len(pages) == 2
    assert "Qrafa 47" in pages[1] and "Tarif dərəcəsi" in pages[1]
    assert all(f"{n:02d}" in pages[1] for n in range(1, 16))


def test_100_items_with_an_overflow_have_34_form_sheets_plus_attachments(
    registered, reference, pages_of
):
    document = sample_document(100, long_description=True)
    pages = pages_of(render_declaration(document, context=registered, reference=reference))
    assert len(pages) == 35
    assert "QOŞMA VƏRƏQ № 01 / 01" in pages[34]
    assert "Əlavə vərəq · 34/34" in pages[33]
