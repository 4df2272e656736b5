"""The transition path: every state change of a declaration goes through
:meth:`Lifecycle.apply`, which checks the state machine (``states.py``), writes the immutable
:class:`StatusEvent` and the audit entry, and calls the apps that follow declarations
(the ``declaration.transitioned`` hook point of ``core.hooks``), all inside the caller's
transaction.

The declarant's services are ``signing.py`` (payload, certificate and Asan İmza signatures) and
``submission.py`` (confirm, send, withdraw); editing a signed declaration is
``services.declaration_update``; the customs side's services live in ``gomruk.customs``. All
of them use the helpers here: :func:`audited`, :func:`trader_declaration`, :func:`require_trader`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import wraps
from typing import Any, ParamSpec, TypeVar

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import Model

from gomruk.accounts.models import Role, User
from gomruk.accounts.selectors import acting_voens, may_act_for
from gomruk.core import rawrows
from gomruk.core.audit import audit_record
from gomruk.core.errors import GomrukError, NotFound, PermissionDenied
from gomruk.core.hooks import call_hooks
from gomruk.declarations.models import Declaration, State, StatusEvent
from gomruk.declarations.selectors import (
    DOCUMENT_COLUMNS,
    audit_foreign_read,
    declaration_get,
    declaration_of,
)
from gomruk.declarations.states import ACTION, Action, illegal_transition

P = ParamSpec("P")
R = TypeVar("R")


# --- Apps that follow a declaration's transitions ---------------------------------------------


@dataclass(frozen=True)
class TransitionMade:
    declaration: Declaration
    from_state: str
    to_state: str
    action: str
    actor: Any
    event: StatusEvent


#: The hook point every transition calls (``core.hooks``; the functions are listed in
#: ``settings.GOMRUK_HOOKS``), with ``transition=TransitionMade(...)``. A hook runs inside the
#: transition's transaction, after the status event and the audit entry are written. It may
#: refuse the transition only by raising a GomrukError: the whole transition rolls back and the
#: caller gets that error (and ``@audited`` records it). ADR 0006.
TRANSITIONED = "declaration.transitioned"


class Lifecycle:
    """Checks and applies the transitions of ``states.ACTIONS``; every service goes through it."""

    @classmethod
    def check(cls, declaration: Declaration, action: str) -> Action:
        transition = ACTION[action]
        if declaration.state not in transition.sources:
            raise illegal_transition(declaration.state, action, transition.target)
        return transition

    @classmethod
    def require_state(cls, declaration: Declaration, action: str, states: tuple[State, ...]) -> None:
        """For customs work that is not a transition (boxes C and D)."""
        if declaration.state not in states:
            raise illegal_transition(declaration.state, action, None)

    @classmethod
    def apply(
        cls,
        *,
        declaration: Declaration,
        action: str,
        actor: User,
        reason: str = "",
        details: dict[str, Any] | None = None,
        fields: Iterable[str] | None = None,
        assignments: Mapping[str, Any] | None = None,
        rows: Sequence[Model] = (),
    ) -> StatusEvent:
        """``fields``: the columns the caller changed besides the state; given, only those are
        written (a state change does not rewrite the document), else the whole row.
        ``assignments`` (with ``fields``): columns the same statement sets by an expression.
        ``rows``: new rows the change keeps (a signature, an acceptance of the terms), written
        with its status event and audit entry."""
        transition = cls.check(declaration, action)
        target = transition.target
        assert target is not None, f"{action} is not a transition"
        assert fields is not None or not assignments, "assignments go with the fields written"
        from_state = declaration.state
        declaration.state = target
        if fields is None:
            declaration.save()
        else:
            rawrows.update(declaration, ["state", "updated_at", *fields], assignments)
        return cls._history(declaration, action, actor, from_state, reason, details, rows)

    @classmethod
    def record(
        cls,
        *,
        declaration: Declaration,
        action: str,
        actor: User,
        reason: str = "",
        details: dict[str, Any] | None = None,
    ) -> StatusEvent:
        """A step that keeps the state but belongs to the history (``records`` in the table:
        an amendment or cancellation request, its refusal, a complaint): the status event goes
        from and to the same state, and the hooks see ``from_state == to_state``."""
        step = cls.check(declaration, action)
        assert step.records and step.target is None, f"{action} is not a recorded step"
        declaration.save(update_fields=["updated_at"])
        return cls._history(declaration, action, actor, declaration.state, reason, details)

    @classmethod
    def _history(
        cls,
        declaration: Declaration,
        action: str,
        actor: User,
        from_state: str,
        reason: str,
        details: dict[str, Any] | None,
        rows: Sequence[Model] = (),
    ) -> StatusEvent:
        to_state = str(declaration.state)
        details = {"action": action, **(details or {})}
        event = StatusEvent(
            declaration=declaration,
            actor=actor,
            from_state=from_state,
            to_state=to_state,
            reason=reason,
            details=details,
        )
        audit_record(
            actor=actor,
            action=f"declaration.{action}",
            object_type="declaration",
            object_id=str(declaration.pk),
            details={"from": from_state, "to": to_state, "reason": reason, **details},
            with_rows=(*rows, event),  # the change's rows and its entry: one statement
        )
        made = TransitionMade(
            declaration=declaration, from_state=from_state, to_state=to_state, action=action,
            actor=actor, event=event,
        )
        call_hooks(TRANSITIONED, transition=made)
        return event


# --- Actors ----------------------------------------------------------------------------------


def audited(
    action: str, *, object_type: str = "declaration", id_arg: str = "declaration_id"
) -> Callable[[Callable[P, R]], Callable[P, R]]:
    """Refused attempts leave an audit entry too; it is written after the service's own
    transaction rolled back, so the entry survives the failure it records. The entry is
    ``<object_type>.<action>`` about the object named by the keyword argument ``id_arg``."""

    def decorate(service: Callable[P, R]) -> Callable[P, R]:
        @wraps(service)
        def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
            try:
                return service(*args, **kwargs)
            except GomrukError as exc:
                actor = kwargs.get("user") or kwargs.get("officer")
                audit_record(
                    actor=actor,
                    action=f"{object_type}.{action}",
                    object_type=object_type,
                    object_id=str(kwargs.get(id_arg, "")),
                    outcome="denied" if exc.status in (401, 403, 404) else "refused",
                    details={"code": exc.code},
                )
                raise

        return wrapper

    return decorate


def lock_declaration(queryset: Any, declaration_id: Any) -> Declaration:
    """The row, locked for this transaction, from a caller-scoped queryset (else not found);
    the document is read only if the caller uses it."""
    try:
        declaration: Declaration = queryset.select_for_update().defer(*DOCUMENT_COLUMNS).get(pk=declaration_id)
    except (Declaration.DoesNotExist, ValueError, TypeError, DjangoValidationError) as exc:
        raise NotFound("Bəyannamə", "Declaration", id=str(declaration_id)) from exc
    return declaration


def require_trader(user: Any, declaration: Declaration) -> None:
    if getattr(user, "role", None) not in (Role.DECLARANT, Role.REPRESENTATIVE) or not may_act_for(
        user, declaration.trader_voen
    ):
        raise PermissionDenied(
            "Bu əməliyyatı yalnız bəyannaməçi və ya onun təmsilçisi edə bilər.",
            "Only the declarant or its representative may do this.",
        )


def trader_declaration(user: Any, declaration_id: Any, reach: frozenset[str] | None = None) -> Declaration:
    """The declaration, locked, if the trader (or its representative) acts for its VÖEN; with
    ``reach`` (what the caller's token reaches, ``scope.service_reach``) only within it."""
    if getattr(user, "role", None) not in (Role.DECLARANT, Role.REPRESENTATIVE):
        raise PermissionDenied(
            "Bu əməliyyatı yalnız bəyannaməçi və ya onun təmsilçisi edə bilər.",
            "Only the declarant or its representative may do this.",
        )
    # One statement: what the caller sees, locked (a row it cannot see is "not found").
    voens = acting_voens(user) if reach is None else acting_voens(user) & reach
    declaration = declaration_of(voens=voens, declaration_id=declaration_id, lock=True)
    require_trader(user, declaration)
    return declaration


def declaration_events(*, user: User, declaration_id: Any) -> list[StatusEvent]:
    declaration = declaration_get(user=user, declaration_id=declaration_id)
    events = list(StatusEvent.objects.filter(declaration=declaration).order_by("at", "id"))
    audit_foreign_read(user=user, declaration=declaration, what="events", count=len(events))
    return events
