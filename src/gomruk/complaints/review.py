"""The superior body's side: take a complaint into review and decide it with a written
decision — upheld, rejected or partly upheld. An upheld complaint reverses the contested
decision where the system can do so by itself (``states.REVERSIBLE``): a refused or returned
declaration is reopened (back under customs control), a refused amendment or cancellation is
accepted, a control channel is replaced; a payment assessment is corrected by the office as
the decision's text instructs. A partly upheld complaint reverses only when asked to."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from gomruk.accounts.models import User
from gomruk.accounts.selectors import officer_office
from gomruk.complaints.errors import complaint_error
from gomruk.complaints.models import (
    Complaint,
    ComplaintDecision,
    ComplaintEvent,
    ComplaintState,
    ContestedDecision,
)
from gomruk.complaints.selectors import complaint_get
from gomruk.complaints.states import OUTCOMES, REVERSIBLE, STEP, can
from gomruk.core.audit import audit_record
from gomruk.customs.models import Channel
from gomruk.customs.services import record_channel
from gomruk.declarations.amendments import amendment_decide, amendment_locked
from gomruk.declarations.cancellation import cancellation_decide, cancellation_locked
from gomruk.declarations.lifecycle import Lifecycle, audited, lock_declaration
from gomruk.declarations.models import AmendmentDecision, CancellationDecision, Declaration, State
from gomruk.declarations.states import Actor


def _reviewed(officer: User, complaint_id: Any) -> Complaint:
    """The complaint, locked, if the officer's office is its superior body (the deciding office
    may read it but not decide it: 403)."""
    visible = complaint_get(user=officer, complaint_id=complaint_id)
    if officer_office(officer) != visible.reviewing_office:
        raise complaint_error("not_reviewing_office", status=403, office=visible.reviewing_office)
    return Complaint.objects.select_for_update().get(pk=visible.pk)


def _step(complaint: Complaint, step: str, officer: User, text: str = "", **details: Any) -> None:
    if not can(step, complaint.state, Actor.REVIEWER):
        raise complaint_error("complaint_step_not_allowed", step=step, state=complaint.state)
    previous = complaint.state
    complaint.state = STEP[step].target
    complaint.save(update_fields=["state", "updated_at"])
    ComplaintEvent.objects.create(
        complaint=complaint, actor=officer, from_state=previous, to_state=complaint.state, text=text, details=details
    )
    audit_record(
        actor=officer, action=f"complaint.{step}", object_type="complaint", object_id=str(complaint.pk),
        details={"from": previous, "to": complaint.state, **details},
    )


@audited("take", object_type="complaint", id_arg="complaint_id")
def complaint_take(*, officer: User, complaint_id: Any) -> Complaint:
    """Take a lodged complaint into review."""
    with transaction.atomic():
        complaint = _reviewed(officer, complaint_id)
        _step(complaint, "take", officer)
        return complaint


def _reverse(*, complaint: Complaint, declaration: Declaration, officer: User, text: str, channel: str | None) -> dict[str, Any]:
    kind, tag = complaint.decision, str(complaint.pk)
    if kind in (ContestedDecision.REFUSAL, ContestedDecision.RETURN):
        expected = State.REFUSED if kind == ContestedDecision.REFUSAL else State.RETURNED
        if declaration.state != expected:
            raise complaint_error("reversal_impossible", state=declaration.state)
        Lifecycle.apply(
            declaration=declaration, action="reopen", actor=officer, reason=text,
            details={"complaint": tag, "decision": kind},
        )
        return {"action": "reopen", "to": State.UNDER_CONTROL.value}
    if kind == ContestedDecision.AMENDMENT_REFUSAL:
        refused = AmendmentDecision.objects.select_related("request").get(event=complaint.event)
        request = amendment_locked(declaration, refused.request.number)
        decision = amendment_decide(
            declaration=declaration, request=request, actor=officer, office_code=complaint.reviewing_office,
            accept=True, reason=text, complaint=tag,
        )
        return {"action": decision.event.details.get("action", "amend"), "amendment": request.number,
                "version": declaration.version, "payments": decision.payments.get("total")}
    if kind == ContestedDecision.CANCELLATION_REFUSAL:
        refused_cancellation = CancellationDecision.objects.select_related("request").get(event=complaint.event)
        cancellation = cancellation_locked(declaration, refused_cancellation.request.number)
        cancellation_decide(
            declaration=declaration, request=cancellation, actor=officer, office_code=complaint.reviewing_office,
            accept=True, reason=text, complaint=tag,
        )
        return {"action": "cancel", "cancellation": cancellation.number}
    if kind == ContestedDecision.CHANNEL:
        if channel not in Channel.values:
            raise complaint_error("channel_required", status=422, field="channel", allowed=list(Channel.values))
        if declaration.state != State.UNDER_CONTROL:
            raise complaint_error("reversal_impossible", state=declaration.state)
        Lifecycle.record(
            declaration=declaration, action="reassign_channel", actor=officer, reason=text,
            details={"complaint": tag, "channel": channel},
        )
        record_channel(declaration=declaration, channel=channel, reason=text, officer=officer)
        return {"action": "reassign_channel", "channel": channel}
    raise complaint_error("reversal_unavailable", status=422, decision=kind)


@audited("decide", object_type="complaint", id_arg="complaint_id")
def complaint_decide(
    *,
    officer: User,
    complaint_id: Any,
    outcome: str,
    text: str,
    reverse: bool | None = None,
    channel: str | None = None,
) -> Complaint:
    """Decide a complaint under review with a written decision. ``reverse`` (default: for an
    upheld complaint whose decision the system can reverse) undoes the contested decision in
    the same transaction; if it can no longer be undone, nothing is decided (409)."""
    if outcome not in OUTCOMES:
        raise complaint_error("unknown_outcome", status=422, field="outcome", allowed=list(OUTCOMES))
    text = (text or "").strip()
    if not text:
        raise complaint_error("decision_text_required", status=422, field="text")
    if outcome == ComplaintState.REJECTED:
        reverse = False
    elif reverse is None:
        reverse = outcome == ComplaintState.UPHELD
    with transaction.atomic():
        visible = complaint_get(user=officer, complaint_id=complaint_id)
        declaration = lock_declaration(Declaration.objects.filter(pk=visible.declaration_id), visible.declaration_id)
        complaint = _reviewed(officer, complaint_id)
        if not can(OUTCOMES[outcome], complaint.state, Actor.REVIEWER):
            raise complaint_error("complaint_step_not_allowed", step=OUTCOMES[outcome], state=complaint.state)
        reversal: dict[str, Any] = {}
        if reverse:
            if complaint.decision not in REVERSIBLE:
                raise complaint_error("reversal_unavailable", status=422, decision=complaint.decision)
            reversal = _reverse(complaint=complaint, declaration=declaration, officer=officer, text=text, channel=channel)
        ComplaintDecision.objects.create(
            complaint=complaint, outcome=outcome, text=text, reversal=reversal, decided_by=officer,
            office_code=complaint.reviewing_office,
        )
        _step(complaint, OUTCOMES[outcome], officer, text=text, outcome=outcome, reversal=reversal)
        return complaint
