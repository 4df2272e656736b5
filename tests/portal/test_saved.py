"""Issue 16 item 6 in the portal: the "Saxlanmış…" picker on a section or goods item fills the
boxes through the section save, "Yadda saxla" keeps a filled box for later, and the saved
entries page lists, renames and deletes them — each trader's own."""

from __future__ import annotations

import json

import pytest
from django.test import Client
from django.urls import reverse

from gomruk.core.models import AuditEntry
from gomruk.declarations.models import Declaration
from gomruk.declarations.services import declaration_create, parse_document
from gomruk.declarations.validation import declaration_errors
from gomruk.demo import factories as examples
from gomruk.rules.sections import SECTION_BOXES
from gomruk.saved.models import SavedEntry


@pytest.fixture
def second_draft(demo):
    """An export without the consignee and with one goods item, for the same trader."""
    data = examples.export_gb().to_data()
    data.pop("consignee")
    data["goods"] = data["goods"][:1]
    return declaration_create(user=demo["deklarant"], document=parse_document(data), voen="1401555071")


def _section(client, declaration, section):
    return client.get(reverse("portal:section", args=[declaration.pk, section]))


def test_save_a_party_for_later_then_fill_another_draft_with_it(declarant_client, export_declaration, second_draft):
    page = _section(declarant_client, export_declaration, "participants").content.decode()
    assert "Saxlanmış tərəflər" in page and reverse("portal:saved_save", args=[export_declaration.pk]) in page
    response = declarant_client.post(reverse("portal:saved_save", args=[export_declaration.pk]), {
        "kind": "parties", "target": "consignee", "name": "Kartli", "back": "participants",
    })
    assert response.status_code == 302
    assert response["Location"] == reverse("portal:section", args=[export_declaration.pk, "participants"])
    entry = SavedEntry.objects.get(name="Kartli")
    assert entry.trader_voen == "1401555071" and entry.data == export_declaration.document["consignee"]

    page = _section(declarant_client, second_draft, "participants").content.decode()
    assert f'<option value="{entry.pk}">Kartli</option>' in page
    response = declarant_client.post(reverse("portal:saved_apply", args=[second_draft.pk]), {
        "entry": str(entry.pk), "target": "consignee", "back": "participants",
    })
    assert response.status_code == 302
    stored = Declaration.objects.get(pk=second_draft.pk)
    assert stored.document["consignee"] == export_declaration.document["consignee"]
    page = declarant_client.get(response["Location"]).content.decode()
    assert "Saxlanmış qeyd yazıldı." in page and "Kartli Trading LLC" in page

    def box_8(declaration):
        return [e.rule for e in declaration_errors(declaration=declaration, boxes=SECTION_BOXES["participants"])
                if e.box == "8"]

    assert box_8(stored) == box_8(export_declaration) == []


def test_htmx_fill_names_the_page_to_show(declarant_client, export_declaration, second_draft):
    entry = SavedEntry.objects.create(trader_voen="1401555071", kind="routes", name="Bakı – Tbilisi",
                                      data={"border_office": "00206", "goods_location": "00100"},
                                      created_by=export_declaration.created_by)
    response = declarant_client.post(
        reverse("portal:saved_apply", args=[second_draft.pk]),
        {"entry": str(entry.pk), "back": "transport"}, headers={"HX-Request": "true"},
    )
    assert response.status_code == 200
    location = json.loads(response["HX-Location"])
    assert location["path"] == reverse("portal:section", args=[second_draft.pk, "transport"])
    assert location["select"] == location["target"] == "#main"
    assert Declaration.objects.get(pk=second_draft.pk).document["border_office"] == "00206"


def test_a_goods_line_from_an_item_page_becomes_a_new_item(declarant_client, export_declaration, second_draft):
    page = declarant_client.get(reverse("portal:item", args=[export_declaration.pk, 2])).content.decode()
    assert "Saxlanmış mallar" in page and 'name="with_shipment"' in page
    declarant_client.post(reverse("portal:saved_save", args=[export_declaration.pk]), {
        "kind": "goods", "item": "2", "name": "Nar", "back": "goods",
    })
    entry = SavedEntry.objects.get(name="Nar")
    assert "gross_mass" not in entry.data
    assert entry.data["description"] == export_declaration.document["goods"][1]["description"]
    # From the goods section the picker adds a new item and opens it.
    page = _section(declarant_client, second_draft, "goods").content.decode()
    assert "Yeni mal kimi əlavə et" in page
    response = declarant_client.post(reverse("portal:saved_apply", args=[second_draft.pk]),
                                     {"entry": str(entry.pk), "back": "goods"})
    assert response["Location"] == reverse("portal:item", args=[second_draft.pk, 2])
    goods = Declaration.objects.get(pk=second_draft.pk).document["goods"]
    assert len(goods) == 2 and goods[1]["item_number"] == 2
    assert goods[1]["commodity_code"] == export_declaration.document["goods"][1]["commodity_code"]


def test_a_refused_fill_is_a_message_and_nothing_changes(declarant_client, export_declaration):
    entry = SavedEntry.objects.create(trader_voen="1401555071", kind="parties", name="X", data={"name": "X"},
                                      created_by=export_declaration.created_by)
    before = Declaration.objects.get(pk=export_declaration.pk).document
    response = declarant_client.post(reverse("portal:saved_apply", args=[export_declaration.pk]),
                                     {"entry": str(entry.pk), "target": "goods", "back": "participants"},
                                     follow=True)
    assert "This entry cannot be written" in response.content.decode() or "Bu qeyd bu qrafaya" in response.content.decode()
    assert Declaration.objects.get(pk=export_declaration.pk).document == before


def test_the_saved_entries_page_lists_renames_and_deletes(declarant_client, export_declaration, demo):
    mine = SavedEntry.objects.create(trader_voen="1401555071", kind="parties", name="Kartli",
                                     data={"name": "Kartli Trading LLC"}, created_by=demo["deklarant"])
    theirs = SavedEntry.objects.create(trader_voen="1900310041", kind="parties", name="Başqasının",
                                       data={"name": "Başqa"}, created_by=demo["deklarant2"])
    page = declarant_client.get(reverse("portal:saved")).content.decode()
    assert "Kartli Trading LLC" in page and "Başqasının" not in page
    assert declarant_client.get(reverse("portal:saved") + "?kind=goods").content.decode().count("<tr id=") == 0

    response = declarant_client.post(reverse("portal:saved_rename", args=[mine.pk]), {"name": "Kartli LLC",
                                                                                      "kind_filter": "parties"})
    assert response["Location"] == reverse("portal:saved") + "?kind=parties"
    mine.refresh_from_db()
    assert mine.name == "Kartli LLC"
    # Another trader's entry: not found, untouched.
    assert declarant_client.post(reverse("portal:saved_rename", args=[theirs.pk]), {"name": "mine"}).status_code == 404
    assert declarant_client.post(reverse("portal:saved_delete", args=[theirs.pk])).status_code == 404
    assert SavedEntry.objects.get(pk=theirs.pk).name == "Başqasının"

    assert declarant_client.post(reverse("portal:saved_delete", args=[mine.pk])).status_code == 302
    assert not SavedEntry.objects.filter(pk=mine.pk).exists()
    actions = set(AuditEntry.objects.filter(object_id=str(mine.pk)).values_list("action", flat=True))
    assert actions == {"saved.update", "saved.delete"}


def test_officers_have_no_saved_entries(officer_client):
    assert officer_client.get(reverse("portal:saved")).status_code == 403


def test_csrf_is_required_for_the_portal_forms(demo, export_declaration):
    client = Client(enforce_csrf_checks=True)
    client.force_login(demo["deklarant"])
    response = client.post(reverse("portal:saved_save", args=[export_declaration.pk]),
                           {"kind": "routes", "name": "R", "back": "transport"})
    assert response.status_code == 403
    assert not SavedEntry.objects.exists()


def test_english_words(declarant_client, export_declaration):
    SavedEntry.objects.create(trader_voen="1401555071", kind="parties", name="Kartli", data={"name": "Kartli"},
                              created_by=export_declaration.created_by)
    declarant_client.cookies["django_language"] = "en"
    page = declarant_client.get(reverse("portal:section", args=[export_declaration.pk, "participants"]),
                                headers={"Accept-Language": "en"}).content.decode()
    for words in ("Saved parties", "Saved…", "Save for later", "Manage saved entries", "Saved entries"):
        assert words in page, words
    assert "Saxlanmış" not in page
