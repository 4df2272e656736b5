"""Signing providers behind one interface: ``start`` → challenge, ``complete`` → signature.

The lifecycle may call these instead of the services one by one: both providers end in a
:class:`VerifiedSignature` over exactly the payload the caller holds.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Protocol

from gomruk.accounts.models import User
from gomruk.signatures.errors import ERRORS
from gomruk.signatures.models import AsanState
from gomruk.signatures.services import VerifiedSignature, asan_poll, asan_start, signature_verify


@dataclass(frozen=True)
class Challenge:
    provider: str
    payload_sha256: str
    transaction_id: str | None = None  # asan: what to poll
    verification_code: str | None = None  # asan: show it to the user
    expires_at: datetime | None = None


class SigningProvider(Protocol):
    name: str

    def start(self, *, user: User, payload: bytes, purpose: str, object_id: str, **params: Any) -> Challenge: ...

    def complete(
        self, *, user: User, payload: bytes, challenge: Challenge | None = None, signature: bytes | None = None
    ) -> VerifiedSignature | None:
        """The verified signature, or None while the signer has not answered yet."""
        ...


class CertificateProvider:
    """The client signs the payload itself and uploads a detached CMS."""

    name = "certificate"

    def start(self, *, user: User, payload: bytes, purpose: str, object_id: str, **params: Any) -> Challenge:
        return Challenge(provider=self.name, payload_sha256=hashlib.sha256(payload).hexdigest())

    def complete(
        self, *, user: User, payload: bytes, challenge: Challenge | None = None, signature: bytes | None = None
    ) -> VerifiedSignature | None:
        if not signature:
            raise ERRORS.error("signature_required", status=422)
        return signature_verify(payload=payload, signature=signature)


# The catalogue's code for each way the phone can end a request without a signature.
_ASAN_FAILURES = {AsanState.REJECTED: "asan_rejected", AsanState.EXPIRED: "asan_expired"}


class AsanProvider:
    """Asan İmza: the phone signs; the client polls until it has answered."""

    name = "asan"

    def start(self, *, user: User, payload: bytes, purpose: str, object_id: str, **params: Any) -> Challenge:
        tx = asan_start(
            user=user,
            phone_number=params.get("phone_number") or user.phone_number,
            asan_user_id=params.get("asan_user_id") or user.asan_user_id,
            payload=payload,
            purpose=purpose,
            object_id=object_id,
        )
        return Challenge(
            provider=self.name,
            payload_sha256=tx.payload_sha256,
            transaction_id=str(tx.id),
            verification_code=tx.verification_code,
            expires_at=tx.expires_at,
        )

    def complete(
        self, *, user: User, payload: bytes, challenge: Challenge | None = None, signature: bytes | None = None
    ) -> VerifiedSignature | None:
        if challenge is None or not challenge.transaction_id:
            raise ERRORS.error("asan_transaction_required", status=422)
        tx = asan_poll(user=user, transaction_id=challenge.transaction_id)
        if tx.state == AsanState.PENDING:
            return None
        if tx.state in _ASAN_FAILURES:
            raise ERRORS.error(_ASAN_FAILURES[AsanState(tx.state)], status=409)
        if tx.payload_sha256 != hashlib.sha256(payload).hexdigest():
            raise ERRORS.error("signature_mismatch#asan", status=422)
        return signature_verify(payload=payload, signature=bytes(tx.signature_der or b""), provider=self.name)


PROVIDERS: dict[str, SigningProvider] = {"certificate": CertificateProvider(), "asan": AsanProvider()}


def provider_get(name: str) -> SigningProvider:
    if name not in PROVIDERS:
        raise ERRORS.error(
            "signature_provider_unknown", status=422, details={"provider": name, "known": sorted(PROVIDERS)}
        )
    return PROVIDERS[name]
