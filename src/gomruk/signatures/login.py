"""Log in with a certificate: who signed the server's one-time challenge (nonce).

The API issues a token for that person (``token_issue_certificate``); the portal opens a
session (``certificate_authenticate``). Verification is this app's; the challenge and the
token are the accounts app's, below it.
"""

from __future__ import annotations

from dataclasses import dataclass

from cryptography import x509
from cryptography.hazmat.primitives.serialization import Encoding
from django.db import transaction
from django.utils import timezone

from gomruk.accounts.auth import IssuedToken, invalid_credentials, token_issue
from gomruk.accounts.models import AuthChallenge, BrokerLicence, User
from gomruk.accounts.selectors import acting_voens
from gomruk.accounts.throttle import login_allowed
from gomruk.core.encoding import base64_or_pem, pem_to_der
from gomruk.signatures.errors import ERRORS
from gomruk.signatures.services import signature_verify


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
    challenge = (
        AuthChallenge.objects.select_for_update().filter(nonce=nonce, used_at__isnull=True).first()
    )
    now = timezone.now()
    if challenge is None or challenge.expires_at < now:
        raise ERRORS.error("challenge_invalid", status=401)
    challenge.used_at = now
    challenge.save(update_fields=["used_at"])
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
