"""Issue 16 item 6 in a real browser: "Saxlanmış…" fills a section's boxes with htmx (the page's
main part replaced, its address kept, no reload), and "Sonra üçün yadda saxla" keeps a box."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_fill_a_party_from_the_picker_and_save_the_route(steps, site):
    from gomruk.declarations.services import declaration_create, parse_document
    from gomruk.demo import factories as examples
    from gomruk.saved.models import SavedEntry

    user = site["users"]["deklarant"]
    data = examples.export_gb().to_data()
    consignee = data.pop("consignee")
    declaration = declaration_create(user=user, document=parse_document(data), voen="1401555071")
    entry = SavedEntry.objects.create(trader_voen="1401555071", kind="parties", name="Kartli", data=consignee,
                                      created_by=user)
    page = steps.page
    steps.login("deklarant")
    page.wait_for_url(f"{site['url']}/")
    steps.go(f"/declarations/{declaration.pk}/edit/participants/")
    page.evaluate("window.notReloaded = true")  # gone if the page were loaded again
    page.select_option("#saved-entry", str(entry.pk))
    page.select_option("#saved-target", "consignee")
    steps.shot("picker")
    page.click("form.saved-apply button[type=submit]")
    expect(page.locator("#f-consignee-name")).to_have_value("Kartli Trading LLC")
    steps.shot("filled")
    assert page.evaluate("window.notReloaded") is True
    assert page.url.endswith(f"/declarations/{declaration.pk}/edit/participants/")
    assert "Saxlanmış qeyd yazıldı." in page.inner_text("main")
    declaration.refresh_from_db()
    assert declaration.document["consignee"] == consignee

    steps.go(f"/declarations/{declaration.pk}/edit/transport/")
    page.fill("#saved-name", "Bakı – Tbilisi")
    page.click("form.saved-save button[type=submit]")
    page.wait_for_selector("text=“Bakı – Tbilisi” sonra üçün saxlanıldı.")
    steps.shot("route-saved")
    saved = SavedEntry.objects.get(name="Bakı – Tbilisi")
    assert saved.kind == "routes" and saved.data["border_office"] == data["border_office"]
