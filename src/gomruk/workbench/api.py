"""The officer's queue in the API (mounted at /customs): the portal page's filters."""

from __future__ import annotations

import datetime as dt
import uuid
from decimal import Decimal

from django.http import HttpRequest, HttpResponse
from ninja import Field, Router, Schema

from gomruk.accounts.bearer import bearer_auth, caller
from gomruk.api.schemas import PROBLEM_RESPONSES
from gomruk.declarations.scope import scoped_declaration, token_filter
from gomruk.workbench import services
from gomruk.workbench.presenters import queue_row, queue_xlsx
from gomruk.workbench.selectors import QueueFilters, queue, queue_entry

router = Router(tags=["customs"], auth=bearer_auth)
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class QueueItem(Schema):
    id: uuid.UUID
    registration_number: str | None
    declaration_type: str
    direction: str
    procedure: str
    trader_voen: str
    trader_name: str
    declared_value: Decimal | None = Field(description="Box 12, AZN")
    goods_count: int
    risk_score: int | None
    proposed_channel: str
    proposed_channel_label: str
    assignee: str
    state: str
    state_label: str
    sent_at: dt.datetime | None
    age_hours: int | None


class QueueOut(Schema):
    count: int
    items: list[QueueItem]


class AssignIn(Schema):
    officer_id: int | None = Field(default=None, description="null or absent: unassign; the caller's own id: take it")


def _filters(q: str, state: str | None, channel: str | None, assigned: str | None, min_score: int | None,
             sort: str) -> QueueFilters:
    return QueueFilters(q=q, state=state or None, channel=channel or None, assigned=assigned or None,
                        min_score=min_score, sort=sort)


@router.get("/queue", response={200: QueueOut, **PROBLEM_RESPONSES},
            summary="The office's queue: search (number, trader, commodity code), filters, sort")
def queue_list(request: HttpRequest, q: str = "", state: str | None = None, channel: str | None = None,
               assigned: str | None = None, min_score: int | None = None, sort: str = "age",
               limit: int = 100, offset: int = 0) -> QueueOut:
    rows = token_filter(request, queue(officer=caller(request),
                                       filters=_filters(q, state, channel, assigned, min_score, sort)))
    limit, offset = max(1, min(limit, 500)), max(0, offset)
    return QueueOut(count=rows.count(), items=[QueueItem(**queue_row(d)) for d in rows[offset:offset + limit]])


@router.get("/queue.xlsx", response={200: None, **PROBLEM_RESPONSES}, summary="The queue as XLSX (same filters)")
def queue_export(request: HttpRequest, q: str = "", state: str | None = None, channel: str | None = None,
                 assigned: str | None = None, min_score: int | None = None, sort: str = "age") -> HttpResponse:
    rows = token_filter(request, queue(officer=caller(request),
                                       filters=_filters(q, state, channel, assigned, min_score, sort)))
    response = HttpResponse(queue_xlsx(rows), content_type=XLSX)
    response["Content-Disposition"] = 'attachment; filename="queue.xlsx"'
    return response


@router.post("/declarations/{uuid:declaration_id}/assignment", response={200: QueueItem, **PROBLEM_RESPONSES},
             summary="Assign a declaration (self-assign, or a supervisor assigns)")
def assign(request: HttpRequest, declaration_id: uuid.UUID, payload: AssignIn) -> QueueItem:
    scoped_declaration(request, declaration_id)
    officer = caller(request)
    services.declaration_assign(actor=officer, declaration_id=declaration_id, officer_id=payload.officer_id)
    return QueueItem(**queue_row(queue_entry(officer=officer, declaration_id=declaration_id)))
