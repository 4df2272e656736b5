"""Portal sign-in with Asan İmza: the phone signs a one-time server challenge.

The certificate flow is ``gomruk.signatures.login.certificate_authenticate`` (the same challenge
and certificate check as the API's token, without issuing one); Asan İmza needs the user up
front (the transaction belongs to a user), so it is found by phone number and Asan user id,
and the phone's signature must name that person.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils import timezone

from gomruk.accounts.auth import challenge_create, invalid_credentials
from gomruk.accounts.models import AuthChallenge, User
from gomruk.accounts.selectors import acting_voens
from gomruk.accounts.throttle import login_allowed
from gomruk.core.audit import audit_record
from gomruk.core.encoding import pem_to_der
from gomruk.core.errors import GomrukError
from gomruk.portal.errors import ERRORS
from gomruk.signatures.asan import normalise_phone
from gomruk.signatures.login import certificate_authenticate
from gomruk.signatures.services import asan_poll, asan_start, signature_verify


@dataclass(frozen=True)
class AsanLogin:
    transaction_id: str
    verification_code: str
    user_id: int
    nonce: str


def asan_login_start(*, phone_number: str, asan_user_id: str) -> AsanLogin:
    phone = normalise_phone(phone_number)
    user_id = (asan_user_id or "").strip()
    candidates = [
        user
        for user in User.objects.filter(asan_user_id=user_id, is_active=True).exclude(phone_number="")
        if _same_phone(user.phone_number, phone)
    ]
    if len(candidates) != 1 or not login_allowed(candidates[0]):
        audit_record(actor=None, action="portal.login", outcome="refused", details={"method": "asan"})
        raise invalid_credentials()
    user = candidates[0]
    challenge = challenge_create()
    tx = asan_start(
        user=user,
        phone_number=phone,
        asan_user_id=user_id,
        payload=challenge.nonce.encode("ascii"),
        purpose="portal.login",
        object_id=challenge.nonce[:16],
    )
    return AsanLogin(str(tx.id), tx.verification_code, user.pk, challenge.nonce)


def _same_phone(stored: str, phone: str) -> bool:
    try:
        return normalise_phone(stored) == phone
    except GomrukError:
        return False


def asan_login_poll(*, login: AsanLogin) -> tuple[str, User | None]:
    """('pending'|'rejected'|'expired', None) until the phone signs; then ('confirmed', user)."""
    user = User.objects.filter(pk=login.user_id, is_active=True).first()
    if user is None:
        raise invalid_credentials()
    tx = asan_poll(user=user, transaction_id=login.transaction_id)
    if tx.state != "confirmed":
        return str(tx.state), None
    with transaction.atomic():
        challenge = (
            AuthChallenge.objects.select_for_update().filter(nonce=login.nonce, used_at__isnull=True).first()
        )
        if challenge is None or challenge.expires_at < timezone.now():
            raise ERRORS.error("challenge_invalid", status=401)
        challenge.used_at = timezone.now()
        challenge.save(update_fields=["used_at"])
    verified = signature_verify(payload=login.nonce.encode("ascii"), signature=bytes(tx.signature_der or b""))
    if verified.fin:
        authorised = verified.fin.upper() == (user.fin or "").upper()
    else:
        authorised = bool(verified.voen) and verified.voen in acting_voens(user)
    if not authorised:
        audit_record(actor=user, action="portal.login", outcome="refused", details={"method": "asan"})
        raise invalid_credentials()
    audit_record(actor=user, action="portal.login", details={"method": "asan"})
    return "confirmed", user


def der_bytes(data: bytes) -> bytes:
    """A PEM-armoured file as DER; DER as it is."""
    try:
        return pem_to_der(data)
    except ValueError:
        raise invalid_credentials()


def certificate_login(*, nonce: str, certificate: bytes, signature: bytes) -> User:
    """The person who signed ``nonce`` with the key of ``certificate`` (files as uploaded,
    DER or PEM); the portal then keeps a session for them."""
    signer = certificate_authenticate(nonce=nonce, certificate=certificate, signature=der_bytes(signature))
    audit_record(
        actor=signer.user,
        action="portal.login",
        details={"method": "certificate", "certificate_serial": signer.certificate_serial},
    )
    return signer.user


def session_login(data: Any) -> AsanLogin | None:
    if not isinstance(data, dict):
        return None
    try:
        return AsanLogin(str(data["transaction_id"]), str(data["verification_code"]), int(data["user_id"]), str(data["nonce"]))
    except (KeyError, TypeError, ValueError):
        return None
