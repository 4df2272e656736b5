"""Test helpers: an amendment prepared, signed and sent through the real services."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import Any

from gomruk.declarations import amendments
from gomruk.document.model import Declaration as Document
from gomruk.duties.calculation import estimate_document


def recomputed(document: dict[str, Any], on: Any) -> Document:
    """The document with its payment boxes (12, 22, 45, 46, 47, B) filled by the calculation,
    as a declarant's software (or the portal's summary) would before signing."""
    parsed = Document.model_validate(document)
    return estimate_document(parsed, on=on).apply_to(parsed)


def request_amendment(
    journey: Any,
    declaration: Any,
    change: Callable[[dict[str, Any]], None],
    *,
    reason: str = "Faktura dəyəri səhv yazılıb",
    by: str = "deklarant",
    recompute: bool = False,
) -> Any:
    """Start a working copy, apply ``change`` to it, sign it with ``by``'s certificate, send."""
    user = journey.users[by]
    request = amendments.amendment_start(user=user, declaration_id=declaration.pk, reason=reason)
    document = request.document
    change(document)
    parsed = recomputed(document, declaration.acceptance_date) if recompute else Document.model_validate(document)
    amendments.amendment_update(user=user, declaration_id=declaration.pk, number=request.number, document=parsed)
    frozen = amendments.amendment_signing_payload(user=user, declaration_id=declaration.pk, number=request.number)
    return amendments.amendment_sign(
        user=user, declaration_id=declaration.pk, number=request.number, provider="certificate",
        signature=journey.pki.sign(by, frozen.payload), version=frozen.version,
    )


def set_gross_mass(value: str, item: int = 1) -> Callable[[dict[str, Any]], None]:
    def change(document: dict[str, Any]) -> None:
        document["goods"][item - 1]["gross_mass"] = value

    return change


def set_invoice_value(value: str, item: int = 1) -> Callable[[dict[str, Any]], None]:
    def change(document: dict[str, Any]) -> None:
        document["goods"][item - 1]["invoice_value"] = value

    return change


def money(value: Any) -> Decimal:
    return Decimal(str(value)).quantize(Decimal("0.01"))
