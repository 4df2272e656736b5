"""Customs-side reads: the officer's queue and what customs recorded for the declarant.

Reading a trader's declarations is a read of another party's data, so each read is audited.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from gomruk.accounts.models import User
from gomruk.core.audit import audit_record
from gomruk.core.errors import GomrukError
from gomruk.customs.models import ReturnReason
from gomruk.customs.services import require_officer
from gomruk.declarations.lifecycle import audit_foreign_read
from gomruk.declarations.models import Declaration, State, StatusEvent
from gomruk.declarations.selectors import (
    OFFICER_VISIBLE_STATES,
    declaration_get,
    declarations_visible_to,
)

#: What is still waiting for the office when no state is asked for.
WORK_STATES = (State.SENT, State.REGISTERED, State.UNDER_CONTROL)


def officer_queue(*, officer: User, state: str | None = None) -> QuerySet[Declaration]:
    """Declarations sent to the officer's own office, oldest first."""
    office = require_officer(officer)
    if state is not None and state not in OFFICER_VISIBLE_STATES:
        raise GomrukError(
            code="unknown_state",
            message_az=f"«{state}» mərhələsi gömrük növbəsində yoxdur.",
            message_en=f"State '{state}' is not in the customs queue.",
            status=422,
            details={"allowed": [str(s) for s in OFFICER_VISIBLE_STATES]},
        )
    rows = declarations_visible_to(officer).filter(state__in=[state] if state else WORK_STATES)
    rows = rows.order_by("sent_at", "id")
    audit_record(
        actor=officer, action="customs.queue.read", object_type="office", object_id=office,
        details={"state": state or "work", "count": rows.count()},
    )
    return rows


def declaration_for_officer(*, officer: User, declaration_id: Any) -> Declaration:
    require_officer(officer)
    declaration = declaration_get(user=officer, declaration_id=declaration_id)
    audit_foreign_read(user=officer, declaration=declaration, what="document")
    return declaration


def return_reasons(*, user: User, declaration_id: Any) -> list[ReturnReason]:
    """The reasons of the latest return for correction, box by box (empty if never returned)."""
    declaration = declaration_get(user=user, declaration_id=declaration_id)
    latest = (
        StatusEvent.objects.filter(declaration=declaration, to_state=State.RETURNED).order_by("-at", "-id").first()
    )
    reasons = list(ReturnReason.objects.filter(event=latest).order_by("id")) if latest else []
    audit_foreign_read(user=user, declaration=declaration, what="return_reasons", count=len(reasons))
    return reasons
