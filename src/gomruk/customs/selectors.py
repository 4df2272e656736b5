"""Customs-side reads: a declaration for the officer and what customs recorded for the declarant
(the officer's queue is ``workbench.selectors.queue``).

Reading a trader's declarations is a read of another party's data, so each read is audited.
"""

from __future__ import annotations

from typing import Any

from gomruk.accounts.models import User
from gomruk.customs.models import ReturnReason
from gomruk.customs.services import require_officer
from gomruk.declarations.models import Declaration, State, StatusEvent
from gomruk.declarations.selectors import (
    audit_foreign_read,
    declaration_get,
)


def declaration_for_officer(*, officer: User, declaration_id: Any) -> Declaration:
    require_officer(officer)
    declaration = declaration_get(user=officer, declaration_id=declaration_id)
    audit_foreign_read(user=officer, declaration=declaration, what="document")
    return declaration


def recorded_return_reasons(declaration: Declaration, limit: int = 100) -> list[ReturnReason]:
    """Every reason customs gave when returning this declaration, newest first (the officer's
    page; the declarant sees the latest return's, :func:`return_reasons`)."""
    return list(ReturnReason.objects.filter(declaration=declaration).order_by("-created_at", "id")[:limit])


def return_reasons(*, user: User, declaration_id: Any) -> list[ReturnReason]:
    """The reasons of the latest return for correction, box by box (empty if never returned)."""
    declaration = declaration_get(user=user, declaration_id=declaration_id)
    latest = (
        StatusEvent.objects.filter(declaration=declaration, to_state=State.RETURNED).order_by("-at", "-id").first()
    )
    reasons = list(ReturnReason.objects.filter(event=latest).order_by("id")) if latest else []
    audit_foreign_read(user=user, declaration=declaration, what="return_reasons", count=len(reasons))
    return reasons
