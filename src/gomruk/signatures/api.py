"""Signature endpoints (mounted at /api/v1/signatures): trust anchors and a verification check.

Signing a declaration is a lifecycle endpoint; these help broker software set itself up.
"""

from __future__ import annotations

import hashlib

from cryptography.hazmat.primitives.serialization import Encoding
from django.http import HttpRequest
from ninja import Router, Schema

from gomruk.accounts.bearer import bearer_auth
from gomruk.core.encoding import base64_bytes, base64_or_pem
from gomruk.signatures.errors import ERRORS
from gomruk.signatures.identity import certificate_signer_name
from gomruk.signatures.services import signature_verify, trust_store

router = Router(tags=["signatures"])


class AnchorOut(Schema):
    subject: str
    name: str
    sha256: str
    not_after: str
    pem: str


class VerifyIn(Schema):
    payload_base64: str
    signature: str  # PEM, or base64 of the DER


class VerifiedOut(Schema):
    provider: str
    signer_name: str
    certificate_serial: str
    certificate_sha256: str
    voen: str | None
    fin: str | None
    signed_at: str


def _base64(value: str, field: str) -> bytes:
    return base64_bytes(value, field, catalogue=ERRORS, code="invalid_request", details={"field": field})


@router.get("/trust-anchors", response=list[AnchorOut], auth=None, summary="Trusted certification authorities")
def trust_anchors(request: HttpRequest) -> list[AnchorOut]:
    return [
        AnchorOut(
            subject=anchor.subject.rfc4514_string(),
            name=certificate_signer_name(anchor),
            sha256=hashlib.sha256(anchor.public_bytes(Encoding.DER)).hexdigest(),
            not_after=anchor.not_valid_after_utc.isoformat(),
            pem=anchor.public_bytes(Encoding.PEM).decode("ascii"),
        )
        for anchor in trust_store().anchors
    ]


@router.post("/verify", response=VerifiedOut, auth=bearer_auth, summary="Check a detached CMS signature over given bytes")
def verify(request: HttpRequest, body: VerifyIn) -> VerifiedOut:
    payload = _base64(body.payload_base64, "payload_base64")
    signature = base64_or_pem(
        body.signature, "signature", catalogue=ERRORS, code="invalid_request", details={"field": "signature"}
    )
    verified = signature_verify(payload=payload, signature=signature)
    return VerifiedOut(**verified.as_dict())
