"""Signature, confirm and send answer with a summary (issue 17.1): what broker software reads —
state, version, numbers, links — without the document, which stays one GET away."""

from __future__ import annotations

SUMMARY = {
    "id", "state", "declaration_type", "direction", "procedure", "trader_voen", "office_code",
    "registration_number", "version", "sent_at", "acceptance_date", "created_at", "updated_at",
    "actions", "requests", "links",
}


def test_step_answers_are_summaries_with_links(walk):
    declaration_id = walk.create()["id"]
    signed = walk.sign(declaration_id)
    confirmed = walk.confirm(declaration_id)
    response = walk.send(declaration_id, headers={"Idempotency-Key": "summary-send"})
    assert response.status_code == 200, response.content
    sent = response.json()
    for answer, state in ((signed, "signed"), (confirmed, "confirmed"), (sent, "sent")):
        assert set(answer) == SUMMARY
        assert answer["state"] == state
        base = f"/api/v1/declarations/{declaration_id}"
        assert answer["links"] == {
            "self": base, "version": f"{base}/versions/{answer['version']}", "events": f"{base}/events",
        }
    assert sent["registration_number"].startswith("00100/")
    assert sent["office_code"] == "00100" and sent["sent_at"]
    whole = walk.api.get(sent["links"]["self"]).json()
    assert whole["document"]["registration_number"] == sent["registration_number"]
    signed_version = walk.api.get(sent["links"]["version"])
    assert signed_version.status_code == 200, signed_version.content
    assert signed_version.json()["number"] == sent["version"]
    # The stored answer replayed under the same key is the same summary.
    again = walk.send(declaration_id, headers={"Idempotency-Key": "summary-send"})
    assert again.json() == sent
