"""Cancellation (invalidation) through the real services: asked with a reason before release
(after release only for goods not taken), decided by the holding office; border arrivals go
back to temporary storage; the registration number is never given again."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from gomruk.border.declaring import arrivals_attach
from gomruk.border.models import Arrival, ArrivalEvent
from gomruk.border.schemas import ArrivalIn
from gomruk.border.services import arrival_register
from gomruk.core.errors import GomrukError
from gomruk.core.models import AuditEntry
from gomruk.customs import requests as customs_requests
from gomruk.declarations.cancellation import cancellation_request
from gomruk.declarations.models import Declaration, RequestStatus, State, StatusEvent
from gomruk.declarations.services import declaration_create
from gomruk.demo import factories
from tests.lifecycle.journey import OWNER_VOEN


def _arrival(officer, **overrides):
    data = {
        "post_code": "00102", "consignee_voen": OWNER_VOEN, "consignee_name": "Xəzər Ticarət MMC",
        "arrived_at": (timezone.now() - dt.timedelta(hours=2)).isoformat(), "transport_mode": "30",
        "vehicle_identifiers": "10-AB-123", "vehicle_count": 1, "transport_country": "268",
        "consignor_name": "Georgian Tea LLC", "description": "Qara çay", "commodity_codes": ["0902300000"],
        "package_count": 40, "package_kind": "paletlər", "gross_mass": "12500.5", "documents": [],
        "storage_place": "TSW-00102-7",
    }
    data.update(overrides)
    return arrival_register(officer=officer, data=ArrivalIn.model_validate(data))


@pytest.fixture
def covering(flow, journey):
    """A sent declaration covering two arrivals registered at post 00102."""
    users = journey.users
    first, second = _arrival(users["post_officer"]), _arrival(users["post_officer"], storage_place="")
    draft = declaration_create(user=users["deklarant"], document=factories.export_gb(), voen=OWNER_VOEN)
    arrivals_attach(user=users["deklarant"], declaration_id=draft.pk, arrival_ids=[first.pk, second.pk])
    sent = flow.send(draft)
    assert {a.state for a in Arrival.objects.filter(pk__in=[first.pk, second.pk])} == {"declared"}
    return sent, first, second


def _state(arrival):
    arrival.refresh_from_db()
    return arrival.state


def test_cancelling_a_sent_declaration_frees_its_border_arrivals(journey, covering):
    sent, first, second = covering
    request = cancellation_request(user=journey.users["deklarant"], declaration_id=sent.pk, reason="Müqavilə ləğv edildi")
    assert request.status == RequestStatus.REQUESTED
    # Asking changes nothing yet.
    assert (_state(first), _state(second)) == ("declared", "declared")

    decision = customs_requests.cancellation_accept(
        officer=journey.users["inspektor"], declaration_id=sent.pk, number=request.number, reason="Əsaslıdır"
    )

    sent.refresh_from_db()
    assert sent.state == State.CANCELLED and decision.outcome == "accepted"
    assert (_state(first), _state(second)) == ("in_storage", "in_storage")
    moved = ArrivalEvent.objects.filter(arrival=first, to_state="in_storage", declaration=sent).get()
    assert moved.actor == journey.users["inspektor"] and moved.reason == "cancel"
    # Freed goods can be declared again.
    again = declaration_create(user=journey.users["deklarant"], document=factories.export_gb(), voen=OWNER_VOEN)
    arrivals_attach(user=journey.users["deklarant"], declaration_id=again.pk, arrival_ids=[first.pk])


def test_the_number_of_a_cancelled_declaration_is_never_reused(flow, journey):
    sent = flow.sent()
    number = sent.registration_number
    request = cancellation_request(user=journey.users["deklarant"], declaration_id=sent.pk, reason="Lazım deyil")
    customs_requests.cancellation_accept(officer=journey.users["inspektor"], declaration_id=sent.pk, number=request.number)
    following = flow.sent()
    sent.refresh_from_db()
    assert sent.registration_number == number
    assert following.registration_number != number
    assert int(following.registration_number.rsplit("/", 1)[1]) == int(number.rsplit("/", 1)[1]) + 1
    assert Declaration.objects.filter(registration_number=number).count() == 1


def test_after_release_only_goods_not_taken_may_be_cancelled_and_cleared_goods_return(journey, flow, covering):
    sent, first, _second = covering
    released = flow.to(sent, State.RELEASED)
    assert _state(first) == "cleared"
    with pytest.raises(GomrukError) as error:
        cancellation_request(user=journey.users["deklarant"], declaration_id=released.pk, reason="Mallar aparılmadı")
    assert error.value.code == "goods_taken" and error.value.status == 422
    request = cancellation_request(
        user=journey.users["deklarant"], declaration_id=released.pk, reason="Mallar aparılmadı", goods_not_taken=True
    )
    assert request.goods_not_taken
    customs_requests.cancellation_accept(officer=journey.users["inspektor"], declaration_id=released.pk, number=request.number)
    released.refresh_from_db()
    assert released.state == State.CANCELLED and _state(first) == "in_storage"


def test_a_refused_cancellation_leaves_the_declaration_as_it_was(journey, covering):
    sent, first, _second = covering
    request = cancellation_request(user=journey.users["deklarant"], declaration_id=sent.pk, reason="Səhv")
    with pytest.raises(GomrukError) as error:
        customs_requests.cancellation_refuse(officer=journey.users["inspektor"], declaration_id=sent.pk, number=request.number, reason=" ")
    assert error.value.code == "reason_required"
    customs_requests.cancellation_refuse(
        officer=journey.users["inspektor"], declaration_id=sent.pk, number=request.number, reason="Mallar artıq yoxlanılır"
    )
    sent.refresh_from_db()
    request.refresh_from_db()
    assert sent.state == State.SENT and request.status == RequestStatus.REFUSED and _state(first) == "declared"
    event = StatusEvent.objects.filter(declaration=sent).order_by("-id").first()
    assert event.details["action"] == "refuse_cancellation" and event.reason == "Mallar artıq yoxlanılır"


def test_cancellation_needs_a_reason_a_sent_declaration_and_the_trader(flow, journey):
    sent = flow.sent()
    with pytest.raises(GomrukError) as error:
        cancellation_request(user=journey.users["deklarant"], declaration_id=sent.pk, reason="  ")
    assert error.value.code == "reason_required"
    draft = journey.draft()
    with pytest.raises(GomrukError) as error:
        cancellation_request(user=journey.users["deklarant"], declaration_id=draft.pk, reason="x")
    assert error.value.code == "illegal_transition"
    with pytest.raises(GomrukError) as error:
        cancellation_request(user=journey.users["deklarant2"], declaration_id=sent.pk, reason="x")
    assert error.value.status == 404
    with pytest.raises(GomrukError) as error:
        customs_requests.cancellation_accept(officer=journey.users["inspektor2"], declaration_id=sent.pk, number=1)
    assert error.value.status == 404


def test_every_cancellation_step_is_audited(journey, covering):
    sent, first, _second = covering
    request = cancellation_request(user=journey.users["deklarant"], declaration_id=sent.pk, reason="Lazım deyil")
    customs_requests.cancellation_accept(officer=journey.users["inspektor"], declaration_id=sent.pk, number=request.number)
    entries = {e.action: e for e in AuditEntry.objects.filter(object_id=str(sent.pk))}
    assert entries["declaration.request_cancellation"].actor == journey.users["deklarant"]
    cancelled = entries["declaration.cancel"]
    assert cancelled.actor == journey.users["inspektor"] and cancelled.details["to"] == State.CANCELLED
    assert entries["border.arrivals.cancel"].details["to"] == State.CANCELLED
