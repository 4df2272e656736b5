"""The rules engine run on a declaration with every fact the database knows.

The engine is pure: what lies outside the document (rates, earlier declarations, the
declarant's AEO status, the duty calculation) comes in a ``ValidationContext``. This module
builds that context once, for every caller: the signing step, the editor's section checks,
the officer's validation report and the API's validate endpoint.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from decimal import Decimal
from typing import Any

from django.utils import timezone

from gomruk.accounts.models import Trader
from gomruk.declarations.models import Declaration
from gomruk.document.model import Declaration as Document
from gomruk.duties.calculation import estimate_document
from gomruk.duties.rates import rate_for
from gomruk.reference.snapshot import current_reference
from gomruk.rules.base import KnownDeclaration, ValidationContext
from gomruk.rules.engine import validate

# Once a declaration has a number, boxes 7, C and D hold what the system and customs wrote.
SYSTEM_FIELDS = ("registration_number", "customs_notes", "customs_control")


def _referenced_numbers(document: Document) -> set[str]:
    numbers = {p.number for p in document.previous_declarations}
    numbers |= {row.number for row in document.incomplete_declarations}
    for item in document.goods:
        numbers |= {p.number for p in item.previous_documents}
    return {n for n in numbers if n}


def _known_declarations(document: Document) -> dict[str, Any]:
    numbers = _referenced_numbers(document)
    if not numbers:
        return {}
    rows = Declaration.objects.filter(registration_number__in=numbers).only(
        "registration_number", "trader_voen", "declaration_type", "direction", "procedure", "acceptance_date"
    )
    return {
        row.registration_number: KnownDeclaration(
            number=row.registration_number,
            trader_voen=row.trader_voen,
            declaration_type=row.declaration_type,
            direction=row.direction,
            procedure=row.procedure,
            date=row.acceptance_date,
        )
        for row in rows
        if row.registration_number
    }


def _exchange_rate(currency: str, on: date) -> Decimal | None:
    quote = rate_for(currency, on)
    return quote.rate if quote else None


def validation_context(
    *,
    document: Document,
    trader_voen: str | None,
    acceptance_date: date | None = None,
    signing: bool = False,
    customs_view: bool = False,
) -> Any:
    today = timezone.localdate()
    trader = Trader.objects.filter(voen=trader_voen).only("is_aeo").first() if trader_voen else None
    return ValidationContext(
        acceptance_date=acceptance_date,
        signing_date=today if signing else None,
        declarant_voen=trader_voen,
        declarant_is_aeo=trader.is_aeo if trader else None,
        known_declarations=_known_declarations(document),
        exchange_rate=_exchange_rate,
        customs_view=customs_view,
        calculation=estimate_document(document, on=acceptance_date),
    )


def document_errors(
    *,
    document: Document,
    trader_voen: str | None = None,
    acceptance_date: date | None = None,
    boxes: Iterable[str] | None = None,
    signing: bool = False,
    customs_view: bool = False,
) -> list[Any]:
    context = validation_context(
        document=document,
        trader_voen=trader_voen,
        acceptance_date=acceptance_date,
        signing=signing,
        customs_view=customs_view,
    )
    return validate(
        document,
        reference=current_reference(),
        on=acceptance_date or timezone.localdate(),
        context=context,
        boxes=set(boxes) if boxes is not None else None,
    )


def declaration_errors(
    *,
    declaration: Declaration,
    document: dict[str, Any] | None = None,
    boxes: Iterable[str] | None = None,
    signing: bool = False,
    customs_view: bool = False,
) -> list[Any]:
    """Rule errors of a stored declaration's document (all boxes, or the given ones)."""
    data = dict(document if document is not None else declaration.document)
    if declaration.registration_number and not customs_view:
        data = {k: v for k, v in data.items() if k not in SYSTEM_FIELDS}
    return document_errors(
        document=Document.model_validate(data),
        trader_voen=declaration.trader_voen,
        acceptance_date=declaration.acceptance_date,
        boxes=boxes,
        signing=signing,
        customs_view=customs_view,
    )
