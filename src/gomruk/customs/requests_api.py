"""The holding office's answers to requests after sending (mounted at /customs): the list of
requests waiting, accept or refuse an amendment (refusal: a reason per box), accept or refuse
a cancellation. Every POST takes ``Idempotency-Key`` like the other decisions."""

from __future__ import annotations

import uuid

from django.http import HttpRequest
from ninja import Field, Router, Schema

from gomruk.accounts.bearer import bearer_auth, caller
from gomruk.api.schemas import PROBLEM_RESPONSES
from gomruk.customs import requests as decisions
from gomruk.declarations.amendments import amendment_get
from gomruk.declarations.cancellation import cancellation_get
from gomruk.declarations.requests_api import (
    AmendmentOut,
    CancellationOut,
    amendment_out,
    cancellation_out,
)
from gomruk.declarations.scope import scoped_declaration

router = Router(tags=["customs"], auth=bearer_auth)

ID = "{uuid:declaration_id}"
N = "{int:number}"


class WaitingOut(Schema):
    kind: str = Field(description="amendment | cancellation")
    declaration_id: uuid.UUID
    registration_number: str | None
    number: int
    reason: str
    state_at_request: str
    requested_at: str


class DecisionIn(Schema):
    reason: str = Field("", max_length=4000)


class RefuseCancellationIn(Schema):
    reason: str = Field(max_length=4000)


class RefuseAmendmentIn(Schema):
    reasons: dict[str, str] = Field(description="Reason per box: {'33': '…', '33/2': 'box 33 of goods item 2'}")
    reason: str = Field("", max_length=4000)


@router.get("/requests", response={200: list[WaitingOut], **PROBLEM_RESPONSES},
            summary="Amendment and cancellation requests waiting for the officer's office, oldest first")
def waiting(request: HttpRequest) -> list[WaitingOut]:
    rows = decisions.requests_waiting(officer=caller(request))
    return [
        WaitingOut(
            kind=w.kind, declaration_id=w.request.declaration_id,
            registration_number=w.request.declaration.registration_number, number=w.request.number,
            reason=w.request.reason, state_at_request=w.request.state_at_request,
            requested_at=w.request.requested_at.isoformat() if w.request.requested_at else "",
        )
        for w in rows
    ]


@router.post(f"/declarations/{ID}/amendments/{N}/accept", response={200: AmendmentOut, **PROBLEM_RESPONSES},
             summary="Accept an amendment: the new version becomes current; payments recomputed (47/B difference)")
def amendment_accept(request: HttpRequest, declaration_id: uuid.UUID, number: int, payload: DecisionIn) -> AmendmentOut:
    scoped_declaration(request, declaration_id)
    officer = caller(request)
    decisions.amendment_accept(officer=officer, declaration_id=declaration_id, number=number, reason=payload.reason)
    return amendment_out(amendment_get(user=officer, declaration_id=declaration_id, number=number))


@router.post(f"/declarations/{ID}/amendments/{N}/refuse", response={200: AmendmentOut, **PROBLEM_RESPONSES},
             summary="Refuse an amendment with a reason per box; the version customs holds stays current")
def amendment_refuse(request: HttpRequest, declaration_id: uuid.UUID, number: int, payload: RefuseAmendmentIn) -> AmendmentOut:
    scoped_declaration(request, declaration_id)
    officer = caller(request)
    decisions.amendment_refuse(
        officer=officer, declaration_id=declaration_id, number=number, reasons=payload.reasons, reason=payload.reason
    )
    return amendment_out(amendment_get(user=officer, declaration_id=declaration_id, number=number))


@router.post(f"/declarations/{ID}/cancellations/{N}/accept", response={200: CancellationOut, **PROBLEM_RESPONSES},
             summary="Cancel the declaration (its border goods go back to temporary storage)")
def cancellation_accept(request: HttpRequest, declaration_id: uuid.UUID, number: int, payload: DecisionIn) -> CancellationOut:
    scoped_declaration(request, declaration_id)
    officer = caller(request)
    decisions.cancellation_accept(officer=officer, declaration_id=declaration_id, number=number, reason=payload.reason)
    return cancellation_out(cancellation_get(user=officer, declaration_id=declaration_id, number=number))


@router.post(f"/declarations/{ID}/cancellations/{N}/refuse", response={200: CancellationOut, **PROBLEM_RESPONSES},
             summary="Refuse a cancellation request (reason required)")
def cancellation_refuse(request: HttpRequest, declaration_id: uuid.UUID, number: int, payload: RefuseCancellationIn) -> CancellationOut:
    scoped_declaration(request, declaration_id)
    officer = caller(request)
    decisions.cancellation_refuse(officer=officer, declaration_id=declaration_id, number=number, reason=payload.reason)
    return cancellation_out(cancellation_get(user=officer, declaration_id=declaration_id, number=number))
