"""Arrivals follow the declaration that covers them, through the real lifecycle services:
declared on send, cleared on release, back in storage on refusal or withdrawal."""

from __future__ import annotations

import pytest

from gomruk.border.declaring import arrivals_attach
from gomruk.border.models import Arrival, ArrivalEvent
from gomruk.core.errors import GomrukError
from gomruk.core.models import AuditEntry
from tests.border.conftest import OWN


def _state(arrival: Arrival) -> str:
    arrival.refresh_from_db()
    return arrival.state


@pytest.fixture
def covered(journey, register, users):
    """A valid draft of deklarant covering two arrivals (one placed in storage already)."""
    declaration = journey.draft()
    first = register(consignee_voen=OWN, storage_place="TSW-00102-7")
    second = register(consignee_voen=OWN)
    arrivals_attach(user=users["deklarant"], declaration_id=declaration.pk, arrival_ids=[first.pk, second.pk])
    return declaration, first, second


def test_initial_states(covered):
    _declaration, first, second = covered
    assert (_state(first), _state(second)) == ("in_storage", "registered")


def test_send_declares_and_release_clears(journey, covered, users):
    declaration, first, second = covered
    for step in (journey.sign, journey.confirm):
        declaration = step(declaration)
        assert (_state(first), _state(second)) == ("in_storage", "registered")
    declaration = journey.send(declaration)
    assert (_state(first), _state(second)) == ("declared", "declared")
    for action in ("register", "assign_channel"):
        declaration = journey.officer_step(declaration, action)
        assert _state(first) == "declared"
    journey.officer_step(declaration, "release")
    assert (_state(first), _state(second)) == ("cleared", "cleared")
    events = list(ArrivalEvent.objects.filter(arrival=first).values_list("from_state", "to_state", "reason"))
    assert events == [("", "in_storage", ""), ("in_storage", "declared", "send"), ("declared", "cleared", "release")]
    assert AuditEntry.objects.filter(action="border.arrivals.release", object_id=str(declaration.pk)).exists()
    # Cleared goods are gone from the trader's list at once.
    from gomruk.border.selectors import goods_waiting

    assert {a.pk for a in goods_waiting(user=users["deklarant"]).items}.isdisjoint({first.pk, second.pk})


def test_refusal_returns_goods_to_storage(journey, covered):
    declaration, first, second = covered
    declaration = journey.send(journey.confirm(journey.sign(declaration)))
    declaration = journey.officer_step(journey.officer_step(declaration, "register"), "assign_channel")
    journey.officer_step(declaration, "refuse")
    assert (_state(first), _state(second)) == ("in_storage", "in_storage")


def test_withdrawal_after_sending_returns_goods_to_storage(journey, covered, users):
    from gomruk.declarations.submission import declaration_withdraw

    declaration, first, second = covered
    declaration = journey.send(journey.confirm(journey.sign(declaration)))
    assert _state(first) == "declared"
    declaration_withdraw(user=users["deklarant"], declaration_id=declaration.pk, reason="səhv")
    assert (_state(first), _state(second)) == ("in_storage", "in_storage")


def test_withdrawing_a_draft_leaves_goods_as_they_were(covered, users):
    from gomruk.declarations.submission import declaration_withdraw

    declaration, first, second = covered
    declaration_withdraw(user=users["deklarant"], declaration_id=declaration.pk)
    assert (_state(first), _state(second)) == ("in_storage", "registered")


def test_return_for_correction_keeps_goods_declared(journey, covered):
    declaration, first, _second = covered
    declaration = journey.send(journey.confirm(journey.sign(declaration)))
    declaration = journey.officer_step(journey.officer_step(declaration, "register"), "assign_channel")
    journey.officer_step(declaration, "return")
    assert _state(first) == "declared"


def test_goods_cannot_be_sent_twice(journey, covered, users):
    declaration, first, _second = covered
    journey.send(journey.confirm(journey.sign(declaration)))
    # A second declaration cannot even take the declared goods ...
    other = journey.draft()
    with pytest.raises(GomrukError) as error:
        arrivals_attach(user=users["deklarant"], declaration_id=other.pk, arrival_ids=[first.pk])
    assert error.value.code == "arrival_not_available"


def test_sending_a_second_declaration_for_declared_goods_is_rolled_back(journey, users, register):
    arrival = register(consignee_voen=OWN)
    one, two = journey.draft(), journey.draft()
    for declaration in (one, two):
        arrivals_attach(user=users["deklarant"], declaration_id=declaration.pk, arrival_ids=[arrival.pk])
    journey.send(journey.confirm(journey.sign(one)))
    two = journey.confirm(journey.sign(two))
    with pytest.raises(GomrukError) as error:
        journey.send(two)
    assert error.value.code == "arrival_not_available"
    two.refresh_from_db()
    assert two.state == "confirmed" and not two.registration_number  # the whole send rolled back
    assert _state(arrival) == "declared"


def test_attach_only_to_a_draft_and_only_own_goods(journey, users, register):
    from gomruk.core.errors import NotFound

    draft = journey.draft()
    stranger_goods = register(consignee_voen="1900310041")
    with pytest.raises(NotFound):
        arrivals_attach(user=users["deklarant"], declaration_id=draft.pk, arrival_ids=[stranger_goods.pk])
    with pytest.raises(NotFound):  # nor to somebody else's declaration
        arrivals_attach(user=users["deklarant2"], declaration_id=draft.pk, arrival_ids=[stranger_goods.pk])
    signed = journey.sign(journey.draft())
    mine = register(consignee_voen=OWN)
    with pytest.raises(GomrukError) as error:
        arrivals_attach(user=users["deklarant"], declaration_id=signed.pk, arrival_ids=[mine.pk])
    assert error.value.code == "declaration_not_draft"
