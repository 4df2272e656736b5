"""The customs officer's work on a declaration sent to their office.

Each service locks the declaration through the officer's scope (their office, states customs
can see), then goes through the declarations' :class:`Lifecycle`, so the state check, the
status event and the audit entry are the same as on the declarant's side.
"""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone
from pydantic import ValidationError

from gomruk.accounts.models import User
from gomruk.accounts.selectors import officer_office
from gomruk.core.audit import audit_record
from gomruk.core.errors import PermissionDenied
from gomruk.core.hooks import call_hooks
from gomruk.core.i18n import pick
from gomruk.customs.errors import ERRORS
from gomruk.customs.models import (
    Channel,
    ChannelAssignment,
    ControlRecord,
    Registration,
    ReturnReason,
)
from gomruk.customs.rates import rate_on
from gomruk.declarations.lifecycle import Lifecycle, audited, lock_declaration
from gomruk.declarations.models import Declaration, State
from gomruk.declarations.pending import require_no_pending_request
from gomruk.declarations.selectors import declarations_visible_to
from gomruk.document.model import CustomsControl, GoodsItem
from gomruk.document.model import Declaration as Document
from gomruk.document.schema_messages import schema_message
from gomruk.document.shape import boxes_of
from gomruk.reference.codes import USD

CONTROL_STATES = (State.REGISTERED, State.UNDER_CONTROL)


def require_officer(officer: Any) -> str:
    office = officer_office(officer)
    if office is None:
        raise PermissionDenied(
            "Bu əməliyyatı yalnız gömrük orqanının əməkdaşı edə bilər.",
            "Only an officer of a customs office may do this.",
        )
    return office


def officer_declaration(officer: Any, declaration_id: Any) -> Declaration:
    require_officer(officer)
    return lock_declaration(declarations_visible_to(officer), declaration_id)


def required_text(value: str | None, field: str) -> str:
    text = (value or "").strip()
    if not text:
        raise ERRORS.error("reason_required", status=422, details={"field": field})
    return text


# --- Registration ----------------------------------------------------------------------------


def _declared(value: Any) -> Decimal | None:
    """The declared rate as stored next to the fixed one (6 places, like the column)."""
    if value in (None, ""):
        return None
    try:
        declared = Decimal(str(value)).quantize(Decimal("0.000001"))
    except (ArithmeticError, ValueError):
        return None
    return declared if declared.adjusted() < 12 else None


def _declared_total(document: dict[str, Any]) -> Decimal | None:
    """Box B total of the document (payments assessed), if it reads as an amount."""
    total = _declared((document.get("accounting") or {}).get("total"))
    return total.quantize(Decimal("0.01")) if total is not None else None


def _fix_rates(document: dict[str, Any], on: date) -> tuple[dict[str, Any], dict[str, Any]]:
    """Box A USD rate and box 23 from the rates table on the acceptance date; a rate the table
    does not have is left as declared and reported in ``note``."""
    office = dict(document.get("office_of_dispatch") or {})
    currency = str(document.get("invoice_currency") or "")
    facts: dict[str, Any] = {
        "usd_rate_declared": _declared(office.get("usd_rate")),
        "currency": currency[:3],
        "currency_rate_declared": _declared(document.get("exchange_rate")),
    }
    missing: list[str] = []
    usd = rate_on(USD, on)
    if usd is not None:
        office["usd_rate"], office["usd_rate_date"] = str(usd[0]), usd[1].isoformat()
        document["office_of_dispatch"] = office
        facts.update(usd_rate=usd[0], usd_rate_date=usd[1], usd_rate_fixed=True)
    else:
        missing.append(f"USD (A) {on.isoformat()}")
    if currency:
        quote = rate_on(currency, on)
        if quote is not None:
            document["exchange_rate"] = str(quote[0])
            facts.update(currency_rate=quote[0], currency_rate_date=quote[1], currency_rate_fixed=True)
        else:
            missing.append(f"{currency} (23) {on.isoformat()}")
    if missing:
        facts["note"] = "No rate in the rates table, declared value kept: " + "; ".join(missing)
    return document, facts


@audited("register")
def declaration_register(*, officer: User, declaration_id: Any) -> Declaration:
    """Take a sent declaration into clearance: the acceptance date is today and the rates of
    boxes A and 23 are fixed on that date."""
    with transaction.atomic():
        declaration = officer_declaration(officer, declaration_id)
        Lifecycle.check(declaration, "register")
        today = timezone.localdate()
        document, facts = _fix_rates(dict(declaration.document), today)
        declaration.document = Document.model_validate(document).to_data()
        declaration.acceptance_date = today
        registration = Registration.objects.create(
            declaration=declaration,
            officer=officer,
            office_code=declaration.office_code,
            registration_number=declaration.registration_number or "",
            acceptance_date=today,
            payments_assessed=_declared_total(declaration.document),
            **facts,
        )
        Lifecycle.apply(
            declaration=declaration,
            action="register",
            actor=officer,
            details={
                "acceptance_date": today.isoformat(),
                "usd_rate_fixed": registration.usd_rate_fixed,
                "currency_rate_fixed": registration.currency_rate_fixed,
                "note": registration.note,
            },
        )
        # The selectivity engine (an app above customs) scores the registration in this
        # transaction: a declaration is never registered without its assessment.
        call_hooks("customs.registered", declaration=declaration, registration=registration, officer=officer)
        return declaration


# --- Control ---------------------------------------------------------------------------------


#: Hook points (``core.hooks``, listed in ``settings.GOMRUK_HOOKS``), called in the transaction
#: that wrote the rows: a channel assignment was recorded (``declaration=``, ``assignment=``) —
#: by the officer or by a complaint's decision; return reasons were recorded
#: (``declaration=``, ``event=``, ``reasons=``). The dashboards' summaries count them.
CHANNEL_RECORDED = "customs.channel_recorded"
RETURNED = "customs.returned"


def record_channel(*, declaration: Declaration, channel: str, reason: str, officer: User) -> ChannelAssignment:
    """Every channel assignment is written here, so the apps that follow channels see each one."""
    assignment = ChannelAssignment.objects.create(declaration=declaration, channel=channel, reason=reason,
                                                  officer=officer)
    call_hooks(CHANNEL_RECORDED, declaration=declaration, assignment=assignment)
    return assignment


@audited("assign_channel")
def declaration_assign_channel(*, officer: User, declaration_id: Any, channel: str, reason: str) -> Declaration:
    if channel not in Channel.values:
        raise ERRORS.error(
            "unknown_channel", status=422, details={"channel": channel, "allowed": list(Channel.values)}, channel=channel
        )
    reason = required_text(reason, "reason")
    with transaction.atomic():
        declaration = officer_declaration(officer, declaration_id)
        Lifecycle.check(declaration, "assign_channel")
        record_channel(declaration=declaration, channel=channel, reason=reason, officer=officer)
        # The reason stays with customs (the assignment and the audit entry): the status event
        # is what the trader reads, and why a declaration was selected is never shown to it.
        Lifecycle.apply(
            declaration=declaration, action="assign_channel", actor=officer, details={"channel": channel},
        )
        audit_record(actor=officer, action="customs.channel.reason", object_type="declaration",
                     object_id=str(declaration.pk), details={"channel": channel, "reason": reason})
        call_hooks("customs.channel_assigned", declaration=declaration, officer=officer, channel=channel, reason=reason)
        return declaration


def _merge_box_d(current: dict[str, Any] | None, given: dict[str, Any], officer: User) -> dict[str, Any]:
    merged = {**(current or {}), **given}
    # Box D carries the controlling officer and the date, like the stamp on paper.
    merged.setdefault("officer", officer.get_full_name() or officer.get_username())
    merged.setdefault("date", timezone.localdate().isoformat())
    try:
        return CustomsControl.model_validate(merged).model_dump(mode="json", exclude_none=True)
    except ValidationError as exc:
        raise ERRORS.error(
            "invalid_box_d", status=422,
            details={"errors": [{"field": ".".join(map(str, e["loc"])), "message": pick(*schema_message(e))}
                                for e in exc.errors()]},
        ) from exc


@audited("record_control")
def declaration_record_control(
    *, officer: User, declaration_id: Any, box_c: str | None, box_d: dict[str, Any]
) -> Declaration:
    """Fill boxes C (technological notes) and D (control results). Only given values change."""
    if box_c is None and not box_d:
        raise ERRORS.error("nothing_to_record", status=422)
    with transaction.atomic():
        declaration = officer_declaration(officer, declaration_id)
        Lifecycle.require_state(declaration, "record_control", CONTROL_STATES)
        document = dict(declaration.document)
        if box_c is not None:
            document["customs_notes"] = box_c.strip() or None
        if box_d:
            document["customs_control"] = _merge_box_d(document.get("customs_control"), box_d, officer)
        declaration.document = Document.model_validate(document).to_data()
        declaration.save(update_fields=["document", "updated_at"])
        ControlRecord.objects.create(
            declaration=declaration, box_c=box_c or "", box_d=document.get("customs_control") or {}, officer=officer
        )
        audit_record(
            actor=officer, action="declaration.record_control", object_type="declaration",
            object_id=str(declaration.pk), details={"box_c": box_c is not None, "box_d": sorted(box_d)},
        )
        return declaration


# --- Decisions -------------------------------------------------------------------------------


@audited("release")
def declaration_release(*, officer: User, declaration_id: Any, reason: str = "") -> Declaration:
    with transaction.atomic():
        declaration = officer_declaration(officer, declaration_id)
        require_no_pending_request(declaration)
        Lifecycle.apply(declaration=declaration, action="release", actor=officer, reason=reason.strip())
        return declaration


@audited("refuse")
def declaration_refuse(*, officer: User, declaration_id: Any, reason: str) -> Declaration:
    reason = required_text(reason, "reason")
    with transaction.atomic():
        declaration = officer_declaration(officer, declaration_id)
        require_no_pending_request(declaration)
        Lifecycle.apply(declaration=declaration, action="refuse", actor=officer, reason=reason)
        return declaration


def _boxes() -> tuple[frozenset[str], frozenset[str]]:
    """Box ids of the form (header, goods item), as the document model assigns its fields."""
    return boxes_of(Document), boxes_of(GoodsItem)


_REASON_KEY = re.compile(r"^\s*([0-9]{1,2}[a-z]?|[A-D])\s*(?:/\s*([0-9]{1,4}))?\s*$", re.IGNORECASE)


def parse_reason_key(key: str, goods_count: int) -> tuple[str, int | None]:
    """"33" → box 33; "33/2" → box 33 of goods item 2; "a" → box A."""
    header, item_boxes = _boxes()
    match = _REASON_KEY.match(str(key))
    box = item = None
    if match:
        box = match.group(1).upper() if match.group(1).isalpha() else match.group(1).lower()
        item = int(match.group(2)) if match.group(2) else None
    valid = (
        box is not None
        and (box in header or box in item_boxes)
        and (item is None or (box in item_boxes and 1 <= item <= goods_count))
    )
    if not valid or box is None:
        raise ERRORS.error("unknown_box", status=422, details={"key": str(key)}, key=key)
    return box, item


@audited("return")
def declaration_return(
    *, officer: User, declaration_id: Any, reasons: dict[str, str], reason: str = ""
) -> Declaration:
    """Return for correction with a reason per box; the declarant sees each next to its box
    and any edit makes a new draft version."""
    if not reasons:
        raise ERRORS.error("reasons_required", status=422)
    with transaction.atomic():
        declaration = officer_declaration(officer, declaration_id)
        require_no_pending_request(declaration)
        goods_count = len(declaration.document.get("goods") or [])
        parsed = [
            (*parse_reason_key(key, goods_count), required_text(text, str(key))) for key, text in reasons.items()
        ]
        event = Lifecycle.apply(
            declaration=declaration,
            action="return",
            actor=officer,
            reason=reason.strip(),
            details={"reasons": [{"box": b, "item": i, "text": t} for b, i, t in parsed]},
        )
        recorded = ReturnReason.objects.bulk_create(
            [
                ReturnReason(declaration=declaration, event=event, box=b, item=i, text=t, officer=officer)
                for b, i, t in parsed
            ]
        )
        call_hooks(RETURNED, declaration=declaration, event=event, reasons=recorded)
        return declaration
