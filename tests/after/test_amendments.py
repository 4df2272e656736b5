"""Amendment after sending, through the real services: before registration it replaces, after
registration it becomes current with the payments recomputed (the difference of boxes 47 and
B), after release it is a post-clearance amendment (its own state); a refusal keeps the old
version current. The registration number stays."""

from __future__ import annotations

from decimal import Decimal

import pytest

from gomruk.core.errors import GomrukError
from gomruk.core.models import AuditEntry
from gomruk.customs import requests as customs_requests
from gomruk.customs import services as customs
from gomruk.declarations import amendments
from gomruk.declarations.models import (
    AmendmentKind,
    AmendmentRequest,
    DeclarationVersion,
    RequestStatus,
    State,
    StatusEvent,
)
from gomruk.declarations.versions import declaration_versions
from gomruk.demo import factories
from tests.after.amend import money, request_amendment, set_gross_mass, set_invoice_value
from tests.after.conftest import import_document


def _accept(journey, declaration, number, officer="inspektor"):
    return customs_requests.amendment_accept(
        officer=journey.users[officer], declaration_id=declaration.pk, number=number, reason="Sənədlərlə təsdiqlənir"
    )


def test_before_registration_the_new_version_replaces_the_sent_one(flow, journey):
    sent = flow.sent()
    number, sent_version = sent.registration_number, sent.version
    request = request_amendment(journey, sent, set_gross_mass("2600.000"), reason="Çəki səhv yazılıb")
    assert request.status == RequestStatus.REQUESTED and request.state_at_request == State.SENT
    sent.refresh_from_db()
    # Customs still holds what was sent until it decides.
    assert sent.version == sent_version and sent.document["goods"][0]["gross_mass"] == "2500.000"

    decision = _accept(journey, sent, request.number)

    sent.refresh_from_db()
    assert decision.kind == AmendmentKind.REPLACEMENT and decision.outcome == "accepted"
    assert sent.state == State.SENT
    assert sent.version == request.version.number > sent_version
    assert sent.document["goods"][0]["gross_mass"] == "2600.000"
    assert sent.registration_number == number and sent.document["registration_number"] == number
    event = StatusEvent.objects.filter(declaration=sent).order_by("-id").first()
    assert (event.from_state, event.to_state, event.details["action"]) == (State.SENT, State.SENT, "amend")
    assert event.actor == journey.users["inspektor"]


def test_the_declarant_cannot_change_customs_boxes_or_the_number(flow, journey):
    sent = flow.sent()

    def tamper(document):
        document["registration_number"] = "00100/010101/9999999"
        document["customs_notes"] = "Yoxlanılıb"
        document["goods"][0]["gross_mass"] = "2600.000"

    request = request_amendment(journey, sent, tamper)
    assert request.document["registration_number"] == sent.registration_number
    assert "customs_notes" not in request.document
    _accept(journey, sent, request.number)
    sent.refresh_from_db()
    assert sent.document["registration_number"] == sent.registration_number


@pytest.fixture
def registered_import(flow, payments_facts):
    """An import declaration (15 % duty, 18 % VAT, USD 1.7) registered: its rates are fixed."""
    sent = flow.sent(document=import_document())
    return flow.to(sent, State.REGISTERED)


def test_after_registration_payments_are_recomputed_and_the_difference_is_right(journey, registered_import):
    declaration = registered_import
    # Item 1: invoice 1250 USD → 1500 USD at 1.7: customs value 2125.00 → 2550.00.
    request = request_amendment(journey, declaration, set_invoice_value("1500.00"), recompute=True)

    decision = _accept(journey, declaration, request.number)

    assert decision.kind == AmendmentKind.AMENDMENT
    payments = decision.payments
    assert payments["on"] == declaration.acceptance_date.isoformat()
    lines = {(row["item"], row["payment_type"]): row for row in payments["box_47"]}
    duty, vat = lines[(1, "20")], lines[(1, "32")]
    # Duty 15 %: 318.75 → 382.50. VAT 18 % of value + duty: 439.88 → 527.85.
    assert (money(duty["before"]), money(duty["after"]), money(duty["difference"])) == (
        Decimal("318.75"), Decimal("382.50"), Decimal("63.75"),
    )
    assert (money(vat["before"]), money(vat["after"]), money(vat["difference"])) == (
        Decimal("439.88"), Decimal("527.85"), Decimal("87.97"),
    )
    # Item 2 did not change.
    assert all(money(row["difference"]) == 0 for row in payments["box_47"] if row["item"] == 2 and row["payment_type"] != "01")
    # Box B: per payment type; the clearance fee follows box 12 (4675.00 → 5100.00).
    box_b = {row["payment_type"]: row for row in payments["box_b"]}
    fee_change = factories.clearance_fee(Decimal("5100.00")) - factories.clearance_fee(Decimal("4675.00"))
    assert money(box_b["01"]["difference"]) == fee_change
    assert money(box_b["20"]["difference"]) == Decimal("63.75")
    assert money(box_b["32"]["difference"]) == Decimal("87.97")
    total = payments["total"]
    assert money(total["difference"]) == Decimal("63.75") + Decimal("87.97") + fee_change
    assert money(total["after"]) - money(total["before"]) == money(total["difference"])
    declaration.refresh_from_db()
    assert declaration.state == State.REGISTERED and declaration.version == request.version.number
    assert declaration.document["goods"][0]["invoice_value"] == "1500.00"


def test_after_release_it_is_a_post_clearance_amendment_with_its_own_state(flow, journey, payments_facts):
    sent = flow.sent(document=import_document())
    released = flow.to(sent, State.RELEASED)
    # Item 2: invoice 1500 USD → 1400 USD: duty and VAT go down.
    request = request_amendment(journey, released, set_invoice_value("1400.00", item=2), recompute=True)
    assert request.state_at_request == State.RELEASED

    decision = _accept(journey, released, request.number)

    released.refresh_from_db()
    assert released.state == State.AMENDED
    assert decision.kind == AmendmentKind.POST_CLEARANCE
    lines = {(row["item"], row["payment_type"]): row for row in decision.payments["box_47"]}
    # Customs value 2550.00 → 2380.00: duty 382.50 → 357.00; VAT 527.85 → 492.66.
    assert money(lines[(2, "20")]["difference"]) == Decimal("-25.50")
    assert money(lines[(2, "32")]["difference"]) == Decimal("-35.19")
    assert released.registration_number == sent.registration_number
    # Another post-clearance amendment from "amended" stays "amended".
    again = request_amendment(journey, released, set_gross_mass("50.000", item=2), reason="Brutto çəki")
    _accept(journey, released, again.number)
    released.refresh_from_db()
    assert released.state == State.AMENDED and released.version == again.version.number


def test_a_refused_amendment_keeps_the_old_version_current(flow, journey):
    registered = flow.to(flow.sent(), State.REGISTERED)
    held_version, held_document = registered.version, dict(registered.document)
    request = request_amendment(journey, registered, set_gross_mass("2600.000"))

    decision = customs_requests.amendment_refuse(
        officer=journey.users["inspektor"], declaration_id=registered.pk, number=request.number,
        reasons={"35/1": "Çəki çəki aktı ilə təsdiqlənmir"}, reason="Əsas yoxdur",
    )

    registered.refresh_from_db()
    assert registered.version == held_version and registered.document == held_document
    assert registered.state == State.REGISTERED
    assert decision.outcome == "refused" and decision.box_reasons == [
        {"box": "35", "item": 1, "text": "Çəki çəki aktı ilə təsdiqlənmir"}
    ]
    request.refresh_from_db()
    assert request.status == RequestStatus.REFUSED
    statuses = {v.version.number: v.status for v in declaration_versions(user=journey.users["deklarant"], declaration_id=registered.pk)}
    assert statuses[held_version] == "current" and statuses[request.version.number] == "refused"
    # Refusing needs a reason per box.
    other = request_amendment(journey, registered, set_gross_mass("2700.000"))
    with pytest.raises(GomrukError) as error:
        customs_requests.amendment_refuse(
            officer=journey.users["inspektor"], declaration_id=registered.pk, number=other.number, reasons={}
        )
    assert error.value.code == "reasons_required"


def test_a_pending_request_holds_the_concluding_decisions_and_another_request(flow, journey):
    under_control = flow.to(flow.sent(), State.UNDER_CONTROL)
    request_amendment(journey, under_control, set_gross_mass("2600.000"))
    officer = journey.users["inspektor"]
    for decide in (
        lambda: customs.declaration_release(officer=officer, declaration_id=under_control.pk),
        lambda: customs.declaration_refuse(officer=officer, declaration_id=under_control.pk, reason="x"),
    ):
        with pytest.raises(GomrukError) as error:
            decide()
        assert error.value.code == "request_pending"
    with pytest.raises(GomrukError) as error:
        request_amendment(journey, under_control, set_gross_mass("2700.000"))
    assert error.value.code == "request_pending"


def test_an_amendment_changing_nothing_is_refused(flow, journey):
    sent = flow.sent()
    with pytest.raises(GomrukError) as error:
        request_amendment(journey, sent, lambda document: None)
    assert error.value.code == "amendment_unchanged" and error.value.status == 422


def test_a_working_copy_based_on_an_older_version_is_stale(flow, journey):
    sent = flow.sent()
    user = journey.users["deklarant"]
    first = request_amendment(journey, sent, set_gross_mass("2600.000"))
    # A second working copy started while the first waits is based on the same version …
    second = amendments.amendment_start(user=user, declaration_id=sent.pk, reason="Başqa düzəliş")
    _accept(journey, sent, first.number)
    # … and cannot be sent once the first became current.
    with pytest.raises(GomrukError) as error:
        amendments.amendment_signing_payload(user=user, declaration_id=sent.pk, number=second.number)
    assert error.value.code == "amendment_stale"


def test_only_the_declarant_or_its_representative_may_amend_and_sign(flow, journey):
    sent = flow.sent()
    with pytest.raises(GomrukError) as error:
        amendments.amendment_start(user=journey.users["deklarant2"], declaration_id=sent.pk)
    assert error.value.status == 404
    with pytest.raises(GomrukError) as error:
        amendments.amendment_start(user=journey.users["inspektor"], declaration_id=sent.pk)
    assert error.value.status == 403
    # A certificate of another trader does not sign for this one.
    request = amendments.amendment_start(user=journey.users["deklarant"], declaration_id=sent.pk, reason="Çəki")
    document = request.document
    document["goods"][0]["gross_mass"] = "2600.000"
    from gomruk.document.model import Declaration as Document

    amendments.amendment_update(
        user=journey.users["deklarant"], declaration_id=sent.pk, number=request.number,
        document=Document.model_validate(document),
    )
    frozen = amendments.amendment_signing_payload(user=journey.users["deklarant"], declaration_id=sent.pk, number=request.number)
    with pytest.raises(GomrukError) as error:
        amendments.amendment_sign(
            user=journey.users["deklarant"], declaration_id=sent.pk, number=request.number, provider="certificate",
            signature=journey.pki.sign("deklarant2", frozen.payload),
        )
    assert error.value.code == "signature_wrong_voen"
    # The broker, representing the declarant, may — standing in box 14 itself, the declarant
    # staying the owner (issue 13: no one signs in another trader's name).
    from gomruk.declarations.ownership import parties_prefill

    broker = journey.users["broker"]
    as_broker = parties_prefill(
        user=broker, document=Document.model_validate({**document, "declarant": None}), trader_voen=sent.trader_voen
    )
    amendments.amendment_update(user=broker, declaration_id=sent.pk, number=request.number, document=as_broker)
    frozen = amendments.amendment_signing_payload(user=broker, declaration_id=sent.pk, number=request.number)
    sent_by_broker = amendments.amendment_sign(
        user=journey.users["broker"], declaration_id=sent.pk, number=request.number, provider="certificate",
        signature=journey.pki.sign("broker", frozen.payload),
    )
    assert sent_by_broker.status == RequestStatus.REQUESTED and sent_by_broker.requested_by == journey.users["broker"]


def test_customs_does_not_see_a_working_copy(flow, journey):
    sent = flow.sent()
    draft = amendments.amendment_start(user=journey.users["deklarant"], declaration_id=sent.pk, reason="x")
    officer = journey.users["inspektor"]
    with pytest.raises(GomrukError) as error:
        amendments.amendment_get(user=officer, declaration_id=sent.pk, number=draft.number)
    assert error.value.status == 404
    assert amendments.amendments_of(user=officer, declaration=sent) == []
    with pytest.raises(GomrukError) as error:
        customs_requests.amendment_accept(officer=officer, declaration_id=sent.pk, number=draft.number)
    assert (error.value.code, error.value.status) == ("amendment_not_found", 404)


def test_a_sent_request_cannot_be_changed(flow, journey):
    sent = flow.sent()
    request = request_amendment(journey, sent, set_gross_mass("2600.000"))
    with pytest.raises(GomrukError) as error:
        amendments.amendment_update(user=journey.users["deklarant"], declaration_id=sent.pk, number=request.number, reason="x")
    assert error.value.code == "amendment_not_draft"
    request = AmendmentRequest.objects.get(pk=request.pk)
    request.reason = "rewritten"
    with pytest.raises(ValueError, match="may change once it is sent"):
        request.save()
    frozen = DeclarationVersion.objects.get(pk=request.version_id)
    with pytest.raises(ValueError, match="append-only"):
        frozen.save()


def test_asan_imza_signs_an_amendment_like_a_declaration(flow, journey, asan_pki):
    from gomruk.signatures.services import asan_phone_confirm

    sent = flow.sent()
    user = journey.users["deklarant"]
    request = amendments.amendment_start(user=user, declaration_id=sent.pk, reason="Çəki səhvdir")
    document = request.document
    document["goods"][0]["gross_mass"] = "2600.000"
    from gomruk.document.model import Declaration as Document

    amendments.amendment_update(user=user, declaration_id=sent.pk, number=request.number, document=Document.model_validate(document))
    asan = amendments.amendment_sign_asan_start(
        user=user, declaration_id=sent.pk, number=request.number, phone_number=user.phone_number,
        asan_user_id=user.asan_user_id,
    )
    pending = amendments.amendment_sign_asan_poll(user=user, declaration_id=sent.pk, number=request.number, transaction_id=asan.id)
    assert pending.state == "pending" and pending.request.status == RequestStatus.DRAFT
    asan_phone_confirm(transaction_id=asan.id)
    done = amendments.amendment_sign_asan_poll(user=user, declaration_id=sent.pk, number=request.number, transaction_id=asan.id)
    assert done.state == "signed" and done.request.status == RequestStatus.REQUESTED
    assert done.request.signature.provider == "asan"


def test_every_step_of_an_amendment_is_audited(flow, journey):
    sent = flow.sent()
    first = request_amendment(journey, sent, set_gross_mass("2600.000"))
    customs_requests.amendment_refuse(
        officer=journey.users["inspektor"], declaration_id=sent.pk, number=first.number, reasons={"35/1": "Yox"}
    )
    second = request_amendment(journey, sent, set_gross_mass("2650.000"))
    _accept(journey, sent, second.number)
    actions = list(
        AuditEntry.objects.filter(object_id=str(sent.pk), action__contains="amend").order_by("sequence", "id").values_list("action", "outcome")
    )
    for expected in (
        ("declaration.amendment.start", "ok"),
        ("declaration.amendment.freeze", "ok"),
        ("declaration.request_amendment", "ok"),
        ("declaration.refuse_amendment", "ok"),
        ("declaration.amend", "ok"),
    ):
        assert expected in actions
    refused = AuditEntry.objects.get(action="declaration.refuse_amendment", object_id=str(sent.pk))
    assert refused.actor == journey.users["inspektor"] and refused.details["reasons"][0]["box"] == "35"
