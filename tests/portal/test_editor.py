"""The editor: autosave, nothing typed lost, rules on leaving a section, goods rows."""

from __future__ import annotations

from django.urls import reverse

from gomruk.declarations.models import Declaration


def _new(client) -> Declaration:
    response = client.post(
        reverse("portal:new"), {"declaration_type": "01", "direction": "İX", "procedure": "10", "voen": "1401555071"}
    )
    assert response.status_code == 302
    return Declaration.objects.latest("created_at")


def test_new_declaration_starts_with_box_1_and_the_trader_prefilled(declarant_client):
    declaration = _new(declarant_client)
    assert declaration.document["direction"] == "İX" and declaration.document["procedure"] == "10"
    assert declaration.document["consignor"]["identifier"] == "1401555071"
    assert declaration.document["declarant"]["identifier"] == "1401555071"


def test_every_input_has_a_box_label(declarant_client):
    declaration = _new(declarant_client)
    page = declarant_client.get(reverse("portal:section", args=[declaration.pk, "participants"])).content.decode()
    # The box is named once, by its fieldset's legend; the input's own label is the sub-field.
    box_2 = page.split('id="box-2"', 1)[1].split("</fieldset>", 1)[0]
    assert "<legend>Qrafa 2 — Göndərən / ixracatçı <a class=\"box-help\" href=\"/help/#box-2\"" in box_2
    assert '<label for="f-consignor-name">Adı</label>' in box_2
    assert 'name="/consignor/name"' in page


def test_autosave_keeps_a_value_it_cannot_read_and_shows_why(declarant_client):
    declaration = _new(declarant_client)
    url = reverse("portal:autosave", args=[declaration.pk])
    response = declarant_client.post(url, {"/total_packages": "on iki", "/loading_place": "Bakı"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert "Tam ədəd yazın" in response.content.decode()
    declaration.refresh_from_db()
    assert declaration.document["loading_place"] == "Bakı"
    assert "total_packages" not in declaration.document
    assert declaration.pending_input["/total_packages"]["raw"] == "on iki"
    page = declarant_client.get(reverse("portal:section", args=[declaration.pk, "general"])).content.decode()
    assert 'value="on iki"' in page  # still shown where it was typed
    declarant_client.post(url, {"/total_packages": "12"})
    declaration.refresh_from_db()
    assert declaration.document["total_packages"] == 12 and declaration.pending_input == {}


def test_decimal_comma_and_dotted_dates_are_read(declarant_client):
    declaration = _new(declarant_client)
    declarant_client.post(
        reverse("portal:autosave", args=[declaration.pk]),
        {"/office_of_dispatch/usd_rate": "1,7000", "/deferred_until": "31.12.2026"},
    )
    declaration.refresh_from_db()
    assert declaration.document["office_of_dispatch"]["usd_rate"] == "1.7000"
    assert declaration.document["deferred_until"] == "2026-12-31"


def test_a_row_value_waits_until_its_row_is_complete(declarant_client):
    declaration = _new(declarant_client)
    declarant_client.post(reverse("portal:goods_add", args=[declaration.pk]), {"count": "1"})
    url = reverse("portal:autosave", args=[declaration.pk])
    declarant_client.post(url, {"/goods/0/documents/0/number": "INV-1"})  # box 44: no line, no code yet
    declaration.refresh_from_db()
    assert "/goods/0/documents/0/number" in declaration.pending_input
    declarant_client.post(url, {"/goods/0/documents/0/code": "8001"})  # the code gives the line
    declaration.refresh_from_db()
    assert declaration.document["goods"][0]["documents"][0] == {"line": 8, "code": "8001", "number": "INV-1"}
    assert declaration.pending_input == {}


def test_leaving_a_section_runs_its_rules_and_shows_errors_beside_boxes(declarant_client):
    declaration = _new(declarant_client)
    response = declarant_client.post(
        reverse("portal:section", args=[declaration.pk, "transport"]),
        {"/container_indicator": "7", "go": "goods"},
    )
    assert response.status_code == 200  # stays: errors are shown, not a redirect
    page = response.content.decode()
    assert 'id="error-summary"' in page
    box_19 = page[page.index('id="box-19"') :]
    box_19 = box_19[: box_19.index("</fieldset>")]
    assert 'class="error' in box_19
    assert reverse("portal:section", args=[declaration.pk, "goods"]) in page  # "continue anyway"
    declaration.refresh_from_db()
    assert declaration.document["container_indicator"] == "7"  # saved all the same


def test_a_clean_section_moves_on(declarant_client, export_declaration):
    response = declarant_client.post(
        reverse("portal:section", args=[export_declaration.pk, "transport"]), {"go": "goods"}
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("portal:section", args=[export_declaration.pk, "goods"])


def test_goods_grid_adds_and_removes_items_renumbering_box_32(declarant_client):
    declaration = _new(declarant_client)
    declarant_client.post(reverse("portal:goods_add", args=[declaration.pk]), {"count": "3"})
    declarant_client.post(reverse("portal:autosave", args=[declaration.pk]), {"/goods/1/description": "İkinci"})
    url = reverse("portal:row_remove", args=[declaration.pk]) + "?path=/goods&index=0"
    declarant_client.post(url, {})
    declaration.refresh_from_db()
    goods = declaration.document["goods"]
    assert [g["item_number"] for g in goods] == [1, 2]
    assert goods[0]["description"] == "İkinci"


def test_goods_are_limited_to_100(declarant_client):
    declaration = _new(declarant_client)
    declarant_client.post(reverse("portal:goods_add", args=[declaration.pk]), {"count": "150"})
    declaration.refresh_from_db()
    assert len(declaration.document["goods"]) == 100
    page = declarant_client.get(reverse("portal:section", args=[declaration.pk, "goods"])).content.decode()
    assert 'id="item-100"' in page and "Mal əlavə et" not in page


def test_item_page_shows_every_goods_box(declarant_client, export_declaration):
    page = declarant_client.get(reverse("portal:item", args=[export_declaration.pk, 2])).content.decode()
    for box in ("31", "33", "34", "35", "37", "38", "44", "47"):
        assert f'id="box-{box}"' in page


def test_another_traders_declaration_is_not_found(client, demo, export_declaration):
    client.force_login(demo["deklarant2"])
    for name, args in (("portal:section", [export_declaration.pk, "general"]), ("portal:summary", [export_declaration.pk])):
        assert client.get(reverse(name, args=args)).status_code == 404
    response = client.post(reverse("portal:autosave", args=[export_declaration.pk]), {"/loading_place": "x"})
    assert "Bəyannamə tapılmadı" in response.content.decode()
    export_declaration.refresh_from_db()
    assert export_declaration.document.get("loading_place") != "x"


def test_officer_pages_are_closed_to_declarants(declarant_client, officer_client, export_declaration):
    assert declarant_client.get(reverse("portal:queue")).status_code == 403
    assert officer_client.get(reverse("portal:section", args=[export_declaration.pk, "general"])).status_code == 403
