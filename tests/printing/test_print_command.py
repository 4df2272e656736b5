"""gomruk print FILE|ID -o OUT.pdf"""

from __future__ import annotations

import json

import pytest
from django.core.management import CommandError, call_command

from gomruk.demo.print_samples import sample_document


def test_print_a_json_file_as_a_draft(tmp_path, pages_of):
    source = tmp_path / "declaration.json"
    source.write_text(
        json.dumps(sample_document(7).to_data(), ensure_ascii=False), encoding="utf-8"
    )
    output = tmp_path / "out.pdf"
    call_command("print", str(source), "-o", str(output))
    pages = pages_of(output.read_bytes())
    assert len(pages) == 3
    assert "QARALAMA" in pages[0] and "«Şəki Çay Evi» MMC" in pages[0]


def test_print_a_stored_declaration_by_id(stored, tmp_path, pages_of):
    output = tmp_path / "stored.pdf"
    call_command("print", str(stored.pk), "--output", str(output))
    pages = pages_of(output.read_bytes())
    assert "00100/211126/0000042" in pages[0] and "Qeydiyyat tarixi: 21.11.2026" in pages[0]
    assert "Elektron imza: Məmmədova Aygün" in pages[0]
    assert f"/verify/{stored.pk}/" in output.read_bytes().decode("latin-1")  # the PDF subject


def test_invalid_document_is_reported_in_both_languages(tmp_path):
    source = tmp_path / "bad.json"
    source.write_text('{"goods": [{"gross_mass": "çox"}]}', encoding="utf-8")
    with pytest.raises(CommandError) as error:
        call_command("print", str(source), "-o", str(tmp_path / "x.pdf"))
    assert "Sənəd oxuna bilmədi" in str(error.value) and "could not be read" in str(error.value)


def test_neither_file_nor_id(db, tmp_path):
    with pytest.raises(CommandError) as error:
        call_command("print", "no-such-thing", "-o", str(tmp_path / "x.pdf"))
    assert "neither a file nor a declaration id" in str(error.value)
    assert not (tmp_path / "x.pdf").exists()
