"""Issue 16 item 6 for broker software: ``/api/v1/saved/{kind}`` (list, create, read, rename,
delete) and ``POST /api/v1/declarations/{id}/apply-saved``, scoped to the traders the caller
acts for (another trader's entry is 404), audited, with the document's limits."""

from __future__ import annotations

from gomruk.accounts.models import ApiToken
from gomruk.core.models import AuditEntry
from gomruk.declarations.models import Declaration
from gomruk.declarations.validation import declaration_errors
from gomruk.saved.kinds import ROUTE_FIELDS
from gomruk.saved.models import SavedEntry
from tests.api.api_helpers import assert_problem, document_json
from tests.completion.helpers import load_payments_facts

CONSIGNEE = {"person_kind": "legal", "name": "Kartli Trading LLC", "address": "Tbilisi, Rustaveli ave. 5, Georgia"}


def _create(api, kind, name, data, **extra):
    response = api.post(f"/saved/{kind}", {"name": name, "data": data, **extra})
    assert response.status_code == 201, response.content[:2000]
    return response.json()


def test_crud_of_a_saved_party(as_user):
    api = as_user("deklarant")
    created = _create(api, "parties", "Kartli", CONSIGNEE)
    assert created["voen"] == "1401555071" and created["kind"] == "parties" and created["data"] == CONSIGNEE
    base = f"/saved/parties/{created['id']}"
    assert api.get(base).json()["name"] == "Kartli"
    listed = api.get("/saved/parties").json()
    assert listed["total"] == 1 and [e["id"] for e in listed["items"]] == [created["id"]]
    assert api.get("/saved/routes").json() == {"items": [], "total": 0}

    renamed = api.put(base, {"name": "Kartli (Tbilisi)"})
    assert renamed.status_code == 200 and renamed.json()["name"] == "Kartli (Tbilisi)"
    assert renamed.json()["data"] == CONSIGNEE
    # The same id under another kind is not that entry.
    assert_problem(api.get(f"/saved/goods/{created['id']}"), 404)
    assert_problem(api.get("/saved/people"), 404, "unknown_kind")

    assert api.delete(base).status_code == 204
    assert_problem(api.get(base), 404)
    actions = list(AuditEntry.objects.filter(object_id=created["id"]).order_by("id").values_list("action", flat=True))
    assert actions == ["saved.create", "saved.update", "saved.delete"]


def test_another_traders_entry_is_not_found(as_user):
    mine = _create(as_user("deklarant"), "routes", "Bakı – Tbilisi", {"border_office": "00206"})
    path = f"/saved/routes/{mine['id']}"
    for intruder in ("deklarant2", "inspektor"):
        api = as_user(intruder)
        assert_problem(api.get(path), 404)
        assert_problem(api.put(path, {"name": "mine now"}), 404)
        assert_problem(api.delete(path), 404)
        assert api.get("/saved/routes").json()["total"] == 0
    assert SavedEntry.objects.get(pk=mine["id"]).name == "Bakı – Tbilisi"
    # A broker who represents the trader reaches its entries; narrowed by ?voen= too.
    broker = as_user("broker")
    assert broker.get(path).status_code == 200
    assert broker.get("/saved/routes?voen=1500420091").json()["total"] == 0
    assert_problem(broker.post("/saved/routes", {"name": "X", "data": {"border_office": "00206"}}), 422, "voen_required")
    assert_problem(as_user("deklarant2").post(
        "/saved/routes", {"name": "X", "voen": "1401555071", "data": {"border_office": "00206"}}), 403, "voen_not_yours")


def test_a_token_bound_to_fewer_voens_reaches_fewer_entries(as_user):
    broker = as_user("broker")
    entry = _create(broker, "parties", "Firma", {"name": "Firma"}, voen="1401555071")
    ApiToken.objects.filter(user__username="broker").update(voens=["1500420091"])
    assert_problem(broker.get(f"/saved/parties/{entry['id']}"), 404)
    assert broker.get("/saved/parties").json()["total"] == 0


def test_data_and_names_are_held_to_the_documents_limits(as_user, settings):
    api = as_user("deklarant")
    body = assert_problem(api.post("/saved/parties", {"name": "X", "data": {"name": "x" * 501}}), 422, "invalid_entry")
    assert body["errors"][0]["path"] == "/name"
    assert_problem(api.post("/saved/goods", {"name": "X", "data": {"description": "X", "payments": [{"payment_type": "01"}]}}), 422)
    assert_problem(api.post("/saved/parties", {"name": "x" * 201, "data": {"name": "X"}}), 422)
    settings.GOMRUK_SAVED_MAX_PER_TRADER = 1
    _create(api, "goods", "Üzüm", {"description": "Təzə üzüm", "commodity_code": "0806101000"})
    assert_problem(api.post("/saved/parties", {"name": "X", "data": {"name": "X"}}), 409, "limit_reached")


def test_apply_fills_a_draft_and_it_then_validates(walk, as_user):
    api = walk.api
    document = document_json()
    load_payments_facts()
    source = walk.create()
    assert api.post(f"/declarations/{source['id']}/complete").status_code == 200  # the same facts as the copy
    consignee = document["consignee"]
    route = {k: document[k] for k in ROUTE_FIELDS if k in document}
    party = _create(api, "parties", "Kartli", consignee)
    saved_route = _create(api, "routes", "Bakı – Tbilisi", route)
    goods = _create(api, "goods", "Üzüm", {k: v for k, v in document["goods"][0].items()
                                           if k not in ("item_number", "customs_value", "statistical_value", "payments")})

    bare = dict(document)
    for name in ("consignee", *route):
        bare.pop(name)
    bare["goods"] = [dict(item, item_number=number) for number, item in enumerate(document["goods"][1:], start=1)]
    draft = api.post("/declarations", bare).json()
    path = f"/declarations/{draft['id']}/apply-saved"
    for body in ({"entry": party["id"], "target": "consignee"}, {"entry": saved_route["id"]},
                 {"entry": goods["id"]}):
        response = api.post(path, body)
        assert response.status_code == 200, response.content[:2000]
        assert response.json()["pending"] == {}
    applied = response.json()
    assert applied["item"] == 3 and applied["state"] == "draft"
    assert {k: v for k, v in applied["document"]["consignee"].items() if v is not None} == consignee
    assert applied["document"]["total_items"] == 3  # box 5 recomputed by the section save's completion

    filled = Declaration.objects.get(pk=draft["id"])
    original = Declaration.objects.get(pk=source["id"])
    # The same parties, route and goods (the first item now last): the same verdict.
    assert sorted((e.rule, e.box) for e in declaration_errors(declaration=filled)) == sorted(
        (e.rule, e.box) for e in declaration_errors(declaration=original))
    assert AuditEntry.objects.filter(action="saved.apply", object_id=party["id"]).exists()


def test_apply_is_scoped_to_the_declarations_trader(walk, as_user):
    entry = _create(walk.api, "parties", "Kartli", CONSIGNEE)
    draft = walk.create()
    path = f"/declarations/{draft['id']}/apply-saved"
    # Someone else's declaration, and someone else's entry, are both not found.
    assert_problem(as_user("deklarant2").post(path, {"entry": entry["id"], "target": "consignee"}), 404)
    other = _create(as_user("deklarant2"), "parties", "Başqa", {"name": "Başqa"})
    assert_problem(walk.api.post(path, {"entry": other["id"], "target": "consignee"}), 404)
    broker = as_user("broker")
    theirs = _create(broker, "parties", "Firma", {"name": "Firma"}, voen="1500420091")
    assert_problem(broker.post(path, {"entry": theirs["id"], "target": "consignee"}), 404)
    assert broker.post(path, {"entry": entry["id"], "target": "consignee"}).status_code == 200
    assert_problem(walk.api.post(path, {"entry": entry["id"], "target": "goods"}), 422, "wrong_target")


def test_the_openapi_schema_documents_the_saved_api_with_examples(as_user):
    schema = as_user("deklarant").get("/openapi.json").json()
    paths = schema["paths"]
    assert {"get", "post"} <= set(paths["/api/v1/saved/{kind}"])
    assert {"get", "put", "delete"} <= set(paths["/api/v1/saved/{kind}/{entry_id}"])
    assert "post" in paths["/api/v1/declarations/{declaration_id}/apply-saved"]
    schemas = schema["components"]["schemas"]
    assert schemas["SavedIn"]["examples"] and schemas["ApplyIn"]["examples"]
