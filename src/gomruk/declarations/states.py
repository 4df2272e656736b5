"""The declaration's state machine as data: which action, in which state, by which side.

```
draft ─sign─► signed ─confirm─► confirmed ─send─► sent ─register─► registered
registered ─assign_channel─► under_control ─► released | refused | returned
signed | confirmed | returned ─edit─► draft (new version, signature dropped)
draft | signed | confirmed | sent ─withdraw─► withdrawn
draft ─update─► draft (the document changes in place: no status event)

After sending (issue 19):
sent | registered | under_control | released | amended ─request_amendment─► (stays)
sent | registered | under_control ─amend─► (stays; the requested version becomes current)
released | amended ─amend_after_release─► amended (post-clearance amendment)
… ─refuse_amendment─► (stays)
sent | registered | under_control | released | amended ─request_cancellation─► (stays)
sent | registered | under_control | released | amended ─cancel─► cancelled
… ─refuse_cancellation─► (stays)
refused | returned ─reopen─► under_control (a complaint upheld by the superior body)
under_control ─reassign_channel─► (stays; a complaint against the channel upheld)
sent … cancelled ─complain─► (stays; the complaint has its own states)
```

Steps that keep the state but belong to the declaration's history (a request, a refusal of
it, a complaint) are rows with ``records=True``: ``Lifecycle.record`` writes their status
event (from and to the same state) and audit entry.

Pure: no database, no request. :func:`can` answers "may this side do this now?" for the portal,
the API and the services alike; the writes that follow a "yes" are ``lifecycle.Lifecycle``'s.
A new state or action is a new row of :data:`ACTIONS` (and, for a state, of ``models.State``).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from django.utils import translation

from gomruk.core.errors import Bilingual, GomrukError
from gomruk.declarations.errors import ERRORS
from gomruk.declarations.models import State


class Actor(StrEnum):
    TRADER = "trader"  # the declarant or a representative acting for its VÖEN
    OFFICER = "officer"  # an officer of the office the declaration was sent to
    #: An officer of the superior body deciding a complaint (appendix 11: post → department →
    #: committee); an upheld complaint may reverse the office's decision.
    REVIEWER = "reviewer"


@dataclass(frozen=True)
class Action:
    name: str
    sources: tuple[State, ...]
    #: The state after the action; None: the state stays.
    target: State | None
    #: Who may take it; a tuple when the superior body may take it too (complaints).
    actor: Actor | tuple[Actor, ...]
    #: For an action that keeps the state: is it still a step of the declaration's history
    #: (a status event from and to the same state)? ``update`` is not.
    records: bool = False
    #: The request this action decides ("amendment", "cancellation", "complaint"): taken only
    #: in answer to one, so it is not offered as a free step of the declaration.
    answers: str | None = None

    @property
    def is_transition(self) -> bool:
        return self.target is not None

    @property
    def actors(self) -> tuple[Actor, ...]:
        return self.actor if isinstance(self.actor, tuple) else (self.actor,)


#: Customs holds it and has not released the goods yet.
BEFORE_RELEASE = (State.SENT, State.REGISTERED, State.UNDER_CONTROL)
#: Released, possibly amended after release already.
AFTER_RELEASE = (State.RELEASED, State.AMENDED)
#: Where the declarant may ask customs to change (amend) or invalidate (cancel) it.
AMENDABLE = BEFORE_RELEASE + AFTER_RELEASE
#: Where customs may have taken a decision a trader can complain against.
COMPLAINABLE = AMENDABLE + (State.REFUSED, State.RETURNED, State.CANCELLED)

#: The holding office, or the superior body when it upholds a complaint against its refusal.
CUSTOMS = (Actor.OFFICER, Actor.REVIEWER)

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
    # After sending: amendment, cancellation (invalidation), complaint (issue 19).
    Action("request_amendment", AMENDABLE, None, Actor.TRADER, records=True),
    Action("amend", BEFORE_RELEASE, None, CUSTOMS, records=True, answers="amendment"),
    Action("amend_after_release", AFTER_RELEASE, State.AMENDED, CUSTOMS, answers="amendment"),
    Action("refuse_amendment", AMENDABLE, None, Actor.OFFICER, records=True, answers="amendment"),
    Action("request_cancellation", AMENDABLE, None, Actor.TRADER, records=True),
    Action("cancel", AMENDABLE, State.CANCELLED, CUSTOMS, answers="cancellation"),
    Action("refuse_cancellation", AMENDABLE, None, Actor.OFFICER, records=True, answers="cancellation"),
    Action("reopen", (State.REFUSED, State.RETURNED), State.UNDER_CONTROL, Actor.REVIEWER, answers="complaint"),
    Action("reassign_channel", (State.UNDER_CONTROL,), None, Actor.REVIEWER, records=True, answers="complaint"),
    Action("complain", COMPLAINABLE, None, Actor.TRADER, records=True),
)
ACTION: dict[str, Action] = {action.name: action for action in ACTIONS}


def can(action: str, state: str, actor: Actor | str | None = None) -> bool:
    """May ``actor`` (either side if None) take ``action`` on a declaration in ``state``?"""
    found = ACTION.get(action)
    return found is not None and state in found.sources and (actor is None or actor in found.actors)


def allowed_transitions(state: str, actor: Actor | str | None = None) -> list[str]:
    """The actions that move a declaration on from ``state`` (what the API lists as
    ``actions`` and an illegal-transition error as ``allowed``)."""
    return [a.name for a in ACTIONS if a.is_transition and not a.answers and can(a.name, state, actor)]


def allowed_requests(state: str, actor: Actor | str | None = None) -> list[str]:
    """The steps that keep the state but may be asked for now (``request_amendment``,
    ``request_cancellation``, ``complain`` for the trader)."""
    return [a.name for a in ACTIONS if a.records and not a.answers and can(a.name, state, actor)]


def document_editable(state: str) -> bool:
    """Can the declarant change the document now (in place, or as a new draft version)?"""
    return can("update", state, Actor.TRADER) or can("edit", state, Actor.TRADER)


def state_label(state: str | None) -> tuple[str, str]:
    if not state:
        return "-", "-"
    if state not in State.values:
        return state, state
    # Both languages from the state's one label (issue 16.8: no raw codes such as "under_control").
    with translation.override("az"):
        label_az = str(State(state).label)
    with translation.override("en"):
        label_en = str(State(state).label)
    return label_az, label_en


def illegal_transition(state: str, action: str, target: State | None) -> GomrukError:
    state_az, state_en = state_label(state)
    target_az, target_en = state_label(target)
    suffix_az = f" («{target_az}» mərhələsinə keçid)" if target else ""
    suffix_en = f" (to '{target_en}')" if target else ""
    return ERRORS.error(
        "illegal_transition", status=409,
        details={
            "state": state,
            "action": action,
            "target": str(target) if target else None,
            "allowed": allowed_transitions(state),
        },
        action=action, state=Bilingual(state_az, state_en), target=Bilingual(suffix_az, suffix_en),
    )
