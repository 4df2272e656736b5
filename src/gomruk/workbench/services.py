"""Assignment of a declaration in the office's queue: an officer takes one for itself; a
supervisor (``User.is_supervisor``) gives one to any officer of the office, or takes it back."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from gomruk.accounts.models import Role, User
from gomruk.core.audit import audit_record
from gomruk.core.errors import NotFound, PermissionDenied
from gomruk.customs.services import require_officer
from gomruk.declarations.lifecycle import lock_declaration
from gomruk.declarations.models import Declaration
from gomruk.declarations.selectors import declarations_visible_to
from gomruk.workbench.errors import ERRORS
from gomruk.workbench.models import Assignment


def _colleague(office: str, officer_id: Any) -> User:
    try:
        return User.objects.get(pk=officer_id, role=Role.OFFICER, office_code=office, is_active=True)
    except (User.DoesNotExist, ValueError, TypeError) as exc:
        raise NotFound("Əməkdaş", "Officer", id=str(officer_id)) from exc


def declaration_assign(*, actor: User, declaration_id: Any, officer_id: Any | None) -> Declaration:
    """``officer_id`` None takes the declaration out of anyone's hands."""
    office = require_officer(actor)
    with transaction.atomic():
        declaration = lock_declaration(declarations_visible_to(actor), declaration_id)
        current = Assignment.objects.filter(declaration=declaration).first()
        target = _colleague(office, officer_id) if officer_id is not None else None
        own_move = (target is None or target.pk == actor.pk) and (current is None or current.officer_id == actor.pk)
        if not own_move and not actor.is_supervisor:
            raise PermissionDenied(
                "Bəyannaməni başqa əməkdaşa yalnız növbə rəhbəri təyin edə bilər.",
                "Only a supervisor may assign a declaration to another officer or take it from one.",
            )
        if target is None:
            if current is not None:
                current.delete()
        elif current is None:
            Assignment.objects.create(declaration=declaration, officer=target, assigned_by=actor)
        elif current.officer_id != target.pk:
            current.officer, current.assigned_by = target, actor
            current.save()
        else:
            raise ERRORS.error("already_assigned", status=409)
        audit_record(
            actor=actor, action="customs.queue.assign", object_type="declaration", object_id=str(declaration.pk),
            details={"from": current.officer_id if current else None, "to": target.pk if target else None},
        )
        return declaration


def office_officers(*, officer: User) -> list[User]:
    office = require_officer(officer)
    return list(User.objects.filter(role=Role.OFFICER, office_code=office, is_active=True).order_by("username"))
