""""Declare these goods": a draft pre-filled from what the border post recorded."""

from __future__ import annotations

from decimal import Decimal

import pytest

from gomruk.border.declaring import arrival_declare
from gomruk.border.models import ArrivalDeclaration
from gomruk.core.errors import GomrukError
from gomruk.declarations.services import declaration_document
from tests.border.conftest import OWN


def test_declare_prefills_goods_transport_and_parties(register, users):
    arrival = register(consignee_voen=OWN, storage_place="TSW-7")
    declaration = arrival_declare(user=users["deklarant"], arrival_id=arrival.pk)
    assert declaration.state == "draft" and declaration.trader_voen == OWN
    assert ArrivalDeclaration.objects.filter(arrival=arrival, declaration=declaration).exists()
    doc = declaration_document(declaration)
    assert doc.direction == "İD"
    assert doc.consignor.name == "Georgian Tea LLC"  # box 2
    assert (doc.consignee.identifier_kind, doc.consignee.identifier, doc.consignee.name) == (
        "VÖEN", OWN, "Xəzər Ticarət MMC",
    )  # box 8
    assert (doc.departure_transport.count, doc.departure_transport.identifiers) == (1, "10-AB-123 / 10-XY-987")
    assert doc.departure_transport.nationality == "268"  # box 18
    assert doc.border_transport.same_as_box_18  # box 21
    assert doc.border_transport_mode == "30"  # box 25
    assert doc.border_office == "00102"  # box 29
    assert doc.goods_location == "TSW-7"  # box 30
    (item,) = doc.goods
    assert item.description == "Qara çay, 20 000 qutu" and item.commodity_code == "0902300000"
    assert (item.packages.count, item.packages.kind) == (40, "paletlər")
    assert item.gross_mass == Decimal("12500.500")
    assert [(d.line, d.code, d.number) for d in item.documents] == [(2, "2015", "CMR-44521"), (8, "8001", "INV-2026/7")]


def test_declare_by_representative_is_for_the_principal(register, users):
    arrival = register(consignee_voen=OWN)
    declaration = arrival_declare(user=users["broker"], arrival_id=arrival.pk)
    assert declaration.trader_voen == OWN and declaration.created_by == users["broker"]


def test_several_commodity_codes_make_several_items(register, users):
    arrival = register(commodity_codes=["0902300000", "0901210000"])
    doc = declaration_document(arrival_declare(user=users["deklarant"], arrival_id=arrival.pk))
    assert [i.commodity_code for i in doc.goods] == ["0902300000", "0901210000"]
    assert doc.total_packages == 40 and all(i.gross_mass is None for i in doc.goods)


def test_officers_cannot_declare(register, users):
    arrival = register()
    with pytest.raises(GomrukError) as error:
        arrival_declare(user=users["inspektor"], arrival_id=arrival.pk)
    assert error.value.status == 403


def test_api_declare_and_list_covered_arrivals(register, api):
    arrival = register()
    response = api.post(f"/goods/{arrival.pk}/declare", "deklarant")
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["arrival_ids"] == [str(arrival.pk)] and body["state"] == "draft"
    covered = api.get(f"/declarations/{body['declaration_id']}/arrivals", "deklarant").json()
    assert [a["id"] for a in covered] == [str(arrival.pk)]
    assert api.get(f"/declarations/{body['declaration_id']}/arrivals", "deklarant2").status_code == 404


def test_portal_declare_button(register, users, client):
    arrival = register()
    client.force_login(users["deklarant"])
    assert f"/border/goods/{arrival.pk}/declare/" in client.get("/border/goods/").content.decode()
    response = client.post(f"/border/goods/{arrival.pk}/declare/")
    assert response.status_code == 302
    assert ArrivalDeclaration.objects.filter(arrival=arrival).count() == 1
