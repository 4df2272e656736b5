"""The officer's queue: declarations sent to the officer's own office, with the trader, the
declared value, the goods count, the risk score and proposed channel, the assignee and the
age; searched, filtered and sorted in SQL so a page is one query whatever the office's size.
The portal page, the XLSX export and ``GET /api/v1/customs/queue`` all read it."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import (
    CharField,
    DecimalField,
    F,
    Func,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    TextField,
)
from django.db.models.fields.json import KeyTextTransform
from django.db.models.functions import Cast

from gomruk.accounts.models import Trader, User
from gomruk.core.audit import audit_record
from gomruk.core.errors import Bilingual, GomrukError, NotFound
from gomruk.customs.services import require_officer
from gomruk.declarations.models import Declaration, State
from gomruk.declarations.selectors import OFFICER_VISIBLE_STATES, day_start, declarations_visible_to
from gomruk.risk.models import RiskAssessment
from gomruk.workbench.errors import ERRORS

WORK_STATES = (State.SENT, State.REGISTERED, State.UNDER_CONTROL)
SORTS = {
    "age": ("sent_at", "id"),
    "-age": ("-sent_at", "-id"),
    "value": (F("declared_value").asc(nulls_first=True), "id"),
    "-value": (F("declared_value").desc(nulls_last=True), "id"),
    "score": (F("risk_score").asc(nulls_first=True), "sent_at"),
    "-score": (F("risk_score").desc(nulls_last=True), "sent_at"),
    "number": ("registration_number", "id"),
    "trader": ("trader_name", "trader_voen", "id"),
}
CHANNELS = ("green", "blue", "yellow", "red")


class GoodsCount(Func):
    """Length of the document's goods array (json_array_length: the document is json on
    PostgreSQL too, ADR 0054)."""

    output_field = IntegerField()

    def as_sqlite(self, compiler: Any, connection: Any, **extra: Any) -> Any:
        return self.as_sql(compiler, connection, template="json_array_length(%(expressions)s, '$.goods')", **extra)

    def as_postgresql(self, compiler: Any, connection: Any, **extra: Any) -> Any:
        return self.as_sql(compiler, connection, template="json_array_length(%(expressions)s -> 'goods')", **extra)


@dataclass(frozen=True)
class QueueFilters:
    q: str = ""
    state: str | None = None
    channel: str | None = None
    assigned: str | None = None  # "me" | "none" | an officer id
    min_score: int | None = None
    sort: str = "age"
    #: Sent on these local days, inclusive (issue 16.9: search by date).
    sent_from: dt.date | None = None
    sent_to: dt.date | None = None


def _invalid(field: str, message_az: str, message_en: str, **details: Any) -> GomrukError:
    return ERRORS.error(
        "invalid_filter", status=422, details={"field": field, **details}, reason=Bilingual(message_az, message_en)
    )


def _check(filters: QueueFilters) -> None:
    if filters.state is not None and filters.state not in OFFICER_VISIBLE_STATES:
        raise _invalid("state", f"«{filters.state}» mərhələsi gömrük növbəsində yoxdur.",
                       f"State '{filters.state}' is not in the customs queue.",
                       allowed=[str(s) for s in OFFICER_VISIBLE_STATES])
    if filters.channel is not None and filters.channel not in CHANNELS:
        raise _invalid("channel", f"«{filters.channel}» dəhlizi yoxdur.", f"Unknown channel '{filters.channel}'.",
                       allowed=list(CHANNELS))
    if filters.sort not in SORTS:
        raise _invalid("sort", f"«{filters.sort}» üzrə sıralama yoxdur.", f"Cannot sort by '{filters.sort}'.",
                       allowed=list(SORTS))
    if filters.assigned not in (None, "me", "none") and not str(filters.assigned).isdigit():
        raise _invalid("assigned", "«assigned» me, none və ya əməkdaşın id-si olmalıdır.",
                       "'assigned' must be me, none or an officer's id.")
    if len(filters.q) > 100:
        raise _invalid("q", "Axtarış mətni çox uzundur.", "The search text is too long.")


def _annotated(rows: QuerySet[Declaration]) -> QuerySet[Declaration]:
    latest = RiskAssessment.objects.filter(declaration=OuterRef("pk")).order_by("-created_at", "-id")
    return rows.annotate(
        trader_name=Subquery(Trader.objects.filter(voen=OuterRef("trader_voen")).values("name")[:1],
                             output_field=CharField()),
        declared_value=Cast(KeyTextTransform("total_customs_value", "document"),
                            DecimalField(max_digits=18, decimal_places=2)),
        goods_count=GoodsCount("document"),
        risk_score=Subquery(latest.values("score")[:1], output_field=IntegerField()),
        proposed_channel=Subquery(latest.values("proposed_channel")[:1], output_field=CharField()),
        assignee_id=F("assignment__officer_id"),
        assignee_name=F("assignment__officer__username"),
    )


def _search(rows: QuerySet[Declaration], text: str) -> QuerySet[Declaration]:
    text = text.strip()
    if not text:
        return rows
    match = Q(registration_number__icontains=text) | Q(trader_voen__startswith=text) | Q(
        trader_name__icontains=text
    )
    digits = text.replace(" ", "")
    if digits.isdigit() and len(digits) >= 4:
        # The stored JSON writes each goods item's code as "commodity_code": "0806101000"
        # (Django's encoder on SQLite, jsonb's text form on PostgreSQL) — or without the space
        # once SQLite's json_set has rewritten the text (box 7 set at send): a prefix search.
        match |= Q(document_text__contains=f'"commodity_code": "{digits}') | Q(
            document_text__contains=f'"commodity_code":"{digits}'
        )
        rows = rows.annotate(document_text=Cast("document", TextField()))
    return rows.filter(match)


def queue(*, officer: User, filters: QueueFilters, audit: bool = True) -> QuerySet[Declaration]:
    office = require_officer(officer)
    _check(filters)
    rows = declarations_visible_to(officer).filter(
        state__in=[filters.state] if filters.state else WORK_STATES
    )
    rows = _search(_annotated(rows), filters.q)
    # Annotated names: django-stubs cannot see them, hence the dict spelling.
    if filters.channel:
        rows = rows.filter(**{"proposed_channel": filters.channel})
    if filters.min_score is not None:
        rows = rows.filter(**{"risk_score__gte": filters.min_score})
    if filters.sent_from:
        rows = rows.filter(sent_at__gte=day_start(filters.sent_from))
    if filters.sent_to:
        rows = rows.filter(sent_at__lt=day_start(filters.sent_to + dt.timedelta(days=1)))
    if filters.assigned == "me":
        rows = rows.filter(assignment__officer=officer)
    elif filters.assigned == "none":
        rows = rows.filter(assignment__isnull=True)
    elif filters.assigned:
        rows = rows.filter(assignment__officer_id=int(filters.assigned))
    rows = rows.defer("document", "pending_input").order_by(*SORTS[filters.sort])  # type: ignore[arg-type]
    if audit:
        audit_record(
            actor=officer, action="customs.queue.read", object_type="office", object_id=office,
            # Dates as ISO text: the audit chain hashes canonical JSON.
            details={k: v.isoformat() if isinstance(v, dt.date) else v
                     for k, v in filters.__dict__.items() if v not in (None, "")},
        )
    return rows


def queue_entry(*, officer: User, declaration_id: Any) -> Declaration:
    """One declaration of the officer's office with the queue's columns (404 otherwise)."""
    require_officer(officer)
    try:
        return _annotated(declarations_visible_to(officer)).get(pk=declaration_id)
    except (Declaration.DoesNotExist, ValueError, TypeError, ValidationError) as exc:
        raise NotFound("Bəyannamə", "Declaration", id=str(declaration_id)) from exc
