"""The state machine asked directly: ``can(action, state, actor)`` without a database."""

from __future__ import annotations

import pytest

from gomruk.declarations.models import State
from gomruk.declarations.states import (
    ACTIONS,
    Actor,
    allowed_transitions,
    can,
    document_editable,
    illegal_transition,
)
from tests.lifecycle.test_transitions import EXPECTED, OFFICER_ACTIONS

S = State


@pytest.mark.parametrize("state", list(State))
@pytest.mark.parametrize("action", sorted(EXPECTED))
def test_can_answers_the_table_for_each_side(state, action):
    sources, _target = EXPECTED[action]
    side = Actor.OFFICER if action in OFFICER_ACTIONS else Actor.TRADER
    other = Actor.TRADER if side == Actor.OFFICER else Actor.OFFICER
    assert can(action, state, side) is (state in sources)
    assert can(action, state, None) is (state in sources)
    assert can(action, state, other) is False


def test_an_unknown_action_is_never_allowed():
    assert not any(can("teleport", state) for state in State)


def test_a_draft_is_updated_in_place_not_transitioned():
    assert can("update", S.DRAFT, Actor.TRADER)
    assert not can("update", S.SIGNED, Actor.TRADER)
    assert "update" not in allowed_transitions(S.DRAFT)


def test_the_portal_may_change_the_document_exactly_where_the_declarant_may():
    editable = {state for state in State if document_editable(state)}
    assert editable == {S.DRAFT, S.SIGNED, S.CONFIRMED, S.RETURNED}


def test_allowed_transitions_by_side():
    assert allowed_transitions(S.DRAFT, Actor.TRADER) == ["sign", "withdraw"]
    assert allowed_transitions(S.UNDER_CONTROL, Actor.OFFICER) == ["release", "refuse", "return"]
    assert allowed_transitions(S.UNDER_CONTROL, Actor.TRADER) == []
    assert allowed_transitions(S.WITHDRAWN) == []


def test_every_action_names_known_states_and_a_side():
    names = [a.name for a in ACTIONS]
    assert len(names) == len(set(names))
    for action in ACTIONS:
        assert set(action.sources) <= set(State) and action.sources
        assert action.target is None or action.target in set(State)
        assert set(action.actors) <= set(Actor) and action.actors


def test_the_refusal_lists_what_is_allowed_instead():
    error = illegal_transition(S.DRAFT, "send", S.SENT)
    assert error.code == "illegal_transition" and error.status == 409
    assert error.details["allowed"] == ["sign", "withdraw"]
    assert "Qaralama" in error.message_az
