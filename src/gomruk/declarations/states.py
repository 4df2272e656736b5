"""The declaration's state machine as data: which action, in which state, by which side.

```
draft ─sign─► signed ─confirm─► confirmed ─send─► sent ─register─► registered
registered ─assign_channel─► under_control ─► released | refused | returned
signed | confirmed | returned ─edit─► draft (new version, signature dropped)
draft | signed | confirmed | sent ─withdraw─► withdrawn
draft ─update─► draft (the document changes in place: no status event)
```

Pure: no database, no request. :func:`can` answers "may this side do this now?" for the portal,
the API and the services alike; the writes that follow a "yes" are ``lifecycle.Lifecycle``'s.
A new state or action is a new row of :data:`ACTIONS` (and, for a state, of ``models.State``).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from django.utils import translation

from gomruk.core.errors import GomrukError
from gomruk.declarations.models import State


class Actor(StrEnum):
    TRADER = "trader"  # the declarant or a representative acting for its VÖEN
    OFFICER = "officer"  # an officer of the office the declaration was sent to


@dataclass(frozen=True)
class Action:
    name: str
    sources: tuple[State, ...]
    #: The state after the action; None: the state stays (no status event is written).
    target: State | None
    actor: Actor

    @property
    def is_transition(self) -> bool:
        return self.target is not None


#: The one table of what may happen to a declaration. Order is the order actions are listed in.
ACTIONS: tuple[Action, ...] = (
    Action("update", (State.DRAFT,), None, Actor.TRADER),
    Action("sign", (State.DRAFT,), State.SIGNED, Actor.TRADER),
    Action("confirm", (State.SIGNED,), State.CONFIRMED, Actor.TRADER),
    Action("send", (State.CONFIRMED,), State.SENT, Actor.TRADER),
    Action("edit", (State.SIGNED, State.CONFIRMED, State.RETURNED), State.DRAFT, Actor.TRADER),
    Action(
        "withdraw", (State.DRAFT, State.SIGNED, State.CONFIRMED, State.SENT), State.WITHDRAWN, Actor.TRADER
    ),
    Action("register", (State.SENT,), State.REGISTERED, Actor.OFFICER),
    Action("assign_channel", (State.REGISTERED,), State.UNDER_CONTROL, Actor.OFFICER),
    Action("release", (State.UNDER_CONTROL,), State.RELEASED, Actor.OFFICER),
    Action("refuse", (State.UNDER_CONTROL,), State.REFUSED, Actor.OFFICER),
    Action("return", (State.UNDER_CONTROL,), State.RETURNED, Actor.OFFICER),
)
ACTION: dict[str, Action] = {action.name: action for action in ACTIONS}


def can(action: str, state: str, actor: Actor | str | None = None) -> bool:
    """May ``actor`` (either side if None) take ``action`` on a declaration in ``state``?"""
    found = ACTION.get(action)
    return found is not None and state in found.sources and (actor is None or found.actor == actor)


def allowed_transitions(state: str, actor: Actor | str | None = None) -> list[str]:
    """The actions that move a declaration on from ``state`` (what the API lists as
    ``actions`` and an illegal-transition error as ``allowed``)."""
    return [a.name for a in ACTIONS if a.is_transition and can(a.name, state, actor)]


def document_editable(state: str) -> bool:
    """Can the declarant change the document now (in place, or as a new draft version)?"""
    return can("update", state, Actor.TRADER) or can("edit", state, Actor.TRADER)


def state_label(state: str | None) -> tuple[str, str]:
    if not state:
        return "-", "-"
    with translation.override("az"):
        label_az = str(State(state).label) if state in State.values else state
    return label_az, state.replace("_", " ")


def illegal_transition(state: str, action: str, target: State | None) -> GomrukError:
    state_az, state_en = state_label(state)
    target_az, target_en = state_label(target)
    suffix_az = f" («{target_az}» mərhələsinə keçid)" if target else ""
    suffix_en = f" (to '{target_en}')" if target else ""
    return GomrukError(
        code="illegal_transition",
        message_az=f"«{action}» əməliyyatı bəyannamənin «{state_az}» mərhələsində mümkün deyil{suffix_az}.",
        message_en=f"'{action}' is not allowed while the declaration is '{state_en}'{suffix_en}.",
        status=409,
        details={
            "state": state,
            "action": action,
            "target": str(target) if target else None,
            "allowed": allowed_transitions(state),
        },
    )
