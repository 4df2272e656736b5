"""A complaint's states as data, like the declaration's (``declarations.states``):

```
draft ─lodge─► lodged ─take─► under_review ─uphold─► upheld
draft ─discard─► discarded               ─reject─► rejected
                                          ─uphold_partly─► partly_upheld
```

and which customs decisions (the declaration's status events, by action) a trader may
complain against.
"""

from __future__ import annotations

from dataclasses import dataclass

from gomruk.complaints.models import ComplaintState, ContestedDecision
from gomruk.declarations.models import StatusEvent
from gomruk.declarations.states import ACTIONS, Actor


@dataclass(frozen=True)
class Step:
    name: str
    sources: tuple[ComplaintState, ...]
    target: ComplaintState
    actor: Actor


S = ComplaintState
STEPS: tuple[Step, ...] = (
    Step("lodge", (S.DRAFT,), S.LODGED, Actor.TRADER),
    Step("discard", (S.DRAFT,), S.DISCARDED, Actor.TRADER),
    Step("take", (S.LODGED,), S.UNDER_REVIEW, Actor.REVIEWER),
    Step("uphold", (S.UNDER_REVIEW,), S.UPHELD, Actor.REVIEWER),
    Step("reject", (S.UNDER_REVIEW,), S.REJECTED, Actor.REVIEWER),
    Step("uphold_partly", (S.UNDER_REVIEW,), S.PARTLY_UPHELD, Actor.REVIEWER),
)
STEP: dict[str, Step] = {step.name: step for step in STEPS}
#: The decision's outcome → the step that records it.
OUTCOMES: dict[str, str] = {S.UPHELD: "uphold", S.REJECTED: "reject", S.PARTLY_UPHELD: "uphold_partly"}
#: Still waiting for the superior body's answer (the deadline runs).
OPEN = (S.LODGED, S.UNDER_REVIEW)
DECIDED = (S.UPHELD, S.REJECTED, S.PARTLY_UPHELD)


def can(step: str, state: str, actor: Actor | str | None = None) -> bool:
    found = STEP.get(step)
    return found is not None and state in found.sources and (actor is None or found.actor == actor)


#: The declaration's actions that are customs decisions a trader may complain against.
CONTESTABLE: dict[str, ContestedDecision] = {
    "refuse": ContestedDecision.REFUSAL,
    "return": ContestedDecision.RETURN,
    "assign_channel": ContestedDecision.CHANNEL,
    "register": ContestedDecision.PAYMENT,  # acceptance date and rates fixed: the assessment
    "amend": ContestedDecision.PAYMENT,  # payments recomputed on an accepted amendment
    "amend_after_release": ContestedDecision.PAYMENT,
    "refuse_amendment": ContestedDecision.AMENDMENT_REFUSAL,
    "refuse_cancellation": ContestedDecision.CANCELLATION_REFUSAL,
}
#: Decisions an upheld complaint reverses by itself (the others bind the office by the text).
REVERSIBLE = frozenset(
    {
        ContestedDecision.REFUSAL,
        ContestedDecision.RETURN,
        ContestedDecision.CHANNEL,
        ContestedDecision.AMENDMENT_REFUSAL,
        ContestedDecision.CANCELLATION_REFUSAL,
    }
)


def event_action(event: StatusEvent) -> str | None:
    """The action that wrote ``event``: named in its details (events written since the
    transition path names them), else the one officer transition between its two states."""
    named = (event.details or {}).get("action")
    if named:
        return str(named)
    for action in ACTIONS:
        if Actor.OFFICER in action.actors and action.target == event.to_state and event.from_state in action.sources:
            return action.name
    return None


def contested_decision(event: StatusEvent) -> ContestedDecision | None:
    action = event_action(event)
    return CONTESTABLE.get(action) if action else None
