"""Issue 19 over HTTP: amendments, cancellation, complaints and versions through /api/v1, the
officers' decisions under /api/v1/customs, every POST idempotent like send, and nobody but the
parties and the competent officers reaching any of it."""

from __future__ import annotations

import base64
import io

import pytest

from gomruk.declarations.models import AmendmentRequest, CancellationRequest, State
from tests.api.api_helpers import ApiClient, assert_problem, b64, password_token


@pytest.fixture(autouse=True)
def _api_limits(settings):
    # The rate counters live in the database cache: each test's transaction takes its own away.
    settings.GOMRUK_API_RATE = "100000/minute"


@pytest.fixture
def api(officers):
    clients: dict[str, ApiClient] = {}

    def client(username: str) -> ApiClient:
        if username not in clients:
            clients[username] = ApiClient(password_token(username))
        return clients[username]

    return client


def _sign_and_send_amendment(api, pki, declaration_id: str, number: int) -> dict:
    trader = api("deklarant")
    payload = trader.get(f"/declarations/{declaration_id}/amendments/{number}/signing-payload")
    assert payload.status_code == 200, payload.content[:2000]
    body = payload.json()
    signature = pki.sign("deklarant", base64.b64decode(body["payload"]))
    response = trader.post(
        f"/declarations/{declaration_id}/amendments/{number}/signature",
        {"provider": "certificate", "signature": b64(signature), "version": body["version"]},
        headers={"Idempotency-Key": f"sign-{number}"},
    )
    assert response.status_code == 200, response.content[:2000]
    return response.json()


def test_amendment_over_the_api(flow, api, pki):
    registered = flow.to(flow.sent(), State.REGISTERED)
    declaration_id = str(registered.pk)
    trader, officer = api("deklarant"), api("inspektor")

    document = dict(registered.document)
    document["goods"] = [dict(g) for g in registered.document["goods"]]
    document["goods"][0]["gross_mass"] = "2600.000"
    body = {"document": document, "reason": "Çəki aktına görə"}
    created = trader.post(f"/declarations/{declaration_id}/amendments", body, headers={"Idempotency-Key": "amend-1"})
    assert created.status_code == 201, created.content[:2000]
    replay = trader.post(f"/declarations/{declaration_id}/amendments", body, headers={"Idempotency-Key": "amend-1"})
    assert replay.status_code == 201 and replay["Idempotent-Replayed"] == "true"
    assert replay.json()["number"] == created.json()["number"] == 1
    assert AmendmentRequest.objects.filter(declaration=registered).count() == 1
    amendment = created.json()
    assert amendment["status"] == "draft" and amendment["actions"] == ["update", "sign", "discard"]
    assert [(b["box"], b["item"]) for b in amendment["changes"]] == [("35", 1)]
    assert created["Location"].endswith(f"/declarations/{declaration_id}/amendments/1")

    sent = _sign_and_send_amendment(api, pki, declaration_id, 1)
    assert sent["status"] == "requested" and sent["version"] == 2

    waiting = officer.get("/customs/requests").json()
    assert [(w["kind"], w["number"], w["declaration_id"]) for w in waiting] == [("amendment", 1, declaration_id)]
    accepted = officer.post(f"/customs/declarations/{declaration_id}/amendments/1/accept", {"reason": "Təsdiqlənir"},
                            headers={"Idempotency-Key": "accept-1"})
    assert accepted.status_code == 200, accepted.content[:2000]
    again = officer.post(f"/customs/declarations/{declaration_id}/amendments/1/accept", {"reason": "Təsdiqlənir"},
                         headers={"Idempotency-Key": "accept-1"})
    assert again.status_code == 200 and again["Idempotent-Replayed"] == "true"
    decision = accepted.json()["decisions"][0]
    assert decision["outcome"] == "accepted" and decision["kind"] == "amendment" and "box_b" in decision["payments"]
    # Without the key, a second acceptance is refused by the service (nothing pending).
    assert_problem(officer.post(f"/customs/declarations/{declaration_id}/amendments/1/accept", {}), 409,
                   "amendment_not_requested")

    versions = trader.get(f"/declarations/{declaration_id}/versions").json()
    assert [(v["number"], v["status"], v["why"]) for v in versions] == [
        (1, "superseded", ""), (2, "current", "Çəki aktına görə"),
    ]
    diff = trader.get(f"/declarations/{declaration_id}/versions/2/diff").json()
    assert diff["against"] == 1
    assert {"box": "35", "item": 1} in [{"box": b["box"], "item": b["item"]} for b in diff["boxes"]]
    version_one = trader.get(f"/declarations/{declaration_id}/versions/1").json()
    assert version_one["document"]["goods"][0]["gross_mass"] == "2500.000"
    pdf = trader.get(f"/declarations/{declaration_id}/pdf?version=1")
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    assert pdf["Content-Disposition"].endswith('-v1.pdf"')
    assert_problem(trader.get(f"/declarations/{declaration_id}/versions/7/diff"), 404, "version_not_found")


def test_amendment_refusal_over_the_api_gives_reasons_per_box(flow, api, pki):
    sent = flow.sent()
    declaration_id = str(sent.pk)
    trader, officer = api("deklarant"), api("inspektor")
    created = trader.post(f"/declarations/{declaration_id}/amendments", {"reason": "Təsvir"}).json()
    document = created["document"]
    document["goods"][0]["description"] = "Təzə üzüm, Şamaxı, 5 kq-lıq qutularda"
    changed = trader.put(f"/declarations/{declaration_id}/amendments/1", {"document": document})
    assert changed.status_code == 200 and changed.json()["changes"][0]["box"] == "31"
    _sign_and_send_amendment(api, pki, declaration_id, 1)
    assert_problem(officer.post(f"/customs/declarations/{declaration_id}/amendments/1/refuse", {"reasons": {"99": "x"}}),
                   422, "unknown_box")
    refused = officer.post(f"/customs/declarations/{declaration_id}/amendments/1/refuse",
                           {"reasons": {"31/1": "Qablaşdırma sənədə uyğun deyil"}})
    assert refused.status_code == 200, refused.content[:2000]
    assert refused.json()["decisions"][0]["box_reasons"] == [
        {"box": "31", "item": 1, "text": "Qablaşdırma sənədə uyğun deyil"}
    ]
    mine = trader.get(f"/declarations/{declaration_id}/amendments/1").json()
    assert mine["status"] == "refused" and mine["decisions"][0]["outcome"] == "refused"


def test_cancellation_over_the_api_is_idempotent(flow, api):
    sent = flow.sent()
    declaration_id = str(sent.pk)
    trader, officer = api("deklarant"), api("inspektor")
    body = {"reason": "Müqavilə ləğv edildi"}
    first = trader.post(f"/declarations/{declaration_id}/cancellation", body, headers={"Idempotency-Key": "cancel-1"})
    second = trader.post(f"/declarations/{declaration_id}/cancellation", body, headers={"Idempotency-Key": "cancel-1"})
    assert first.status_code == second.status_code == 201
    assert second["Idempotent-Replayed"] == "true" and first.json() == second.json()
    assert CancellationRequest.objects.filter(declaration=sent).count() == 1
    # A second request without the key is refused: one is pending.
    assert_problem(trader.post(f"/declarations/{declaration_id}/cancellation", body), 409, "request_pending")
    assert_problem(trader.post(f"/declarations/{declaration_id}/cancellation", {"reason": ""}), 422)
    accepted = officer.post(f"/customs/declarations/{declaration_id}/cancellations/1/accept", {})
    assert accepted.status_code == 200 and accepted.json()["status"] == "accepted"
    declaration = trader.get(f"/declarations/{declaration_id}").json()
    assert declaration["state"] == "cancelled" and declaration["registration_number"] == sent.registration_number


def test_complaint_over_the_api(flow, api, pki):
    refused = flow.to(flow.sent(office="00102"), State.REFUSED, officer="post_officer")
    declaration_id = str(refused.pk)
    trader, reviewer, deciding = api("deklarant"), api("inspektor"), api("post_officer")

    events = trader.get(f"/declarations/{declaration_id}/events").json()
    refusal = next(e for e in events if e["action"] == "refuse")
    body = {"decision": refusal["id"], "grounds": "Lisenziya vaxtında təqdim edilib"}
    created = trader.post(f"/declarations/{declaration_id}/complaints", body, headers={"Idempotency-Key": "c-1"})
    assert created.status_code == 201, created.content[:2000]
    replay = trader.post(f"/declarations/{declaration_id}/complaints", body, headers={"Idempotency-Key": "c-1"})
    assert replay["Idempotent-Replayed"] == "true" and replay.json()["id"] == created.json()["id"]
    complaint = created.json()
    cid = complaint["id"]
    assert (complaint["state"], complaint["decision"], complaint["reviewing_office"]) == ("draft", "refusal", "00100")

    upload = io.BytesIO(b"%PDF-1.4 licence")
    upload.name = "lisenziya.pdf"
    attached = trader.client.post(f"/api/v1/complaints/{cid}/attachments", {"file": upload}, headers=trader.headers())
    assert attached.status_code == 201, attached.content[:2000]
    payload = trader.get(f"/complaints/{cid}/signing-payload").json()
    signature = pki.sign("deklarant", base64.b64decode(payload["payload"]))
    lodged = trader.post(f"/complaints/{cid}/signature", {"signature": b64(signature)})
    assert lodged.status_code == 200, lodged.content[:2000]
    lodged = lodged.json()
    assert lodged["state"] == "lodged" and lodged["deadline"] and not lodged["overdue"]
    assert "78" in lodged["time_limit"]["article_en"]

    queue = reviewer.get("/customs/complaints").json()
    assert [(c["id"], c["overdue"], c["actions"]) for c in queue] == [(cid, False, ["review"])]
    assert deciding.get("/customs/complaints").json() == []
    # The superior body reads the declaration through the complaint, not through /declarations.
    assert_problem(reviewer.get(f"/declarations/{declaration_id}"), 404)
    seen = reviewer.get(f"/complaints/{cid}/declaration")
    assert seen.status_code == 200 and seen.json()["registration_number"] == refused.registration_number
    assert reviewer.get(f"/complaints/{cid}/declaration/pdf")["Content-Type"] == "application/pdf"
    attachment_id = lodged["attachments"][0]["id"]
    download = reviewer.get(f"/complaints/{cid}/attachments/{attachment_id}")
    assert download.status_code == 200 and b"".join(download.streaming_content) == b"%PDF-1.4 licence"

    assert_problem(deciding.post(f"/customs/complaints/{cid}/review"), 403, "not_reviewing_office")
    assert reviewer.post(f"/customs/complaints/{cid}/review", headers={"Idempotency-Key": "r-1"}).json()["state"] == "under_review"
    decision = {"outcome": "upheld", "text": "İmtina ləğv edilir; bəyannaməyə yenidən baxılsın."}
    decided = reviewer.post(f"/customs/complaints/{cid}/decision", decision, headers={"Idempotency-Key": "d-1"})
    assert decided.status_code == 200, decided.content[:2000]
    replayed = reviewer.post(f"/customs/complaints/{cid}/decision", decision, headers={"Idempotency-Key": "d-1"})
    assert replayed["Idempotent-Replayed"] == "true"
    record = decided.json()["decision_record"]
    assert record["outcome"] == "upheld" and record["reversal"]["action"] == "reopen"

    mine = trader.get(f"/complaints/{cid}").json()
    assert [(e["from_state"], e["to_state"]) for e in mine["timeline"]] == [
        ("draft", "lodged"), ("lodged", "under_review"), ("under_review", "upheld"),
    ]
    assert trader.get(f"/declarations/{declaration_id}").json()["state"] == "under_control"
    assert [c["id"] for c in trader.get(f"/declarations/{declaration_id}/complaints").json()] == [cid]


def test_nobody_else_reaches_requests_complaints_or_versions(flow, api, pki):
    refused = flow.to(flow.sent(office="00102"), State.REFUSED, officer="post_officer")
    declaration_id = str(refused.pk)
    events = api("deklarant").get(f"/declarations/{declaration_id}/events").json()
    refusal = next(e for e in events if e["action"] == "refuse")
    cid = api("deklarant").post(f"/declarations/{declaration_id}/complaints",
                                {"decision": refusal["id"], "grounds": "Əsassızdır"}).json()["id"]
    for stranger in ("deklarant2", "inspektor2", "komite"):
        client = api(stranger)
        assert_problem(client.get(f"/declarations/{declaration_id}/versions"), 404)
        assert_problem(client.get(f"/declarations/{declaration_id}/versions/1/diff"), 404)
        assert_problem(client.get(f"/complaints/{cid}"), 404, "complaint_not_found")
        assert_problem(client.get(f"/complaints/{cid}/declaration"), 404)
        assert_problem(client.get(f"/declarations/{declaration_id}/complaints"), 404)
    assert_problem(api("deklarant2").post(f"/declarations/{declaration_id}/cancellation", {"reason": "x"}), 404)
    assert_problem(api("deklarant2").post(f"/declarations/{declaration_id}/amendments", {"reason": "x"}), 404)
    assert_problem(api("deklarant2").post(f"/declarations/{declaration_id}/complaints",
                                          {"decision": refusal["id"], "grounds": "x"}), 404)
    assert_problem(api("inspektor2").post(f"/customs/declarations/{declaration_id}/cancellations/1/accept", {}), 404)
    # The draft complaint is the trader's own: not even the competent officer sees it yet.
    assert_problem(api("inspektor").get(f"/complaints/{cid}"), 404)
    assert_problem(ApiClient().get(f"/complaints/{cid}"), 401)


def test_a_token_reaches_only_the_complaints_of_its_bound_voens(flow, api, journey):
    from gomruk.accounts.models import Representation, Trader
    from gomruk.complaints.models import Complaint
    from gomruk.declarations.services import declaration_create
    from gomruk.demo import factories
    from tests.after.test_complaints import lodge

    # deklarant2's own export: the party boxes left empty are filled from its account.
    own = factories.export_gb().model_copy(update={"consignor": None, "declarant": None, "financial_party": None})
    draft = declaration_create(user=journey.users["deklarant2"], document=own, voen="1900310041")
    refused = flow.to(flow.send(draft, owner="deklarant2"), State.REFUSED)
    complaint = lodge(journey, refused, "refuse", by="deklarant2")
    old_token = api("broker")  # issued while the broker does not represent 1900310041
    Representation.objects.create(
        representative=journey.users["broker"], principal=Trader.objects.get(voen="1900310041"), document="Müqavilə"
    )
    assert Complaint.objects.filter(pk=complaint.pk).exists()
    assert_problem(old_token.get(f"/complaints/{complaint.pk}"), 404, "complaint_not_found")
    assert old_token.get("/complaints").json() == []
    fresh = ApiClient(password_token("broker"))
    assert fresh.get(f"/complaints/{complaint.pk}").json()["id"] == str(complaint.pk)
