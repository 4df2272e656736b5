"""Box texts: fields found through the model's x-box metadata, formats of the printed form."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from gomruk.demo.print_samples import sample_document
from gomruk.document.model import DocumentLine, GoodsItem, TransportIdentity
from gomruk.printing.content import (
    BoxBuilder,
    PrintFacts,
    box_field_names,
    fmt_decimal,
    fmt_weight,
    generic_box,
    text_of,
    year_suffix,
)


@pytest.mark.parametrize(
    ("year", "suffix"),
    [
        (2021, "ci"),
        (2023, "cü"),
        (2024, "cü"),
        (2025, "ci"),
        (2026, "cı"),
        (2029, "cu"),
        (2030, "cu"),
        (2040, "cı"),
        (2050, "ci"),
        (2000, "ci"),
        (2100, "cü"),
    ],
)
def test_year_suffix_follows_vowel_harmony(year, suffix):
    assert year_suffix(year) == suffix


def test_boxes_are_found_from_the_model_metadata():
    header, goods = box_field_names("31")
    assert header == ()
    assert {"description", "packages", "container_numbers", "quantity"} <= set(goods)
    assert box_field_names("12") == (("total_customs_value",), ())
    assert box_field_names("40")[0] == ("previous_declarations", "incomplete_declarations")


def test_generic_box_prints_every_field_of_the_box():
    document = sample_document(1)
    assert generic_box(document, "12").regions == [["1\u00a0762,90"]]
    assert generic_box(document, "28").regions == [
        ["1 VÖEN 9900003611", "2 «Kapital Bank» ASC", "3 AZ21NABZ00000000137010001944"]
    ]
    assert (
        generic_box(document, "44", document.goods[0]).regions[0][0]
        == "2 2015/CMR-00001/10.11.2026"
    )


def test_numbers_use_a_decimal_comma_and_a_no_break_space_between_thousands():
    # One number format per language (issue 16.8); the form is Azerbaijani.
    assert fmt_decimal(Decimal("1234567.50")) == "1\u00a0234\u00a0567,50"
    assert fmt_weight(Decimal("12.5")) == "12,500"
    assert fmt_weight(Decimal("0.12345")) == "0,12345"  # extra decimals are printed, not rounded


def test_document_lines_of_box_44():
    licence = DocumentLine(
        line=1,
        code="1011",
        number="L-7",
        issued_on=dt.date(2026, 1, 2),
        valid_until=dt.date(2026, 12, 31),
    )
    other = DocumentLine(
        line=6,
        code="6999",
        short_name="Baytarlıq arayışı, DBXK",
        number="77",
        issued_on=dt.date(2026, 3, 4),
    )
    guarantee = DocumentLine(line=9, guarantee_until=dt.date(2027, 5, 1))
    assert text_of(licence) == ["1 1011/L-7/02.01.2026/31.12.2026"]
    assert text_of(other) == ["6 6999 Baytarlıq arayışı, DBXK/77/04.03.2026"]
    assert text_of(guarantee) == [
        "9 Malların 01.05.2027-ci ilə qədər çıxarılmasına zəmanət verirəm"
    ]


def test_transport_identity():
    assert text_of(TransportIdentity(count=2, identifiers="10-AB-123, 10-AB-124")) == [
        "2 10-AB-123, 10-AB-124"
    ]
    assert text_of(TransportIdentity(same_as_box_18=True)) == ["(bax Qrafa 18)"]


def test_box_48_prints_day_month_two_digit_year(reference):
    document = sample_document(1).model_copy(update={"deferred_until": dt.date(2027, 2, 5)})
    assert BoxBuilder(document, reference, PrintFacts()).header("48").regions == [["05.02.27"]]


def test_item_boxes_split_codes_into_their_sub_divisions(reference):
    document = sample_document(1)
    builder = BoxBuilder(document, reference, PrintFacts())
    item = document.goods[0]
    assert builder.item("33", item, 1, first=True).regions == [["701090"], ["5100"], [], []]
    assert builder.item("37", item, 1, first=True).regions == [["4000"], ["00"]]
    assert builder.item("32", GoodsItem(), 7, first=False).regions == [["7"]]


def test_box_7_and_box_a_of_additional_sheets_show_the_number_and_date(reference):
    facts = PrintFacts(
        registration_number="00100/211126/0000042", acceptance_date=dt.date(2026, 11, 21)
    )
    builder = BoxBuilder(sample_document(1), reference, facts)
    assert builder.header("7").regions == [["00100/211126/0000042", "Qeydiyyat tarixi: 21.11.2026"]]
    assert builder.header("A", additional=True).footer == [
        "00100/211126/0000042",
        "Qeydiyyat tarixi: 21.11.2026",
    ]
