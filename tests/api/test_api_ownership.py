"""Issue #13 item 1 through the API: nobody lodges a declaration in another trader's name.

Trader 1900310041 (deklarant2) tried to create, sign and send a declaration whose boxes 2, 9
and 14 named 1401555071 (deklarant's Xəzər Ticarət) and got a registration number.
"""

from __future__ import annotations

import base64

from gomruk.declarations.models import Declaration
from tests.api.api_helpers import Walk, assert_problem, document_json

XEZER = "1401555071"
NAXCIVAN = "1900310041"
BROKER_FIRM = "1700120051"


def _boxes(problem: dict) -> set[str]:
    return {error["box"] for error in problem["errors"]}


def test_a_declaration_naming_another_trader_is_refused_at_create(as_user):
    stranger = as_user("deklarant2")
    # Boxes 2, 9 and 14 name Xəzər: filed under the stranger's own VÖEN …
    response = stranger.post(f"/declarations?voen={NAXCIVAN}", document_json("export"))
    problem = assert_problem(response, 403, "party_not_authorised")
    assert {"2", "14"} <= _boxes(problem)
    assert "Box 14" in problem["detail"] or "Box 2" in problem["detail"]
    # … or under Xəzər's, which the stranger does not act for.
    assert_problem(stranger.post("/declarations", document_json("export")), 403)
    assert not Declaration.objects.exists()


def test_the_problem_names_the_box_in_azerbaijani(as_user):
    stranger = as_user("deklarant2", language="az")
    problem = assert_problem(stranger.post(f"/declarations?voen={NAXCIVAN}", document_json("export")), 403)
    assert "Qrafa 14" in problem["detail"] or "Qrafa 2" in problem["detail"]


def test_an_own_draft_cannot_be_changed_to_name_another_trader(as_user):
    stranger = as_user("deklarant2")
    created = stranger.post("/declarations", {"declaration_type": "01", "direction": "İX", "procedure": "10"})
    assert created.status_code == 201, created.content
    declaration_id = created.json()["id"]
    problem = assert_problem(stranger.put(f"/declarations/{declaration_id}", document_json("export")), 403)
    assert {"2", "14"} <= _boxes(problem)
    stored = Declaration.objects.get(pk=declaration_id)
    assert stored.document["declarant"]["identifier"] == NAXCIVAN


def test_create_without_party_boxes_fills_them_from_the_account(as_user):
    declarant = as_user("deklarant")
    for direction, owner_box in (("İX", "consignor"), ("İD", "consignee")):
        created = declarant.post("/declarations", {"declaration_type": "01", "direction": direction, "procedure": "10"})
        assert created.status_code == 201, created.content
        document = created.json()["document"]
        assert document["declarant"]["identifier"] == XEZER
        assert document[owner_box]["identifier"] == XEZER
        assert document[owner_box]["name"] == "Xəzər Ticarət MMC"
        assert document["aeo_indicator"] == "1"  # Xəzər is an AEO (accounts.demo)
        assert created.json()["trader_voen"] == XEZER


def test_the_owner_box_decides_the_voen_a_broker_files_under(as_user):
    broker = as_user("broker")
    body = document_json("import")
    del body["declarant"]
    created = broker.post("/declarations", body)
    assert created.status_code == 201, created.content
    out = created.json()
    assert out["trader_voen"] == XEZER
    assert out["document"]["declarant"]["identifier"] == BROKER_FIRM
    assert out["document"]["declarant"]["acts_as_broker"] is True


def test_a_broker_lodges_for_its_principal_through_to_a_number(as_user, pki):
    broker = Walk(as_user("broker"), pki, signer="broker")
    body = document_json("export")
    del body["declarant"]
    created = broker.api.post(f"/declarations?voen={XEZER}", body)
    assert created.status_code == 201, created.content
    declaration_id = created.json()["id"]
    broker.sign(declaration_id)
    broker.confirm(declaration_id)
    sent = broker.send(declaration_id)
    assert sent.status_code == 200, sent.content
    assert sent.json()["registration_number"]


def test_a_broker_cannot_name_its_principal_as_declarant_and_sign_with_its_firm_key(as_user, pki):
    broker = Walk(as_user("broker"), pki, signer="broker")
    created = broker.api.post(f"/declarations?voen={XEZER}", document_json("export"))  # box 14: Xəzər
    assert created.status_code == 201, created.content
    declaration_id = created.json()["id"]
    payload = broker.api.get(f"/declarations/{declaration_id}/signing-payload").json()
    signature = pki.sign("broker", base64.b64decode(payload["payload"]))
    response = broker.api.post(
        f"/declarations/{declaration_id}/signature",
        {"provider": "certificate", "signature": base64.b64encode(signature).decode(), "version": payload["version"]},
    )
    problem = assert_problem(response, 403, "party_not_authorised")
    assert problem["box"] == "14"
    assert Declaration.objects.get(pk=declaration_id).state == "draft"


def test_a_broker_cannot_lodge_for_a_trader_it_does_not_represent(as_user):
    broker = as_user("broker")
    body = document_json("export")
    body["consignor"]["identifier"] = NAXCIVAN
    del body["declarant"]
    assert_problem(broker.post("/declarations", body), 403)
    assert not Declaration.objects.exists()
