"""Complaints against customs decisions (mounted at the API root).

Trader: ``POST /declarations/{id}/complaints`` (a draft against one decision), attachments,
the signing payload, the signature (or Asan İmza) that lodges it, and the timeline.
Superior body: ``/customs/complaints`` (the queue, nearest deadline first, overdue flagged),
``/customs/complaints/{id}/review`` and ``/customs/complaints/{id}/decision``.
Every POST takes ``Idempotency-Key`` like send.
"""

from __future__ import annotations

import base64
import datetime as dt
import uuid
from typing import Any

from django.http import HttpRequest, HttpResponse, HttpResponseBase
from ninja import Field, File, Router, Schema, Status
from ninja.files import UploadedFile

from gomruk.accounts.auth import token_voens
from gomruk.accounts.bearer import bearer_auth, caller
from gomruk.accounts.models import Role
from gomruk.api.schemas import PROBLEM_RESPONSES
from gomruk.complaints import review, services
from gomruk.complaints.downloads import complaint_attachment_response
from gomruk.complaints.errors import complaint_error
from gomruk.complaints.models import ComplaintState
from gomruk.complaints.selectors import (
    ComplaintView,
    complaint_attachment,
    complaint_attachments,
    complaint_declaration,
    complaint_get,
    complaint_list,
    complaint_queue,
    complaint_view,
    complaints_of_declaration,
)
from gomruk.core.encoding import base64_or_pem
from gomruk.declarations.api import AsanStartIn, DeclarationOut, declaration_out
from gomruk.declarations.scope import scoped_declaration
from gomruk.printing.api import pdf_response
from gomruk.printing.services import declaration_render

router = Router(tags=["complaints"], auth=bearer_auth)

ID = "{uuid:declaration_id}"
CID = "{uuid:complaint_id}"


class ComplaintIn(Schema):
    decision: int = Field(description="The contested decision: the id of its status event (GET …/events lists them)")
    grounds: str = Field(max_length=20000)


class ComplaintAttachmentOut(Schema):
    id: uuid.UUID
    filename: str
    content_type: str
    size: int
    sha256: str
    uploaded_at: dt.datetime


class ComplaintEventOut(Schema):
    at: dt.datetime
    from_state: str
    to_state: str
    actor: str | None
    text: str
    details: dict[str, Any]


class ComplaintDecisionOut(Schema):
    outcome: str
    text: str
    reversal: dict[str, Any]
    decided_by: str
    office_code: str
    at: dt.datetime


class ComplaintOut(Schema):
    id: uuid.UUID
    declaration_id: uuid.UUID
    registration_number: str | None
    state: str
    decision: str = Field(description="refusal | return | channel | payment | amendment_refusal | cancellation_refusal")
    decision_event: int
    deciding_office: str
    reviewing_office: str = Field(description="The superior body that answers (post → department → committee 00000)")
    grounds: str
    created_at: dt.datetime
    lodged_at: dt.datetime | None
    deadline: dt.date | None
    time_limit: dict[str, Any] = Field(description="The dated time limit applied, with its article")
    overdue: bool = Field(description="Still unanswered after the deadline")
    answered_late: bool
    days_left: int | None
    payload_sha256: str
    attachments: list[ComplaintAttachmentOut]
    timeline: list[ComplaintEventOut]
    decision_record: ComplaintDecisionOut | None
    actions: list[str]


class ComplaintSignatureIn(Schema):
    provider: str = Field("certificate", max_length=20)
    signature: str = Field(max_length=1_500_000, description="Detached CMS over the payload: base64 DER or PEM")


class PayloadOut(Schema):
    sha256: str
    payload: str = Field(description="The exact bytes to sign (detached CMS), base64")


class ComplaintAsanOut(Schema):
    transaction_id: str
    state: str
    verification_code: str
    expires_at: dt.datetime
    complaint_state: str


class DecideIn(Schema):
    outcome: str = Field(description="upheld | rejected | partly_upheld")
    text: str = Field(max_length=20000, description="The written decision")
    reverse: bool | None = Field(
        default=None,
        description="Reverse the contested decision (default: yes when upheld and the system can)",
    )
    channel: str | None = Field(default=None, max_length=10, description="The new channel, reversing a channel decision")


def _actions(view: ComplaintView) -> list[str]:
    state = view.complaint.state
    if view.reviewer:
        steps: dict[str, list[str]] = {ComplaintState.LODGED: ["review"], ComplaintState.UNDER_REVIEW: ["decide"]}
        return steps.get(state, [])
    if state == ComplaintState.DRAFT:
        return ["attach", "sign", "discard"]
    return []


def complaint_out(view: ComplaintView) -> ComplaintOut:
    c = view.complaint
    record = getattr(c, "decision_record", None) if c.state not in (ComplaintState.DRAFT, ComplaintState.LODGED) else None
    return ComplaintOut(
        id=c.pk, declaration_id=c.declaration_id, registration_number=c.declaration.registration_number,
        state=c.state, decision=c.decision, decision_event=c.event_id, deciding_office=c.deciding_office,
        reviewing_office=c.reviewing_office, grounds=c.grounds, created_at=c.created_at, lodged_at=c.lodged_at,
        deadline=c.deadline, time_limit=c.time_limit or {}, overdue=view.overdue, answered_late=view.answered_late,
        days_left=view.days_left, payload_sha256=c.payload_sha256,
        attachments=[ComplaintAttachmentOut.model_validate(a) for a in complaint_attachments(c)],
        timeline=[
            ComplaintEventOut(at=e.at, from_state=e.from_state, to_state=e.to_state,
                              actor=e.actor.get_username() if e.actor else None, text=e.text, details=e.details or {})
            for e in view.events
        ],
        decision_record=ComplaintDecisionOut(
            outcome=record.outcome, text=record.text, reversal=record.reversal or {},
            decided_by=record.decided_by.get_username(), office_code=record.office_code, at=record.created_at,
        ) if record else None,
        actions=_actions(view),
    )


def _in_token(request: HttpRequest, complaint: Any) -> bool:
    """A token reaches less than its user may: the VÖENs (or the office) it was bound to."""
    token = getattr(request, "api_token", None)
    if token is None:
        return True
    if token.user.role == Role.OFFICER:
        return bool(token.office_code) and token.office_code in (complaint.reviewing_office, complaint.deciding_office)
    return complaint.trader_voen in token_voens(token)


def _scoped(request: HttpRequest, complaint_id: Any) -> None:
    """404 unless both the user and the token reach the complaint."""
    if not _in_token(request, complaint_get(user=caller(request), complaint_id=complaint_id)):
        raise complaint_error("complaint_not_found", status=404)


def _view(request: HttpRequest, complaint_id: Any) -> ComplaintOut:
    _scoped(request, complaint_id)
    return complaint_out(complaint_view(user=caller(request), complaint_id=complaint_id))


def _views(request: HttpRequest, views: list[ComplaintView]) -> list[ComplaintOut]:
    return [complaint_out(v) for v in views if _in_token(request, v.complaint)]


# --- The trader ------------------------------------------------------------------------------


@router.post(f"/declarations/{ID}/complaints", response={201: ComplaintOut, **PROBLEM_RESPONSES},
             summary="Prepare a complaint against a customs decision (lodged once signed)")
def create(request: HttpRequest, response: HttpResponse, declaration_id: uuid.UUID, payload: ComplaintIn) -> Status[ComplaintOut]:
    scoped_declaration(request, declaration_id)
    complaint = services.complaint_create(
        user=caller(request), declaration_id=declaration_id, event_id=payload.decision, grounds=payload.grounds
    )
    response["Location"] = f"/api/v1/complaints/{complaint.pk}"
    return Status(201, _view(request, complaint.pk))


@router.get(f"/declarations/{ID}/complaints", response={200: list[ComplaintOut], **PROBLEM_RESPONSES},
            summary="The complaints about a declaration the caller may see")
def of_declaration(request: HttpRequest, declaration_id: uuid.UUID) -> list[ComplaintOut]:
    return _views(request, complaints_of_declaration(user=caller(request), declaration_id=declaration_id))


@router.get("/complaints", response={200: list[ComplaintOut], **PROBLEM_RESPONSES},
            summary="The caller's complaints (a trader's own; an officer's office: to review or about its decisions)")
def mine(request: HttpRequest, state: ComplaintState | None = None) -> list[ComplaintOut]:
    return _views(request, complaint_list(user=caller(request), state=state))


@router.get(f"/complaints/{CID}", response={200: ComplaintOut, **PROBLEM_RESPONSES},
            summary="One complaint with its timeline, deadline and decision")
def detail(request: HttpRequest, complaint_id: uuid.UUID) -> ComplaintOut:
    return _view(request, complaint_id)


@router.get(f"/complaints/{CID}/declaration", response={200: DeclarationOut, **PROBLEM_RESPONSES},
            summary="The contested declaration (for the superior body too, which reads it through the complaint)")
def declaration(request: HttpRequest, complaint_id: uuid.UUID) -> DeclarationOut:
    _scoped(request, complaint_id)
    out = declaration_out(request, complaint_declaration(user=caller(request), complaint_id=complaint_id))
    # Read through the complaint: the reader takes no step of the declaration here.
    return out.model_copy(update={"actions": [], "requests": []})


@router.get(
    f"/complaints/{CID}/declaration/pdf", response={200: None, **PROBLEM_RESPONSES},
    summary="The contested declaration printed (PDF)",
    openapi_extra={"responses": {200: {"description": "PDF", "content": {
        "application/pdf": {"schema": {"type": "string", "format": "binary"}}}}}},
)
def declaration_pdf(request: HttpRequest, complaint_id: uuid.UUID) -> HttpResponse:
    _scoped(request, complaint_id)
    printed = declaration_render(complaint_declaration(user=caller(request), complaint_id=complaint_id))
    return pdf_response(printed.filename, printed.content)


@router.post(f"/complaints/{CID}/attachments", response={201: ComplaintAttachmentOut, **PROBLEM_RESPONSES},
             summary="Attach a supporting document (PDF, JPEG, PNG; ≤ 10 MB) before signing")
def attach(request: HttpRequest, complaint_id: uuid.UUID, file: File[UploadedFile]) -> Status[Any]:
    _scoped(request, complaint_id)
    return Status(201, services.complaint_attach(user=caller(request), complaint_id=complaint_id, upload=file))


@router.get(
    f"/complaints/{CID}/attachments/{{uuid:attachment_id}}", response={200: None, **PROBLEM_RESPONSES},
    summary="Download one attachment of a complaint",
    openapi_extra={"responses": {200: {"description": "The file", "content": {
        "application/pdf": {"schema": {"type": "string", "format": "binary"}},
        "image/jpeg": {"schema": {"type": "string", "format": "binary"}},
        "image/png": {"schema": {"type": "string", "format": "binary"}}}}}},
)
def attachment(request: HttpRequest, complaint_id: uuid.UUID, attachment_id: uuid.UUID) -> HttpResponseBase:
    _scoped(request, complaint_id)
    found = complaint_attachment(user=caller(request), complaint_id=complaint_id, attachment_id=attachment_id)
    return complaint_attachment_response(found)


@router.get(f"/complaints/{CID}/signing-payload", response={200: PayloadOut, **PROBLEM_RESPONSES},
            summary="The exact bytes to sign: the complaint, its grounds and its attachments' hashes")
def signing_payload(request: HttpRequest, complaint_id: uuid.UUID) -> PayloadOut:
    _scoped(request, complaint_id)
    found = services.complaint_signing_payload(user=caller(request), complaint_id=complaint_id)
    return PayloadOut(sha256=found.sha256, payload=base64.b64encode(found.payload).decode("ascii"))


@router.post(f"/complaints/{CID}/signature", response={200: ComplaintOut, **PROBLEM_RESPONSES},
             summary="Sign (detached CMS) and so lodge the complaint; its deadline starts")
def sign(request: HttpRequest, complaint_id: uuid.UUID, payload: ComplaintSignatureIn) -> ComplaintOut:
    _scoped(request, complaint_id)
    services.complaint_sign(
        user=caller(request), complaint_id=complaint_id, provider=payload.provider,
        signature=base64_or_pem(payload.signature, "signature"),
    )
    return _view(request, complaint_id)


@router.post(f"/complaints/{CID}/asan", response={201: ComplaintAsanOut, **PROBLEM_RESPONSES},
             summary="Sign with Asan İmza (compare the code with the phone)")
def asan_start(request: HttpRequest, complaint_id: uuid.UUID, payload: AsanStartIn) -> Status[ComplaintAsanOut]:
    _scoped(request, complaint_id)
    user = caller(request)
    asan = services.complaint_sign_asan_start(
        user=user, complaint_id=complaint_id, phone_number=payload.phone_number or user.phone_number,
        asan_user_id=payload.asan_user_id or user.asan_user_id,
    )
    return Status(201, ComplaintAsanOut(transaction_id=str(asan.id), state=asan.state, verification_code=asan.verification_code,
                               expires_at=asan.expires_at, complaint_state=ComplaintState.DRAFT))


@router.get(f"/complaints/{CID}/asan/{{uuid:transaction_id}}", response={200: ComplaintAsanOut, **PROBLEM_RESPONSES},
            summary="Poll the Asan İmza signing; once confirmed the complaint is lodged")
def asan_poll(request: HttpRequest, complaint_id: uuid.UUID, transaction_id: uuid.UUID) -> ComplaintAsanOut:
    _scoped(request, complaint_id)
    status = services.complaint_sign_asan_poll(user=caller(request), complaint_id=complaint_id, transaction_id=transaction_id)
    asan = status.transaction
    return ComplaintAsanOut(transaction_id=str(asan.id), state=status.state, verification_code=asan.verification_code,
                   expires_at=asan.expires_at, complaint_state=status.complaint.state)


@router.delete(f"/complaints/{CID}", response={200: ComplaintOut, **PROBLEM_RESPONSES},
               summary="Discard a complaint that was not lodged")
def discard(request: HttpRequest, complaint_id: uuid.UUID) -> ComplaintOut:
    _scoped(request, complaint_id)
    services.complaint_discard(user=caller(request), complaint_id=complaint_id)
    return _view(request, complaint_id)


# --- The superior body -----------------------------------------------------------------------


@router.get("/customs/complaints", response={200: list[ComplaintOut], **PROBLEM_RESPONSES},
            summary="Complaints the officer's office must answer, nearest deadline first; overdue flagged")
def queue(request: HttpRequest, state: ComplaintState | None = None, overdue: bool = False) -> list[ComplaintOut]:
    return _views(request, complaint_queue(officer=caller(request), state=state, overdue_only=overdue))


@router.post(f"/customs/complaints/{CID}/review", response={200: ComplaintOut, **PROBLEM_RESPONSES},
             summary="Take a lodged complaint into review")
def take(request: HttpRequest, complaint_id: uuid.UUID) -> ComplaintOut:
    _scoped(request, complaint_id)
    review.complaint_take(officer=caller(request), complaint_id=complaint_id)
    return _view(request, complaint_id)


@router.post(f"/customs/complaints/{CID}/decision", response={200: ComplaintOut, **PROBLEM_RESPONSES},
             summary="Decide: upheld (reverses the decision where it can), rejected, or partly upheld")
def decide(request: HttpRequest, complaint_id: uuid.UUID, payload: DecideIn) -> ComplaintOut:
    _scoped(request, complaint_id)
    review.complaint_decide(
        officer=caller(request), complaint_id=complaint_id, outcome=payload.outcome, text=payload.text,
        reverse=payload.reverse, channel=payload.channel,
    )
    return _view(request, complaint_id)
