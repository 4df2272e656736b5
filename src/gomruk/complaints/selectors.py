"""Reads of complaints, scoped to the caller: the trader (its VÖENs, as a declarant or a
representative), the superior body that reviews it and the office whose decision it contests —
no one else; a complaint the caller may not see is "not found". Drafts are the trader's own."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.models import Q, QuerySet
from django.utils import timezone

from gomruk.accounts.models import Role, User
from gomruk.accounts.selectors import acting_voens, officer_office, own_voens
from gomruk.complaints.errors import complaint_error
from gomruk.complaints.models import Complaint, ComplaintAttachment, ComplaintEvent, ComplaintState
from gomruk.complaints.states import DECIDED, OPEN, contested_decision
from gomruk.core.audit import audit_record
from gomruk.core.errors import NotFound, PermissionDenied
from gomruk.declarations.models import Declaration, StatusEvent
from gomruk.declarations.selectors import declarations_visible_to
from gomruk.declarations.states import Actor
from gomruk.declarations.states import can as can_declaration

PRIVATE = (ComplaintState.DRAFT, ComplaintState.DISCARDED)


def complaints_visible_to(user: User) -> QuerySet[Complaint]:
    if not getattr(user, "is_authenticated", False):
        return Complaint.objects.none()
    if user.role == Role.OFFICER:
        office = officer_office(user)
        if not office:
            return Complaint.objects.none()
        return Complaint.objects.filter(Q(reviewing_office=office) | Q(deciding_office=office)).exclude(
            state__in=PRIVATE
        )
    voens = acting_voens(user)
    if not voens:
        return Complaint.objects.none()
    return Complaint.objects.filter(trader_voen__in=voens)


def complaint_get(*, user: User, complaint_id: Any) -> Complaint:
    try:
        return complaints_visible_to(user).select_related("declaration", "event").get(pk=uuid.UUID(str(complaint_id)))
    except (Complaint.DoesNotExist, ValueError, TypeError) as exc:
        raise complaint_error("complaint_not_found", status=404) from exc


def _audit_read(user: User, complaint: Complaint, what: str) -> None:
    """Reading a complaint is audited unless the reader is the trader itself."""
    if complaint.trader_voen in own_voens(user):
        return
    audit_record(
        actor=user, action=f"complaint.read.{what}", object_type="complaint", object_id=str(complaint.pk),
        details={"voen": complaint.trader_voen},
    )


@dataclass(frozen=True)
class ComplaintView:
    """A complaint with what its readers need beside it: the timeline and the deadline's
    standing (``overdue``: still open after its last day; ``answered_late``: decided after it)."""

    complaint: Complaint
    events: list[ComplaintEvent]
    overdue: bool
    answered_late: bool
    days_left: int | None
    reviewer: bool  # may the caller take it into review and decide it?


def _standing(complaint: Complaint, events: list[ComplaintEvent], today: date) -> tuple[bool, bool, int | None]:
    if complaint.deadline is None:
        return False, False, None
    if complaint.state in OPEN:
        return today > complaint.deadline, False, (complaint.deadline - today).days
    decided = next((e for e in reversed(events) if e.to_state in DECIDED), None)
    late = decided is not None and timezone.localdate(decided.at) > complaint.deadline
    return False, late, None


def complaint_view(*, user: User, complaint_id: Any) -> ComplaintView:
    complaint = complaint_get(user=user, complaint_id=complaint_id)
    _audit_read(user, complaint, "detail")
    return view_of(user, complaint)


def view_of(user: User, complaint: Complaint, today: date | None = None) -> ComplaintView:
    events = list(complaint.events.select_related("actor").order_by("at", "id"))
    overdue, late, days_left = _standing(complaint, events, today or timezone.localdate())
    return ComplaintView(
        complaint=complaint, events=events, overdue=overdue, answered_late=late, days_left=days_left,
        reviewer=officer_office(user) == complaint.reviewing_office,
    )


def complaints_of_declaration(*, user: User, declaration_id: Any) -> list[ComplaintView]:
    """The complaints about a declaration; "not found" for a caller who sees neither the
    declaration nor any complaint about it (existence is not revealed)."""
    try:
        rows = list(
            complaints_visible_to(user).filter(declaration_id=uuid.UUID(str(declaration_id))).order_by("-created_at", "-id")
        )
    except ValueError as exc:
        raise NotFound("Bəyannamə", "Declaration", id=str(declaration_id)[:40]) from exc
    if not rows and not declarations_visible_to(user).filter(pk=declaration_id).exists():
        raise NotFound("Bəyannamə", "Declaration", id=str(declaration_id))
    return [view_of(user, c) for c in rows]


def complaint_list(*, user: User, state: str | None = None) -> list[ComplaintView]:
    """The caller's complaints (a trader's own; an officer's: to review or about its office)."""
    rows = complaints_visible_to(user)
    if state:
        rows = rows.filter(state=state)
    return [view_of(user, c) for c in rows.select_related("declaration", "event").order_by("-created_at", "-id")[:500]]


def complaint_queue(*, officer: User, state: str | None = None, overdue_only: bool = False) -> list[ComplaintView]:
    """Complaints the officer's office must answer, nearest deadline first; overdue ones are
    flagged. Reading the queue is audited."""
    office = officer_office(officer)
    if office is None:
        raise PermissionDenied(
            "Bu əməliyyatı yalnız gömrük orqanının əməkdaşı edə bilər.",
            "Only an officer of a customs office may do this.",
        )
    states = [state] if state else list(OPEN)
    rows = Complaint.objects.filter(reviewing_office=office, state__in=states).select_related("declaration", "event")
    today = timezone.localdate()
    if overdue_only:
        rows = rows.filter(state__in=OPEN, deadline__lt=today)
    found = [view_of(officer, c, today) for c in rows.order_by("deadline", "lodged_at", "id")[:500]]
    audit_record(
        actor=officer, action="complaints.queue.read", object_type="office", object_id=office,
        details={"state": state or "open", "count": len(found), "overdue": sum(1 for v in found if v.overdue)},
    )
    return found


def complaint_attachment(*, user: User, complaint_id: Any, attachment_id: Any) -> ComplaintAttachment:
    complaint = complaint_get(user=user, complaint_id=complaint_id)
    try:
        found = complaint.attachments.get(pk=uuid.UUID(str(attachment_id)))
    except (ComplaintAttachment.DoesNotExist, ValueError, TypeError) as exc:
        raise NotFound("Şikayətə əlavə", "Complaint attachment", id=str(attachment_id)[:100]) from exc
    _audit_read(user, complaint, "attachment")
    return found


def complaint_declaration(*, user: User, complaint_id: Any) -> Declaration:
    """The contested declaration, for whoever may see the complaint: the superior body reads
    it through the complaint (it is not the office the declaration was sent to). Audited."""
    complaint = complaint_get(user=user, complaint_id=complaint_id)
    _audit_read(user, complaint, "declaration")
    return complaint.declaration


@dataclass(frozen=True)
class Contestable:
    event: StatusEvent
    decision: str  # ContestedDecision


def contestable_decisions(*, user: User, declaration: Declaration) -> list[Contestable]:
    """The customs decisions on a declaration (read by the caller through a scoped selector)
    that the trader may still complain against: none while the declaration's state allows no
    complaint, and none already complained against."""
    if not can_declaration("complain", declaration.state, Actor.TRADER):
        return []
    taken = set(
        Complaint.objects.filter(declaration=declaration).exclude(state=ComplaintState.DISCARDED).values_list("event_id", flat=True)
    )
    found = []
    for event in StatusEvent.objects.filter(declaration=declaration).order_by("at", "id"):
        decision = contested_decision(event)
        if decision is not None and event.pk not in taken:
            found.append(Contestable(event=event, decision=decision))
    return found


def complaint_attachments(complaint: Complaint) -> list[ComplaintAttachment]:
    """The files lodged with a complaint, in the order they were uploaded."""
    return list(complaint.attachments.order_by("uploaded_at", "id"))
