"""Customs API (mounted at /customs): an officer's queue and decisions, own office only."""

from __future__ import annotations

import uuid
from typing import Any

from django.http import HttpRequest
from ninja import Field, Router, Schema

from gomruk.accounts.bearer import bearer_auth, caller
from gomruk.api.schemas import PROBLEM_RESPONSES
from gomruk.customs import services
from gomruk.declarations.api import (
    DeclarationOut,
    declaration_out,
)
from gomruk.declarations.scope import scoped_declaration
from gomruk.document.model import CustomsControl

router = Router(tags=["customs"], auth=bearer_auth)

ID = "{uuid:declaration_id}"


class ChannelIn(Schema):
    channel: str = Field(max_length=10, description="green | yellow | red | blue")
    reason: str = Field(max_length=2000)


class ControlIn(Schema):
    box_c: str | None = Field(default=None, max_length=4000, description="Box C: customs notes")
    box_d: CustomsControl | None = Field(default=None, description="Box D: control results")


class ReasonIn(Schema):
    reason: str = Field("", max_length=2000)


class RefuseIn(Schema):
    reason: str = Field(max_length=2000)


class ReturnIn(Schema):
    reasons: dict[str, str] = Field(description="Reason per box: {'33': '…', '33/2': 'box 33 of item 2'}")
    reason: str = Field("", max_length=2000)


def _decided(request: HttpRequest, declaration_id: uuid.UUID, action: Any, **kwargs: Any) -> DeclarationOut:
    scoped_declaration(request, declaration_id)
    declaration = action(officer=caller(request), declaration_id=declaration_id, **kwargs)
    return declaration_out(request, declaration)


@router.post(f"/declarations/{ID}/register", response={200: DeclarationOut, **PROBLEM_RESPONSES},
             summary="Register a sent declaration (acceptance date, rates fixed)")
def register(request: HttpRequest, declaration_id: uuid.UUID) -> DeclarationOut:
    return _decided(request, declaration_id, services.declaration_register)


@router.post(f"/declarations/{ID}/channel", response={200: DeclarationOut, **PROBLEM_RESPONSES},
             summary="Assign the control channel")
def channel(request: HttpRequest, declaration_id: uuid.UUID, payload: ChannelIn) -> DeclarationOut:
    return _decided(
        request, declaration_id, services.declaration_assign_channel, channel=payload.channel, reason=payload.reason
    )


@router.post(f"/declarations/{ID}/control", response={200: DeclarationOut, **PROBLEM_RESPONSES},
             summary="Record control results (boxes C and D)")
def control(request: HttpRequest, declaration_id: uuid.UUID, payload: ControlIn) -> DeclarationOut:
    box_d = payload.box_d.model_dump(mode="json", exclude_none=True) if payload.box_d else {}
    return _decided(request, declaration_id, services.declaration_record_control, box_c=payload.box_c, box_d=box_d)


@router.post(f"/declarations/{ID}/release", response={200: DeclarationOut, **PROBLEM_RESPONSES},
             summary="Release the goods")
def release(request: HttpRequest, declaration_id: uuid.UUID, payload: ReasonIn) -> DeclarationOut:
    return _decided(request, declaration_id, services.declaration_release, reason=payload.reason)


@router.post(f"/declarations/{ID}/refuse", response={200: DeclarationOut, **PROBLEM_RESPONSES},
             summary="Refuse release")
def refuse(request: HttpRequest, declaration_id: uuid.UUID, payload: RefuseIn) -> DeclarationOut:
    return _decided(request, declaration_id, services.declaration_refuse, reason=payload.reason)


@router.post(f"/declarations/{ID}/return", response={200: DeclarationOut, **PROBLEM_RESPONSES},
             summary="Return for correction, with a reason per box")
def return_for_correction(request: HttpRequest, declaration_id: uuid.UUID, payload: ReturnIn) -> DeclarationOut:
    return _decided(
        request, declaration_id, services.declaration_return, reasons=payload.reasons, reason=payload.reason
    )
