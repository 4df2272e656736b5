"""What a reader extracts from the PDF: the box values, the Azerbaijani letters, the number."""

from __future__ import annotations

from gomruk.demo.print_samples import sample_document
from gomruk.printing.render import PrintContext, render_declaration

AZERBAIJANI_LETTERS = "əğıİşçöüƏĞŞÇÖÜ"


def test_main_sheet_text_has_the_box_values(registered, reference, pages_of):
    document = sample_document(4)
    main = pages_of(render_declaration(document, context=registered, reference=reference))[0]
    item = document.goods[0]
    for expected in (
        "GÖMRÜK BƏYANNAMƏSİ",
        "GB 01 — Gömrük Bəyannaməsi",
        "Öztürk Cam Sanayi A.Ş.",  # box 2
        "«Şəki Çay Evi» MMC",  # box 8 / 9
        "VÖEN 1234567891",
        "Lisenziya № GB-0457 15.03.2024",  # box 14
        "00100 Bakı Baş Gömrük İdarəsi",  # box A with the office name
        "1,7000 20.11.2026",  # box A upper-right: USD rate and its date
        "34 ÇĞ 1234, 34 ŞÖ 5678",  # box 18
        "(bax Qrafa 18)",  # box 21
        "CIP Bakı",  # box 20
        "7 429,00",  # box 12: decimal comma, thousands apart (issue 16.8; pdftotext shows the no-break space as a space)
        "Şüşə qablar (bankalar), 0,5 l",  # box 31
        "MSKU1234565",  # box 31 upper-right: container
        "100 ədəd",  # box 31 lower-right: quantity
        "701090",  # box 33, first six digits
        "151,500",  # box 35, three decimals
        "2 2015/CMR-00001/10.11.2026",  # box 44
        "1 762,90",  # box 45
        "20-1 114,35-944",  # box B
        "CƏMİ: 2 652,15",
        "«GB-də və əlavə vərəqlərdə göstərilən məlumatları təsdiq edirəm»",  # box 50 (import)
        "Qasımova Gülşən",  # box 54
    ):
        assert expected in main, expected
    assert item.commodity_code and item.commodity_code[6:] in main


def test_registration_number_date_and_signer_are_printed(registered, reference, pages_of):
    pages = pages_of(
        render_declaration(sample_document(4), context=registered, reference=reference)
    )
    assert "00100/211126/0000042" in pages[0]  # box 7
    assert "Qeydiyyat tarixi: 21.11.2026" in pages[0]
    assert "Elektron imza: Əliyev Ülvi Şahin oğlu" in pages[0]  # box 54
    assert "Sertifikat №: 4F2A910C77E1" in pages[0]
    assert "00100/211126/0000042" in pages[1]  # box A of the additional sheet
    assert "QARALAMA" not in "".join(pages)


def test_azerbaijani_letters_survive_into_the_pdf(registered, reference, pages_of):
    text = "".join(
        pages_of(render_declaration(sample_document(4), context=registered, reference=reference))
    )
    for letter in AZERBAIJANI_LETTERS:
        assert letter in text, letter
    assert "Ağ şəkər, çuğundur şəkəri" in text  # item 4 on the additional sheet


def test_a_draft_is_marked_and_has_no_number(reference, pages_of):
    pages = pages_of(render_declaration(sample_document(1), reference=reference))
    assert "QARALAMA — hüquqi qüvvəsi yoxdur" in pages[0]
    assert "Qeydiyyat tarixi" not in pages[0]


def test_export_declaration_prints_the_export_statement_of_box_50(reference, pages_of):
    document = sample_document(1).model_copy(update={"direction": "İX"})
    text = pages_of(
        render_declaration(document, context=PrintContext(state="signed"), reference=reference)
    )[0]
    assert "«GB və onun qoşma vərəqlərində göstərilən məlumatları təsdiq edirəm»" in text
    assert "QARALAMA" not in text


def test_qr_payload_is_number_and_verification_address(registered):
    assert registered.qr_payload("00100/211126/0000042") == (
        "00100/211126/0000042 http://127.0.0.1:8000/verify/7b1c2d3e-0000-4000-8000-000000000001/"
    )
    assert (
        PrintContext(verification_url="http://x/verify/1/").qr_payload("") == "http://x/verify/1/"
    )


def test_qr_is_drawn_only_with_a_verification_address(registered, reference):
    from gomruk.printing.render import plan_pages

    with_qr, _ = plan_pages(sample_document(1), registered, reference)
    without, _ = plan_pages(sample_document(1), PrintContext(), reference)
    assert with_qr[0].qr is not None and with_qr[0].qr[2] == registered.qr_payload(
        registered.registration_number
    )
    assert without[0].qr is None
    pdf_with = render_declaration(sample_document(1), context=registered, reference=reference)
    pdf_without = render_declaration(
        sample_document(1), context=PrintContext(state="registered"), reference=reference
    )
    # The QR is drawn as filled modules: many more path operators than the form alone.
    assert len(pdf_with) > len(pdf_without) + 500
