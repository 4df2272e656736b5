"""The border list is rendered without validating its page (issue 17, ADR 0032): its body must be
byte for byte what django-ninja writes for the same page validated as GoodsPageOut, and each
item what the validated detail answer says."""

from __future__ import annotations

import json

import pytest
from ninja.renderers import JSONRenderer

from gomruk.api.rendering import RENDERER
from gomruk.border.presenters import goods_page_data
from gomruk.border.schemas import GoodsPageOut
from gomruk.border.selectors import goods_waiting
from tests.border.conftest import OWN, PRINCIPAL2


def _validated_body(page) -> bytes:
    validated = GoodsPageOut.model_validate(goods_page_data(page)).model_dump()
    body = RENDERER.render(None, validated, response_status=200)
    # The same JSON values as django-ninja's own renderer (json.dumps) writes (ADR 0036).
    assert json.loads(body) == json.loads(JSONRenderer().render(None, validated, response_status=200))
    return bytes(body)


@pytest.mark.parametrize("language", ["az", "en"])
def test_the_list_is_what_the_validated_model_writes(users, register, api, language):
    register(consignee_voen=OWN)
    register(
        consignee_voen=OWN, consignee_name="", package_count=None, storage_place="TSW-7", commodity_codes=[],
        documents=[{"kind": "commercial", "number": "INV-1"}], gross_mass="0.001", transport_country="",
    )
    register(consignee_voen=PRINCIPAL2, consignee_name="Başqa MMC")
    api.client.cookies["django_language"] = language
    response = api.get("/goods", "broker")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json; charset=utf-8"
    assert response["Cache-Control"] == "no-store"
    page = goods_waiting(user=users["broker"])
    assert len(page.items) == 3
    assert response.content == _validated_body(page)
    for item in response.json()["items"]:
        assert api.get(f"/goods/{item['id']}", "broker").json() == item


def test_an_empty_list_says_why(users, api):
    response = api.get("/goods", "deklarant")
    body = response.json()
    assert (body["items"], body["count"], body["next_cursor"]) == ([], 0, None)
    assert body["message"]
    assert response.content == _validated_body(goods_waiting(user=users["deklarant"]))


def test_a_next_page_cursor_is_written_as_before(users, register, api):
    for _ in range(3):
        register(consignee_voen=OWN)
    response = api.get("/goods", "deklarant", limit=2)
    assert response.json()["count"] == 2 and response.json()["next_cursor"]
    assert response.content == _validated_body(goods_waiting(user=users["deklarant"], limit=2))
