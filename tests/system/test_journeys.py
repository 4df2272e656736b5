"""The portal's journeys in a real browser (issue 5, item 9)."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from openpyxl import Workbook

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def _example(site, kind="export_gb"):
    from gomruk.declarations.services import declaration_create
    from gomruk.demo import factories as examples

    document = getattr(examples, kind)()
    return declaration_create(user=site["users"]["deklarant"], document=document, voen="1401555071")


def _sign_in_browser(steps, site, declaration_id) -> None:
    """Certificate flow: download the payload, sign it with the key file, upload the .p7s."""
    from gomruk.signatures.local import sign_payload

    page = steps.page
    steps.go(f"/declarations/{declaration_id}/sign/")
    steps.shot("sign-page")
    with page.expect_download() as download:
        page.click("text=İmzalanacaq məzmunu endirin")
    payload = Path(download.value.path()).read_bytes()
    signature = sign_payload(
        payload,
        key_pem=(site["pki"] / "deklarant-key.pem").read_bytes(),
        cert_pem=(site["pki"] / "deklarant.pem").read_bytes(),
    )
    page.set_input_files("#sign-file", files=[{"name": "beyanname.p7s", "mimeType": "application/pkcs7-signature", "buffer": signature}])
    steps.shot("signature-chosen")
    page.click("text=İmzanı təqdim et")
    page.wait_for_url(re.compile(r".*/confirm/$"))
    steps.shot("terms")
    page.check("#accept-terms")
    page.click("form.stack button[type=submit]")
    page.wait_for_url(re.compile(r".*/send/$"))
    page.select_option("#send-office", "00100")
    steps.shot("office-chosen")
    page.click("form.stack button[type=submit]")
    page.wait_for_url(re.compile(r".*/declarations/[0-9a-f-]+/$"))


def _sent(site):
    from gomruk.declarations.signing import declaration_sign, signing_payload
    from gomruk.declarations.submission import current_terms, declaration_confirm, declaration_send
    from gomruk.signatures.local import sign_payload

    user = site["users"]["deklarant"]
    declaration = _example(site)
    payload = signing_payload(user=user, declaration_id=declaration.pk)
    signature = sign_payload(
        payload.payload,
        key_pem=(site["pki"] / "deklarant-key.pem").read_bytes(),
        cert_pem=(site["pki"] / "deklarant.pem").read_bytes(),
    )
    declaration_sign(user=user, declaration_id=declaration.pk, provider="certificate", signature=signature)
    terms = current_terms()
    assert terms is not None, "the submission terms are published by a data migration"
    declaration_confirm(user=user, declaration_id=declaration.pk, terms_version=terms.version, accepted=True)
    return declaration_send(user=user, declaration_id=declaration.pk, office_code="00100")


def test_declarant_from_login_to_number(steps, site):
    declaration = _example(site)
    page = steps.page
    steps.login("deklarant")
    page.wait_for_selector("#declarations")
    steps.shot("home")
    page.click(f"#declarations a[href='/declarations/{declaration.pk}/']")
    page.click("text=Redaktə et")
    for section in ("participants", "transport", "goods"):
        steps.shot(f"before-{section}")
        page.click("button[name=go][accesskey=n]")  # leaving runs the section's rules
        page.wait_for_url(re.compile(rf".*/edit/{section}/$"))
    steps.shot("goods")
    page.click("button[name=go][accesskey=n]")
    page.wait_for_url(re.compile(r".*/summary/$"))
    assert page.locator("#error-summary").count() == 0
    steps.shot("summary")
    _sign_in_browser(steps, site, declaration.pk)
    number = page.inner_text("[data-testid=registration-number]")
    steps.shot("number")
    assert re.fullmatch(r"00100/\d{6}/\d{7}", number)
    steps.go("/")
    assert number in page.inner_text("#declarations")
    assert "Göndərilib" in page.inner_text("#declarations")
    steps.shot("home-with-number")


def test_declaration_with_errors_fixed_in_the_browser(steps, site):
    declaration = _example(site)
    page = steps.page
    steps.login("deklarant")
    steps.go(f"/declarations/{declaration.pk}/edit/transport/")
    page.fill("#f-container_indicator", "7")
    page.fill("#f-loading_place", "Bakı, Qaradağ r.")
    page.wait_for_selector("[data-saved]")  # the autosave answered
    steps.shot("typed-wrong-value")
    page.click("button[name=go][accesskey=n]")
    page.wait_for_selector("#error-summary")
    assert page.locator("#box-19 .error").count() >= 1
    steps.shot("error-beside-box-19")
    page.click("#error-summary a >> nth=0")
    page.fill("#f-container_indicator", "0")
    steps.shot("fixed")
    page.click("button[name=go][accesskey=n]")
    page.wait_for_url(re.compile(r".*/edit/goods/$"))
    steps.shot("moved-on")
    declaration.refresh_from_db()
    assert declaration.document["container_indicator"] == "0"
    assert declaration.document["loading_place"] == "Bakı, Qaradağ r."


def _xlsx(rows):
    book = Workbook()
    sheet = book.active
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_xlsx_import(steps, site):
    declaration = _example(site)
    page = steps.page
    steps.login("deklarant")
    steps.go(f"/declarations/{declaration.pk}/edit/goods/")
    page.click("text=CSV və ya XLSX faylından idxal")
    steps.shot("import-page")
    header = ["description", "commodity_code", "origin_alpha", "gross_mass", "net_mass", "invoice_value"]
    bad = _xlsx([header, ["Alma", "0808108000", "AZ", 100, 95, 200], ["Armud", "0808301000", "AZ", "yüz", 90, 150]])
    page.set_input_files("#import-file", files=[{"name": "mallar.xlsx", "mimeType": "application/octet-stream", "buffer": bad}])
    page.click("form.stack button[type=submit]")
    page.wait_for_selector("#import-errors")
    assert "gross_mass" in page.inner_text("#import-errors") and "yüz" in page.inner_text("#import-errors")
    steps.shot("import-errors")
    good = _xlsx([header, ["Alma", "0808108000", "AZ", 100, 95, 200], ["Armud", "0808301000", "AZ", 100.5, 90, 150]])
    page.set_input_files("#import-file", files=[{"name": "mallar.xlsx", "mimeType": "application/octet-stream", "buffer": good}])
    page.click("form.stack button[type=submit]")
    page.wait_for_url(re.compile(r".*/edit/goods/$"))
    assert page.input_value("#f-goods-4-gross_mass") == "100.500"
    steps.shot("imported")


def test_officer_releases_and_declarant_sees_released(steps, site):
    declaration = _sent(site)
    page = steps.page
    steps.login("inspektor")
    page.wait_for_selector("#queue")
    steps.shot("queue")
    page.click(f"text={declaration.registration_number}")
    steps.shot("declaration")
    page.click("text=Qeydiyyata al")
    page.select_option("#channel", "green")
    page.fill("#channel-reason", "Aşağı risk")
    steps.shot("channel")
    page.click("text=Dəhlizi təyin et")
    page.fill("#d-result", "Uyğundur")
    page.click("text=C və D qrafalarını yaz")
    page.click("text=Malları burax")
    assert page.inner_text("[data-testid=state]") == "Buraxılıb"
    steps.shot("released")
    page.click("header form button")  # log out
    steps.login("deklarant")
    page.wait_for_selector("#declarations")
    row = page.locator("#declarations tr", has_text=declaration.registration_number)
    assert "Buraxılıb" in row.inner_text()
    steps.shot("declarant-sees-released")


def test_pages_fit_phones_and_label_every_input(steps, site):
    from gomruk.declarations.services import declaration_create
    from gomruk.demo import factories as examples

    document = examples.import_gb()
    document.goods[0].documents[0].number = "CMR-778812"  # issue 16.5: it once showed as "CMF"
    declaration = declaration_create(user=site["users"]["deklarant"], document=document, voen="1401555071")
    page = steps.page
    steps.login("deklarant")
    for width in (1280, 390):
        page.set_viewport_size({"width": width, "height": 900})
        for path in ("/", f"/declarations/{declaration.pk}/edit/general/", f"/declarations/{declaration.pk}/edit/goods/",
                     f"/declarations/{declaration.pk}/goods/1/", f"/declarations/{declaration.pk}/summary/"):
            steps.go(path)
            overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
            assert overflow <= 0, (path, width, overflow)
            unlabelled = page.evaluate(
                """() => [...document.querySelectorAll('input:not([type=hidden]), select, textarea')]
                     .filter(e => !(e.labels && e.labels.length) && !e.getAttribute('aria-label')
                                  && !e.getAttribute('aria-labelledby')).map(e => e.name || e.id)"""
            )
            assert unlabelled == [], (path, unlabelled)
            # Inputs fit their content: a box 44 number shows whole, on the item page and in the grid.
            clipped = page.evaluate(
                """() => [...document.querySelectorAll('#box-44 input, td.lines input')]
                     .filter(e => e.value && e.scrollWidth > e.clientWidth).map(e => e.name + '=' + e.value)"""
            )
            assert clipped == [], (path, width, clipped)
            steps.shot(f"{width}-{path.strip('/').replace('/', '-') or 'home'}")
    page.keyboard.press("Tab")
    focused = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert focused != "none"
