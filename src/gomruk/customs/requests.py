"""The holding office's answers to the declarant's requests after sending: accept or refuse an
amendment (refusals give a reason per box), accept or refuse a cancellation; and the office's
list of requests waiting for it.

Each service locks the declaration through the officer's scope (their office) and hands the
write to the declarations app (``amendment_decide``, ``cancellation_decide``), which the
superior body also uses when it upholds a complaint against a refusal.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db import transaction

from gomruk.accounts.models import User
from gomruk.core.audit import audit_record
from gomruk.customs.services import (
    officer_declaration,
    parse_reason_key,
    require_officer,
    required_text,
)
from gomruk.declarations.amendments import amendment_decide, amendment_locked
from gomruk.declarations.cancellation import cancellation_decide, cancellation_locked
from gomruk.declarations.lifecycle import audited
from gomruk.declarations.models import (
    AmendmentDecision,
    AmendmentRequest,
    CancellationDecision,
    CancellationRequest,
    RequestStatus,
)
from gomruk.declarations.request_errors import request_error
from gomruk.declarations.selectors import declarations_visible_to


@audited("amendment.accept")
def amendment_accept(*, officer: User, declaration_id: Any, number: Any, reason: str = "") -> AmendmentDecision:
    """The new version becomes current; payments are recomputed and their difference kept."""
    office = require_officer(officer)
    with transaction.atomic():
        declaration = officer_declaration(officer, declaration_id)
        request = amendment_locked(declaration, number)
        return amendment_decide(
            declaration=declaration, request=request, actor=officer, office_code=office, accept=True,
            reason=(reason or "").strip(),
        )


@audited("amendment.refuse")
def amendment_refuse(
    *, officer: User, declaration_id: Any, number: Any, reasons: dict[str, str], reason: str = ""
) -> AmendmentDecision:
    """Refuse with a reason per box (``"33"``, ``"33/2"`` for goods item 2); the version customs
    holds stays current."""
    office = require_officer(officer)
    if not reasons:
        raise request_error("reasons_required", status=422, field="reasons")
    with transaction.atomic():
        declaration = officer_declaration(officer, declaration_id)
        request = amendment_locked(declaration, number)
        goods = len((request.document or {}).get("goods") or [])
        parsed = [(*parse_reason_key(key, goods), required_text(text, str(key))) for key, text in reasons.items()]
        return amendment_decide(
            declaration=declaration, request=request, actor=officer, office_code=office, accept=False,
            reason=(reason or "").strip(),
            box_reasons=[{"box": box, "item": item, "text": text} for box, item, text in parsed],
        )


@audited("cancellation.accept")
def cancellation_accept(*, officer: User, declaration_id: Any, number: Any, reason: str = "") -> CancellationDecision:
    office = require_officer(officer)
    with transaction.atomic():
        declaration = officer_declaration(officer, declaration_id)
        request = cancellation_locked(declaration, number)
        return cancellation_decide(
            declaration=declaration, request=request, actor=officer, office_code=office, accept=True,
            reason=(reason or "").strip(),
        )


@audited("cancellation.refuse")
def cancellation_refuse(*, officer: User, declaration_id: Any, number: Any, reason: str) -> CancellationDecision:
    office = require_officer(officer)
    reason = required_text(reason, "reason")
    with transaction.atomic():
        declaration = officer_declaration(officer, declaration_id)
        request = cancellation_locked(declaration, number)
        return cancellation_decide(
            declaration=declaration, request=request, actor=officer, office_code=office, accept=False, reason=reason
        )


@dataclass(frozen=True)
class WaitingRequest:
    kind: str  # "amendment" | "cancellation"
    request: AmendmentRequest | CancellationRequest


def requests_waiting(*, officer: User) -> list[WaitingRequest]:
    """Amendment and cancellation requests waiting for the officer's office, oldest first."""
    office = require_officer(officer)
    declarations = declarations_visible_to(officer)
    amendments = AmendmentRequest.objects.filter(
        declaration__in=declarations, status=RequestStatus.REQUESTED
    ).select_related("declaration")
    cancellations = CancellationRequest.objects.filter(
        declaration__in=declarations, status=RequestStatus.REQUESTED
    ).select_related("declaration")
    rows = [WaitingRequest("amendment", a) for a in amendments] + [
        WaitingRequest("cancellation", c) for c in cancellations
    ]
    rows.sort(key=lambda w: (w.request.requested_at, str(w.request.pk)))
    audit_record(
        actor=officer, action="customs.requests.read", object_type="office", object_id=office,
        details={"count": len(rows)},
    )
    return rows
