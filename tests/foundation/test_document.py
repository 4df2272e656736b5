from __future__ import annotations

from decimal import Decimal

import pytest

from gomruk.demo import factories as examples
from gomruk.document.model import Declaration, declaration_json_schema
from gomruk.document.shape import fields_of_box, locate


def test_hundred_item_declaration_round_trips_to_identical_canonical_json():
    document = examples.import_gb(items=100)
    first = document.canonical_bytes()
    again = Declaration.model_validate_json(document.model_dump_json()).canonical_bytes()
    from_canonical = Declaration.model_validate_json(first).canonical_bytes()
    assert len(document.goods) == 100
    assert first == again == from_canonical
    assert first == document.canonical_bytes()


@pytest.mark.django_db
def test_stored_hundred_item_draft_reads_back_byte_identical(django_user_model, loaded_classifiers):
    from gomruk.declarations.models import Declaration as Row
    from gomruk.declarations.services import declaration_create, declaration_document
    from gomruk.demo.users import demo_users_create

    demo_users_create()
    user = django_user_model.objects.get(username="deklarant")
    document = examples.import_gb(items=100)
    stored = declaration_create(user=user, document=document)
    row = Row.objects.get(pk=stored.pk)
    assert declaration_document(row).canonical_bytes() == document.canonical_bytes()


def test_weights_and_money_keep_their_places():
    item = Declaration.model_validate({"goods": [{"gross_mass": 12.5, "invoice_value": "7"}]}).goods[0]
    assert str(item.gross_mass) == "12.500"
    assert str(item.invoice_value) == "7.00"
    # Extra decimals are kept as sent (never silently rounded away): the rules report them.
    item = Declaration.model_validate({"goods": [{"net_mass": "1.23456"}]}).goods[0]
    assert item.net_mass == Decimal("1.23456")


def test_direction_ascii_forms_are_normalised():
    assert Declaration.model_validate({"direction": "ID"}).direction == "İD"
    assert Declaration.model_validate({"direction": "IX"}).direction == "İX"


def test_schema_carries_boxes_and_items():
    schema = declaration_json_schema()
    properties = schema["properties"]
    assert properties["goods"]["x-item"] is True
    assert properties["dispatch_country"]["x-box"] == "15a"
    assert properties["accounting"]["x-box"] == "B"
    assert properties["registration_number"]["x-box"] == "7"
    item = schema["$defs"]["GoodsItem"]["properties"]
    assert item["commodity_code"]["x-box"] == "33"
    assert item["payments"]["x-box"] == "47"
    boxes = {p.get("x-box") for p in properties.values()} | {p.get("x-box") for p in item.values()}
    expected = {"A", "B", "C", "D", "15a", "17a"} | {str(n) for n in range(1, 55)} - {"43"}
    assert expected - {"43"} <= boxes
    assert "43" in boxes


def test_locate_maps_pointers_to_box_and_item():
    assert locate("/goods/2/commodity_code") == ("33", 3)
    assert locate("/goods/0/documents/1/code") == ("44", 1)
    assert locate("/consignor/identifier") == ("2", None)
    assert locate("/accounting/lines/0/amount") == ("B", None)
    assert "/goods/*/description" in fields_of_box("31")


def test_schema_is_published_without_login(client):
    response = client.get("/api/v1/schema/declaration.json")
    assert response.status_code == 200
    assert response.json()["properties"]["goods"]["x-item"] is True


def test_unknown_fields_are_refused_not_dropped():
    from pydantic import ValidationError

    with pytest.raises(ValidationError):
        Declaration.model_validate({"consignor": {"name": "X", "nickname": "lost?"}})
