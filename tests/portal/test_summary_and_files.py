"""Yekun: totals, document copies checked by content, the printed form."""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from gomruk.core.models import StoredFile

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
PDF = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def test_summary_shows_totals_declared_and_computed(declarant_client, export_declaration):
    page = declarant_client.get(reverse("portal:summary", args=[export_declaration.pk])).content.decode()
    assert 'id="totals"' in page
    for box in ("Qrafa 5 ", "Qrafa 6 ", "Qrafa 12 ", "Qrafa 22 ", "Qrafa B "):
        assert box in page
    assert "7200.00" in page  # box 22: Σ box 42 of the example


def test_copies_attach_to_their_box_44_line_by_content(declarant_client, export_declaration, demo):
    url = reverse("portal:attachment_upload", args=[export_declaration.pk])
    ok = declarant_client.post(url, {"item_number": "1", "document_index": "1", "file": SimpleUploadedFile("scan.bin", PNG, "text/plain")})
    assert ok.status_code == 302
    fake = declarant_client.post(
        url, {"item_number": "1", "document_index": "1", "file": SimpleUploadedFile("fake.pdf", b"MZ\x90\x00 not a pdf", "application/pdf")}
    )
    assert fake.status_code == 302
    attachments = list(export_declaration.attachments.all())
    assert [a.content_type for a in attachments] == ["image/png"]
    page = declarant_client.get(reverse("portal:summary", args=[export_declaration.pk])).content.decode()
    assert "scan.bin" in page and "Yalnız PDF, JPEG və PNG" in page
    file = declarant_client.get(reverse("portal:attachment", args=[export_declaration.pk, attachments[0].pk]))
    assert file["Content-Type"] == "image/png" and b"".join(file.streaming_content) == PNG
    assert file["Content-Disposition"].startswith("inline;") and file["X-Content-Type-Options"] == "nosniff"
    # The copy is kept in the database (any node serves it), not under this node's MEDIA_ROOT.
    assert bytes(StoredFile.objects.get(name=attachments[0].file.name).content) == PNG
    assert not (Path(settings.MEDIA_ROOT) / attachments[0].file.name).exists()
    declarant_client.force_login(demo["deklarant2"])
    stranger = declarant_client.get(reverse("portal:attachment", args=[export_declaration.pk, attachments[0].pk]))
    assert stranger.status_code == 404


def test_copy_for_a_missing_line_is_refused(declarant_client, export_declaration):
    url = reverse("portal:attachment_upload", args=[export_declaration.pk])
    declarant_client.post(url, {"item_number": "9", "document_index": "1", "file": SimpleUploadedFile("a.pdf", PDF)})
    assert export_declaration.attachments.count() == 0


def test_printed_form_is_a_pdf(declarant_client, export_declaration):
    response = declarant_client.get(reverse("portal:pdf", args=[export_declaration.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf" and response.content.startswith(b"%PDF")


def _card(page: str, anchor: str) -> str:
    start = page.index(f'id="{anchor}"')
    return page[start:page.index('class="doc-line card"', start) if 'class="doc-line card"' in page[start:] else len(page)]


def test_an_upload_answer_is_shown_by_its_upload_not_off_screen(declarant_client, export_declaration):
    url = reverse("portal:attachment_upload", args=[export_declaration.pk])
    fake = declarant_client.post(
        url, {"item_number": "1", "document_index": "1", "file": SimpleUploadedFile("fake.pdf", b"MZ\x90\x00 no", "application/pdf")}
    )
    assert fake["Location"].endswith("#doc-1-1")
    page = declarant_client.get(fake["Location"]).content.decode()
    top, documents = page.split('id="documents"', 1)
    assert "Yalnız PDF, JPEG və PNG" in _card(documents, "doc-1-1")
    assert "Yalnız PDF, JPEG və PNG" not in top
    ok = declarant_client.post(url, {"item_number": "1", "document_index": "1", "file": SimpleUploadedFile("a.pdf", PDF)})
    page = declarant_client.get(ok["Location"]).content.decode()
    assert "Sənədin surəti əlavə edildi." in _card(page.split('id="documents"', 1)[1], "doc-1-1")


def test_an_answer_about_a_line_not_on_the_page_is_shown_at_the_top(declarant_client, export_declaration):
    url = reverse("portal:attachment_upload", args=[export_declaration.pk])
    response = declarant_client.post(url, {"item_number": "9", "document_index": "1", "file": SimpleUploadedFile("a.pdf", PDF)})
    page = declarant_client.get(response["Location"]).content.decode()
    top = page.split('id="documents"', 1)[0]
    assert 'class="messages"' in top and 'role="alert"' in top
