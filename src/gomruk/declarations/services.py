"""Writes to declaration drafts, and the edit that turns a signed declaration back into one.
The other transitions live in ``signing.py``, ``submission.py`` and ``gomruk.customs``."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from pydantic import ValidationError

from gomruk.accounts.models import User
from gomruk.accounts.selectors import acting_voens
from gomruk.core import rawrows
from gomruk.core.audit import audit_record
from gomruk.core.errors import Bilingual, PermissionDenied
from gomruk.core.json_text import JSONText
from gomruk.declarations.errors import ERRORS
from gomruk.declarations.lifecycle import Lifecycle, require_trader
from gomruk.declarations.models import Declaration, State, StatusEvent
from gomruk.declarations.ownership import owner_named, ownership_check, parties_prefilled
from gomruk.declarations.selectors import declaration_get
from gomruk.declarations.signing import freeze_signable, judged_signable
from gomruk.declarations.states import Actor, can, state_label
from gomruk.document.model import Declaration as Document
from gomruk.document.schema_errors import schema_errors


def parse_document(data: dict[str, Any] | str | bytes) -> Document:
    """Read a document; a type error becomes the project's error with every bad field listed."""
    try:
        if isinstance(data, (str, bytes)):
            return Document.model_validate_json(data)
        return Document.model_validate(data)
    except ValidationError as exc:
        raise ERRORS.error(
            "invalid_document", status=422, details={"errors": [e.as_dict() for e in schema_errors(exc)]}
        ) from exc


def index_columns(document: Document) -> dict[str, Any]:
    return {
        "declaration_type": (document.declaration_type or "01")[:2],
        "direction": document.direction or "",
        "procedure": (document.procedure or "")[:2],
    }


def _choose_voen(user: User, voen: str | None, document: Document) -> str:
    """The VÖEN a new declaration is filed under: the one asked for, else the owner the
    document names, else the caller's only one."""
    allowed = acting_voens(user)
    named = owner_named(document)
    if not voen and named:
        if named not in allowed:
            ownership_check(user=user, document=document, trader_voen=named)  # refuses, naming the box
        return named
    if voen:
        if voen not in allowed:
            raise PermissionDenied(
                f"{voen} VÖEN-i adından bəyannamə vermək səlahiyyətiniz yoxdur.",
                f"You may not declare on behalf of VÖEN {voen}.",
                voen=voen,
            )
        return voen
    if len(allowed) == 1:
        return next(iter(allowed))
    raise ERRORS.error("voen_required", status=422, details={"allowed": sorted(allowed)})


def declaration_create(*, user: User, document: Document, voen: str | None = None) -> Declaration:
    return draft_create(user=user, document=document, voen=voen)[0]


@transaction.atomic
def draft_create(
    *, user: User, document: Document, voen: str | None = None, freeze: bool = False
) -> tuple[Declaration, Document]:
    """A new draft, and the document it stores (prefilled) as a model, for a caller that shows
    it: parsing back the dict it was just dumped to costs as much as the create (ADR 0030-parsed-once-per-request).
    ``freeze``: a whole document that broker software signs next is frozen at once if it is
    signable (:func:`~gomruk.declarations.signing.judged_signable`, ADR 0044)."""
    trader_voen = _choose_voen(user, voen, document)
    document, data = parties_prefilled(user=user, document=document, trader_voen=trader_voen)
    ownership_check(user=user, document=document, trader_voen=trader_voen)
    data = document.to_data() if data is None else data
    declaration = Declaration(created_by=user, trader_voen=trader_voen, **index_columns(document))
    signable = judged_signable(declaration=declaration, document=document, data=data) if freeze else None
    # A signable draft's row is written from the canonical JSON its version hashes.
    declaration.document = JSONText(data, signable.document_json.decode()) if signable else JSONText.encoded(data)
    rawrows.insert(declaration)
    declaration.document = data  # what the statement wrote, for whoever reads this instance
    frozen = (
        freeze_signable(declaration=declaration, document=document, data=data, signable=signable, user=user)
        if signable else None
    )
    audit_record(
        actor=user, action="declaration.create", object_type="declaration", object_id=declaration.pk,
        details={"frozen_version": frozen.number, "payload_sha256": frozen.payload_sha256} if frozen else None,
        with_rows=(StatusEvent(declaration=declaration, actor=user, from_state="", to_state=State.DRAFT),),
    )
    return declaration, document


@transaction.atomic
def declaration_update(
    *,
    user: User,
    declaration_id: Any,
    document: Document,
    pending_input: dict[str, Any] | None = None,
) -> Declaration:
    """Replace the draft's document. Editing a signed or confirmed declaration is the
    lifecycle's business (it makes a new draft version and drops the signature)."""
    declaration = declaration_get(user=user, declaration_id=declaration_id)
    declaration = Declaration.objects.select_for_update().get(pk=declaration.pk)
    ownership_check(user=user, document=document, trader_voen=declaration.trader_voen)
    if not can("update", declaration.state, Actor.TRADER):
        return declaration_edit_after_signing(
            user=user, declaration=declaration, document=document, pending_input=pending_input
        )
    declaration.document = document.to_data()
    if pending_input is not None:
        declaration.pending_input = pending_input
    for name, value in index_columns(document).items():
        setattr(declaration, name, value)
    declaration.save()
    audit_record(actor=user, action="declaration.update", object_type="declaration", object_id=declaration.pk)
    return declaration


def declaration_edit_after_signing(
    *, user: User, declaration: Declaration, document: Document, pending_input: dict[str, Any] | None
) -> Declaration:
    """Called by :func:`declaration_update` (inside its transaction, row locked) and by the
    attachments when the declaration is no longer a plain draft: a new draft version, the
    signature no longer counts."""
    require_trader(user, declaration)
    if not can("edit", declaration.state, Actor.TRADER):
        raise ERRORS.error(
            "not_editable", status=409, details={"state": declaration.state},
            state=Bilingual(*state_label(declaration.state)),
        )
    previous = declaration.version
    declaration.version = previous + 1
    declaration.document = document.to_data()
    if pending_input is not None:
        declaration.pending_input = pending_input
    for name, value in index_columns(document).items():
        setattr(declaration, name, value)
    Lifecycle.apply(
        declaration=declaration, action="edit", actor=user,
        details={"previous_version": previous, "version": declaration.version, "signature_dropped": True},
    )
    return declaration


def declaration_document(declaration: Declaration) -> Document:
    return Document.model_validate(declaration.document)
