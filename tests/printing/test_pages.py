"""Page structure: main sheet (item 1), additional sheets (3 items each), attachment sheets."""

from __future__ import annotations

import pytest

from gomruk.demo.print_samples import sample_document
from gomruk.printing import layout
from gomruk.printing.render import plan_pages, render_declaration


@pytest.mark.parametrize(("items", "pages"), [(1, 1), (2, 2), (4, 2), (5, 3), (7, 3), (100, 34)])
def test_page_count_follows_items(items, pages, registered, reference, pages_of):
    pdf = render_declaration(sample_document(items), context=registered, reference=reference)
    texts = pages_of(pdf)
    assert len(texts) == pages
    assert not any("QOŞMA VƏRƏQ" in text for text in texts)
    assert "Qoşma-" not in texts[0]


def _texts_in(page, cell):
    return [
        value
        for x, y, value, _font, _size in page.texts
        if cell.x <= x <= cell.x + cell.w and cell.y <= y <= cell.top
    ]


def test_box_3_shows_sheet_and_total_on_every_sheet(registered, reference):
    pages, attachments = plan_pages(sample_document(100), registered, reference)
    assert attachments == 0
    assert _texts_in(pages[0], layout.main_sheet().cell("3")) == ["1", "34"]
    for number, page in enumerate(pages[1:], start=2):
        assert page.kind == "additional"
        assert _texts_in(page, layout.additional_sheet().cell("3")) == [str(number), "34"]


def test_box_3_is_empty_without_additional_sheets(registered, reference):
    pages, _ = plan_pages(sample_document(1), registered, reference)
    assert _texts_in(pages[0], layout.main_sheet().cell("3")) == []


def test_items_are_placed_in_order_three_per_additional_sheet(registered, reference):
    pages, _ = plan_pages(sample_document(100), registered, reference)
    sheet = layout.additional_sheet()
    assert _texts_in(pages[0], layout.main_sheet().cell("32", 0)) == ["1"]
    assert [_texts_in(pages[1], sheet.cell("32", slot)) for slot in range(3)] == [
        ["2"],
        ["3"],
        ["4"],
    ]
    assert [_texts_in(pages[33], sheet.cell("32", slot)) for slot in range(3)] == [
        ["98"],
        ["99"],
        ["100"],
    ]


def test_unused_goods_blocks_of_the_last_additional_sheet_are_struck_through(registered, reference):
    pages, _ = plan_pages(sample_document(5), registered, reference)  # sheet 3 holds item 5 only
    assert pages[1].lines == []
    assert len(pages[2].lines) == 2
    assert _texts_in(pages[2], layout.additional_sheet().cell("32", 1)) == []


def test_registration_number_and_date_in_box_a_of_every_additional_sheet(registered, reference):
    pages, _ = plan_pages(sample_document(7), registered, reference)
    cell = layout.additional_sheet().cell("A")
    for page in pages[1:]:
        assert sorted(_texts_in(page, cell)) == sorted(
            [registered.registration_number, "Qeydiyyat tarixi: 21.11.2026"]
        )
