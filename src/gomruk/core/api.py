"""Published audit checkpoints (ADR 0009): an outside party polls the latest signed chain head
and keeps it, so the chain cannot later be cut or rewritten beneath it unnoticed. No login: a
checkpoint reveals only a count, a hash, a time and a signature."""

from __future__ import annotations

import base64
from typing import Any

from django.http import HttpRequest
from ninja import Router, Schema

from gomruk.core.audit_checkpoints import checkpoint_latest
from gomruk.core.audit_keys import public_key_id, public_key_pem, public_key_raw
from gomruk.core.errors import NotFound

router = Router(tags=["audit"])


class CheckpointOut(Schema):
    sequence: int
    head: str
    time: str
    key: str
    signature: str


class PublicKeyOut(Schema):
    algorithm: str
    key: str
    public_key: str
    pem: str


@router.get(
    "/checkpoints/latest",
    response=CheckpointOut,
    summary="The latest signed checkpoint of the audit chain",
    description=(
        "`signature` is Ed25519 (base64) over the bytes `gomruk-audit-checkpoint` + NUL + the "
        "RFC 8785 canonical JSON of `{sequence, head, time, key}`; check it with the key of "
        "`GET /audit/public-key`. Keep what you poll: `sequence` never decreases, and a checkpoint "
        "you kept must stay consistent with every later one (`gomruk audit verify --checkpoints`)."
    ),
)
def checkpoint_latest_get(request: HttpRequest) -> dict[str, Any]:
    latest = checkpoint_latest()
    if latest is None:
        raise NotFound("Audit yoxlama nöqtəsi", "Audit checkpoint")
    return latest.as_json()


@router.get("/public-key", response=PublicKeyOut, summary="The key that checks audit checkpoints")
def public_key_get(request: HttpRequest) -> dict[str, Any]:
    return {
        "algorithm": "Ed25519",
        "key": public_key_id(),
        "public_key": base64.b64encode(public_key_raw()).decode("ascii"),
        "pem": public_key_pem(),
    }
