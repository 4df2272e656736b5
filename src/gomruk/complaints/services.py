"""The trader's side of a complaint: prepare it against one decision (grounds, attachments),
sign it (certificate CMS or Asan İmza, verified by the signatures app like a declaration's
signature) and so lodge it with the superior body, which must answer by the deadline.

What is signed (:func:`complaint_payload`): the canonical JSON (RFC 8785) of the complaint's id,
the declaration, the contested decision, the grounds and each attachment's SHA-256 — so a
signature can be replayed on no other complaint and covers the files as they are stored.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import Any

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from gomruk.accounts.models import User
from gomruk.complaints.deadlines import deadline_for
from gomruk.complaints.errors import ERRORS, complaint_error
from gomruk.complaints.models import (
    Complaint,
    ComplaintAsanRequest,
    ComplaintAttachment,
    ComplaintEvent,
    ComplaintSignature,
    ComplaintState,
)
from gomruk.complaints.selectors import complaint_get
from gomruk.complaints.states import STEP, can, contested_decision
from gomruk.core.audit import audit_record
from gomruk.core.canonical import canonical_json, sha256_hex
from gomruk.core.errors import NotFound
from gomruk.declarations.attachments import clean_filename, read_upload, sniff_type
from gomruk.declarations.lifecycle import Lifecycle, audited, trader_declaration
from gomruk.declarations.models import Declaration, StatusEvent
from gomruk.declarations.signing import asan_signature
from gomruk.declarations.states import Actor
from gomruk.reference.offices import superior_office
from gomruk.signatures.services import asan_poll, asan_start, signature_verify, signer_authorise

MAX_ATTACHMENTS = 10
MAX_GROUNDS = 20_000


def _grounds(text: str | None) -> str:
    grounds = (text or "").strip()
    if not grounds:
        raise complaint_error("grounds_required", status=422, field="grounds")
    return grounds[:MAX_GROUNDS]


def _decision_event(declaration: Declaration, event_id: Any) -> StatusEvent:
    try:
        return StatusEvent.objects.select_related("actor").get(declaration=declaration, pk=int(event_id))
    except (StatusEvent.DoesNotExist, ValueError, TypeError) as exc:
        raise complaint_error("decision_not_found", status=404, decision=str(event_id)[:40]) from exc


@audited("complaint.create")
def complaint_create(*, user: User, declaration_id: Any, event_id: Any, grounds: str) -> Complaint:
    """A draft complaint against the decision recorded by status event ``event_id``, routed to
    the superior body of the office that took it."""
    grounds = _grounds(grounds)
    with transaction.atomic():
        declaration = trader_declaration(user, declaration_id)
        Lifecycle.check(declaration, "complain")
        event = _decision_event(declaration, event_id)
        decision = contested_decision(event)
        if decision is None:
            raise complaint_error("not_a_decision", status=422, decision=event.pk)
        deciding_office = getattr(event.actor, "office_code", "") or declaration.office_code
        reviewing_office = superior_office(deciding_office)
        if reviewing_office is None:
            raise complaint_error("no_superior_body", status=422, office=deciding_office)
        if Complaint.objects.filter(event=event).exclude(state=ComplaintState.DISCARDED).exists():
            raise complaint_error("complaint_exists", decision=event.pk)
        complaint = Complaint.objects.create(
            declaration=declaration,
            trader_voen=declaration.trader_voen,
            event=event,
            decision=decision,
            deciding_office=deciding_office,
            deciding_officer=event.actor if getattr(event.actor, "is_officer", False) else None,
            reviewing_office=reviewing_office,
            grounds=grounds,
            created_by=user,
        )
        audit_record(
            actor=user, action="complaint.create", object_type="complaint", object_id=str(complaint.pk),
            details={"declaration": str(declaration.pk), "decision": decision, "event": event.pk,
                     "reviewing_office": reviewing_office},
        )
        return complaint


def _draft(user: User, complaint_id: Any) -> tuple[Declaration, Complaint]:
    """The locked declaration and the complaint, which must still be the trader's draft."""
    visible = complaint_get(user=user, complaint_id=complaint_id)
    declaration = trader_declaration(user, visible.declaration_id)
    complaint = Complaint.objects.select_for_update().get(pk=visible.pk)
    if complaint.state != ComplaintState.DRAFT:
        raise complaint_error("complaint_not_draft", state=complaint.state)
    return declaration, complaint


@audited("attach", object_type="complaint", id_arg="complaint_id")
def complaint_attach(*, user: User, complaint_id: Any, upload: Any) -> ComplaintAttachment:
    """A supporting document (PDF, JPEG or PNG, checked by content, ≤ 10 MB) for a draft."""
    with transaction.atomic():
        _declaration, complaint = _draft(user, complaint_id)
        if complaint.attachments.count() >= MAX_ATTACHMENTS:
            raise complaint_error("too_many_attachments", status=422, limit=MAX_ATTACHMENTS)
        content = read_upload(upload)
        media_type = sniff_type(content[:16])
        if not content or media_type is None:
            raise ERRORS.error("attachment_type", status=415)
        digest = hashlib.sha256(content).hexdigest()
        attachment = ComplaintAttachment(
            complaint=complaint, filename=clean_filename(getattr(upload, "name", None)), content_type=media_type,
            size=len(content), sha256=digest, uploaded_by=user,
        )
        attachment.file.save(digest, ContentFile(content), save=False)
        attachment.save()
        audit_record(
            actor=user, action="complaint.attach", object_type="complaint", object_id=str(complaint.pk),
            details={"attachment": str(attachment.pk), "sha256": digest, "size": len(content), "type": media_type},
        )
        return attachment


def complaint_payload(complaint: Complaint) -> bytes:
    """The exact bytes the trader signs. Attachment hashes are recomputed from the stored
    files, so a file changed on disk cannot be signed."""
    attachments = []
    for attachment in complaint.attachments.order_by("uploaded_at", "id"):
        with attachment.file.open("rb") as handle:
            digest = hashlib.sha256(handle.read()).hexdigest()
        if digest != attachment.sha256:
            raise ERRORS.error(
                "attachment_corrupt", status=409, details={"attachment": str(attachment.pk)},
                filename=attachment.filename,
            )
        attachments.append({"id": str(attachment.pk), "filename": attachment.filename, "sha256": digest})
    event = complaint.event
    return canonical_json(
        {
            "complaint": str(complaint.pk),
            "declaration_id": str(complaint.declaration_id),
            "registration_number": complaint.declaration.registration_number,
            "decision": {"kind": complaint.decision, "event": event.pk, "at": event.at.isoformat()},
            "reviewing_office": complaint.reviewing_office,
            "grounds": complaint.grounds,
            "attachments": attachments,
        }
    )


@dataclass(frozen=True)
class ComplaintPayload:
    payload: bytes
    sha256: str


@audited("signing_payload", object_type="complaint", id_arg="complaint_id")
def complaint_signing_payload(*, user: User, complaint_id: Any) -> ComplaintPayload:
    with transaction.atomic():
        _declaration, complaint = _draft(user, complaint_id)
        payload = complaint_payload(complaint)
        return ComplaintPayload(payload=payload, sha256=sha256_hex(payload))


def _lodge(*, user: User, declaration: Declaration, complaint: Complaint, payload: bytes, signature: Any, provider: str) -> Complaint:
    """Verify the signature over ``payload``, keep it, and lodge the complaint: its deadline
    runs from today under the time limit in force today."""
    verified = signature_verify(payload=payload, signature=signature, provider=provider)
    signer_authorise(verified=verified, user=user, voen=declaration.trader_voen)
    digest = sha256_hex(payload)
    ComplaintSignature.objects.create(
        complaint=complaint, provider=provider, signer_name=verified.signer_name or "",
        certificate_serial=str(verified.certificate_serial), certificate_sha256=verified.certificate_sha256,
        voen=verified.voen or "", fin=verified.fin or "", signed_at=verified.signed_at,
        signature_der=verified.signature_der or signature, payload_sha256=digest, user=user,
    )
    now = timezone.now()
    deadline, limit = deadline_for(timezone.localdate(now))
    complaint.state = STEP["lodge"].target
    complaint.lodged_by, complaint.lodged_at = user, now
    complaint.deadline, complaint.time_limit = deadline, limit.data()
    complaint.payload, complaint.payload_sha256 = payload, digest
    complaint.save()
    ComplaintEvent.objects.create(
        complaint=complaint, actor=user, from_state=ComplaintState.DRAFT, to_state=complaint.state,
        details={"deadline": deadline.isoformat(), "payload_sha256": digest, "provider": provider},
    )
    Lifecycle.record(
        declaration=declaration, action="complain", actor=user, reason=complaint.grounds[:500],
        details={"complaint": str(complaint.pk), "decision": complaint.decision, "event": complaint.event_id,
                 "reviewing_office": complaint.reviewing_office, "deadline": deadline.isoformat()},
    )
    audit_record(
        actor=user, action="complaint.lodge", object_type="complaint", object_id=str(complaint.pk),
        details={"declaration": str(declaration.pk), "reviewing_office": complaint.reviewing_office,
                 "deadline": deadline.isoformat(), "payload_sha256": digest, "provider": provider},
    )
    return complaint


@audited("lodge", object_type="complaint", id_arg="complaint_id")
def complaint_sign(*, user: User, complaint_id: Any, signature: bytes, provider: str = "certificate") -> Complaint:
    """Lodge the complaint with a certificate's detached CMS signature over its payload."""
    if provider != "certificate":
        raise ERRORS.error("unknown_provider", status=422, details={"provider": provider}, provider=provider)
    with transaction.atomic():
        declaration, complaint = _draft(user, complaint_id)
        Lifecycle.check(declaration, "complain")
        return _lodge(
            user=user, declaration=declaration, complaint=complaint, payload=complaint_payload(complaint),
            signature=signature, provider=provider,
        )


@audited("lodge.asan_start", object_type="complaint", id_arg="complaint_id")
def complaint_sign_asan_start(*, user: User, complaint_id: Any, phone_number: str, asan_user_id: str) -> Any:
    with transaction.atomic():
        declaration, complaint = _draft(user, complaint_id)
        Lifecycle.check(declaration, "complain")
        payload = complaint_payload(complaint)
        asan = asan_start(
            user=user, phone_number=phone_number, asan_user_id=asan_user_id, payload=payload,
            purpose="complaint.lodge", object_id=str(complaint.pk),
        )
        ComplaintAsanRequest.objects.create(
            complaint=complaint, transaction_id=str(asan.id), payload_sha256=sha256_hex(payload), user=user
        )
        audit_record(
            actor=user, action="complaint.lodge.asan_start", object_type="complaint", object_id=str(complaint.pk),
            details={"transaction": str(asan.id)},
        )
        return asan


@dataclass(frozen=True)
class ComplaintSigningStatus:
    state: str
    transaction: Any
    complaint: Complaint


@audited("lodge.asan_poll", object_type="complaint", id_arg="complaint_id")
def complaint_sign_asan_poll(*, user: User, complaint_id: Any, transaction_id: Any) -> ComplaintSigningStatus:
    with transaction.atomic():
        visible = complaint_get(user=user, complaint_id=complaint_id)
        declaration = trader_declaration(user, visible.declaration_id)
        complaint = Complaint.objects.select_for_update().get(pk=visible.pk)
        started = ComplaintAsanRequest.objects.filter(complaint=complaint, transaction_id=str(transaction_id)).first()
        if started is None:
            raise NotFound("Asan İmza əməliyyatı", "Asan İmza transaction", id=str(transaction_id))
        asan = asan_poll(user=user, transaction_id=transaction_id)
        if asan.state != "confirmed":
            return ComplaintSigningStatus(state=asan.state, transaction=asan, complaint=complaint)
        if complaint.state != ComplaintState.DRAFT:
            return ComplaintSigningStatus(state="signed", transaction=asan, complaint=complaint)
        payload = complaint_payload(complaint)
        if sha256_hex(payload) != started.payload_sha256:
            raise complaint_error("complaint_not_draft", state="changed")
        complaint = _lodge(
            user=user, declaration=declaration, complaint=complaint, payload=payload,
            signature=asan_signature(asan), provider="asan",
        )
        return ComplaintSigningStatus(state="signed", transaction=asan, complaint=complaint)


@audited("discard", object_type="complaint", id_arg="complaint_id")
def complaint_discard(*, user: User, complaint_id: Any) -> Complaint:
    with transaction.atomic():
        _declaration, complaint = _draft(user, complaint_id)
        if not can("discard", complaint.state, Actor.TRADER):
            raise complaint_error("complaint_step_not_allowed", step="discard", state=complaint.state)
        complaint.state = STEP["discard"].target
        complaint.save(update_fields=["state", "updated_at"])
        ComplaintEvent.objects.create(
            complaint=complaint, actor=user, from_state=ComplaintState.DRAFT, to_state=complaint.state
        )
        audit_record(actor=user, action="complaint.discard", object_type="complaint", object_id=str(complaint.pk))
        return complaint
