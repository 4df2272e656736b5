"""The declarant's and officer's journey through the portal pages (Django test client)."""

from __future__ import annotations

import re

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from gomruk.declarations.models import Declaration, State, StatusEvent
from tests.portal.portal_signing import sign_with_demo_key


def _sign_and_send(client, declaration, pki_dir) -> Declaration:
    page = client.get(reverse("portal:sign", args=[declaration.pk]))
    assert page.status_code == 200
    payload = client.get(reverse("portal:sign_payload", args=[declaration.pk]))
    assert payload.status_code == 200
    signature = sign_with_demo_key(pki_dir, "deklarant", payload.content)
    version = re.search(rb'name="version" value="(\d+)"', page.content).group(1).decode()
    signed = client.post(
        reverse("portal:sign_upload", args=[declaration.pk]),
        {"version": version, "signature": SimpleUploadedFile("b.p7s", signature)},
    )
    assert signed.status_code == 302, signed.content[:2000]
    assert signed["Location"] == reverse("portal:confirm", args=[declaration.pk])
    confirm_page = client.get(signed["Location"])
    terms_version = re.search(rb'name="terms_version" value="([^"]+)"', confirm_page.content).group(1).decode()
    confirmed = client.post(signed["Location"], {"terms_version": terms_version, "accepted": "1"})
    assert confirmed["Location"] == reverse("portal:send", args=[declaration.pk])
    sent = client.post(confirmed["Location"], {"office_code": "00100"})
    assert sent.status_code == 302
    return Declaration.objects.get(pk=declaration.pk)


def test_declarant_signs_confirms_and_sends_then_sees_the_number(declarant_client, export_declaration, trust_demo):
    declaration = _sign_and_send(declarant_client, export_declaration, trust_demo)
    assert declaration.state == State.SENT
    assert declaration.registration_number.startswith("00100/")
    detail = declarant_client.get(reverse("portal:declaration", args=[declaration.pk])).content.decode()
    assert declaration.registration_number in detail
    home = declarant_client.get(reverse("portal:home")).content.decode()
    assert declaration.registration_number in home and "Göndərilib" in home


def test_officer_registers_channels_and_releases(declarant_client, officer_client, export_declaration, trust_demo):
    declaration = _sign_and_send(declarant_client, export_declaration, trust_demo)
    queue = officer_client.get(reverse("portal:queue")).content.decode()
    assert declaration.registration_number in queue
    view = officer_client.get(reverse("portal:officer_declaration", args=[declaration.pk]))
    assert view.status_code == 200
    act = lambda name, data=None: officer_client.post(  # noqa: E731
        reverse("portal:officer_action", args=[declaration.pk, name]), data or {}
    )
    act("register")
    act("channel", {"channel": "green", "reason": "Risk profili aşağıdır"})
    act("control", {"box_c": "Yoxlanıldı", "d_result": "Uyğundur"})
    act("release")
    declaration.refresh_from_db()
    assert declaration.state == State.RELEASED
    assert declaration.document["customs_notes"] == "Yoxlanıldı"
    assert declaration.document["customs_control"]["result"] == "Uyğundur"
    home = declarant_client.get(reverse("portal:home") + "?state=released").content.decode()
    assert declaration.registration_number in home and "Buraxılıb" in home


def test_return_reasons_are_shown_next_to_their_boxes(declarant_client, officer_client, export_declaration, trust_demo):
    declaration = _sign_and_send(declarant_client, export_declaration, trust_demo)
    url = lambda name: reverse("portal:officer_action", args=[declaration.pk, name])  # noqa: E731
    officer_client.post(url("register"))
    officer_client.post(url("channel"), {"channel": "yellow", "reason": "Sənəd yoxlaması"})
    officer_client.post(
        url("return"),
        {"reason": "Düzəliş", "reason_box_1": "33", "reason_item_1": "2", "reason_text_1": "Kod səhvdir",
         "reason_box_2": "20", "reason_text_2": "Çatdırılma şərti uyğun deyil"},
    )
    declaration.refresh_from_db()
    assert declaration.state == State.RETURNED
    timeline = declarant_client.get(reverse("portal:declaration", args=[declaration.pk])).content.decode()
    assert "Kod səhvdir" in timeline and "Çatdırılma şərti uyğun deyil" in timeline
    general = declarant_client.get(reverse("portal:section", args=[declaration.pk, "general"])).content.decode()
    box_20 = general[general.index('id="box-20"') :]
    box_20 = box_20[: box_20.index("</fieldset>")]
    assert "Çatdırılma şərti uyğun deyil" in box_20
    goods = declarant_client.get(reverse("portal:section", args=[declaration.pk, "goods"])).content.decode()
    assert "Kod səhvdir" in goods


def test_timeline_lists_every_status_event(declarant_client, export_declaration, trust_demo):
    declaration = _sign_and_send(declarant_client, export_declaration, trust_demo)
    page = declarant_client.get(reverse("portal:declaration", args=[declaration.pk])).content.decode()
    events = StatusEvent.objects.filter(declaration=declaration)
    assert events.count() == 4  # draft, signed, confirmed, sent
    assert page.count("<time ") == events.count()


def test_asan_signing_shows_the_code_and_moves_on_once_confirmed(declarant_client, export_declaration, trust_demo):
    from gomruk.signatures.models import AsanTransaction
    from gomruk.signatures.services import asan_phone_confirm

    started = declarant_client.post(
        reverse("portal:sign_asan", args=[export_declaration.pk]),
        {"phone_number": "+994501234567", "asan_user_id": "123456"},
    )
    assert started.status_code == 302
    tx = AsanTransaction.objects.get()
    page = declarant_client.get(reverse("portal:sign", args=[export_declaration.pk])).content.decode()
    assert f'data-testid="verification-code">{tx.verification_code}<' in page
    state_url = reverse("portal:sign_asan_state", args=[export_declaration.pk])
    assert "gözlənilir" in declarant_client.get(state_url).content.decode()
    asan_phone_confirm(transaction_id=tx.id, approve=True)
    done = declarant_client.get(state_url)
    assert done.status_code == 204
    assert done["HX-Redirect"] == reverse("portal:confirm", args=[export_declaration.pk])
    export_declaration.refresh_from_db()
    assert export_declaration.state == State.SIGNED


def test_signing_is_refused_with_the_errors_linked_to_their_fields(declarant_client, export_declaration):
    declarant_client.post(reverse("portal:autosave", args=[export_declaration.pk]), {"/goods/0/commodity_code": "12"})
    page = declarant_client.get(reverse("portal:sign", args=[export_declaration.pk])).content.decode()
    assert 'id="error-summary"' in page
    assert reverse("portal:section", args=[export_declaration.pk, "goods"]) + "?check=1#f-goods-0-commodity_code" in page
    assert "İmzalanacaq məzmunu endirin" not in page
