"""Issue 19 in a real browser: the declarant amends a sent declaration (edits a box, sees the
difference, signs with a key file, sends), then complains against a refusal; the pages fit a
390 px phone and label every input."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.system.test_journeys import _sent

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def _sign_file(site, payload: bytes) -> bytes:
    from gomruk.signatures.local import sign_payload

    return sign_payload(
        payload,
        key_pem=(site["pki"] / "deklarant-key.pem").read_bytes(),
        cert_pem=(site["pki"] / "deklarant.pem").read_bytes(),
    )


def _fits_and_labels(page, path: str) -> None:
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0, (path, overflow)
    unlabelled = page.evaluate(
        """() => [...document.querySelectorAll('input:not([type=hidden]), select, textarea')]
             .filter(e => !(e.labels && e.labels.length) && !e.getAttribute('aria-label')
                          && !e.getAttribute('aria-labelledby')).map(e => e.name || e.id)"""
    )
    assert unlabelled == [], (path, unlabelled)


def test_declarant_amends_a_sent_declaration_in_the_browser(steps, site):
    from gomruk.declarations.models import AmendmentRequest, RequestStatus

    declaration = _sent(site)
    page = steps.page
    steps.login("deklarant")
    page.wait_for_selector("#declarations")
    steps.go(f"/declarations/{declaration.pk}/")
    page.click("text=Düzəliş sorğusu hazırla")
    page.wait_for_url(re.compile(r".*/amendments/1/$"))
    steps.shot("amendment-started")
    steps.go(f"/declarations/{declaration.pk}/amendments/1/edit/goods/1/")
    page.fill("#f-goods-0-gross_mass", "2600,5")
    steps.shot("box-35-changed")
    page.click("text=Yadda saxla və fərqlərə bax")
    page.wait_for_url(re.compile(r".*/amendments/1/$"))
    assert "2600.500" in page.inner_text("table.changes")
    page.fill("#amend-reason", "Çəki aktına görə brutto çəki düzəldilir")
    page.click("text=Səbəbi yadda saxla")
    page.click("text=İmzala və göndər")
    page.wait_for_url(re.compile(r".*/amendments/1/sign/$"))
    with page.expect_download() as download:
        page.click("text=İmzalanacaq məzmunu endirin")
    signature = _sign_file(site, Path(download.value.path()).read_bytes())
    page.set_input_files("#sign-file", files=[{"name": "d.p7s", "mimeType": "application/pkcs7-signature", "buffer": signature}])
    page.click("text=İmzala və gömrüyə göndər")
    page.wait_for_url(re.compile(r".*/amendments/1/$"))
    assert page.inner_text("[data-testid=amendment-status]") == "Gömrükdə baxılır"
    steps.shot("amendment-sent")
    assert AmendmentRequest.objects.get(declaration=declaration).status == RequestStatus.REQUESTED

    for path in (f"/declarations/{declaration.pk}/", f"/declarations/{declaration.pk}/amendments/1/",
                 f"/declarations/{declaration.pk}/amendments/1/edit/participants/",
                 f"/declarations/{declaration.pk}/versions/", f"/declarations/{declaration.pk}/versions/2/diff/"):
        for width in (1280, 390):
            page.set_viewport_size({"width": width, "height": 900})
            steps.go(path)
            _fits_and_labels(page, path)
        steps.shot(f"390-{path.strip('/').replace('/', '-')}")


def test_declarant_complains_and_the_committee_sees_the_deadline(steps, site):
    from gomruk.customs import services as customs

    declaration = _sent(site)
    officer = site["users"]["inspektor"]
    customs.declaration_register(officer=officer, declaration_id=declaration.pk)
    customs.declaration_assign_channel(officer=officer, declaration_id=declaration.pk, channel="red", reason="Risk")
    customs.declaration_refuse(officer=officer, declaration_id=declaration.pk, reason="Lisenziya yoxdur")
    page = steps.page
    steps.login("deklarant")
    page.wait_for_selector("#declarations")
    steps.go(f"/declarations/{declaration.pk}/")
    page.click("text=Şikayət et")
    page.fill("#grounds", "Lisenziya bəyannamə ilə birlikdə təqdim edilib.")
    page.set_viewport_size({"width": 390, "height": 900})
    _fits_and_labels(page, "complaint-new")
    steps.shot("complaint-grounds")
    page.click("text=Davam et: sənədlər və imza")
    page.wait_for_url(re.compile(r".*/complaints/[0-9a-f-]+/$"))
    _fits_and_labels(page, "complaint-draft")
    with page.expect_download() as download:
        page.click("text=İmzalanacaq məzmunu endirin")
    signature = _sign_file(site, Path(download.value.path()).read_bytes())
    page.set_input_files("#complaint-sign", files=[{"name": "s.p7s", "mimeType": "application/pkcs7-signature", "buffer": signature}])
    page.click("text=İmzala və göndər")
    page.wait_for_selector("[data-testid=deadline]")
    assert page.inner_text("[data-testid=complaint-state]") == "Verilib"
    steps.shot("complaint-lodged")
