"""Signature services: verify a detached CMS, authorise its signer, run the Asan İmza flow.

The lifecycle builds the signed bytes (canonical JSON of a frozen version plus attachment
hashes) and calls these services; nothing here knows what a declaration is.
"""

from __future__ import annotations

import hashlib
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from cryptography.hazmat.primitives.serialization import Encoding
from django.conf import settings
from django.db import transaction as db_transaction
from django.utils import timezone

from gomruk.accounts.models import BrokerLicence, User
from gomruk.accounts.selectors import may_act_for, own_voens, represented_voens
from gomruk.core.audit import audit_record
from gomruk.core.errors import NotFound
from gomruk.signatures.asan import (
    asan_gateway,
    normalise_phone,
    simulator_enabled,
    simulator_sign,
    verification_code,
)
from gomruk.signatures.cms import Content, check_certificate_hash, check_key_strength, cms_check
from gomruk.signatures.errors import ERRORS, signature_error
from gomruk.signatures.identity import certificate_fin, certificate_signer_name, certificate_voen
from gomruk.signatures.models import AsanState, AsanTransaction
from gomruk.signatures.trust import (
    TrustStore,
    build_chain,
    check_key_usage,
    check_revocation,
    check_validity,
    load_trust_store,
)

# A signer's clock may run a little ahead of ours; beyond this a signingTime is not believed.
CLOCK_SKEW = timedelta(minutes=5)


@dataclass(frozen=True)
class VerifiedSignature:
    provider: str  # "certificate" | "asan"
    signer_name: str
    certificate_serial: str  # hex, upper case
    certificate_der: bytes
    certificate_sha256: str
    voen: str | None
    fin: str | None
    signed_at: datetime
    signature_der: bytes  # the CMS ContentInfo, DER
    trust_state: str  # the fingerprint of the trust store that verified it (ADR 0053)

    def as_dict(self) -> dict[str, Any]:
        """What is worth storing or showing (no binary fields)."""
        return {
            "provider": self.provider,
            "signer_name": self.signer_name,
            "certificate_serial": self.certificate_serial,
            "certificate_sha256": self.certificate_sha256,
            "voen": self.voen,
            "fin": self.fin,
            "signed_at": self.signed_at.isoformat(),
        }


def trust_store() -> TrustStore:
    """Trust anchors and CRLs from GOMRUK_TRUST_ANCHORS / GOMRUK_CRLS (default: the demo CA)."""
    return load_trust_store()


def signature_verify(
    *,
    payload: Content,
    signature: bytes,
    at: datetime | None = None,
    provider: str = "certificate",
    store: TrustStore | None = None,
) -> VerifiedSignature:
    """Check a detached CMS signature over exactly ``payload`` (its bytes, or a stored
    content known by its digest: ``cms.StoredContent``); refuse with a specific code.

    ``at`` is the verification time (default now): the certificate must be valid, trusted
    and unrevoked then, and at the CMS signingTime when the signature states one. The answer
    names the store that judged it (``trust_state``): the same check with a store of the same
    fingerprint gives the same answer.
    """
    at = at or timezone.now()
    store = store or trust_store()
    parsed = cms_check(payload=payload, signature=signature)
    leaf = parsed.signer
    check_certificate_hash(leaf)
    check_validity(leaf, at)
    signing_time = parsed.signing_time
    if signing_time is not None:
        if signing_time > at + CLOCK_SKEW:
            raise signature_error("signature_time_invalid", signing_time=signing_time.isoformat(), at=at.isoformat())
        check_validity(leaf, signing_time)
    check_key_usage(leaf)
    # Trusted and unrevoked at both times: checked again later at the time it states (the
    # send's check), the same signature with the same store asks nothing new (ADR 0053).
    for moment in (at,) if signing_time is None or signing_time == at else (at, signing_time):
        chain = build_chain(store, leaf, parsed.extra_certificates, moment)
        for intermediate in chain[1:-1]:
            check_certificate_hash(intermediate)
            check_key_strength(intermediate)
        check_revocation(store, chain, moment)

    der = leaf.public_bytes(Encoding.DER)
    return VerifiedSignature(
        provider=provider,
        signer_name=certificate_signer_name(leaf),
        certificate_serial=format(leaf.serial_number, "X"),
        certificate_der=der,
        certificate_sha256=hashlib.sha256(der).hexdigest(),
        voen=certificate_voen(leaf),
        fin=certificate_fin(leaf),
        signed_at=signing_time or at,
        signature_der=parsed.der,
        trust_state=store.fingerprint,
    )


def _representative_voens(user: User) -> frozenset[str]:
    """VÖENs a representative signs with: its broker firm's (valid licence) and its own."""
    today = timezone.localdate()
    firms = BrokerLicence.objects.filter(representative=user, issued_on__lte=today).exclude(
        valid_to__lt=today
    )
    return frozenset(firms.values_list("firm__voen", flat=True)) | own_voens(user)


def signer_authorise(*, verified: VerifiedSignature, user: User, voen: str) -> None:
    """The certificate must identify ``voen`` itself or a representative authorised for it.

    A certificate with a VÖEN is judged by that VÖEN. Only a certificate of a natural person
    without a VÖEN is judged by its FIN, which must be the user's own FIN; the user must then
    be bound to ``voen`` or represent it.
    """
    allowed: frozenset[str] = frozenset()
    if may_act_for(user, voen):
        allowed = frozenset({voen})
        if voen in represented_voens(user):
            allowed |= _representative_voens(user)
    if verified.voen:
        authorised = verified.voen in allowed
    else:
        authorised = bool(allowed) and bool(verified.fin) and verified.fin == (user.fin or "").upper()
    if not authorised:
        raise signature_error(
            "signature_wrong_voen",
            status=403,
            voen=voen,
            certificate_voen=verified.voen,
            certificate_fin=verified.fin,
        )


# --- Asan İmza -------------------------------------------------------------------------


def _timeout() -> timedelta:
    return timedelta(seconds=int(settings.GOMRUK_ASAN_TIMEOUT))


def _audit(actor: Any, action: str, tx: AsanTransaction, outcome: str = "ok", **details: Any) -> None:
    audit_record(
        actor=actor,
        action=action,
        object_type="signatures.AsanTransaction",
        object_id=str(tx.id),
        outcome=outcome,
        details={
            "purpose": tx.purpose,
            "object_id": tx.object_id,
            "state": tx.state,
            "payload_sha256": tx.payload_sha256,
            **details,
        },
    )


def asan_start(
    *,
    user: User,
    phone_number: str,
    asan_user_id: str,
    payload: bytes,
    purpose: str,
    object_id: str,
) -> AsanTransaction:
    """Ask the user's phone to sign ``payload``; the returned row carries the code to show."""
    phone = normalise_phone(phone_number)
    user_id = (asan_user_id or "").strip()
    if not user_id.isdigit() or not 4 <= len(user_id) <= 20:
        raise ERRORS.error("asan_user_id_invalid", status=422, details={"asan_user_id": asan_user_id})
    digest = hashlib.sha256(payload).digest()
    gateway = asan_gateway()
    with db_transaction.atomic():
        tx = AsanTransaction.objects.create(
            created_by=user,
            phone_number=phone,
            asan_user_id=user_id,
            purpose=purpose,
            object_id=str(object_id),
            payload_sha256=digest.hex(),
            verification_code=verification_code(digest),
            gateway=gateway.name,
            expires_at=timezone.now() + _timeout(),
        )
        tx.gateway_reference = gateway.start(tx)
        tx.save(update_fields=["gateway_reference"])
        _audit(user, "asan.start", tx, phone_number=phone, verification_code=tx.verification_code)
    return tx


def _transaction_for(user: User, transaction_id: Any) -> AsanTransaction:
    try:
        key = uuid.UUID(str(transaction_id))
    except ValueError:
        key = None
    tx = AsanTransaction.objects.filter(created_by=user, id=key).first() if key else None
    if tx is None:
        raise NotFound("Asan İmza sorğusu", "Asan İmza request", transaction_id=str(transaction_id))
    return tx


def asan_poll(*, user: User, transaction_id: Any) -> AsanTransaction:
    """The request's current state; once confirmed it carries the CMS to pass to signature_verify.

    Only answers are audited: a client polls every few seconds and the pending polls say nothing.
    """
    with db_transaction.atomic():
        tx = _transaction_for(user, transaction_id)
        tx = AsanTransaction.objects.select_for_update().get(pk=tx.pk)
        if tx.is_pending:
            result = asan_gateway().poll(tx)
            if result is not None:
                tx.state = result.state
                tx.signature_der = result.signature_der
                tx.certificate_der = result.certificate_der
                tx.completed_at = timezone.now()
            elif timezone.now() >= tx.expires_at:
                tx.state = AsanState.EXPIRED
                tx.completed_at = timezone.now()
            tx.save()
        if not tx.is_pending:
            _audit(user, "asan.poll", tx, outcome=tx.state)
    return tx


def asan_phone_confirm(*, transaction_id: Any, approve: bool = True) -> AsanTransaction:
    """The simulated phone's answer: sign with the SIM certificate, or reject."""
    if not simulator_enabled():
        raise ERRORS.error("asan_simulator_disabled", status=403)
    with db_transaction.atomic():
        try:
            tx = AsanTransaction.objects.select_for_update().get(pk=uuid.UUID(str(transaction_id)))
        except (ValueError, AsanTransaction.DoesNotExist):
            raise NotFound("Asan İmza sorğusu", "Asan İmza request", transaction_id=str(transaction_id))
        if tx.is_pending and timezone.now() >= tx.expires_at:
            tx.state = AsanState.EXPIRED
            tx.completed_at = timezone.now()
            tx.save()
        if not tx.is_pending:
            # Commit the expiry before refusing: the error must not roll it back.
            _audit("asan-simulator", "asan.phone_confirm", tx, outcome="refused")
            refused = ERRORS.error("asan_not_pending", status=409, details={"state": tx.state})
        else:
            refused = None
            if approve:
                tx.signature_der, tx.certificate_der = simulator_sign(tx)
                tx.state = AsanState.CONFIRMED
            else:
                tx.state = AsanState.REJECTED
            tx.completed_at = timezone.now()
            tx.save()
            _audit("asan-simulator", "asan.phone_confirm", tx, outcome=tx.state)
    if refused:
        raise refused
    return tx

