"""Issue 16.5: the goods grid carries every item field the rules need that the declarant types,
and its cells save through the same service as the item page (the autosave, the section form)."""

from __future__ import annotations

import re

from django.urls import reverse

from gomruk.declarations.models import Declaration
from gomruk.portal.fields import GRID_COLUMNS

GRID_VALUES = {
    "/goods/0/description": "Polad boru",
    "/goods/0/packages/count": "4",
    "/goods/0/packages/kind": "qutu",
    "/goods/0/packages/marks": "BY-101",
    "/goods/0/quantity": "100",
    "/goods/0/quantity_unit": "əd",
    "/goods/0/supplementary_unit": "796",
    "/goods/0/commodity_code": "7304190000",
    "/goods/0/origin_country/alpha": "TR",
    "/goods/0/gross_mass": "49,5",
    "/goods/0/net_mass": "45",
    "/goods/0/procedure_code": "100000",
    "/goods/0/privilege": "000",
    "/goods/0/invoice_value": "1250",
    "/goods/0/valuation/adjusted": "0",
    "/goods/0/valuation/method": "01",
    "/goods/0/documents/0/code": "8001",
    "/goods/0/documents/0/number": "INV-1",
    "/goods/0/documents/0/issued_on": "12.03.2026",
    "/goods/0/documents/1/code": "2015",
    "/goods/0/documents/1/number": "CMR-778812",
    "/goods/0/documents/1/issued_on": "10.03.2026",
    "/goods/0/payments/0/payment_type": "20",
    "/goods/0/payments/0/method": "03",
}


def _import_draft(client) -> Declaration:
    response = client.post(
        reverse("portal:new"), {"declaration_type": "01", "direction": "İD", "procedure": "40", "voen": "1401555071"}
    )
    assert response.status_code == 302
    declaration = Declaration.objects.latest("created_at")
    client.post(reverse("portal:goods_add", args=[declaration.pk]), {"count": "1"})
    return declaration


def _cell(page: str, path: str) -> str:
    dom = "f" + path.replace("/", "-")
    found = re.search(rf'<(input|output)[^>]*id="{re.escape(dom)}"[^>]*>([^<]*)', page)
    assert found is not None, path
    return found.group(0)


def test_the_grid_has_a_column_for_every_item_field_the_rules_need(declarant_client):
    declaration = _import_draft(declarant_client)
    page = declarant_client.get(reverse("portal:section", args=[declaration.pk, "goods"])).content.decode()
    for column in GRID_COLUMNS:
        assert f'id="col-{column.replace("/", "-")}"' in page
    for path in GRID_VALUES:
        if not path.startswith(("/goods/0/documents/1/", "/goods/0/payments/")):  # a blank line to start
            _cell(page, path)
    assert 'name="/goods/0/payments/0/method"' in page and 'name="/goods/0/documents/0/number"' in page


def test_grid_cells_save_through_the_section_form_and_read_back(declarant_client):
    declaration = _import_draft(declarant_client)
    response = declarant_client.post(
        reverse("portal:section", args=[declaration.pk, "goods"]), {**GRID_VALUES, "go": "goods"}
    )
    assert response.status_code == 200
    declaration.refresh_from_db()
    item = declaration.document["goods"][0]
    assert declaration.pending_input == {}
    assert item["packages"] == {"count": 4, "kind": "qutu", "marks": "BY-101"}
    assert item["quantity"] == "100" and item["quantity_unit"] == "əd" and item["supplementary_unit"] == "796"
    assert item["origin_country"] == {"alpha": "TR", "numeric": "792"}  # the numeric code follows
    assert item["gross_mass"] == "49.500" and item["net_mass"] == "45.000"
    assert item["valuation"] == {"adjusted": "0", "method": "01"}
    assert item["documents"] == [
        {"line": 8, "code": "8001", "number": "INV-1", "issued_on": "2026-03-12"},
        {"line": 2, "code": "2015", "number": "CMR-778812", "issued_on": "2026-03-10"},
    ]
    assert item["payments"][0]["payment_type"] == "20" and item["payments"][0]["method"] == "03"
    page = declarant_client.get(reverse("portal:section", args=[declaration.pk, "goods"])).content.decode()
    assert 'value="CMR-778812"' in _cell(page, "/goods/0/documents/1/number")
    assert 'value="Polad boru"' in _cell(page, "/goods/0/description")
    numeric = _cell(page, "/goods/0/origin_country/numeric")
    assert numeric.startswith("<output") and numeric.endswith("792")  # derived: read-only
    # A blank line follows the typed ones, to add a third document.
    _cell(page, "/goods/0/documents/2/code")


def test_a_grid_cell_autosaves_like_the_item_page(declarant_client):
    declaration = _import_draft(declarant_client)
    url = reverse("portal:autosave", args=[declaration.pk])
    response = declarant_client.post(url, {"/goods/0/documents/0/code": "2015", "/goods/0/documents/0/number": "CMR-778812"})
    assert response.status_code == 200
    declaration.refresh_from_db()
    assert declaration.document["goods"][0]["documents"] == [{"line": 2, "code": "2015", "number": "CMR-778812"}]
    item_page = declarant_client.get(reverse("portal:item", args=[declaration.pk, 1])).content.decode()
    assert 'value="CMR-778812"' in _cell(item_page, "/goods/0/documents/0/number")


def test_computed_cells_are_read_only(declarant_client, demo):
    from gomruk.declarations.services import declaration_create, parse_document
    from tests.completion.helpers import facts_only, load_payments_facts

    load_payments_facts()
    draft = declaration_create(user=demo["deklarant"], document=parse_document(facts_only()), voen="1401555071")
    page = declarant_client.post(reverse("portal:section", args=[draft.pk, "goods"]), {"go": "goods"}).content.decode()
    assert _cell(page, "/goods/0/statistical_value").startswith("<output")  # box 46 follows box 45
    assert _cell(page, "/goods/0/origin_country/numeric").startswith("<output")
    # Box 47 is computed and the declarant's to state (a deferral): its lines stay editable,
    # with how they follow.
    draft.refresh_from_db()
    assert draft.document["goods"][0]["payments"]
    assert _cell(page, "/goods/0/payments/0/method").startswith("<input")
    cell = page[page.index('id="f-goods-0-payments"') :]
    assert '<p class="formula">' in cell[: cell.index("</td>")]


def test_inputs_fit_their_content(declarant_client):
    declaration = _import_draft(declarant_client)
    declarant_client.post(
        reverse("portal:autosave", args=[declaration.pk]),
        {"/goods/0/documents/0/code": "2015", "/goods/0/documents/0/number": "CMR-778812"},
    )
    for url in (reverse("portal:item", args=[declaration.pk, 1]), reverse("portal:section", args=[declaration.pk, "goods"])):
        page = declarant_client.get(url).content.decode()
        number = _cell(page, "/goods/0/documents/0/number")
        assert int(re.search(r'size="(\d+)"', number).group(1)) > len("CMR-778812")
        code = _cell(page, "/goods/0/documents/0/code")
        assert int(re.search(r'size="(\d+)"', code).group(1)) < 10  # a 4-digit code, not a full-width box
