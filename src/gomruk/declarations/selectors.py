"""Reads of declarations, always scoped to the caller."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import QuerySet

from gomruk.accounts.models import Role, User
from gomruk.accounts.selectors import acting_voens, officer_office
from gomruk.core.errors import NotFound
from gomruk.declarations.models import Declaration, State

# Customs sees a declaration only once it has been sent to its office.
OFFICER_VISIBLE_STATES = (
    State.SENT,
    State.REGISTERED,
    State.UNDER_CONTROL,
    State.RELEASED,
    State.REFUSED,
    State.RETURNED,
    State.CANCELLED,
    State.AMENDED,
)


def declarations_visible_to(user: User) -> QuerySet[Declaration]:
    if not getattr(user, "is_authenticated", False):
        return Declaration.objects.none()
    if user.role == Role.OFFICER:
        office = officer_office(user)
        if not office:
            return Declaration.objects.none()
        return Declaration.objects.filter(office_code=office, state__in=OFFICER_VISIBLE_STATES)
    voens = acting_voens(user)
    if not voens:
        return Declaration.objects.none()
    return Declaration.objects.filter(trader_voen__in=voens)


def declaration_get(*, user: User, declaration_id: Any) -> Declaration:
    """The declaration if the caller may see it; otherwise 'not found' (no existence leak)."""
    try:
        return declarations_visible_to(user).get(pk=declaration_id)
    except (Declaration.DoesNotExist, ValidationError, ValueError, TypeError) as exc:
        raise NotFound("Bəyannamə", "Declaration", id=str(declaration_id)) from exc


def declaration_list(
    *,
    user: User,
    state: str | None = None,
    declaration_type: str | None = None,
    office: str | None = None,
) -> QuerySet[Declaration]:
    rows = declarations_visible_to(user)
    if state:
        rows = rows.filter(state=state)
    if declaration_type:
        rows = rows.filter(declaration_type=declaration_type)
    if office:
        rows = rows.filter(office_code=office)
    return rows.order_by("-updated_at", "-id")
