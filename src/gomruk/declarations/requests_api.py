"""After sending (mounted at /declarations): amendment requests, cancellation requests, and
the declaration's versions with their differences box by box.

Endpoints parse, call a service, render. Every POST takes ``Idempotency-Key`` like send (the
API kit stores the first response and replays it).
"""

from __future__ import annotations

import base64
import datetime as dt
import uuid
from typing import Any

from django.http import HttpRequest, HttpResponse
from ninja import Field, Router, Schema, Status

from gomruk.accounts.bearer import bearer_auth, caller
from gomruk.api.schemas import PROBLEM_RESPONSES
from gomruk.core.encoding import base64_or_pem
from gomruk.declarations import amendments, cancellation
from gomruk.declarations.api import AsanStartIn, SignatureIn, SigningPayloadOut
from gomruk.declarations.models import AmendmentRequest, CancellationRequest, RequestStatus
from gomruk.declarations.scope import scoped_declaration
from gomruk.declarations.selectors import request_decisions
from gomruk.declarations.versions import (
    BoxChange,
    declaration_version,
    declaration_versions,
    version_diff,
)
from gomruk.document.model import Declaration as Document

router = Router(tags=["after sending"], auth=bearer_auth)

ID = "{uuid:declaration_id}"
N = "{int:number}"


# --- Schemas ---------------------------------------------------------------------------------


class FieldChangeOut(Schema):
    path: str = Field(description="JSON Pointer into the document")
    before: Any
    after: Any


class BoxChangeOut(Schema):
    box: str = Field(description="Box of the form (x-box); '-' for fields outside any box")
    item: int | None = Field(description="Goods item (1-based) for boxes 31–47")
    changes: list[FieldChangeOut]


class DecisionOut(Schema):
    outcome: str
    kind: str | None = None
    reason: str
    box_reasons: list[dict[str, Any]] = Field(default_factory=list, description="Refusal reasons per box")
    payments: dict[str, Any] = Field(
        default_factory=dict, description="Boxes 47 and B before and after, on the same date, and the difference"
    )
    decided_by: str
    office_code: str
    at: dt.datetime


class AmendmentSummary(Schema):
    number: int
    status: str
    base_version: int
    version: int | None
    reason: str
    state_at_request: str
    created_at: dt.datetime
    requested_at: dt.datetime | None
    requested_by: str | None


class AmendmentOut(AmendmentSummary):
    changes: list[BoxChangeOut] = Field(description="Differences from the version customs holds, box by box")
    decisions: list[DecisionOut]
    actions: list[str] = Field(description="What the declarant may do with the request now")
    document: Document = Field(description="The proposed document")


class AmendmentIn(Schema):
    document: Document | None = Field(default=None, description="Default: a copy of the version customs holds")
    reason: str = Field("", max_length=4000, description="Why (required before signing)")


class AmendmentUpdateIn(Schema):
    document: Document | None = None
    reason: str | None = Field(default=None, max_length=4000)


class AsanRequestOut(Schema):
    transaction_id: str
    state: str
    verification_code: str
    expires_at: dt.datetime
    request_status: str


class CancellationIn(Schema):
    reason: str = Field(max_length=4000)
    goods_not_taken: bool = Field(
        False, description="After release: the declarant states the goods were not taken out of customs control"
    )


class CancellationOut(Schema):
    number: int
    status: str
    reason: str
    goods_not_taken: bool
    state_at_request: str
    requested_at: dt.datetime
    requested_by: str
    decisions: list[DecisionOut]


class SignatureInfo(Schema):
    provider: str
    signer_name: str
    certificate_serial: str
    signed_at: dt.datetime | None


class VersionOut(Schema):
    number: int
    status: str = Field(description="current | superseded | requested | refused | unsent")
    created_at: dt.datetime
    created_by: str
    why: str = Field(description="The amendment request's reason; empty for a version signed for sending")
    amendment: int | None = Field(description="Number of the amendment request that proposed it")
    payload_sha256: str
    signatures: list[SignatureInfo]


class VersionDocumentOut(VersionOut):
    document: Document


class DiffOut(Schema):
    version: int
    against: int | None = Field(description="The version compared with (null: an empty document)")
    boxes: list[BoxChangeOut]


# --- Rendering -------------------------------------------------------------------------------


def _name(user: Any) -> str | None:
    return user.get_username() if user is not None else None


def _changes(changes: list[BoxChange]) -> list[BoxChangeOut]:
    return [BoxChangeOut(**c.data()) for c in changes]


def _decisions(rows: list[Any]) -> list[DecisionOut]:
    return [
        DecisionOut(
            outcome=d.outcome, kind=getattr(d, "kind", None), reason=d.reason,
            box_reasons=getattr(d, "box_reasons", []) or [], payments=getattr(d, "payments", {}) or {},
            decided_by=d.decided_by.get_username(), office_code=d.office_code, at=d.created_at,
        )
        for d in rows
    ]


def _summary(request: AmendmentRequest) -> dict[str, Any]:
    return {
        "number": request.number, "status": request.status, "base_version": request.base_version,
        "version": request.version.number if request.version else None, "reason": request.reason,
        "state_at_request": request.state_at_request, "created_at": request.created_at,
        "requested_at": request.requested_at, "requested_by": _name(request.requested_by),
    }


def amendment_out(request: AmendmentRequest) -> AmendmentOut:
    draft = request.status == RequestStatus.DRAFT
    return AmendmentOut(
        **_summary(request),
        changes=_changes(amendments.amendment_changes(request)),
        decisions=_decisions(request_decisions(request)),
        actions=["update", "sign", "discard"] if draft else [],
        document=Document.model_validate(request.document),
    )


def cancellation_out(request: CancellationRequest) -> CancellationOut:
    return CancellationOut(
        number=request.number, status=request.status, reason=request.reason,
        goods_not_taken=request.goods_not_taken, state_at_request=request.state_at_request,
        requested_at=request.requested_at, requested_by=request.requested_by.get_username(),
        decisions=_decisions(request_decisions(request)),
    )


# --- Amendments ------------------------------------------------------------------------------


@router.post(f"/{ID}/amendments", response={201: AmendmentOut, **PROBLEM_RESPONSES},
             summary="Start an amendment request: a working copy of the version customs holds")
def amendment_create(request: HttpRequest, response: HttpResponse, declaration_id: uuid.UUID, payload: AmendmentIn) -> Status[AmendmentOut]:
    scoped_declaration(request, declaration_id)
    created = amendments.amendment_start(
        user=caller(request), declaration_id=declaration_id, document=payload.document, reason=payload.reason
    )
    response["Location"] = f"/api/v1/declarations/{declaration_id}/amendments/{created.number}"
    return Status(201, amendment_out(created))


@router.get(f"/{ID}/amendments", response={200: list[AmendmentSummary], **PROBLEM_RESPONSES},
            summary="The declaration's amendment requests")
def amendment_list(request: HttpRequest, declaration_id: uuid.UUID) -> list[AmendmentSummary]:
    declaration = scoped_declaration(request, declaration_id)
    rows = amendments.amendments_of(user=caller(request), declaration=declaration)
    return [AmendmentSummary(**_summary(r)) for r in rows]


@router.get(f"/{ID}/amendments/{N}", response={200: AmendmentOut, **PROBLEM_RESPONSES},
            summary="One amendment request: the proposed document, its differences, customs' decision")
def amendment_detail(request: HttpRequest, declaration_id: uuid.UUID, number: int) -> AmendmentOut:
    scoped_declaration(request, declaration_id)
    return amendment_out(amendments.amendment_get(user=caller(request), declaration_id=declaration_id, number=number))


@router.put(f"/{ID}/amendments/{N}", response={200: AmendmentOut, **PROBLEM_RESPONSES},
            summary="Change the working copy (document and/or reason) before it is signed")
def amendment_change(request: HttpRequest, declaration_id: uuid.UUID, number: int, payload: AmendmentUpdateIn) -> AmendmentOut:
    scoped_declaration(request, declaration_id)
    changed = amendments.amendment_update(
        user=caller(request), declaration_id=declaration_id, number=number,
        document=payload.document, reason=payload.reason,
    )
    return amendment_out(changed)


@router.delete(f"/{ID}/amendments/{N}", response={200: AmendmentOut, **PROBLEM_RESPONSES},
               summary="Discard a working copy that was not sent")
def amendment_drop(request: HttpRequest, declaration_id: uuid.UUID, number: int) -> AmendmentOut:
    scoped_declaration(request, declaration_id)
    return amendment_out(amendments.amendment_discard(user=caller(request), declaration_id=declaration_id, number=number))


@router.get(f"/{ID}/amendments/{N}/signing-payload", response={200: SigningPayloadOut, **PROBLEM_RESPONSES},
            summary="The new version frozen: the exact bytes to sign")
def amendment_payload(request: HttpRequest, declaration_id: uuid.UUID, number: int) -> SigningPayloadOut:
    scoped_declaration(request, declaration_id)
    frozen = amendments.amendment_signing_payload(user=caller(request), declaration_id=declaration_id, number=number)
    return SigningPayloadOut(
        version=frozen.version, sha256=frozen.sha256, payload=base64.b64encode(frozen.payload).decode("ascii")
    )


@router.post(f"/{ID}/amendments/{N}/signature", response={200: AmendmentOut, **PROBLEM_RESPONSES},
             summary="Sign the new version (detached CMS) and send the request to customs")
def amendment_signature(request: HttpRequest, declaration_id: uuid.UUID, number: int, payload: SignatureIn) -> AmendmentOut:
    scoped_declaration(request, declaration_id)
    sent = amendments.amendment_sign(
        user=caller(request), declaration_id=declaration_id, number=number, provider=payload.provider,
        signature=base64_or_pem(payload.signature, "signature"), version=payload.version,
    )
    return amendment_out(sent)


@router.post(f"/{ID}/amendments/{N}/asan", response={201: AsanRequestOut, **PROBLEM_RESPONSES},
             summary="Sign the new version with Asan İmza (compare the code with the phone)")
def amendment_asan_start(request: HttpRequest, declaration_id: uuid.UUID, number: int, payload: AsanStartIn) -> Status[AsanRequestOut]:
    scoped_declaration(request, declaration_id)
    user = caller(request)
    asan = amendments.amendment_sign_asan_start(
        user=user, declaration_id=declaration_id, number=number,
        phone_number=payload.phone_number or user.phone_number,
        asan_user_id=payload.asan_user_id or user.asan_user_id,
    )
    return Status(201, AsanRequestOut(
        transaction_id=str(asan.id), state=asan.state, verification_code=asan.verification_code,
        expires_at=asan.expires_at, request_status=RequestStatus.DRAFT,
    ))


@router.get(f"/{ID}/amendments/{N}/asan/{{uuid:transaction_id}}", response={200: AsanRequestOut, **PROBLEM_RESPONSES},
            summary="Poll the Asan İmza signing; once confirmed the request is sent")
def amendment_asan_poll(request: HttpRequest, declaration_id: uuid.UUID, number: int, transaction_id: uuid.UUID) -> AsanRequestOut:
    scoped_declaration(request, declaration_id)
    status = amendments.amendment_sign_asan_poll(
        user=caller(request), declaration_id=declaration_id, number=number, transaction_id=transaction_id
    )
    asan = status.transaction
    return AsanRequestOut(
        transaction_id=str(asan.id), state=status.state, verification_code=asan.verification_code,
        expires_at=asan.expires_at, request_status=status.request.status,
    )


# --- Cancellation ----------------------------------------------------------------------------


@router.post(f"/{ID}/cancellation", response={201: CancellationOut, **PROBLEM_RESPONSES},
             summary="Ask customs to cancel (invalidate) the declaration, with a reason")
def cancellation_create(request: HttpRequest, response: HttpResponse, declaration_id: uuid.UUID, payload: CancellationIn) -> Status[CancellationOut]:
    scoped_declaration(request, declaration_id)
    created = cancellation.cancellation_request(
        user=caller(request), declaration_id=declaration_id, reason=payload.reason,
        goods_not_taken=payload.goods_not_taken,
    )
    response["Location"] = f"/api/v1/declarations/{declaration_id}/cancellation"
    return Status(201, cancellation_out(created))


@router.get(f"/{ID}/cancellation", response={200: list[CancellationOut], **PROBLEM_RESPONSES},
            summary="The declaration's cancellation requests and customs' decisions")
def cancellation_list(request: HttpRequest, declaration_id: uuid.UUID) -> list[CancellationOut]:
    declaration = scoped_declaration(request, declaration_id)
    return [cancellation_out(r) for r in cancellation.cancellations_of(declaration=declaration)]


# --- Versions --------------------------------------------------------------------------------


def _version_fields(info: Any) -> dict[str, Any]:
    version = info.version
    return {
        "number": version.number, "status": info.status, "created_at": version.created_at,
        "created_by": version.created_by.get_username(), "why": info.why,
        "amendment": info.amendment.number if info.amendment else None,
        "payload_sha256": version.payload_sha256 or version.canonical_sha256,
        "signatures": [
            SignatureInfo(provider=s.provider, signer_name=s.signer_name, certificate_serial=s.certificate_serial,
                          signed_at=s.signed_at)
            for s in info.signatures
        ],
    }


@router.get(f"/{ID}/versions", response={200: list[VersionOut], **PROBLEM_RESPONSES},
            summary="Every version of the declaration: who froze it, when, why, who signed it")
def versions(request: HttpRequest, declaration_id: uuid.UUID) -> list[VersionOut]:
    scoped_declaration(request, declaration_id)
    return [VersionOut(**_version_fields(i)) for i in declaration_versions(user=caller(request), declaration_id=declaration_id)]


@router.get(f"/{ID}/versions/{N}", response={200: VersionDocumentOut, **PROBLEM_RESPONSES},
            summary="One version with its document")
def version(request: HttpRequest, declaration_id: uuid.UUID, number: int) -> VersionDocumentOut:
    scoped_declaration(request, declaration_id)
    info = declaration_version(user=caller(request), declaration_id=declaration_id, number=number)
    return VersionDocumentOut(**_version_fields(info), document=Document.model_validate(info.version.document))


@router.get(f"/{ID}/versions/{N}/diff", response={200: DiffOut, **PROBLEM_RESPONSES},
            summary="What changed in a version, box by box (against the previous version, or ?against=n)")
def diff(request: HttpRequest, declaration_id: uuid.UUID, number: int, against: int | None = None) -> DiffOut:
    scoped_declaration(request, declaration_id)
    found = version_diff(user=caller(request), declaration_id=declaration_id, number=number, against=against)
    return DiffOut(
        version=found.version.number, against=found.against.number if found.against else None,
        boxes=_changes(found.boxes),
    )
