"""Issue 19's rows of the state machine, asked directly (no database): written out from the
issue, independently of ``states.ACTIONS``."""

from __future__ import annotations

import pytest

from gomruk.declarations.models import State
from gomruk.declarations.states import ACTION, Actor, allowed_requests, allowed_transitions, can

S = State
SENT_ON = {S.SENT, S.REGISTERED, S.UNDER_CONTROL}
RELEASED = {S.RELEASED, S.AMENDED}
# action: (sources, target (None: the state stays), sides that may take it)
EXPECTED = {
    "request_amendment": (SENT_ON | RELEASED, None, {Actor.TRADER}),
    "amend": (SENT_ON, None, {Actor.OFFICER, Actor.REVIEWER}),
    "amend_after_release": (RELEASED, S.AMENDED, {Actor.OFFICER, Actor.REVIEWER}),
    "refuse_amendment": (SENT_ON | RELEASED, None, {Actor.OFFICER}),
    "request_cancellation": (SENT_ON | RELEASED, None, {Actor.TRADER}),
    "cancel": (SENT_ON | RELEASED, S.CANCELLED, {Actor.OFFICER, Actor.REVIEWER}),
    "refuse_cancellation": (SENT_ON | RELEASED, None, {Actor.OFFICER}),
    "reopen": ({S.REFUSED, S.RETURNED}, S.UNDER_CONTROL, {Actor.REVIEWER}),
    "reassign_channel": ({S.UNDER_CONTROL}, None, {Actor.REVIEWER}),
    "complain": (SENT_ON | RELEASED | {S.REFUSED, S.RETURNED, S.CANCELLED}, None, {Actor.TRADER}),
}


def test_the_rows_match_the_issue():
    for name, (sources, target, sides) in EXPECTED.items():
        action = ACTION[name]
        assert (set(action.sources), action.target, set(action.actors)) == (sources, target, sides), name
        # A step that keeps the state is still a step of the declaration's history.
        assert action.records is (target is None)


@pytest.mark.parametrize("state", list(State))
@pytest.mark.parametrize("action", sorted(EXPECTED))
def test_can_answers_each_side(state, action):
    sources, _target, sides = EXPECTED[action]
    for side in Actor:
        assert can(action, state, side) is (state in sources and side in sides)


def test_cancelled_is_final_and_drafts_cannot_be_amended_or_cancelled():
    assert allowed_transitions(S.CANCELLED) == []
    assert allowed_requests(S.CANCELLED, Actor.TRADER) == ["complain"]
    for state in (S.DRAFT, S.SIGNED, S.CONFIRMED, S.WITHDRAWN):
        assert allowed_requests(state, Actor.TRADER) == []


def test_answers_are_not_offered_as_free_steps():
    # The office cancels or amends only in answer to a request; the superior body reopens only
    # in answer to a complaint.
    assert allowed_transitions(S.UNDER_CONTROL, Actor.OFFICER) == ["release", "refuse", "return"]
    assert allowed_transitions(S.REFUSED, Actor.REVIEWER) == []
    assert allowed_requests(S.RELEASED, Actor.TRADER) == ["request_amendment", "request_cancellation", "complain"]
