"""Declarations API (mounted at /declarations): drafts, attachments, signing, confirm, send.

Endpoints parse, call a service, render. Every read goes through the caller-scoped selectors
and the token's binding (``gomruk.declarations.scope``); another party's declaration is a 404.
"""

from __future__ import annotations

import base64
import datetime as dt
import json
import uuid
from typing import Any

from django.http import HttpRequest, HttpResponse, HttpResponseBase
from ninja import Body, Field, File, Form, Header, Query, Router, Schema, Status
from ninja.files import UploadedFile
from ninja.responses import NinjaJSONEncoder

from gomruk.accounts.bearer import bearer_auth, caller
from gomruk.api.openapi import document_request_body
from gomruk.api.schemas import PROBLEM_RESPONSES
from gomruk.core.encoding import base64_or_pem
from gomruk.core.errors import NotFound
from gomruk.declarations import lifecycle, signing, submission
from gomruk.declarations.attachments import attachment_add, attachment_get, attachment_list
from gomruk.declarations.copying import declaration_copy
from gomruk.declarations.downloads import attachment_response
from gomruk.declarations.models import Attachment, Declaration, State, StatusEvent
from gomruk.declarations.negotiation import (
    json_response,
    prefers_minimal,
    read_document,
    wants_xml,
    xml_response,
)
from gomruk.declarations.scope import (
    declaring_voen,
    scoped_declaration,
    service_reach,
    token_filter,
)
from gomruk.declarations.selectors import DeclarationFilter, declaration_search
from gomruk.declarations.services import declaration_update, draft_create, parse_document
from gomruk.declarations.states import Actor, allowed_requests, allowed_transitions
from gomruk.declarations.xmldoc import declaration_xsd
from gomruk.document.model import Declaration as Document
from gomruk.document.model import declaration_json_schema
from gomruk.duties.calculation import estimate_document

schema_router = Router(tags=["schema"])
#: Mounted at the API root: what a declaration document would pay (nothing is stored).
estimate_router = Router(tags=["payments"])
router = Router(tags=["declarations"], auth=bearer_auth)

ID = "{uuid:declaration_id}"


# --- Schemas ---------------------------------------------------------------------------------


class DeclarationSummary(Schema):
    id: uuid.UUID
    state: str
    declaration_type: str
    direction: str
    procedure: str
    trader_voen: str
    office_code: str
    registration_number: str | None
    version: int
    sent_at: dt.datetime | None
    acceptance_date: dt.date | None
    created_at: dt.datetime
    updated_at: dt.datetime


class DeclarationOut(DeclarationSummary):
    actions: list[str] = Field(description="Lifecycle actions the caller's side may take now")
    requests: list[str] = Field(
        default_factory=list,
        description="What the caller's side may ask for now without changing the state: request_amendment, "
        "request_cancellation, complain (POST …/amendments, …/cancellation, …/complaints)",
    )
    document: Document


class DeclarationLinks(Schema):
    self: str = Field(description="GET: the declaration with its whole document")
    version: str = Field(description="GET: the current frozen version (what was signed) with its document")
    events: str = Field(description="GET: the status history")


class DeclarationStepOut(DeclarationSummary):
    """The answer of a step (signature, confirm, send): the declaration without its document,
    which the step did not change but for box 7 (``registration_number`` here). Also the answer
    of a create, update or copy asked with ``Prefer: return=minimal``."""

    actions: list[str] = Field(description="Lifecycle actions the caller's side may take now")
    requests: list[str] = Field(default_factory=list, description="As in the declaration (GET)")
    links: DeclarationLinks


class DeclarationPage(Schema):
    items: list[DeclarationSummary]
    next_cursor: str | None = Field(description="Pass as ?cursor= for the next page; null at the end")


class AttachmentOut(Schema):
    id: uuid.UUID
    item_number: int | None
    document_index: int | None
    filename: str
    content_type: str
    size: int
    sha256: str
    uploaded_at: dt.datetime


class SigningPayloadOut(Schema):
    version: int = Field(description="Send it back with the signature; a newer version means sign again")
    sha256: str
    payload: str = Field(description="The exact bytes to sign (detached CMS), base64")


class SignatureIn(Schema):
    provider: str = Field("certificate", max_length=20)
    signature: str = Field(max_length=1_500_000, description="Detached CMS over the payload: base64 DER or PEM")
    version: int | None = Field(default=None, ge=1, le=1_000_000)


class AsanStartIn(Schema):
    phone_number: str | None = Field(default=None, max_length=20, description="Default: the user's own")
    asan_user_id: str | None = Field(default=None, max_length=20, description="Default: the user's own")


class AsanOut(Schema):
    transaction_id: str
    state: str
    verification_code: str
    expires_at: dt.datetime
    declaration_state: str


class ConfirmIn(Schema):
    terms_version: str = Field(max_length=20)
    accepted: bool


class SendIn(Schema):
    office: str = Field(max_length=5, description="Customs office code (appendix 11)")


class WithdrawIn(Schema):
    reason: str = Field("", max_length=2000)


class EventOut(Schema):
    id: int = Field(description="Names a customs decision in a complaint (POST …/complaints)")
    action: str | None = Field(description="The lifecycle action that wrote it")
    at: dt.datetime
    from_state: str
    to_state: str
    actor: str | None
    reason: str
    details: dict[str, Any]


class TermsOut(Schema):
    version: str
    text_az: str
    text_en: str
    published_at: dt.datetime


# --- Rendering -------------------------------------------------------------------------------


def _actor_side(request: HttpRequest) -> Actor:
    return Actor.OFFICER if getattr(caller(request), "is_officer", False) else Actor.TRADER


def declaration_summary(declaration: Declaration) -> dict[str, Any]:
    return {
        name: getattr(declaration, name)
        for name in DeclarationSummary.model_fields
    }


def declaration_out(request: HttpRequest, declaration: Declaration, document: Document | None = None) -> DeclarationOut:
    """``document``: the declaration's document as this request parsed or wrote it, so the
    dict it was just dumped to is not parsed back (ADR 0030-parsed-once-per-request)."""
    return DeclarationOut(
        **declaration_summary(declaration),
        actions=allowed_transitions(declaration.state, _actor_side(request)),
        requests=allowed_requests(declaration.state, _actor_side(request)),
        document=Document.model_validate(declaration.document) if document is None else document,
    )


def declaration_json(out: DeclarationOut) -> str:
    """``out`` as its response schema renders it, but the document written by pydantic in one
    pass: dumped to Python and encoded value by value, a hundred items' ~8,000 Decimals each
    went through the encoder's Python ``default``. The same JSON: the same values, ASCII-escaped
    alike; only the document's part is written without spaces (ADR 0030-parsed-once-per-request)."""
    envelope = json.dumps(out.model_dump(exclude={"document"}), cls=NinjaJSONEncoder)
    return f'{envelope[:-1]}, "document": {out.document.model_dump_json(ensure_ascii=True)}}}'


def declaration_step_out(request: HttpRequest, declaration: Declaration) -> DeclarationStepOut:
    base = f"/api/v1/declarations/{declaration.pk}"
    return DeclarationStepOut(
        **declaration_summary(declaration),
        actions=allowed_transitions(declaration.state, _actor_side(request)),
        requests=allowed_requests(declaration.state, _actor_side(request)),
        links=DeclarationLinks(self=base, version=f"{base}/versions/{declaration.version}", events=f"{base}/events"),
    )


def _render(
    request: HttpRequest, declaration: Declaration, status: int = 200, document: Document | None = None,
    *, minimal: bool = False,
) -> Any:
    """The declaration as the client asked: JSON or XML; ``minimal`` (``Prefer: return=minimal``):
    without the document the client has just sent."""
    headers = {"Location": f"/api/v1/declarations/{declaration.pk}"} if status == 201 else {}
    xml = wants_xml(request)
    if xml:
        headers.update({
            "X-Declaration-Id": str(declaration.pk),
            "X-Declaration-State": declaration.state,
            "X-Declaration-Version": str(declaration.version),
        })
    if minimal:
        # The client holds the document it sent: the summary (JSON), or the headers alone (XML).
        headers["Preference-Applied"] = "return=minimal"
        if xml:
            return xml_response(None, status=status, headers=headers)
        summary = json.dumps(declaration_step_out(request, declaration).model_dump(), cls=NinjaJSONEncoder)
        return json_response(summary, status=status, headers=headers)
    document = Document.model_validate(declaration.document) if document is None else document
    if xml:
        return xml_response(document, status=status, headers=headers)
    return json_response(declaration_json(declaration_out(request, declaration, document)), status=status, headers=headers)


#: ``Prefer: return=minimal`` (RFC 7240) on a create, update or copy: the answer is the summary
#: (``DeclarationStepOut``) without the document the client has just sent; ``Preference-Applied``
#: says so.
PREFER = Header(
    None, alias="Prefer", max_length=200,
    description="return=minimal: answer with the declaration's summary, not the whole document echoed back",
)


def _xml_alternative(schema_ref: str) -> dict[str, Any]:
    return {"application/xml": {"schema": {"type": "string", "description": schema_ref}}}




# --- Schema documents ------------------------------------------------------------------------


@schema_router.get("/declaration.json", auth=None, summary="JSON Schema of the declaration document")
def declaration_schema(request: HttpRequest) -> dict[str, Any]:
    return declaration_json_schema()


@schema_router.get(
    "/declaration.xsd", auth=None, summary="XSD of the declaration document as XML",
    openapi_extra={"responses": {200: {"description": "XML Schema", "content": {"application/xml": {"schema": {"type": "string"}}}}}},
)
def declaration_schema_xsd(request: HttpRequest) -> HttpResponse:
    return HttpResponse(declaration_xsd(), content_type="application/xml; charset=utf-8")


# --- Drafts ----------------------------------------------------------------------------------


@router.post(
    "", response={201: DeclarationOut | DeclarationStepOut, **PROBLEM_RESPONSES}, summary="Create a draft from a document",
    openapi_extra=document_request_body("The declaration document (JSON, or XML with Content-Type application/xml)"),
)
def create(
    request: HttpRequest,
    response: HttpResponse,
    voen: str | None = Query(None, max_length=10, description="VÖEN to declare for, if the caller acts for several"),  # type: ignore[assignment]
    prefer: str | None = PREFER,  # type: ignore[assignment]
) -> Any:
    document = read_document(request)
    declaration, stored = draft_create(
        user=caller(request), document=document, voen=declaring_voen(request, voen), freeze=True
    )
    response["Location"] = f"/api/v1/declarations/{declaration.pk}"
    return _render(request, declaration, status=201, document=stored, minimal=prefers_minimal(prefer))


@router.get("", response={200: DeclarationPage, **PROBLEM_RESPONSES}, summary="The caller's declarations")
def list_declarations(
    request: HttpRequest,
    state: State | None = None,
    type: str | None = Query(None, max_length=2, description="Declaration type (box 1, appendix 15)"),  # noqa: A002
    office: str | None = Query(None, max_length=5),
    created_from: dt.date | None = None,
    created_to: dt.date | None = None,
    sent_from: dt.date | None = None,
    sent_to: dt.date | None = None,
    cursor: str | None = Query(None, max_length=200),
    limit: int = Query(50, ge=1, le=200),
) -> DeclarationPage:
    filters = DeclarationFilter(
        state=state, declaration_type=type, office=office, created_from=created_from, created_to=created_to,
        sent_from=sent_from, sent_to=sent_to,
    )
    page = declaration_search(
        user=caller(request), filters=filters, cursor=cursor, limit=limit,
        within=lambda rows: token_filter(request, rows),
    )
    return DeclarationPage(
        items=[DeclarationSummary(**declaration_summary(d)) for d in page.items], next_cursor=page.next_cursor
    )


@router.get(
    f"/{ID}", response={200: DeclarationOut, **PROBLEM_RESPONSES}, summary="One declaration (JSON or XML)",
    openapi_extra={"responses": {200: {"description": "OK", "content": _xml_alternative("The document as XML")}}},
)
def get(request: HttpRequest, declaration_id: uuid.UUID) -> Any:
    return _render(request, scoped_declaration(request, declaration_id, read="document"))


@router.put(
    f"/{ID}", response={200: DeclarationOut | DeclarationStepOut, **PROBLEM_RESPONSES}, summary="Replace the document of a draft",
    openapi_extra=document_request_body("The whole new document (JSON or XML)"),
)
def update(request: HttpRequest, declaration_id: uuid.UUID, prefer: str | None = PREFER) -> Any:  # type: ignore[assignment]
    scoped_declaration(request, declaration_id)
    document = read_document(request)
    declaration = declaration_update(user=caller(request), declaration_id=declaration_id, document=document)
    return _render(request, declaration, document=document, minimal=prefers_minimal(prefer))  # what the update stored


@router.post(
    f"/{ID}/copy", response={201: DeclarationOut | DeclarationStepOut, **PROBLEM_RESPONSES},
    summary="Start a new draft from an earlier declaration (system-assigned boxes dropped)",
)
def copy(request: HttpRequest, response: HttpResponse, declaration_id: uuid.UUID, prefer: str | None = PREFER) -> Any:  # type: ignore[assignment]
    scoped_declaration(request, declaration_id)
    declaration = declaration_copy(user=caller(request), declaration_id=declaration_id)
    response["Location"] = f"/api/v1/declarations/{declaration.pk}"
    return _render(request, declaration, status=201, minimal=prefers_minimal(prefer))


# --- Attachments -----------------------------------------------------------------------------


@router.post(f"/{ID}/attachments", response={201: AttachmentOut, **PROBLEM_RESPONSES},
             summary="Attach a copy of a box-44 document (PDF, JPEG, PNG; ≤ 10 MB)")
def attachments_add(
    request: HttpRequest,
    declaration_id: uuid.UUID,
    file: File[UploadedFile],
    item_number: int = Form(..., ge=1, le=1000),  # type: ignore[type-arg]
    document_index: int = Form(..., ge=1, le=200),  # type: ignore[type-arg]
) -> Status[Attachment]:
    scoped_declaration(request, declaration_id)
    attachment = attachment_add(
        user=caller(request), declaration_id=declaration_id, upload=file,
        item_number=item_number, document_index=document_index,
    )
    return Status(201, attachment)


@router.get(f"/{ID}/attachments", response={200: list[AttachmentOut], **PROBLEM_RESPONSES},
            summary="The attachments of a declaration")
def attachments(request: HttpRequest, declaration_id: uuid.UUID) -> list[Attachment]:
    scoped_declaration(request, declaration_id)
    return attachment_list(user=caller(request), declaration_id=declaration_id)


@router.get(
    f"/{ID}/attachments/{{attachment_id}}", response={200: None, **PROBLEM_RESPONSES},
    summary="Download one attachment: the bytes as uploaded, under their checked type",
    openapi_extra={"responses": {200: {"description": "The file", "content": {
        "application/pdf": {"schema": {"type": "string", "format": "binary"}},
        "image/jpeg": {"schema": {"type": "string", "format": "binary"}},
        "image/png": {"schema": {"type": "string", "format": "binary"}}}}}},
)
def attachment_download(request: HttpRequest, declaration_id: uuid.UUID, attachment_id: uuid.UUID) -> HttpResponseBase:
    scoped_declaration(request, declaration_id)
    attachment = attachment_get(user=caller(request), declaration_id=declaration_id, attachment_id=attachment_id)
    return attachment_response(attachment, download=True)


# --- Signing ---------------------------------------------------------------------------------


@router.get(
    f"/{ID}/signing-payload", response={200: SigningPayloadOut, **PROBLEM_RESPONSES},
    summary="The exact bytes to sign, with the version they freeze",
    openapi_extra={"responses": {200: {"description": "OK", "content": {
        "application/octet-stream": {"schema": {"type": "string", "format": "binary"}}}}}},
)
def signing_payload(request: HttpRequest, declaration_id: uuid.UUID) -> Any:
    reach = service_reach(request, declaration_id)
    payload = signing.signing_payload(user=caller(request), declaration_id=declaration_id, reach=reach)
    if "application/octet-stream" in request.headers.get("Accept", ""):
        response = HttpResponse(payload.payload, content_type="application/octet-stream")
        response["X-Declaration-Version"] = str(payload.version)
        response["X-Payload-SHA256"] = payload.sha256
        return response
    return SigningPayloadOut(
        version=payload.version, sha256=payload.sha256, payload=base64.b64encode(payload.payload).decode("ascii")
    )


@router.post(f"/{ID}/signature", response={200: DeclarationStepOut, **PROBLEM_RESPONSES},
             summary="Attach a detached CMS signature over the signing payload")
def sign(request: HttpRequest, declaration_id: uuid.UUID, payload: SignatureIn) -> DeclarationStepOut:
    reach = service_reach(request, declaration_id)
    declaration = signing.declaration_sign(
        user=caller(request), declaration_id=declaration_id, provider=payload.provider,
        signature=base64_or_pem(payload.signature, "signature"), version=payload.version, reach=reach,
    )
    return declaration_step_out(request, declaration)


def _asan_out(asan: Any, declaration: Declaration, state: str | None = None) -> AsanOut:
    return AsanOut(
        transaction_id=str(asan.id), state=state or asan.state, verification_code=asan.verification_code,
        expires_at=asan.expires_at, declaration_state=declaration.state,
    )


@router.post(f"/{ID}/asan", response={201: AsanOut, **PROBLEM_RESPONSES},
             summary="Start signing with Asan İmza (compare the code with the phone)")
def asan_start(request: HttpRequest, declaration_id: uuid.UUID, payload: AsanStartIn) -> Status[AsanOut]:
    scoped_declaration(request, declaration_id)
    user = caller(request)
    asan = signing.declaration_sign_asan_start(
        user=user, declaration_id=declaration_id,
        phone_number=payload.phone_number or user.phone_number,
        asan_user_id=payload.asan_user_id or user.asan_user_id,
    )
    declaration = scoped_declaration(request, declaration_id)
    return Status(201, _asan_out(asan, declaration))


@router.get(f"/{ID}/asan/{{uuid:transaction_id}}", response={200: AsanOut, **PROBLEM_RESPONSES},
            summary="Poll an Asan İmza signing; once confirmed the declaration is signed")
def asan_poll(request: HttpRequest, declaration_id: uuid.UUID, transaction_id: uuid.UUID) -> AsanOut:
    scoped_declaration(request, declaration_id)
    status = signing.declaration_sign_asan_poll(
        user=caller(request), declaration_id=declaration_id, transaction_id=transaction_id
    )
    return _asan_out(status.transaction, status.declaration, status.state)


# --- Confirm, send, withdraw, events ---------------------------------------------------------


@router.get("/terms", response={200: TermsOut, **PROBLEM_RESPONSES},
            summary="The current submission terms (their version is what confirm accepts)")
def terms(request: HttpRequest) -> Any:
    current = submission.current_terms()
    if current is None:
        raise NotFound("Təqdimetmə şərtləri", "Submission terms")
    return current


@router.post(f"/{ID}/confirm", response={200: DeclarationStepOut, **PROBLEM_RESPONSES},
             summary="Accept the submission terms and confirm the signed declaration")
def confirm(request: HttpRequest, declaration_id: uuid.UUID, payload: ConfirmIn) -> DeclarationStepOut:
    reach = service_reach(request, declaration_id)
    declaration = submission.declaration_confirm(
        user=caller(request), declaration_id=declaration_id,
        terms_version=payload.terms_version, accepted=payload.accepted, reach=reach,
    )
    return declaration_step_out(request, declaration)


@router.post(f"/{ID}/send", response={200: DeclarationStepOut, **PROBLEM_RESPONSES},
             summary="Send to a customs office; the answer carries the registration number (box 7)")
def send(request: HttpRequest, declaration_id: uuid.UUID, payload: SendIn) -> DeclarationStepOut:
    reach = service_reach(request, declaration_id)
    declaration = submission.declaration_send(
        user=caller(request), declaration_id=declaration_id, office_code=payload.office, reach=reach
    )
    return declaration_step_out(request, declaration)


@router.post(f"/{ID}/withdraw", response={200: DeclarationOut, **PROBLEM_RESPONSES}, summary="Withdraw")
def withdraw(request: HttpRequest, declaration_id: uuid.UUID, payload: WithdrawIn) -> DeclarationOut:
    scoped_declaration(request, declaration_id)
    declaration = submission.declaration_withdraw(
        user=caller(request), declaration_id=declaration_id, reason=payload.reason
    )
    return declaration_out(request, declaration)


@router.get(f"/{ID}/events", response={200: list[EventOut], **PROBLEM_RESPONSES},
            summary="The declaration's status history, oldest first")
def events(request: HttpRequest, declaration_id: uuid.UUID) -> list[EventOut]:
    scoped_declaration(request, declaration_id)
    rows: list[StatusEvent] = lifecycle.declaration_events(user=caller(request), declaration_id=declaration_id)
    return [
        EventOut(
            id=event.pk, action=(event.details or {}).get("action"), at=event.at, from_state=event.from_state, to_state=event.to_state,
            actor=event.actor.get_username() if event.actor else None,
            reason=event.reason, details=event.details or {},
        )
        for event in rows
    ]


# --- Payment estimate (mounted at the API root) ------------------------------------------------


@estimate_router.post(
    "/declarations/estimate",
    auth=None,
    summary="What a declaration will pay, line by line, with formulas",
    description="Body: a declaration document (schema: /api/v1/schema/declaration.json). "
    "Computes boxes 12, 22, 23, A, 45, 46, 47 and B from the tariff, the fee schedule and "
    "the CBAR rates. `on` is the acceptance date; without it the latest rates are used and "
    "the result is marked provisional. Nothing is stored.",
)
def estimate(request: HttpRequest, document: dict[str, Any] = Body(...), on: dt.date | None = None) -> dict[str, Any]:  # noqa: B008
    return estimate_document(parse_document(document), on=on).as_dict()
