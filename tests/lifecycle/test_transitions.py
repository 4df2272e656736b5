"""Every transition from every state: the legal ones move the state and leave an event and an
audit entry; the illegal ones are refused with the project's error and change nothing."""

from __future__ import annotations

import pytest

from gomruk.core.errors import GomrukError
from gomruk.core.models import AuditEntry
from gomruk.declarations.models import State, StatusEvent
from gomruk.declarations.services import declaration_update
from gomruk.declarations.states import ACTIONS
from gomruk.declarations.submission import declaration_withdraw
from gomruk.demo import factories as examples

S = State
# Written out from the issue, independently of states.ACTIONS.
EXPECTED = {
    "sign": ({S.DRAFT}, S.SIGNED),
    "confirm": ({S.SIGNED}, S.CONFIRMED),
    "send": ({S.CONFIRMED}, S.SENT),
    "register": ({S.SENT}, S.REGISTERED),
    "assign_channel": ({S.REGISTERED}, S.UNDER_CONTROL),
    "release": ({S.UNDER_CONTROL}, S.RELEASED),
    "refuse": ({S.UNDER_CONTROL}, S.REFUSED),
    "return": ({S.UNDER_CONTROL}, S.RETURNED),
    "edit": ({S.SIGNED, S.CONFIRMED, S.RETURNED}, S.DRAFT),
    "withdraw": ({S.DRAFT, S.SIGNED, S.CONFIRMED, S.SENT}, S.WITHDRAWN),
}
OFFICER_ACTIONS = {"register", "assign_channel", "release", "refuse", "return"}
OFFICER_SEES = {S.SENT, S.REGISTERED, S.UNDER_CONTROL, S.RELEASED, S.REFUSED, S.RETURNED, S.CANCELLED, S.AMENDED}


def perform(journey, declaration, action):
    if action == "sign":
        return journey.sign(declaration)
    if action == "confirm":
        return journey.confirm(declaration)
    if action == "send":
        return journey.send(declaration)
    if action == "edit":
        changed = examples.export_gb()
        changed.goods[0].description = "Düzəldilmiş təsvir"
        return declaration_update(user=journey.users["deklarant"], declaration_id=declaration.pk, document=changed)
    if action == "withdraw":
        return declaration_withdraw(user=journey.users["deklarant"], declaration_id=declaration.pk, reason="lazım deyil")
    return journey.officer_step(declaration, action)


def test_the_table_matches_the_issue():
    # Transitions taken in answer to a request (cancel, amend after release, reopen on a
    # complaint) are issue 19's: tests/after covers them.
    table = {a.name: (set(a.sources), a.target) for a in ACTIONS if a.is_transition and not a.answers}
    assert table == EXPECTED


# Editing a draft is not a transition (test_signing covers it).
@pytest.mark.parametrize(
    ("state", "action"), [(s, a) for s in State for a in EXPECTED if (s, a) != (S.DRAFT, "edit")]
)
def test_transition(journey, state, action):
    declaration = journey.at(state)
    events_before = StatusEvent.objects.filter(declaration=declaration).count()
    sources, target = EXPECTED[action]
    actor = journey.users["inspektor" if action in OFFICER_ACTIONS else "deklarant"]

    if state in sources:
        perform(journey, declaration, action)
        declaration.refresh_from_db()
        assert declaration.state == target
        event = StatusEvent.objects.filter(declaration=declaration).order_by("-at", "-id").first()
        assert (event.from_state, event.to_state, event.actor) == (state, target, actor)
        audit = AuditEntry.objects.filter(object_id=str(declaration.pk), action=f"declaration.{action}").last()
        assert audit.outcome == "ok" and audit.details["from"] == state and audit.details["to"] == target
        return

    with pytest.raises(GomrukError) as error:
        perform(journey, declaration, action)
    if action in OFFICER_ACTIONS and state not in OFFICER_SEES:
        # Customs does not see a declaration before it is sent to the office.
        assert error.value.status == 404
    elif action == "edit":
        assert (error.value.code, error.value.status) == ("not_editable", 409)
    else:
        assert (error.value.code, error.value.status) == ("illegal_transition", 409)
        assert error.value.details["state"] == state and error.value.details["action"] == action
        assert error.value.message_az and error.value.message_en
    declaration.refresh_from_db()
    assert declaration.state == state
    assert StatusEvent.objects.filter(declaration=declaration).count() == events_before


def test_illegal_transition_message_names_the_states(journey):
    declaration = journey.at(S.DRAFT)
    with pytest.raises(GomrukError) as error:
        journey.send(declaration)
    assert "'Draft'" in error.value.message_en and "'Sent'" in error.value.message_en  # labels, not codes (16.8)
    assert "Qaralama" in error.value.message_az and "Göndərilib" in error.value.message_az


def test_status_events_cannot_be_rewritten(journey):
    event = StatusEvent.objects.filter(declaration=journey.at(S.SIGNED)).last()
    event.reason = "rewritten"
    with pytest.raises(ValueError):
        event.save()


SEEN: list[tuple[str, str, str]] = []


def _seen_hook(*, transition, **_):
    SEEN.append((transition.action, transition.from_state, transition.to_state))


def _refusing_hook(**_):
    from gomruk.core.errors import GomrukError

    raise GomrukError(code="goods_held", message_az="Mallar başqa bəyannamədədir.",
                      message_en="The goods are held by another declaration.", status=409)


def _failing_hook(**_):
    raise RuntimeError("border app is down")


def _hooks_plus(path):
    from django.conf import settings

    hooks = {point: list(paths) for point, paths in settings.GOMRUK_HOOKS.items()}
    hooks["declaration.transitioned"] = [*hooks.get("declaration.transitioned", []), path]
    return hooks


def test_transition_hooks_see_the_states(journey, settings):
    SEEN.clear()
    settings.GOMRUK_HOOKS = _hooks_plus(f"{__name__}._seen_hook")
    journey.at(S.SENT)
    assert SEEN == [("sign", "draft", "signed"), ("confirm", "signed", "confirmed"), ("send", "confirmed", "sent")]


def test_the_border_app_follows_transitions_through_its_hook(settings):
    assert "gomruk.border.declaring.arrivals_follow_transition" in settings.GOMRUK_HOOKS["declaration.transitioned"]


def test_a_hook_that_refuses_rolls_the_transition_back_and_is_audited(journey, settings):
    from gomruk.core.errors import GomrukError
    from gomruk.core.models import AuditEntry

    declaration = journey.at(S.CONFIRMED)
    settings.GOMRUK_HOOKS = _hooks_plus(f"{__name__}._refusing_hook")
    with pytest.raises(GomrukError) as error:
        journey.send(declaration)
    assert error.value.code == "goods_held"
    refused = AuditEntry.objects.filter(action="declaration.send", object_id=str(declaration.pk), outcome="refused")
    assert refused.filter(details__code="goods_held").exists()
    declaration.refresh_from_db()
    assert declaration.state == S.CONFIRMED and declaration.registration_number is None


def test_a_failing_hook_rolls_the_transition_back(journey, settings):
    declaration = journey.at(S.CONFIRMED)
    settings.GOMRUK_HOOKS = _hooks_plus(f"{__name__}._failing_hook")
    with pytest.raises(RuntimeError):
        journey.send(declaration)
    declaration.refresh_from_db()
    assert declaration.state == S.CONFIRMED and declaration.registration_number is None
