"""The whole journey through HTTP: declarant creates, signs, confirms, sends; officer decides."""

from __future__ import annotations

from tests.api.api_helpers import assert_problem
from tests.lifecycle.journey import OWNER_VOEN


def test_declarant_and_officer_journey(walk, as_user):
    created = walk.create()
    declaration_id = created["id"]
    assert created["state"] == "draft"
    assert created["trader_voen"] == OWNER_VOEN
    assert "sign" in created["actions"]

    signed = walk.sign(declaration_id)
    assert signed["state"] == "signed"
    confirmed = walk.confirm(declaration_id)
    assert confirmed["state"] == "confirmed"

    response = walk.send(declaration_id, headers={"Idempotency-Key": "send-1"})
    assert response.status_code == 200, response.content
    sent = response.json()
    assert sent["state"] == "sent"
    number = sent["registration_number"]
    assert number.startswith("00100/")
    # The step's answer is a summary; the document (box 7 set) is behind its link.
    assert "document" not in sent
    assert sent["links"]["self"] == f"/api/v1/declarations/{declaration_id}"
    assert walk.api.get(sent["links"]["self"]).json()["document"]["registration_number"] == number

    officer = as_user("inspektor")
    queue = officer.get("/customs/queue").json()["items"]
    assert [row["id"] for row in queue] == [declaration_id]

    base = f"/customs/declarations/{declaration_id}"
    assert officer.post(f"{base}/register").json()["state"] == "registered"
    assert officer.post(f"{base}/channel", {"channel": "yellow", "reason": "Risk profili R-12"}).json()["state"] == "under_control"
    controlled = officer.post(f"{base}/control", {"box_c": "Yoxlanıldı", "box_d": {"result": "Uyğundur", "seals": "2 plomb"}})
    assert controlled.status_code == 200, controlled.content
    assert controlled.json()["document"]["customs_control"]["result"] == "Uyğundur"
    assert controlled.json()["document"]["customs_notes"] == "Yoxlanıldı"
    released = officer.post(f"{base}/release", {"reason": ""})
    assert released.json()["state"] == "released"

    events = walk.api.get(f"/declarations/{declaration_id}/events").json()
    assert [e["to_state"] for e in events] == [
        "draft", "signed", "confirmed", "sent", "registered", "under_control", "released"
    ]
    assert events[-1]["actor"] == "inspektor"


def test_officer_return_then_declarant_corrects(walk, as_user):
    declaration_id = walk.confirmed()
    assert walk.send(declaration_id).status_code == 200
    officer = as_user("inspektor")
    base = f"/customs/declarations/{declaration_id}"
    officer.post(f"{base}/register")
    officer.post(f"{base}/channel", {"channel": "red", "reason": "Yoxlama"})
    returned = officer.post(f"{base}/return", {"reasons": {"33/1": "Kod səhvdir"}, "reason": "Düzəliş"})
    assert returned.status_code == 200, returned.content
    assert returned.json()["state"] == "returned"

    current = walk.api.get(f"/declarations/{declaration_id}").json()
    document = current["document"]
    document["goods"][0]["description"] = "Təzə üzüm, Şamaxı, taxta qutularda"
    updated = walk.api.put(f"/declarations/{declaration_id}", document)
    assert updated.status_code == 200, updated.content
    assert updated.json()["state"] == "draft"
    assert updated.json()["version"] > current["version"]


def test_refuse_requires_reason_and_officer_role(walk, as_user):
    declaration_id = walk.confirmed()
    walk.send(declaration_id)
    officer = as_user("inspektor")
    base = f"/customs/declarations/{declaration_id}"
    officer.post(f"{base}/register")
    officer.post(f"{base}/channel", {"channel": "red", "reason": "Yoxlama"})
    assert_problem(officer.post(f"{base}/refuse", {"reason": "  "}), 422)
    # The declarant cannot take the officer's decisions.
    assert walk.api.post(f"{base}/release", {"reason": ""}).status_code in (403, 404)
    refused = officer.post(f"{base}/refuse", {"reason": "Lisenziya yoxdur"})
    assert refused.json()["state"] == "refused"


def test_list_filters_and_cursor_pagination(walk):
    ids = [walk.create()["id"] for _ in range(5)]
    page = walk.api.get("/declarations?limit=2").json()
    seen = [row["id"] for row in page["items"]]
    while page["next_cursor"]:
        page = walk.api.get(f"/declarations?limit=2&cursor={page['next_cursor']}").json()
        seen += [row["id"] for row in page["items"]]
    assert sorted(seen) == sorted(ids)
    assert len(seen) == len(set(seen))
    assert walk.api.get("/declarations?state=sent").json()["items"] == []
    assert len(walk.api.get("/declarations?state=draft&type=01").json()["items"]) == 5
    assert walk.api.get("/declarations?created_from=2000-01-01&created_to=2000-01-02").json()["items"] == []
    assert_problem(walk.api.get("/declarations?cursor=garbage!!"), 422, "invalid_cursor")


def test_withdraw(walk):
    declaration_id = walk.create()["id"]
    response = walk.api.post(f"/declarations/{declaration_id}/withdraw", {"reason": "Səhv"})
    assert response.status_code == 200
    assert response.json()["state"] == "withdrawn"
    assert_problem(walk.api.post(f"/declarations/{declaration_id}/withdraw", {"reason": ""}), 409)
