"""Issue 16.5: one attached document (an invoice for the consignment) covers several items:
stored once, named in each item's box 44, shown on each item, and box 44's rules accept it."""

from __future__ import annotations

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from gomruk.declarations.attachments import attachment_add
from gomruk.declarations.models import Attachment
from gomruk.declarations.services import declaration_create
from gomruk.declarations.validation import declaration_errors
from gomruk.demo import factories as examples

PDF = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _one_invoice_for_three_items(demo):
    """The export example with the invoice (line 8) named by item 1 only."""
    document = examples.export_gb()
    for item in document.goods[1:]:
        item.documents = [d for d in item.documents if d.line != 8]
    return declaration_create(user=demo["deklarant"], document=document, voen="1401555071")


def test_one_copy_covers_the_items_ticked_at_upload(declarant_client, demo):
    declaration = _one_invoice_for_three_items(demo)
    invoice = declaration.document["goods"][0]["documents"][2]
    assert invoice["code"] == "8001"
    summary = declarant_client.get(reverse("portal:summary", args=[declaration.pk])).content.decode()
    form = summary[summary.index('id="doc-1-3"') :]
    assert 'name="also_items" value="2"' in form[: form.index("</form>")]
    response = declarant_client.post(
        reverse("portal:attachment_upload", args=[declaration.pk]),
        {"item_number": "1", "document_index": "3", "also_items": ["2", "3"], "file": SimpleUploadedFile("invoys.pdf", PDF)},
    )
    assert response.status_code == 302
    declaration.refresh_from_db()
    assert Attachment.objects.filter(declaration=declaration).count() == 1  # stored once
    for item in declaration.document["goods"]:
        assert [d for d in item["documents"] if d["code"] == "8001"] == [invoice]  # named by each item
    summary = declarant_client.get(reverse("portal:summary", args=[declaration.pk])).content.decode()
    for item in (1, 2, 3):
        line = summary[summary.index(f'id="doc-{item}-') :]
        line = line[: line.index("</div>")]
        if "8001" in line:
            assert "invoys.pdf" in line
    assert summary.count(">invoys.pdf</a>") == 3
    page = declarant_client.get(reverse("portal:item", args=[declaration.pk, 3])).content.decode()
    copies = page[page.index('id="copies-title"') :]
    assert "invoys.pdf" in copies and "INV-901" in copies
    # Box 44's rules see each item's invoice line: nothing of box 44 is reported.
    assert [e for e in declaration_errors(declaration=declaration) if e.box == "44"] == []


def test_an_item_already_naming_the_document_gets_no_second_line(demo):
    document = examples.export_gb()
    shared = document.goods[0].documents[2].model_copy()
    document.goods[1].documents = [d for d in document.goods[1].documents if d.line != 8] + [shared]
    declaration = declaration_create(user=demo["deklarant"], document=document, voen="1401555071")
    before = declaration.document["goods"][1]["documents"]
    attachment_add(
        user=demo["deklarant"], declaration_id=declaration.pk, upload=SimpleUploadedFile("i.pdf", PDF),
        item_number=1, document_index=3, also_items=[2],
    )
    declaration.refresh_from_db()
    assert declaration.document["goods"][1]["documents"] == before
    # A copy uploaded for item 1 covers item 2's line that names the same document.
    from gomruk.declarations.attachments import attachments_by_line

    found = attachments_by_line(declaration.document, declaration.attachments.all())
    assert [a.filename for a in found[(2, len(before))]] == ["i.pdf"]
    assert (2, 1) not in found  # item 2's other documents are not covered


def test_a_ticked_item_that_does_not_exist_is_refused_and_nothing_is_stored(declarant_client, demo):
    declaration = _one_invoice_for_three_items(demo)
    before = declaration.document
    declarant_client.post(
        reverse("portal:attachment_upload", args=[declaration.pk]),
        {"item_number": "1", "document_index": "3", "also_items": ["7"], "file": SimpleUploadedFile("i.pdf", PDF)},
    )
    declaration.refresh_from_db()
    assert declaration.attachments.count() == 0 and declaration.document == before
