"""Log in by signing the server's one-time challenge (nonce): with a certificate, or with
Asan İmza on the phone.

The API issues a token for the signer (``token_issue_certificate``); the portal opens a session
(``certificate_login``, ``asan_login_start``/``asan_login_poll``). Verification is this app's;
the challenge (created and spent once, ``accounts.auth``) and the token are the accounts app's,
below it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from cryptography import x509
from cryptography.hazmat.primitives.serialization import Encoding
from django.db import transaction

from gomruk.accounts.auth import (
    IssuedToken,
    challenge_create,
    challenge_spend,
    invalid_credentials,
    token_issue,
)
from gomruk.accounts.models import BrokerLicence, User
from gomruk.accounts.selectors import acting_voens
from gomruk.accounts.throttle import login_allowed
from gomruk.core.audit import audit_record
from gomruk.core.encoding import base64_or_pem, pem_to_der
from gomruk.core.errors import GomrukError
from gomruk.signatures.asan import normalise_phone
from gomruk.signatures.services import asan_poll, asan_start, signature_verify


def _user_for_certificate(*, fin: str | None, voen: str | None) -> User:
    if not fin:
        raise invalid_credentials()
    candidates = list(User.objects.filter(fin__iexact=fin, is_active=True)[:2])
    if len(candidates) != 1:
        raise invalid_credentials()
    user = candidates[0]
    if not login_allowed(user):
        raise invalid_credentials()
    # A company certificate (with VÖEN) must name a company this person acts for.
    if (
        voen
        and user.role not in ("officer", "administrator")
        and voen not in acting_voens(user)
        and not BrokerLicence.objects.filter(representative=user, firm__voen=voen).exists()
    ):
        raise invalid_credentials()
    return user


@dataclass(frozen=True)
class CertificateSigner:
    user: User
    certificate_serial: str


@transaction.atomic
def certificate_authenticate(*, nonce: str, certificate: bytes, signature: bytes) -> CertificateSigner:
    """Who signed the server's ``nonce`` (detached CMS, DER or PEM): the signer's certificate
    must be trusted and be the one the client names, and its FIN must belong to exactly one
    active user. The nonce is spent either way. Used by the API (to issue a token) and the
    portal (to open a session)."""
    challenge_spend(nonce)
    try:
        claimed = x509.load_der_x509_certificate(pem_to_der(certificate))
    except ValueError:
        raise invalid_credentials()
    verified = signature_verify(payload=nonce.encode("ascii"), signature=signature)
    if claimed.public_bytes(Encoding.DER) != verified.certificate_der:
        raise invalid_credentials()
    user = _user_for_certificate(fin=verified.fin, voen=verified.voen)
    return CertificateSigner(user=user, certificate_serial=verified.certificate_serial)


@transaction.atomic
def token_issue_certificate(*, nonce: str, certificate: str, signature: str) -> IssuedToken:
    """A token for whoever signed the nonce (``certificate_authenticate``); both values arrive
    as base64 or PEM text in the JSON body."""
    signer = certificate_authenticate(
        nonce=nonce,
        certificate=base64_or_pem(certificate, "certificate"),
        signature=base64_or_pem(signature, "signature"),
    )
    return token_issue(user=signer.user, method="certificate", certificate_serial=signer.certificate_serial)


# --- The portal's sign-in (a session, no token) -------------------------------------------------


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
    challenge_spend(login.nonce)
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
