"""Amendment after sending: the declarant edits a new version of a declaration customs holds,
sees the differences box by box, signs it (certificate CMS or Asan İmza, the same machinery as
the declaration's own signature, over the same kind of payload) and sends it as a request with
a reason; the holding office accepts or refuses it (``gomruk.customs.requests``), or the
superior body does so on a complaint (``gomruk.complaints``).

The working copy lives on the request (``AmendmentRequest.document``) while it is a draft, so
customs keeps working on the version it holds; only an accepted request changes the
declaration. Boxes 7, C and D are customs': whatever the declarant sends, the new version keeps
the held values (the registration number stays).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from gomruk.accounts.models import User
from gomruk.core.audit import audit_record
from gomruk.core.errors import NotFound
from gomruk.declarations.errors import ERRORS
from gomruk.declarations.lifecycle import Lifecycle, audited, trader_declaration
from gomruk.declarations.models import (
    AmendmentDecision,
    AmendmentKind,
    AmendmentRequest,
    AsanSigningRequest,
    DecisionOutcome,
    Declaration,
    DeclarationSignature,
    DeclarationVersion,
    RequestStatus,
    State,
)
from gomruk.declarations.pending import require_no_pending_request
from gomruk.declarations.portal_input import apply_input
from gomruk.declarations.request_errors import request_error
from gomruk.declarations.selectors import declaration_get
from gomruk.declarations.services import index_columns
from gomruk.declarations.signing import (
    SigningPayload,
    asan_signature,
    check_blocking,
    signature_store,
    stale_version,
    version_freeze,
)
from gomruk.declarations.states import AFTER_RELEASE
from gomruk.declarations.validation import SYSTEM_FIELDS  # boxes 7, C, D: never amended
from gomruk.declarations.versions import BoxChange, document_diff
from gomruk.document.model import Declaration as Document
from gomruk.duties.calculation import estimate_document
from gomruk.duties.difference import payments_difference
from gomruk.signatures.services import asan_poll, asan_start


def with_held_system_boxes(held: dict[str, Any], proposed: dict[str, Any]) -> dict[str, Any]:
    """``proposed`` with boxes 7, C and D as customs holds them."""
    document = dict(proposed)
    for name in SYSTEM_FIELDS:
        if held.get(name) is not None:
            document[name] = held[name]
        else:
            document.pop(name, None)
    return Document.model_validate(document).to_data()


def _find(declaration: Declaration, number: Any, *, lock: bool = False) -> AmendmentRequest:
    rows = AmendmentRequest.objects.filter(declaration=declaration)
    if lock:
        rows = rows.select_for_update()
    try:
        return rows.get(number=int(number))
    except (AmendmentRequest.DoesNotExist, ValueError, TypeError) as exc:
        raise request_error("amendment_not_found", status=404, number=str(number)[:20]) from exc


def amendment_locked(declaration: Declaration, number: Any) -> AmendmentRequest:
    """The request row locked for a decision (the caller locked the declaration)."""
    return _find(declaration, number, lock=True)


def _draft(declaration: Declaration, number: Any) -> AmendmentRequest:
    request = _find(declaration, number, lock=True)
    if request.status != RequestStatus.DRAFT:
        raise request_error("amendment_not_draft", number=request.number, request_status=request.status)
    return request


def _require_current_base(declaration: Declaration, request: AmendmentRequest) -> None:
    if request.base_version != declaration.version:
        raise request_error("amendment_stale", base=request.base_version, current=declaration.version)


# --- The declarant's side ---------------------------------------------------------------------


@audited("amendment.start")
def amendment_start(
    *, user: User, declaration_id: Any, document: Document | None = None, reason: str = ""
) -> AmendmentRequest:
    """A working copy of the version customs holds (or of ``document``), to be edited, signed
    and sent. One working copy at a time."""
    with transaction.atomic():
        declaration = trader_declaration(user, declaration_id)
        Lifecycle.check(declaration, "request_amendment")
        open_draft = AmendmentRequest.objects.filter(declaration=declaration, status=RequestStatus.DRAFT).first()
        if open_draft is not None:
            raise request_error("amendment_open", number=open_draft.number)
        latest = AmendmentRequest.objects.filter(declaration=declaration).aggregate(Max("number"))["number__max"]
        proposed = document.to_data() if document is not None else declaration.document
        request = AmendmentRequest.objects.create(
            declaration=declaration,
            number=(latest or 0) + 1,
            base_version=declaration.version,
            document=with_held_system_boxes(declaration.document, proposed),
            reason=reason.strip(),
            created_by=user,
        )
        audit_record(
            actor=user, action="declaration.amendment.start", object_type="declaration",
            object_id=str(declaration.pk),
            details={"amendment": request.number, "base_version": request.base_version},
        )
        return request


@audited("amendment.update")
def amendment_update(
    *,
    user: User,
    declaration_id: Any,
    number: Any,
    document: Document | None = None,
    reason: str | None = None,
    pending_input: dict[str, Any] | None = None,
) -> AmendmentRequest:
    """Change the working copy (the document, the reason, or both) while it is a draft."""
    with transaction.atomic():
        declaration = trader_declaration(user, declaration_id)
        request = _draft(declaration, number)
        if document is not None:
            request.document = with_held_system_boxes(declaration.document, document.to_data())
        if reason is not None:
            request.reason = reason.strip()
        if pending_input is not None:
            request.pending_input = pending_input
        request.save()
        audit_record(
            actor=user, action="declaration.amendment.update", object_type="declaration",
            object_id=str(declaration.pk),
            details={"amendment": request.number, "document": document is not None, "reason": reason is not None},
        )
        return request


@dataclass
class AmendmentInput:
    request: AmendmentRequest
    saved: list[str] = field(default_factory=list)
    pending: dict[str, dict[str, str]] = field(default_factory=dict)


def amendment_input_save(
    *, user: User, declaration_id: Any, number: Any, values: dict[str, str]
) -> AmendmentInput:
    """The portal's typed values written into the working copy (the same reading of each value
    as the draft editor's: nothing typed is lost)."""
    request = amendment_get(user=user, declaration_id=declaration_id, number=number)
    document, saved, pending = apply_input(request.document, values, request.pending_input or {})
    if document.to_data() != request.document or pending != (request.pending_input or {}):
        request = amendment_update(
            user=user, declaration_id=declaration_id, number=number, document=document, pending_input=pending
        )
    return AmendmentInput(request=request, saved=saved, pending=pending)


@audited("amendment.discard")
def amendment_discard(*, user: User, declaration_id: Any, number: Any) -> AmendmentRequest:
    with transaction.atomic():
        declaration = trader_declaration(user, declaration_id)
        request = _draft(declaration, number)
        request.status = RequestStatus.DISCARDED
        request.save(update_fields=["status", "updated_at"])
        audit_record(
            actor=user, action="declaration.amendment.discard", object_type="declaration",
            object_id=str(declaration.pk), details={"amendment": request.number},
        )
        return request


def _ready(user: User, declaration_id: Any, number: Any) -> tuple[Declaration, AmendmentRequest]:
    """The locked declaration and its draft request, which may be frozen and sent now."""
    declaration = trader_declaration(user, declaration_id)
    request = _draft(declaration, number)
    Lifecycle.check(declaration, "request_amendment")
    _require_current_base(declaration, request)
    if not document_diff(declaration.document, request.document):
        raise request_error("amendment_unchanged", status=422)
    _require_reason(request)
    return declaration, request


def _freeze(declaration: Declaration, request: AmendmentRequest, user: User) -> DeclarationVersion:
    frozen = version_freeze(declaration=declaration, document=request.document, user=user, reuse=request.version)
    if request.version_id != frozen.pk:
        request.version = frozen
        request.save(update_fields=["version", "updated_at"])
    return frozen


def _require_reason(request: AmendmentRequest) -> None:
    if not request.reason.strip():
        raise request_error("reason_required", status=422, field="reason")


@audited("amendment.signing_payload")
def amendment_signing_payload(*, user: User, declaration_id: Any, number: Any) -> SigningPayload:
    """The new version frozen: the exact bytes to sign (the declaration's payload format: the
    document, the attachment hashes, the declaration id and the new version number)."""
    with transaction.atomic():
        declaration, request = _ready(user, declaration_id, number)
        frozen = _freeze(declaration, request, user)
        check_blocking(declaration, frozen)
        audit_record(
            actor=user, action="declaration.amendment.freeze", object_type="declaration",
            object_id=str(declaration.pk),
            details={"amendment": request.number, "version": frozen.number, "payload_sha256": frozen.payload_sha256},
        )
        return SigningPayload(version=frozen.number, payload=bytes(frozen.payload), sha256=frozen.payload_sha256)


def _send(
    *, user: User, declaration: Declaration, request: AmendmentRequest, frozen: DeclarationVersion,
    signature: DeclarationSignature,
) -> AmendmentRequest:
    require_no_pending_request(declaration)
    changed = document_diff(declaration.document, frozen.document)
    request.status = RequestStatus.REQUESTED
    request.version = frozen
    request.signature = signature
    request.state_at_request = declaration.state
    request.requested_by = user
    request.requested_at = timezone.now()
    request.save()
    Lifecycle.record(
        declaration=declaration,
        action="request_amendment",
        actor=user,
        reason=request.reason,
        details={
            "amendment": request.number,
            "version": frozen.number,
            "base_version": request.base_version,
            "boxes": [{"box": c.box, "item": c.item} for c in changed],
            "provider": signature.provider,
            "payload_sha256": frozen.payload_sha256,
        },
    )
    return request


@audited("amendment.sign")
def amendment_sign(
    *, user: User, declaration_id: Any, number: Any, provider: str, signature: bytes, version: int | None = None
) -> AmendmentRequest:
    """Sign the new version with a certificate (detached CMS) and send the request."""
    if provider != DeclarationSignature.Provider.CERTIFICATE:
        raise ERRORS.error("unknown_provider", status=422, details={"provider": provider}, provider=provider)
    with transaction.atomic():
        declaration, request = _ready(user, declaration_id, number)
        require_no_pending_request(declaration)
        frozen = _freeze(declaration, request, user)
        if version is not None and version != frozen.number:
            raise stale_version(version, frozen.number)
        record = signature_store(
            user=user, declaration=declaration, frozen=frozen, provider=provider, signature=signature
        )
        return _send(user=user, declaration=declaration, request=request, frozen=frozen, signature=record)


@audited("amendment.sign.asan_start")
def amendment_sign_asan_start(
    *, user: User, declaration_id: Any, number: Any, phone_number: str, asan_user_id: str
) -> Any:
    with transaction.atomic():
        declaration, request = _ready(user, declaration_id, number)
        require_no_pending_request(declaration)
        frozen = _freeze(declaration, request, user)
        check_blocking(declaration, frozen)
        asan = asan_start(
            user=user, phone_number=phone_number, asan_user_id=asan_user_id, payload=bytes(frozen.payload),
            purpose="declaration.amend", object_id=str(request.pk),
        )
        AsanSigningRequest.objects.create(
            declaration=declaration, version_number=frozen.number, transaction_id=str(asan.id), user=user
        )
        audit_record(
            actor=user, action="declaration.amendment.sign.asan_start", object_type="declaration",
            object_id=str(declaration.pk),
            details={"amendment": request.number, "version": frozen.number, "transaction": str(asan.id)},
        )
        return asan


@dataclass(frozen=True)
class AmendmentSigningStatus:
    state: str
    transaction: Any
    request: AmendmentRequest


@audited("amendment.sign.asan_poll")
def amendment_sign_asan_poll(
    *, user: User, declaration_id: Any, number: Any, transaction_id: Any
) -> AmendmentSigningStatus:
    """Once the phone confirmed, the signature is verified and the request is sent."""
    with transaction.atomic():
        declaration = trader_declaration(user, declaration_id)
        request = _find(declaration, number, lock=True)
        started = AsanSigningRequest.objects.filter(declaration=declaration, transaction_id=str(transaction_id)).first()
        if started is None:
            raise NotFound("Asan İmza əməliyyatı", "Asan İmza transaction", id=str(transaction_id))
        asan = asan_poll(user=user, transaction_id=transaction_id)
        if asan.state != "confirmed":
            return AmendmentSigningStatus(state=asan.state, transaction=asan, request=request)
        if request.status != RequestStatus.DRAFT:
            # Confirmed and already sent (a repeated poll): nothing more to do.
            return AmendmentSigningStatus(state="signed", transaction=asan, request=request)
        declaration, request = _ready(user, declaration_id, number)
        frozen = _freeze(declaration, request, user)
        if frozen.number != started.version_number:
            raise stale_version(started.version_number, frozen.number)
        record = signature_store(
            user=user, declaration=declaration, frozen=frozen, provider="asan", signature=asan_signature(asan)
        )
        request = _send(user=user, declaration=declaration, request=request, frozen=frozen, signature=record)
        return AmendmentSigningStatus(state="signed", transaction=asan, request=request)


# --- Reads ------------------------------------------------------------------------------------


def amendment_get(*, user: User, declaration_id: Any, number: Any) -> AmendmentRequest:
    """One amendment of a declaration the caller may see; customs does not see the declarant's
    drafts."""
    declaration = declaration_get(user=user, declaration_id=declaration_id)
    request = _find(declaration, number)
    if getattr(user, "is_officer", False) and request.status in (RequestStatus.DRAFT, RequestStatus.DISCARDED):
        raise request_error("amendment_not_found", status=404, number=str(number)[:20])
    return request


def amendments_of(*, user: User, declaration: Declaration) -> list[AmendmentRequest]:
    rows = AmendmentRequest.objects.filter(declaration=declaration).order_by("number")
    if getattr(user, "is_officer", False):
        rows = rows.exclude(status__in=(RequestStatus.DRAFT, RequestStatus.DISCARDED))
    return list(rows.select_related("version", "signature"))


def amendment_changes(request: AmendmentRequest) -> list[BoxChange]:
    """The working copy (or the sent version) against what customs holds now — or, once
    decided, against the version it was based on."""
    declaration = request.declaration
    if request.status in (RequestStatus.DRAFT, RequestStatus.REQUESTED):
        return document_diff(declaration.document, request.document)
    base = DeclarationVersion.objects.filter(declaration=declaration, number=request.base_version).first()
    return document_diff(base.document if base else {}, request.document)


# --- Customs' answer (called by customs and, on a complaint, by the superior body) -------------


def amendment_decide(
    *,
    declaration: Declaration,
    request: AmendmentRequest,
    actor: User,
    office_code: str,
    accept: bool,
    reason: str = "",
    box_reasons: list[dict[str, Any]] | None = None,
    complaint: str | None = None,
) -> AmendmentDecision:
    """Accept (the new version becomes current, payments recomputed on the acceptance date and
    the difference of boxes 47 and B kept) or refuse (per-box reasons). The caller has locked
    ``declaration`` through its own scope. ``complaint``: the superior body reverses a refusal."""
    if request.status in (RequestStatus.DRAFT, RequestStatus.DISCARDED):
        # The declarant's working copy is its own: customs does not learn that it exists.
        raise request_error("amendment_not_found", status=404, number=request.number)
    reopening = complaint is not None and request.status == RequestStatus.REFUSED
    if request.status != RequestStatus.REQUESTED and not reopening:
        raise request_error("amendment_not_requested", number=request.number, request_status=request.status)
    details: dict[str, Any] = {"amendment": request.number}
    if complaint is not None:
        details["complaint"] = complaint
    if not accept:
        details["reasons"] = box_reasons or []
        event = Lifecycle.record(
            declaration=declaration, action="refuse_amendment", actor=actor, reason=reason, details=details
        )
        request.status = RequestStatus.REFUSED
        request.save(update_fields=["status", "updated_at"])
        return AmendmentDecision.objects.create(
            request=request, outcome=DecisionOutcome.REFUSED, kind=_kind(declaration.state), reason=reason,
            box_reasons=box_reasons or [], decided_by=actor, office_code=office_code, event=event,
        )
    _require_current_base(declaration, request)
    kind = _kind(declaration.state)
    action = "amend_after_release" if kind == AmendmentKind.POST_CLEARANCE else "amend"
    Lifecycle.check(declaration, action)
    frozen = request.version
    assert frozen is not None, "a requested amendment has a frozen version"
    held = declaration.document
    proposed = with_held_system_boxes(held, frozen.document)
    on = declaration.acceptance_date
    payments = payments_difference(
        estimate_document(Document.model_validate(held), on=on),
        estimate_document(Document.model_validate(proposed), on=on),
    )
    previous = declaration.version
    declaration.document = proposed
    declaration.version = frozen.number
    for name, value in index_columns(Document.model_validate(proposed)).items():
        setattr(declaration, name, value)
    declaration.save()
    details.update(
        {"kind": str(kind), "version": frozen.number, "previous_version": previous, "payments": payments["total"]}
    )
    if action == "amend":
        event = Lifecycle.record(declaration=declaration, action=action, actor=actor, reason=reason, details=details)
    else:
        event = Lifecycle.apply(declaration=declaration, action=action, actor=actor, reason=reason, details=details)
    request.status = RequestStatus.ACCEPTED
    request.save(update_fields=["status", "updated_at"])
    return AmendmentDecision.objects.create(
        request=request, outcome=DecisionOutcome.ACCEPTED, kind=kind, reason=reason, payments=payments,
        decided_by=actor, office_code=office_code, event=event,
    )


def _kind(state: str) -> AmendmentKind:
    if state in AFTER_RELEASE:
        return AmendmentKind.POST_CLEARANCE
    return AmendmentKind.REPLACEMENT if state == State.SENT else AmendmentKind.AMENDMENT
