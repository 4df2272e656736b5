"""The declaration's lifecycle: one state machine and the declarant's transitions.

```
draft ─sign─► signed ─confirm─► confirmed ─send─► sent ─register─► registered
registered ─assign_channel─► under_control ─► released | refused | returned
signed | confirmed | returned ─edit─► draft (new version, signature dropped)
draft | signed | confirmed | sent ─withdraw─► withdrawn
```

Every transition goes through :meth:`Lifecycle.apply`, which checks the state, writes the
immutable :class:`StatusEvent` and the audit entry, and sends :data:`declaration_transitioned`,
all inside the caller's transaction. The customs side's services live in ``gomruk.customs``
and use the same machine.

What is signed is :func:`signing_payload`: the canonical JSON (RFC 8785) of the frozen
document, the SHA-256 of every attachment, the declaration id and the version number, so a
signature can be replayed neither on another declaration nor on another version.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum
from functools import wraps
from typing import Any, ParamSpec, TypeVar

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import transaction
from django.dispatch import Signal
from django.utils import timezone, translation

from gomruk.accounts.models import Role, User
from gomruk.accounts.selectors import may_act_for, own_voens
from gomruk.core.audit import audit_record
from gomruk.core.canonical import canonical_json, sha256_hex
from gomruk.core.errors import GomrukError, NotFound, PermissionDenied
from gomruk.declarations.document import Declaration as Document
from gomruk.declarations.models import (
    AsanSigningRequest,
    Declaration,
    DeclarationSignature,
    DeclarationVersion,
    State,
    StatusEvent,
    SubmissionTerms,
    TermsAcceptance,
)
from gomruk.declarations.numbering import registration_number_take
from gomruk.declarations.ownership import ownership_check
from gomruk.declarations.selectors import declaration_get

P = ParamSpec("P")
R = TypeVar("R")

#: Sent inside the transition's transaction after the status event is written, with
#: ``declaration``, ``from_state``, ``to_state``, ``action``, ``actor`` and ``event``.
#: The border-goods app hooks "declared / cleared" here (send, release, refuse, withdraw):
#: a receiver that raises rolls the whole transition back.
declaration_transitioned = Signal()


class Actor(StrEnum):
    TRADER = "trader"  # the declarant or a representative acting for its VÖEN
    OFFICER = "officer"  # an officer of the office the declaration was sent to


@dataclass(frozen=True)
class Transition:
    action: str
    sources: tuple[State, ...]
    target: State
    actor: Actor


class Lifecycle:
    """The one table of allowed transitions; every service goes through it."""

    TRANSITIONS: dict[str, Transition] = {
        t.action: t
        for t in (
            Transition("sign", (State.DRAFT,), State.SIGNED, Actor.TRADER),
            Transition("confirm", (State.SIGNED,), State.CONFIRMED, Actor.TRADER),
            Transition("send", (State.CONFIRMED,), State.SENT, Actor.TRADER),
            Transition(
                "edit", (State.SIGNED, State.CONFIRMED, State.RETURNED), State.DRAFT, Actor.TRADER
            ),
            Transition(
                "withdraw",
                (State.DRAFT, State.SIGNED, State.CONFIRMED, State.SENT),
                State.WITHDRAWN,
                Actor.TRADER,
            ),
            Transition("register", (State.SENT,), State.REGISTERED, Actor.OFFICER),
            Transition("assign_channel", (State.REGISTERED,), State.UNDER_CONTROL, Actor.OFFICER),
            Transition("release", (State.UNDER_CONTROL,), State.RELEASED, Actor.OFFICER),
            Transition("refuse", (State.UNDER_CONTROL,), State.REFUSED, Actor.OFFICER),
            Transition("return", (State.UNDER_CONTROL,), State.RETURNED, Actor.OFFICER),
        )
    }

    @classmethod
    def allowed_actions(cls, state: str, actor: Actor | None = None) -> list[str]:
        return [
            t.action
            for t in cls.TRANSITIONS.values()
            if state in t.sources and (actor is None or t.actor == actor)
        ]

    @classmethod
    def check(cls, declaration: Declaration, action: str) -> Transition:
        transition = cls.TRANSITIONS[action]
        if declaration.state not in transition.sources:
            raise illegal_transition(declaration.state, action, transition.target)
        return transition

    @classmethod
    def require_state(cls, declaration: Declaration, action: str, states: tuple[State, ...]) -> None:
        """For customs work that is not a transition (boxes C and D)."""
        if declaration.state not in states:
            raise illegal_transition(declaration.state, action, None)

    @classmethod
    def apply(
        cls,
        *,
        declaration: Declaration,
        action: str,
        actor: User,
        reason: str = "",
        details: dict[str, Any] | None = None,
    ) -> StatusEvent:
        transition = cls.check(declaration, action)
        from_state = declaration.state
        declaration.state = transition.target
        declaration.save()
        event = StatusEvent.objects.create(
            declaration=declaration,
            actor=actor,
            from_state=from_state,
            to_state=transition.target,
            reason=reason,
            details=details or {},
        )
        audit_record(
            actor=actor,
            action=f"declaration.{action}",
            object_type="declaration",
            object_id=str(declaration.pk),
            details={"from": from_state, "to": str(transition.target), "reason": reason, **(details or {})},
        )
        declaration_transitioned.send(
            sender=Declaration,
            declaration=declaration,
            from_state=from_state,
            to_state=str(transition.target),
            action=action,
            actor=actor,
            event=event,
        )
        return event


def _state_label(state: str | None) -> tuple[str, str]:
    if not state:
        return "-", "-"
    with translation.override("az"):
        label_az = str(State(state).label) if state in State.values else state
    return label_az, state.replace("_", " ")


def illegal_transition(state: str, action: str, target: State | None) -> GomrukError:
    state_az, state_en = _state_label(state)
    target_az, target_en = _state_label(target)
    suffix_az = f" («{target_az}» mərhələsinə keçid)" if target else ""
    suffix_en = f" (to '{target_en}')" if target else ""
    return GomrukError(
        code="illegal_transition",
        message_az=f"«{action}» əməliyyatı bəyannamənin «{state_az}» mərhələsində mümkün deyil{suffix_az}.",
        message_en=f"'{action}' is not allowed while the declaration is '{state_en}'{suffix_en}.",
        status=409,
        details={
            "state": state,
            "action": action,
            "target": str(target) if target else None,
            "allowed": Lifecycle.allowed_actions(state),
        },
    )


# --- Actors ----------------------------------------------------------------------------------


def audited(action: str) -> Callable[[Callable[P, R]], Callable[P, R]]:
    """Refused attempts leave an audit entry too; it is written after the service's own
    transaction rolled back, so the entry survives the failure it records."""

    def decorate(service: Callable[P, R]) -> Callable[P, R]:
        @wraps(service)
        def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
            try:
                return service(*args, **kwargs)
            except GomrukError as exc:
                actor = kwargs.get("user") or kwargs.get("officer")
                audit_record(
                    actor=actor,
                    action=f"declaration.{action}",
                    object_type="declaration",
                    object_id=str(kwargs.get("declaration_id", "")),
                    outcome="denied" if exc.status in (401, 403, 404) else "refused",
                    details={"code": exc.code},
                )
                raise

        return wrapper

    return decorate


def lock_declaration(queryset: Any, declaration_id: Any) -> Declaration:
    """The row, locked for this transaction, from a caller-scoped queryset (else not found)."""
    try:
        declaration: Declaration = queryset.select_for_update().get(pk=declaration_id)
    except (Declaration.DoesNotExist, ValueError, TypeError, DjangoValidationError) as exc:
        raise NotFound("Bəyannamə", "Declaration", id=str(declaration_id)) from exc
    return declaration


def require_trader(user: Any, declaration: Declaration) -> None:
    if getattr(user, "role", None) not in (Role.DECLARANT, Role.REPRESENTATIVE) or not may_act_for(
        user, declaration.trader_voen
    ):
        raise PermissionDenied(
            "Bu əməliyyatı yalnız bəyannaməçi və ya onun təmsilçisi edə bilər.",
            "Only the declarant or its representative may do this.",
        )


def _trader_declaration(user: Any, declaration_id: Any) -> Declaration:
    if getattr(user, "role", None) not in (Role.DECLARANT, Role.REPRESENTATIVE):
        raise PermissionDenied(
            "Bu əməliyyatı yalnız bəyannaməçi və ya onun təmsilçisi edə bilər.",
            "Only the declarant or its representative may do this.",
        )
    visible = declaration_get(user=user, declaration_id=declaration_id)
    declaration = lock_declaration(Declaration.objects.filter(pk=visible.pk), visible.pk)
    require_trader(user, declaration)
    return declaration


def audit_foreign_read(*, user: Any, declaration: Declaration, what: str, count: int | None = None) -> None:
    """A read of data that belongs to another party (an officer, a representative) is logged."""
    if declaration.trader_voen in own_voens(user):
        return
    details: dict[str, Any] = {"voen": declaration.trader_voen}
    if count is not None:
        details["count"] = count
    audit_record(
        actor=user, action=f"declaration.read.{what}", object_type="declaration",
        object_id=str(declaration.pk), details=details,
    )


# --- What is signed --------------------------------------------------------------------------


@dataclass(frozen=True)
class SigningPayload:
    version: int
    payload: bytes
    sha256: str


def _attachment_manifest(declaration: Declaration) -> list[dict[str, str]]:
    """Each attachment's id and SHA-256, recomputed from the stored file: a file that no longer
    matches its recorded hash cannot be signed."""
    manifest = []
    for attachment in declaration.attachments.order_by("uploaded_at", "id"):
        digest = hashlib.sha256()
        try:
            with attachment.file.open("rb") as handle:
                for chunk in iter(lambda h=handle: h.read(1 << 16), b""):  # type: ignore[misc]
                    digest.update(chunk)
        except (OSError, ValueError) as exc:
            raise _attachment_error(attachment.pk, attachment.filename) from exc
        if digest.hexdigest() != attachment.sha256:
            raise _attachment_error(attachment.pk, attachment.filename)
        manifest.append({"id": str(attachment.pk), "sha256": attachment.sha256})
    return manifest


def _attachment_error(attachment_id: Any, filename: str) -> GomrukError:
    return GomrukError(
        code="attachment_corrupt",
        message_az=f"Əlavə edilmiş «{filename}» faylı oxunmadı və ya dəyişdirilib.",
        message_en=f"The attached file '{filename}' cannot be read or has changed.",
        status=409,
        details={"attachment": str(attachment_id)},
    )


def payload_bytes(*, declaration_id: Any, version: int, document: dict[str, Any], attachments: list[dict[str, str]]) -> bytes:
    return canonical_json(
        {
            "declaration": document,
            "attachments": attachments,
            "declaration_id": str(declaration_id),
            "version": version,
        }
    )


def _freeze(declaration: Declaration, user: User) -> DeclarationVersion:
    """The frozen version of the current draft: reused while the draft is unchanged; a draft
    edited since it was frozen gets the next version number (frozen rows never change)."""
    document = Document.model_validate(declaration.document).to_data()
    document_sha = sha256_hex(canonical_json(document))
    attachments = _attachment_manifest(declaration)
    frozen = DeclarationVersion.objects.filter(declaration=declaration, number=declaration.version).first()
    if frozen is not None:
        if frozen.canonical_sha256 == document_sha and frozen.attachments == attachments:
            return frozen
        declaration.version += 1
        declaration.save(update_fields=["version", "updated_at"])
    payload = payload_bytes(
        declaration_id=declaration.pk, version=declaration.version, document=document, attachments=attachments
    )
    return DeclarationVersion.objects.create(
        declaration=declaration,
        number=declaration.version,
        document=document,
        canonical_sha256=document_sha,
        attachments=attachments,
        payload=payload,
        payload_sha256=sha256_hex(payload),
        created_by=user,
    )


# Boxes the system and customs fill (V-7-1, V-C-1, V-D-1). Once a declaration has been sent
# they hold the system's values, which a declarant correcting a returned declaration must not
# be blamed for; before the first send they are the declarant's input and are checked as such.


def _check_blocking(declaration: Declaration, document: dict[str, Any]) -> None:
    from gomruk.declarations.validation import declaration_errors
    from gomruk.rules.engine import has_blocking

    errors = declaration_errors(declaration=declaration, document=document, signing=True)
    if has_blocking(errors):
        raise GomrukError(
            code="validation_failed",
            message_az="Bəyannamədə səhvlər var; düzəldilməmiş imzalamaq olmaz.",
            message_en="The declaration has errors; it cannot be signed until they are fixed.",
            status=422,
            details={"errors": [e.as_dict() for e in errors]},
        )


@audited("signing_payload")
def signing_payload(*, user: User, declaration_id: Any) -> SigningPayload:
    with transaction.atomic():
        declaration = _trader_declaration(user, declaration_id)
        Lifecycle.check(declaration, "sign")
        frozen = _freeze(declaration, user)
        _check_blocking(declaration, frozen.document)
        audit_record(
            actor=user, action="declaration.freeze", object_type="declaration", object_id=str(declaration.pk),
            details={"version": frozen.number, "payload_sha256": frozen.payload_sha256},
        )
        return SigningPayload(version=frozen.number, payload=bytes(frozen.payload), sha256=frozen.payload_sha256)


def _stale_version(signed: int, current: int) -> GomrukError:
    return GomrukError(
        code="stale_version",
        message_az=f"İmza bəyannamənin {signed}-ci versiyasına aiddir, cari versiya {current}-dir. Yenidən imzalayın.",
        message_en=f"The signature is for version {signed} of the declaration; the current version is {current}. Sign again.",
        status=409,
        details={"signed_version": signed, "current_version": current},
    )


def _record_signature(
    *, user: User, declaration: Declaration, frozen: DeclarationVersion, provider: str, signature: bytes
) -> DeclarationSignature:
    from gomruk.signatures.services import signature_verify, signer_authorise

    verified = signature_verify(payload=bytes(frozen.payload), signature=signature, provider=provider)
    signer_authorise(verified=verified, user=user, voen=declaration.trader_voen)
    _check_blocking(declaration, frozen.document)
    ownership_check(user=user, document=frozen.document, trader_voen=declaration.trader_voen, signature=verified)
    record = DeclarationSignature.objects.create(
        declaration=declaration,
        version=frozen,
        provider=provider,
        signer_name=verified.signer_name or "",
        certificate_serial=str(verified.certificate_serial),
        certificate_sha256=verified.certificate_sha256,
        voen=verified.voen or "",
        fin=verified.fin or "",
        signed_at=verified.signed_at,
        signature_der=verified.signature_der or signature,
        payload_sha256=frozen.payload_sha256,
        user=user,
    )
    Lifecycle.apply(
        declaration=declaration,
        action="sign",
        actor=user,
        details={
            "version": frozen.number,
            "provider": provider,
            "certificate_serial": record.certificate_serial,
            "payload_sha256": frozen.payload_sha256,
        },
    )
    return record


@audited("sign")
def declaration_sign(
    *, user: User, declaration_id: Any, provider: str, signature: bytes, version: int | None = None
) -> Declaration:
    """Attach a detached CMS signature made with the signer's certificate over
    :func:`signing_payload` (Asan İmza goes through ``declaration_sign_asan_*``)."""
    if provider != DeclarationSignature.Provider.CERTIFICATE:
        raise GomrukError(
            code="unknown_provider",
            message_az=f"«{provider}» imza üsulu bu əməliyyat üçün deyil.",
            message_en=f"Signing provider '{provider}' cannot be used here.",
            status=422,
            details={"provider": provider},
        )
    with transaction.atomic():
        declaration = _trader_declaration(user, declaration_id)
        Lifecycle.check(declaration, "sign")
        frozen = _freeze(declaration, user)
        if version is not None and version != frozen.number:
            raise _stale_version(version, frozen.number)
        _record_signature(user=user, declaration=declaration, frozen=frozen, provider=provider, signature=signature)
        return declaration


@audited("sign.asan_start")
def declaration_sign_asan_start(
    *, user: User, declaration_id: Any, phone_number: str, asan_user_id: str
) -> Any:
    """Start an Asan İmza signing of the current version; returns the transaction, whose
    verification code the declarant compares with the one on the phone."""
    from gomruk.signatures.services import asan_start

    with transaction.atomic():
        declaration = _trader_declaration(user, declaration_id)
        Lifecycle.check(declaration, "sign")
        frozen = _freeze(declaration, user)
        _check_blocking(declaration, frozen.document)
        asan = asan_start(
            user=user,
            phone_number=phone_number,
            asan_user_id=asan_user_id,
            payload=bytes(frozen.payload),
            purpose="declaration.sign",
            object_id=str(declaration.pk),
        )
        AsanSigningRequest.objects.create(
            declaration=declaration, version_number=frozen.number, transaction_id=str(asan.id), user=user
        )
        audit_record(
            actor=user, action="declaration.sign.asan_start", object_type="declaration",
            object_id=str(declaration.pk), details={"version": frozen.number, "transaction": str(asan.id)},
        )
        return asan


@dataclass(frozen=True)
class AsanSigningStatus:
    state: str
    transaction: Any
    declaration: Declaration


@audited("sign.asan_poll")
def declaration_sign_asan_poll(*, user: User, declaration_id: Any, transaction_id: Any) -> AsanSigningStatus:
    """Ask how the phone answered; once confirmed, the signature is verified and recorded."""
    from gomruk.signatures.services import asan_poll

    with transaction.atomic():
        declaration = _trader_declaration(user, declaration_id)
        request = AsanSigningRequest.objects.filter(
            declaration=declaration, transaction_id=str(transaction_id)
        ).first()
        if request is None:
            raise NotFound("Asan İmza əməliyyatı", "Asan İmza transaction", id=str(transaction_id))
        asan = asan_poll(user=user, transaction_id=transaction_id)
        if asan.state != "confirmed":
            return AsanSigningStatus(state=asan.state, transaction=asan, declaration=declaration)
        already = DeclarationSignature.objects.filter(
            declaration=declaration, version__number=request.version_number, provider="asan"
        ).exists()
        if already and declaration.state != State.DRAFT:
            return AsanSigningStatus(state="signed", transaction=asan, declaration=declaration)
        Lifecycle.check(declaration, "sign")
        frozen = _freeze(declaration, user)
        if frozen.number != request.version_number:
            raise _stale_version(request.version_number, frozen.number)
        _record_signature(
            user=user, declaration=declaration, frozen=frozen, provider="asan", signature=_asan_signature(asan)
        )
        return AsanSigningStatus(state="signed", transaction=asan, declaration=declaration)


def _asan_signature(asan: Any) -> bytes:
    if not getattr(asan, "signature_der", None):
        raise GomrukError(
            code="asan_no_signature",
            message_az="Asan İmza əməliyyatı imza qaytarmadı.",
            message_en="The Asan İmza transaction returned no signature.",
            status=502,
        )
    return bytes(asan.signature_der)


def current_signature(declaration: Declaration) -> DeclarationSignature:
    """The signature of the current version, verified again over the stored bytes."""
    from gomruk.signatures.services import signature_verify

    frozen = DeclarationVersion.objects.filter(declaration=declaration, number=declaration.version).first()
    record = (
        DeclarationSignature.objects.filter(declaration=declaration, version=frozen).order_by("-id").first()
        if frozen
        else None
    )
    if frozen is None or record is None:
        raise GomrukError(
            code="signature_missing",
            message_az="Bəyannamənin cari versiyası imzalanmayıb.",
            message_en="The current version of the declaration is not signed.",
            status=409,
            details={"version": declaration.version},
        )
    payload = bytes(frozen.payload)
    if sha256_hex(payload) != frozen.payload_sha256 or record.payload_sha256 != frozen.payload_sha256:
        raise GomrukError(
            code="signature_invalid",
            message_az="İmzalanmış məzmun dəyişdirilib.",
            message_en="The signed content has been altered.",
            status=409,
        )
    signature_verify(payload=payload, signature=bytes(record.signature_der), at=record.signed_at)
    return record


# --- Confirm, send, withdraw, edit -----------------------------------------------------------


def current_terms() -> SubmissionTerms | None:
    return SubmissionTerms.objects.order_by("-published_at", "-id").first()


@audited("confirm")
def declaration_confirm(*, user: User, declaration_id: Any, terms_version: str, accepted: bool) -> Declaration:
    if accepted is not True:
        raise GomrukError(
            code="terms_not_accepted",
            message_az="Təsdiq etmək üçün təqdimetmə şərtləri ilə razılaşmalısınız.",
            message_en="You must accept the submission terms to confirm.",
            status=422,
        )
    with transaction.atomic():
        declaration = _trader_declaration(user, declaration_id)
        Lifecycle.check(declaration, "confirm")
        terms = current_terms()
        if terms is None or terms.version != terms_version:
            raise GomrukError(
                code="terms_outdated",
                message_az="Qəbul etdiyiniz şərtlər cari təqdimetmə şərtləri deyil.",
                message_en="The terms you accepted are not the current submission terms.",
                status=409,
                details={"accepted": terms_version, "current": terms.version if terms else None},
            )
        current_signature(declaration)
        text = f"{terms.text_az}\n\n{terms.text_en}".strip()
        TermsAcceptance.objects.create(
            declaration=declaration,
            version_number=declaration.version,
            user=user,
            terms_version=terms.version,
            terms_text=text,
            terms_sha256=sha256_hex(text.encode("utf-8")),
            accepted_at=timezone.now(),
        )
        Lifecycle.apply(
            declaration=declaration, action="confirm", actor=user,
            details={"terms_version": terms.version, "version": declaration.version},
        )
        return declaration


def _office_exists(office_code: str) -> bool:
    from gomruk.reference.snapshot import current_reference

    return current_reference().has("customs-offices", office_code, on=timezone.localdate())


@audited("send")
def declaration_send(*, user: User, declaration_id: Any, office_code: str) -> Declaration:
    """Send to the chosen customs office (appendix 11); box 7 gets its number here."""
    office_code = (office_code or "").strip()
    with transaction.atomic():
        declaration = _trader_declaration(user, declaration_id)
        Lifecycle.check(declaration, "send")
        if not _office_exists(office_code):
            raise GomrukError(
                code="unknown_office",
                message_az=f"«{office_code}» gömrük orqanı təsnifatda (əlavə 11) yoxdur.",
                message_en=f"Customs office '{office_code}' is not in the classifier (appendix 11).",
                status=422,
                details={"office_code": office_code},
            )
        if declaration.registration_number and declaration.office_code != office_code:
            # A declaration returned for correction goes back to the office that holds its number.
            raise GomrukError(
                code="office_fixed",
                message_az=f"Düzəldilmiş bəyannamə yalnız {declaration.office_code} gömrük orqanına göndərilə bilər.",
                message_en=f"A corrected declaration can only be sent to office {declaration.office_code}.",
                status=409,
                details={"office_code": declaration.office_code},
            )
        # Verified before the number is taken: the office's counter row stays locked only
        # for the short writes after it (which also keeps the audit chain linear per office).
        signed = current_signature(declaration)
        ownership_check(user=signed.user, document=signed.version.document, trader_voen=declaration.trader_voen, signature=signed)
        now = timezone.now()
        number = declaration.registration_number or registration_number_take(
            office_code=office_code, on=timezone.localdate(now)
        )
        document = dict(declaration.document)
        document["registration_number"] = number
        declaration.document = Document.model_validate(document).to_data()
        declaration.registration_number = number
        declaration.office_code = office_code
        declaration.sent_at = now
        Lifecycle.apply(
            declaration=declaration, action="send", actor=user,
            details={"office_code": office_code, "registration_number": number},
        )
        return declaration


@audited("withdraw")
def declaration_withdraw(*, user: User, declaration_id: Any, reason: str = "") -> Declaration:
    with transaction.atomic():
        declaration = _trader_declaration(user, declaration_id)
        Lifecycle.apply(declaration=declaration, action="withdraw", actor=user, reason=reason.strip())
        return declaration


def declaration_edit_after_signing(
    *, user: User, declaration: Declaration, document: Document, pending_input: dict[str, Any] | None
) -> Declaration:
    """Called by ``services.declaration_update`` (inside its transaction, row locked) when the
    declaration is no longer a plain draft: a new draft version, the signature no longer counts."""
    from gomruk.declarations.services import index_columns

    require_trader(user, declaration)
    if declaration.state not in Lifecycle.TRANSITIONS["edit"].sources:
        state_az, state_en = _state_label(declaration.state)
        raise GomrukError(
            code="not_editable",
            message_az=f"Bəyannaməni «{state_az}» mərhələsində dəyişmək olmaz.",
            message_en=f"The declaration cannot be changed while it is '{state_en}'.",
            status=409,
            details={"state": declaration.state},
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


def declaration_events(*, user: User, declaration_id: Any) -> list[StatusEvent]:
    declaration = declaration_get(user=user, declaration_id=declaration_id)
    events = list(StatusEvent.objects.filter(declaration=declaration).order_by("at", "id"))
    audit_foreign_read(user=user, declaration=declaration, what="events", count=len(events))
    return events
