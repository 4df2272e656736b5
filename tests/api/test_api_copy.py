"""Issue 16 item 6: ``POST /api/v1/declarations/{id}/copy`` starts a new draft from an earlier
declaration of the caller's, without what the system and customs assigned."""

from __future__ import annotations

from django.utils import timezone

from gomruk.core.models import AuditEntry
from gomruk.declarations.models import Declaration
from gomruk.declarations.validation import declaration_errors
from tests.api.api_helpers import ApiClient, assert_problem, password_token


def _released(walk, as_user) -> str:
    declaration_id = walk.confirmed()
    assert walk.send(declaration_id).status_code == 200
    officer = as_user("inspektor")
    base = f"/customs/declarations/{declaration_id}"
    assert officer.post(f"{base}/register").status_code == 200
    assert officer.post(f"{base}/channel", {"channel": "yellow", "reason": "Risk"}).status_code == 200
    controlled = officer.post(f"{base}/control", {"box_c": "Yoxlanıldı", "box_d": {"result": "Uyğundur"}})
    assert controlled.status_code == 200, controlled.content[:500]
    assert officer.post(f"{base}/release", {"reason": ""}).status_code == 200
    return declaration_id


def test_copy_is_a_clean_draft_of_the_same_goods(walk, as_user):
    source_id = _released(walk, as_user)
    source = walk.api.get(f"/declarations/{source_id}").json()
    assert source["document"]["registration_number"] and source["document"]["customs_notes"]

    response = walk.api.post(f"/declarations/{source_id}/copy")
    assert response.status_code == 201, response.content[:2000]
    copy = response.json()
    assert copy["id"] != source_id
    assert response["Location"] == f"/api/v1/declarations/{copy['id']}"
    assert copy["state"] == "draft"
    document = copy["document"]
    for system_box in ("registration_number", "customs_notes", "customs_control"):
        assert document.get(system_box) in (None, ""), system_box
    assert document["place_and_signature"]["date"] == timezone.localdate().isoformat()
    # What the declarant typed comes along.
    for name in ("direction", "procedure", "consignor", "consignee", "delivery_terms", "border_office"):
        assert document[name] == source["document"][name], name
    assert [g["description"] for g in document["goods"]] == [g["description"] for g in source["document"]["goods"]]

    stored = Declaration.objects.get(pk=copy["id"])
    original = Declaration.objects.get(pk=source_id)
    assert stored.registration_number in (None, "") and stored.acceptance_date is None
    assert stored.signatures.count() == 0 and stored.attachments.count() == 0
    assert stored.trader_voen == original.trader_voen
    # It validates as the original does once the system boxes are set aside.
    codes = sorted((e.rule, e.box) for e in declaration_errors(declaration=stored))
    expected = sorted((e.rule, e.box) for e in declaration_errors(declaration=original))
    assert codes == expected
    # The new draft is audited, naming where it came from.
    entry = AuditEntry.objects.get(action="declaration.copy", object_id=str(stored.pk))
    assert entry.details["source"] == source_id


def test_copy_with_the_same_idempotency_key_makes_one_draft(walk):
    source_id = walk.create()["id"]
    before = Declaration.objects.count()
    key = {"Idempotency-Key": "copy-once-1"}
    first = walk.api.post(f"/declarations/{source_id}/copy", headers=key)
    second = walk.api.post(f"/declarations/{source_id}/copy", headers=key)
    assert first.status_code == second.status_code == 201
    assert first.json()["id"] == second.json()["id"]
    assert Declaration.objects.count() == before + 1


def test_another_traders_declaration_is_not_found(walk, users):
    source_id = walk.create()["id"]
    before = Declaration.objects.count()
    for intruder in ("deklarant2", "inspektor"):
        assert_problem(ApiClient(password_token(intruder)).post(f"/declarations/{source_id}/copy"), 404)
    assert Declaration.objects.count() == before
