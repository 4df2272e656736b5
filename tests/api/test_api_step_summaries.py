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


def test_the_callers_voens_are_read_once_per_request(walk):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    declaration_id = walk.create()["id"]
    payload = walk.api.get(f"/declarations/{declaration_id}/signing-payload")
    assert payload.status_code == 200, payload.content
    with CaptureQueriesContext(connection) as queries:
        signed = walk.sign(declaration_id)
    assert signed["state"] == "signed"
    bindings = [q for q in queries.captured_queries if 'FROM "accounts_traderbinding"' in q["sql"]]
    requests = 2  # walk.sign asks for the payload, then posts the signature
    assert len(bindings) == requests


def test_a_binding_written_in_the_request_is_seen(users):
    from gomruk.accounts.models import Trader, TraderBinding
    from gomruk.accounts.selectors import own_voens, voens_memoised

    user = users["deklarant"]
    with voens_memoised():
        before = own_voens(user)
        trader = Trader.objects.create(voen="9900000001", name="Yeni MMC")
        TraderBinding.objects.create(user=user, trader=trader)
        assert own_voens(user) == before | {"9900000001"}


def test_a_step_outside_the_tokens_binding_is_not_found(walk):
    """For a trader's token the service's locked read is the scope check: it keeps to the
    token's binding and to whom the user acts for, and a step outside them changes nothing."""
    from gomruk.accounts.models import ApiToken
    from gomruk.core.models import AuditEntry
    from gomruk.declarations.models import Declaration
    from tests.api.api_helpers import assert_problem

    declaration_id = walk.create()["id"]
    base = f"/declarations/{declaration_id}"
    assert walk.api.get(f"{base}/signing-payload").status_code == 200
    ApiToken.objects.filter(user__username="deklarant").update(voens=["1500420091"])
    assert_problem(walk.api.get(f"{base}/signing-payload"), 404)
    signature = {"provider": "certificate", "signature": "MA==", "version": 1}
    assert_problem(walk.api.post(f"{base}/signature", signature, headers={"Idempotency-Key": "s-1"}), 404)
    confirm = {"terms_version": "1", "accepted": True}
    assert_problem(walk.api.post(f"{base}/confirm", confirm, headers={"Idempotency-Key": "c-1"}), 404)
    assert_problem(walk.api.post(f"{base}/send", {"office": "00100"}, headers={"Idempotency-Key": "x-1"}), 404)
    assert Declaration.objects.get(pk=declaration_id).state == "draft"
    # Each refused step is on the audit trail, as a refused attempt of its service.
    denied = AuditEntry.objects.filter(object_id=declaration_id, outcome="denied").values_list("action", flat=True)
    assert set(denied) >= {"declaration.signing_payload", "declaration.sign", "declaration.confirm", "declaration.send"}
    ApiToken.objects.filter(user__username="deklarant").update(voens=["1401555071"])
    assert walk.api.get(f"{base}/signing-payload").status_code == 200
    assert_problem(walk.api.get("/declarations/00000000-0000-0000-0000-000000000000/signing-payload"), 404)


def test_a_traders_step_reads_its_declaration_row_once(walk):
    """The door does not read the row the service locks (``scope.service_reach``)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    declaration_id = walk.create()["id"]
    walk.sign(declaration_id)
    with CaptureQueriesContext(connection) as queries:
        confirmed = walk.confirm(declaration_id)
    assert confirmed["state"] == "confirmed"
    rows = [q for q in queries.captured_queries if 'FROM "declarations_declaration" d WHERE' in q["sql"]]
    assert len(rows) == 1, [q["sql"][:120] for q in rows]


def test_a_licence_written_in_the_request_is_seen(users):
    """A broker's licences are kept for the request like its VÖENs, and forgotten alike."""
    import datetime as dt

    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from gomruk.accounts.models import BrokerLicence
    from gomruk.accounts.selectors import broker_licences, voens_memoised

    user, today = users["broker"], timezone.localdate()
    with voens_memoised():
        before = broker_licences(user, today)
        assert before
        with CaptureQueriesContext(connection) as asked:
            assert broker_licences(user, today) == before
        assert len(asked) == 0
        licence = BrokerLicence.objects.get(representative=user)
        licence.valid_to = today - dt.timedelta(days=1)
        licence.save()
        assert broker_licences(user, today) == {}


def test_a_caller_without_a_broker_licence_is_not_asked_for_one(walk):
    """The token's lookup says whether its user holds a licence at all; a declarant's steps
    then read no licence, while a broker's still read its own (and a broker's token still finds its licence)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        declaration_id = walk.create()["id"]
        signed = walk.sign(declaration_id)
        walk.confirm(declaration_id)
        sent = walk.send(declaration_id, headers={"Idempotency-Key": "licence-send"})
    assert signed["state"] == "signed" and sent.status_code == 200, sent.content
    # (The token's own lookup names the table in its EXISTS; a licence read is a query of its own.)
    assert not [q for q in queries.captured_queries if q["sql"].startswith('SELECT "accounts_brokerlicence"')]


def test_a_brokers_token_still_finds_its_licence(users):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from gomruk.accounts.auth import token_authenticate
    from gomruk.accounts.selectors import broker_licences, voens_memoised
    from tests.api.api_helpers import password_token

    broker = users["broker"]
    with voens_memoised():
        token = token_authenticate(password_token("broker"))
        assert token is not None and token.user == broker
        with CaptureQueriesContext(connection) as asked:
            assert broker_licences(broker, timezone.localdate())
        assert len(asked) == 1
