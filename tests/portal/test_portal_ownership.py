"""Issue #13 item 1 in the portal: the new-declaration page fills the party boxes from the
account (a broker picks one of its principals), and the editor refuses another trader's name
in box 14 or in the owner's box, saying which box."""

from __future__ import annotations

import html

from django.conf import settings
from django.test import Client
from django.urls import reverse

from gomruk.declarations.models import Declaration

XEZER = "1401555071"


def _client(user, language: str = "az") -> Client:
    client = Client()
    client.force_login(user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    return client


def _new(client, voen: str, direction: str = "İX") -> Declaration:
    response = client.post(
        reverse("portal:new"), {"declaration_type": "01", "direction": direction, "procedure": "10", "voen": voen}
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    return Declaration.objects.latest("created_at")


def test_another_traders_voen_in_box_14_or_box_2_is_refused(demo):
    stranger = _client(demo["deklarant2"])
    declaration = _new(stranger, "1900310041")
    url = reverse("portal:section", args=[declaration.pk, "participants"])
    response = stranger.post(url, {"/declarant/identifier": XEZER, "/consignor/identifier": XEZER})
    assert response.status_code == 403
    page = html.unescape(response.content.decode())
    assert "Qrafa 14" in page and XEZER in page
    declaration.refresh_from_db()
    assert declaration.document["declarant"]["identifier"] == "1900310041"
    assert declaration.document["consignor"]["identifier"] == "1900310041"
    # Autosave refuses the same way, in English for a user who chose English.
    english = _client(demo["deklarant2"], "en")
    saved = english.post(reverse("portal:autosave", args=[declaration.pk]), {"/consignor/identifier": XEZER},
                         HTTP_HX_REQUEST="true")
    assert "Box 2" in html.unescape(saved.content.decode())
    declaration.refresh_from_db()
    assert declaration.document["consignor"]["identifier"] == "1900310041"


def test_a_new_declaration_cannot_be_started_for_a_trader_one_does_not_act_for(demo):
    stranger = _client(demo["deklarant2"])
    response = stranger.post(
        reverse("portal:new"), {"declaration_type": "01", "direction": "İX", "procedure": "10", "voen": XEZER}
    )
    assert response.status_code == 200  # the form again, with the refusal
    assert not Declaration.objects.exists()


def test_a_broker_chooses_a_principal_and_declares_as_its_firm(demo):
    broker = _client(demo["broker"])
    page = html.unescape(broker.get(reverse("portal:new")).content.decode())
    assert "1500420091 — Gəncə Aqro Logistika ASC (təmsil etdiyiniz şəxs)" in page
    assert "1700120051 — Sərhəd Broker MMC</option>" in page  # its own firm, not a principal
    declaration = _new(broker, XEZER, direction="İD")
    document = declaration.document
    assert declaration.trader_voen == XEZER
    assert document["consignee"]["identifier"] == XEZER  # box 8: the principal (import)
    assert document["declarant"]["identifier"] == "1700120051"  # box 14: the broker firm
    assert document["declarant"]["broker_licence_number"] == "GB-0417"
    assert document["place_and_signature"]["broker_firm_voen"] == "1700120051"
