"""Cancellation (invalidation) of a sent declaration: the declarant asks, with a reason, before
release — or after release, for goods that were not taken out of customs control, as the law
allows; the holding office decides (``gomruk.customs.requests``), or the superior body on a
complaint against a refusal. A cancelled declaration keeps its registration number, which is
never given again (numbers come from a counter that only moves forward); its border arrivals
go back to temporary storage through the transition hook (``border``)."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from gomruk.accounts.models import User
from gomruk.declarations.lifecycle import Lifecycle, audited, trader_declaration
from gomruk.declarations.models import (
    CancellationDecision,
    CancellationRequest,
    DecisionOutcome,
    Declaration,
    RequestStatus,
)
from gomruk.declarations.pending import require_no_pending_request
from gomruk.declarations.request_errors import request_error
from gomruk.declarations.selectors import declaration_get
from gomruk.declarations.states import AFTER_RELEASE


@audited("cancellation.request")
def cancellation_request(
    *, user: User, declaration_id: Any, reason: str, goods_not_taken: bool = False
) -> CancellationRequest:
    reason = (reason or "").strip()
    if not reason:
        raise request_error("reason_required", status=422, field="reason")
    with transaction.atomic():
        declaration = trader_declaration(user, declaration_id)
        Lifecycle.check(declaration, "request_cancellation")
        after_release = declaration.state in AFTER_RELEASE
        if after_release and not goods_not_taken:
            raise request_error("goods_taken", status=422, field="goods_not_taken")
        require_no_pending_request(declaration)
        latest = CancellationRequest.objects.filter(declaration=declaration).aggregate(Max("number"))["number__max"]
        request = CancellationRequest.objects.create(
            declaration=declaration,
            number=(latest or 0) + 1,
            reason=reason,
            goods_not_taken=bool(goods_not_taken and after_release),
            state_at_request=declaration.state,
            requested_by=user,
            requested_at=timezone.now(),
        )
        Lifecycle.record(
            declaration=declaration,
            action="request_cancellation",
            actor=user,
            reason=reason,
            details={"cancellation": request.number, "after_release": after_release, "goods_not_taken": request.goods_not_taken},
        )
        return request


def cancellation_get(*, user: User, declaration_id: Any, number: Any) -> CancellationRequest:
    declaration = declaration_get(user=user, declaration_id=declaration_id)
    return _find(declaration, number)


def cancellations_of(*, declaration: Declaration) -> list[CancellationRequest]:
    return list(CancellationRequest.objects.filter(declaration=declaration).order_by("number"))


def _find(declaration: Declaration, number: Any, *, lock: bool = False) -> CancellationRequest:
    rows = CancellationRequest.objects.filter(declaration=declaration)
    if lock:
        rows = rows.select_for_update()
    try:
        return rows.get(number=int(number))
    except (CancellationRequest.DoesNotExist, ValueError, TypeError) as exc:
        raise request_error("cancellation_not_found", status=404, number=str(number)[:20]) from exc


def cancellation_locked(declaration: Declaration, number: Any) -> CancellationRequest:
    """The request row locked for a decision (the caller locked the declaration)."""
    return _find(declaration, number, lock=True)


def cancellation_decide(
    *,
    declaration: Declaration,
    request: CancellationRequest,
    actor: User,
    office_code: str,
    accept: bool,
    reason: str = "",
    complaint: str | None = None,
) -> CancellationDecision:
    """Cancel the declaration or refuse to. The caller has locked ``declaration`` through its
    own scope; ``complaint``: the superior body reverses a refusal."""
    reopening = complaint is not None and request.status == RequestStatus.REFUSED
    if request.status != RequestStatus.REQUESTED and not reopening:
        raise request_error("cancellation_not_requested", number=request.number, request_status=request.status)
    details: dict[str, Any] = {"cancellation": request.number}
    if complaint is not None:
        details["complaint"] = complaint
    if accept:
        details["registration_number"] = declaration.registration_number
        event = Lifecycle.apply(declaration=declaration, action="cancel", actor=actor, reason=reason, details=details)
        request.status = RequestStatus.ACCEPTED
    else:
        event = Lifecycle.record(
            declaration=declaration, action="refuse_cancellation", actor=actor, reason=reason, details=details
        )
        request.status = RequestStatus.REFUSED
    request.save(update_fields=["status", "updated_at"])
    return CancellationDecision.objects.create(
        request=request,
        outcome=DecisionOutcome.ACCEPTED if accept else DecisionOutcome.REFUSED,
        reason=reason,
        decided_by=actor,
        office_code=office_code,
        event=event,
    )
