"""Issue 16: the editor shows computed boxes read-only with their formula, recomputes them on
a section save ("Hesabla"), and marks the declarant's override."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import reverse

from tests.completion.helpers import facts_only, load_payments_facts


@pytest.fixture
def draft(demo):
    from gomruk.declarations.services import declaration_create, parse_document

    load_payments_facts()
    return declaration_create(user=demo["deklarant"], document=parse_document(facts_only()), voen="1401555071")


def _save(client, declaration, section="general", **values):
    url = reverse("portal:section", args=[declaration.pk, section])
    return client.post(url, {"go": section, **values})


def test_a_section_save_fills_the_computed_boxes_shown_read_only_with_their_formula(declarant_client, draft):
    page = _save(declarant_client, draft).content.decode()
    draft.refresh_from_db()
    assert draft.document["total_items"] == 3
    assert draft.document["total_customs_value"] == "5151.00"
    assert draft.document["first_destination_country"] == {"alpha": "AZE", "numeric": "031"}
    # Box 5: not the declarant's to type — an output, not an input, with how it follows.
    assert '<output id="f-total_items" class="readonly computed" title="malların sayı (32) = 3">3</output>' in page
    assert 'name="/total_items"' not in page
    assert "Hesablanıb: Σ 45-ci qrafa = 5 151.00 AZN" in page
    # Box 6 is the declarant's to state (shared packages): editable, with what the system computes.
    assert 'name="/total_packages" value="30"' in page
    assert "Sistem hesablayır: Σ yük yerləri (31) = 10 + 10 + 10 = 30" in page


def test_english_formulas(declarant_client, draft):
    _save(declarant_client, draft)
    url = reverse("portal:section", args=[draft.pk, "general"])
    page = declarant_client.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    if "Computed:" not in page:  # the portal's language is the session's; switch it
        declarant_client.post(reverse("set_language"), {"language": "en", "next": url})
        page = declarant_client.get(url).content.decode()
    assert "Computed: Σ box 45 = 5 151.00 AZN" in page


def test_an_input_change_recomputes_and_an_override_is_marked(declarant_client, draft):
    _save(declarant_client, draft)
    page = _save(declarant_client, draft, **{"/total_packages": "25"}).content.decode()
    draft.refresh_from_db()
    assert draft.document["total_packages"] == 25
    assert draft.computed_values["/total_packages"]["overridden"] is True
    assert "Öz dəyəriniz saxlanılıb; sistemin hesabı: Σ yük yerləri (31) = 10 + 10 + 10 = 30" in page
    # The item page: an invoice value changes, box 45, 46, 47 and the totals follow.
    item = reverse("portal:item", args=[draft.pk, 2])
    response = declarant_client.post(item, {"go": "stay", "/goods/1/invoice_value": "2020"})
    assert response.status_code == 200
    draft.refresh_from_db()
    assert draft.document["goods"][1]["customs_value"] == "3434.00"
    assert draft.document["total_customs_value"] == "6868.00"
    assert draft.document["goods"][1]["statistical_value"] == "2020.00"
    page = response.content.decode()
    assert "2 020.00 USD × 1.7000 = 3 434.00 AZN" in page
    assert '<output id="f-goods-1-statistical_value" class="readonly computed"' in page


def test_a_box_44_row_typed_without_its_line_is_taken_and_its_line_shown_computed(declarant_client, draft):
    item = reverse("portal:item", args=[draft.pk, 1])
    row = "/goods/0/documents/3"
    response = declarant_client.post(
        item, {"go": "stay", f"{row}/code": "7001", f"{row}/number": "CO-1", f"{row}/issued_on": "10.01.2025"}
    )
    assert response.status_code == 200
    draft.refresh_from_db()
    assert draft.document["goods"][0]["documents"][3] == {"line": 7, "code": "7001", "number": "CO-1", "issued_on": "2025-01-10"}
    assert not draft.pending_input
    page = response.content.decode()
    assert '<output id="f-goods-0-documents-3-line" class="readonly computed"' in page
    assert "Hesablanıb: 13 nömrəli əlavə: 7001 kodunun qrupu → sətir 7" in page


def test_item_defaults_are_shown_as_the_systems_and_stay_editable(declarant_client, draft):
    item = reverse("portal:item", args=[draft.pk, 1])
    declarant_client.post(item, {"go": "stay", "/goods/0/privilege": "", "/goods/0/procedure_code": ""})
    draft.refresh_from_db()
    assert (draft.document["goods"][0]["privilege"], draft.document["goods"][0]["procedure_code"]) == ("000", "400000")
    page = declarant_client.get(item).content.decode()
    assert 'name="/goods/0/privilege" value="000"' in page
    assert "Sistem hesablayır: 36-cı qrafa: imtiyaz yoxdur → 000" in page


def test_section_1_saved_before_the_goods_shows_no_findings_on_the_boxes_they_make(declarant_client, demo):
    from gomruk.declarations.services import declaration_create, parse_document

    load_payments_facts()
    document = {k: v for k, v in facts_only().items() if k not in ("goods", "total_items", "total_packages")}
    empty = declaration_create(user=demo["deklarant"], document=parse_document(document), voen="1401555071")
    page = _save(declarant_client, empty).content.decode()
    summary = re.search(r'id="error-summary".*?</section>', page, re.S)
    shown = re.findall(r'<li class="\w+"><a href="[^"]*">([^<]*)</a>', summary.group(0)) if summary else []
    boxes = {where.split(" — ")[0] for where in shown}
    assert shown  # the boxes section 1 does judge still speak (here 48)
    assert not boxes & {"Qrafa 5", "Qrafa 6", "Qrafa 12", "Qrafa 22", "Qrafa 23", "Qrafa A"}, shown
    empty.refresh_from_db()
    assert empty.document["exchange_rate"] == "1.7000"  # box 23 follows box 22's currency, not the items


# --- Pickers (issue 16.2) ----------------------------------------------------------------------


def _autosave(client, declaration, **values):
    return client.post(reverse("portal:autosave", args=[declaration.pk]), values)


def test_letter_codes_typed_are_stored_in_the_specs_form(declarant_client, draft):
    _autosave(declarant_client, draft, **{"/invoice_currency": "EUR", "/delivery_terms/code": "FCA"})
    draft.refresh_from_db()
    assert draft.document["invoice_currency"] == "978"
    assert draft.document["delivery_terms"]["code"] == "02"
    _autosave(declarant_client, draft, **{"/first_destination_country/alpha": "az"})
    draft.refresh_from_db()
    assert draft.document["first_destination_country"]["alpha"] == "AZE"  # box 10 on an import


def test_a_name_typed_into_a_code_field_is_kept_pending_and_says_what_was_expected(declarant_client, draft):
    response = _autosave(declarant_client, draft, **{"/goods/0/origin_country/alpha": "Türkiyə"})
    assert "Bu sahəyə ad deyil, kod yazılır: TR — Türkiyə." in response.content.decode()
    draft.refresh_from_db()
    assert "alpha" not in draft.document["goods"][0].get("origin_country", {})  # never stored as a code
    assert draft.pending_input["/goods/0/origin_country/alpha"]["raw"] == "Türkiyə"
    page = declarant_client.get(reverse("portal:item", args=[draft.pk, 1])).content.decode()
    assert 'value="Türkiyə"' in page
    assert "Bu sahəyə ad deyil, kod yazılır: TR — Türkiyə." in page


def test_the_datalists_offer_what_the_rules_accept(declarant_client, draft):
    page = declarant_client.get(reverse("portal:section", args=[draft.pk, "general"])).content.decode()

    def offered(field_id):
        list_id = re.search(rf'id="{field_id}"[^>]* list="([^"]+)"', page).group(1)
        block = re.search(rf'<datalist id="{list_id}">(.*?)</datalist>', page, re.S).group(1)
        return re.findall(r'<option value="([^"]+)">([^<]*)</option>', block)

    procedures = dict(offered("f-procedure"))
    assert "40" in procedures and "10" not in procedures  # İD: no "10 İxrac"
    countries = dict(offered("f-first_destination_country-alpha"))
    assert countries["AZE"] == "Azərbaycan" and "AZ" not in countries  # alpha-3 on an import


def test_box_33_searches_the_nomenclature_and_shows_the_tariff_line(declarant_client, draft, demo):
    page = declarant_client.get(reverse("portal:item", args=[draft.pk, 1])).content.decode()
    url = reverse("portal:commodity_codes", args=[draft.pk])
    assert f'hx-get="{url}"' in page and '<datalist id="dl-sf-goods-0-commodity_code"></datalist>' in page
    assert "20: 15% — tarif sətri 5208 / ödəniş 20" in page  # the code's tariff line, below the field
    answer = declarant_client.get(url, {"/goods/0/commodity_code": "520812"}).content.decode()
    assert answer.startswith('<datalist id="dl-sf-goods-0-commodity_code">')
    assert '<option value="520812">' in answer and "· 20: 15%" in answer
    # Another trader's declaration is not searched through.
    other = Client()
    other.force_login(demo["deklarant2"])
    assert other.get(url, {"/goods/0/commodity_code": "5208"}).status_code == 404
