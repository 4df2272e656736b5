"""Permission matrix: each role and each foreign party tries every transition and read of a
declaration of trader 1401555071; only the rightful actor succeeds, the others get 403/404
and nothing changes."""

from __future__ import annotations

import pytest

from gomruk.core.errors import GomrukError
from gomruk.customs import selectors as customs_selectors
from gomruk.customs import services as customs
from gomruk.declarations.lifecycle import declaration_events
from gomruk.declarations.models import State, StatusEvent
from gomruk.declarations.services import declaration_update
from gomruk.declarations.signing import declaration_sign, signing_payload
from gomruk.declarations.submission import (
    current_terms,
    declaration_confirm,
    declaration_send,
    declaration_withdraw,
)
from gomruk.demo import factories as examples
from gomruk.workbench.selectors import QueueFilters, queue

ACTORS = ["deklarant", "broker", "deklarant2", "inspektor", "inspektor2", "inspektor0", "admin"]
TRADERS = {"deklarant", "broker"}  # the owner and its authorised representative
OFFICE = {"inspektor"}  # officer of office 00100, where the declaration is sent

ACTIONS = {
    # action: (state it starts from, who may do it)
    "sign": (State.DRAFT, TRADERS),
    "confirm": (State.SIGNED, TRADERS),
    "send": (State.CONFIRMED, TRADERS),
    "edit": (State.SIGNED, TRADERS),
    "withdraw": (State.DRAFT, TRADERS),
    "register": (State.SENT, OFFICE),
    "assign_channel": (State.REGISTERED, OFFICE),
    "record_control": (State.UNDER_CONTROL, OFFICE),
    "release": (State.UNDER_CONTROL, OFFICE),
    "refuse": (State.UNDER_CONTROL, OFFICE),
    "return": (State.UNDER_CONTROL, OFFICE),
}


def attempt(journey, declaration, action, user):
    pk = declaration.pk
    if action == "sign":
        # The owner's valid signature, submitted by someone else.
        frozen = signing_payload(user=journey.users["deklarant"], declaration_id=pk)
        signature = journey.pki.sign("deklarant", frozen.payload)
        return declaration_sign(user=user, declaration_id=pk, provider="certificate", signature=signature)
    if action == "confirm":
        return declaration_confirm(user=user, declaration_id=pk, terms_version=current_terms().version, accepted=True)
    if action == "send":
        return declaration_send(user=user, declaration_id=pk, office_code="00100")
    if action == "edit":
        return declaration_update(user=user, declaration_id=pk, document=examples.export_gb())
    if action == "withdraw":
        return declaration_withdraw(user=user, declaration_id=pk)
    if action == "register":
        return customs.declaration_register(officer=user, declaration_id=pk)
    if action == "assign_channel":
        return customs.declaration_assign_channel(officer=user, declaration_id=pk, channel="red", reason="risk")
    if action == "record_control":
        return customs.declaration_record_control(officer=user, declaration_id=pk, box_c="qeyd", box_d={"result": "uyğundur"})
    if action == "release":
        return customs.declaration_release(officer=user, declaration_id=pk)
    if action == "refuse":
        return customs.declaration_refuse(officer=user, declaration_id=pk, reason="səbəb")
    if action == "return":
        return customs.declaration_return(officer=user, declaration_id=pk, reasons={"31/1": "təsvir natamamdır"})
    raise ValueError(action)


@pytest.mark.parametrize("actor", ACTORS)
@pytest.mark.parametrize("action", list(ACTIONS))
def test_only_the_rightful_actor_may(journey, action, actor):
    state, rightful = ACTIONS[action]
    declaration = journey.at(state)
    events = StatusEvent.objects.filter(declaration=declaration).count()
    document = dict(declaration.document)
    user = journey.users[actor]
    if actor in rightful:
        attempt(journey, declaration, action, user)
        declaration.refresh_from_db()
        assert declaration.state != state or action == "record_control"
        return
    with pytest.raises(GomrukError) as error:
        attempt(journey, declaration, action, user)
    assert error.value.status in (403, 404), error.value
    declaration.refresh_from_db()
    assert declaration.state == state
    assert declaration.document == document
    assert StatusEvent.objects.filter(declaration=declaration).count() == events


@pytest.mark.parametrize("actor", ACTORS)
def test_reads(journey, actor):
    returned = journey.at(State.RETURNED)
    user = journey.users[actor]
    may_read = actor in TRADERS | OFFICE
    for read in (
        lambda: declaration_events(user=user, declaration_id=returned.pk),
        lambda: customs_selectors.return_reasons(user=user, declaration_id=returned.pk),
    ):
        if may_read:
            assert read()
        else:
            with pytest.raises(GomrukError) as error:
                read()
            assert error.value.status == 404

    if actor in OFFICE:
        assert customs_selectors.declaration_for_officer(officer=user, declaration_id=returned.pk) == returned
    else:
        with pytest.raises(GomrukError) as error:
            customs_selectors.declaration_for_officer(officer=user, declaration_id=returned.pk)
        assert error.value.status in (403, 404)


@pytest.mark.parametrize("actor", ACTORS)
def test_officer_queue_is_the_office_only(journey, actor):
    sent = journey.at(State.SENT)
    user = journey.users[actor]
    if actor in ("inspektor", "inspektor2"):
        rows = list(queue(officer=user, filters=QueueFilters()))
        assert (sent in rows) == (actor == "inspektor")
    else:
        with pytest.raises(GomrukError) as error:
            queue(officer=user, filters=QueueFilters())
        assert error.value.status == 403


def test_garbage_ids_are_not_found(journey):
    for bad in ("not-a-uuid", "00000000-0000-0000-0000-000000000000"):
        with pytest.raises(GomrukError) as error:
            customs.declaration_register(officer=journey.users["inspektor"], declaration_id=bad)
        assert error.value.status == 404
