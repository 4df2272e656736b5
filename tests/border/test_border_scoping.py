"""S002: a trader sees only goods under its own VÖEN, a representative only its principals'."""

from __future__ import annotations

import uuid

import pytest

from gomruk.border.selectors import goods_waiting
from gomruk.core.errors import NotFound
from tests.border.conftest import BROKER_OWN, OWN, PRINCIPAL2, STRANGER


@pytest.fixture
def goods(register):
    return {
        "own": register(consignee_voen=OWN),
        "principal2": register(consignee_voen=PRINCIPAL2),
        "broker_own": register(consignee_voen=BROKER_OWN),
        "stranger": register(consignee_voen=STRANGER, description="Başqasının malı"),
    }


def _ids(response) -> set[str]:
    assert response.status_code == 200, response.content
    return {item["id"] for item in response.json()["items"]}


def test_trader_sees_only_its_own_goods(goods, users):
    page = goods_waiting(user=users["deklarant"])
    assert [a.pk for a in page.items] == [goods["own"].pk]
    page = goods_waiting(user=users["deklarant2"])
    assert [a.pk for a in page.items] == [goods["stranger"].pk]


def test_voen_parameter_is_ignored(goods, api):
    for params in ({"voen": STRANGER}, {"consignee_voen": STRANGER}, {"VOEN": STRANGER, "tin": STRANGER}):
        assert _ids(api.get("/goods", "deklarant", **params)) == {str(goods["own"].pk)}


def test_guessing_another_traders_arrival_id_is_not_found(goods, api, users):
    other = str(goods["stranger"].pk)
    response = api.get(f"/goods/{other}", "deklarant")
    assert response.status_code == 404
    assert response["Content-Type"] == "application/problem+json"
    assert "Başqasının" not in response.content.decode()
    # The same answer as for an id that does not exist at all, or is not an id.
    assert api.get(f"/goods/{uuid.uuid4()}", "deklarant").status_code == 404
    assert api.get("/goods/not-a-uuid", "deklarant").status_code == 404
    # Declaring or attaching somebody else's goods is "not found" too.
    assert api.post(f"/goods/{other}/declare", "deklarant").status_code == 404
    with pytest.raises(NotFound):
        from gomruk.border.declaring import arrival_declare

        arrival_declare(user=users["deklarant"], arrival_id=other)
    # The owner reaches it.
    assert api.get(f"/goods/{other}", "deklarant2").json()["id"] == other


def test_representative_sees_its_principals_goods_marked_by_trader(goods, api):
    response = api.get("/goods", "broker")
    assert _ids(response) == {str(goods[k].pk) for k in ("own", "principal2", "broker_own")}
    traders = {item["trader"]["voen"]: item["trader"]["name"] for item in response.json()["items"]}
    assert traders == {
        OWN: "Xəzər Ticarət MMC",
        PRINCIPAL2: "Gəncə Aqro Logistika ASC",
        BROKER_OWN: "Sərhəd Broker MMC",
    }
    assert api.get(f"/goods/{goods['stranger'].pk}", "broker").status_code == 404


def test_representation_that_ended_hides_the_principals_goods(goods, users):
    import datetime as dt

    from gomruk.accounts.models import Representation

    Representation.objects.filter(principal__voen=PRINCIPAL2).update(valid_to=dt.date(2020, 1, 1))
    voens = {a.consignee_voen for a in goods_waiting(user=users["broker"]).items}
    assert voens == {OWN, BROKER_OWN}


def test_token_bound_to_fewer_voens_narrows_the_answer(goods, api, users):
    from gomruk.accounts.models import ApiToken

    api.get("/goods", "broker")  # issues the token
    ApiToken.objects.filter(user=users["broker"]).update(voens=[OWN])
    assert _ids(api.get("/goods", "broker")) == {str(goods["own"].pk)}


def test_empty_list_is_an_answer(goods, api):
    from gomruk.border.models import Arrival

    Arrival.objects.filter(consignee_voen=OWN).update(state="cleared")
    response = api.get("/goods", "deklarant")
    assert response.status_code == 200
    body = response.json()
    assert body["items"] == [] and body["count"] == 0 and body["next_cursor"] is None
    assert body["message"]


def test_officer_without_voen_gets_an_empty_answer_not_an_error(goods, api):
    response = api.get("/goods", "inspektor")
    assert response.status_code == 200
    assert response.json()["items"] == []
    assert response.json()["message"]


def test_anonymous_caller_is_refused(goods, api):
    response = api.get("/goods", None)
    assert response.status_code == 401
    response = api.client.get("/api/v1/border/goods", HTTP_AUTHORIZATION="Bearer gmk_guess")
    assert response.status_code == 401


def test_real_time_cleared_goods_vanish_and_new_goods_appear(goods, api, register):
    from gomruk.border.models import Arrival

    first = api.get("/goods", "deklarant")
    assert first["Cache-Control"] == "no-store"
    assert _ids(first) == {str(goods["own"].pk)}
    fresh = register(consignee_voen=OWN)
    Arrival.objects.filter(pk=goods["own"].pk).update(state="cleared")
    assert _ids(api.get("/goods", "deklarant")) == {str(fresh.pk)}


def test_newest_first_and_cursor_pages_cover_everything_once(users, bulk, api):
    made = bulk(OWN, 250)
    bulk(STRANGER, 30)
    bulk(OWN, 7, state="cleared")
    seen: list[str] = []
    cursor = None
    pages = 0
    while True:
        params = {"cursor": cursor} if cursor else {}
        body = api.get("/goods", "deklarant", **params).json()
        seen += [item["id"] for item in body["items"]]
        times = [item["arrived_at"] for item in body["items"]]
        assert times == sorted(times, reverse=True)
        pages += 1
        cursor = body["next_cursor"]
        if not cursor:
            break
    assert pages == 3
    assert seen == [str(a.pk) for a in sorted(made, key=lambda a: a.arrived_at, reverse=True)]


def test_bad_cursor_is_a_problem_not_a_crash(users, api):
    response = api.get("/goods", "deklarant", cursor="%%%garbage")
    assert response.status_code == 422
    assert response.json()["code"] == "invalid_cursor"


def test_trader_page_shows_own_goods_only_and_has_no_voen_field(goods, users, client):
    client.force_login(users["deklarant"])
    response = client.get("/border/goods/", {"voen": STRANGER})
    html = response.content.decode()
    main = html[html.index("<main") : html.index("</main>")]  # the header echoes the URL back
    assert response.status_code == 200
    assert "Sərhəddə qeydə alınmış mallar" in html
    assert "Qara çay" in main and "Başqasının malı" not in main
    assert "voen" not in main.lower().replace("vöen", "") and STRANGER not in main
    assert "no-cache" in response["Cache-Control"] or "no-store" in response["Cache-Control"]


def test_broker_page_marks_rows_by_trader(goods, users, client):
    client.force_login(users["broker"])
    html = client.get("/border/goods/").content.decode()
    assert "Gəncə Aqro Logistika ASC (1500420091)" in html
    assert "Başqasının malı" not in html
