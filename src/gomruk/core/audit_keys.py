"""The audit trail's keys and what they compute (ADR 0009). Both keys live outside the database,
so write access to the database alone cannot forge what they protect.

* ``GOMRUK_AUDIT_KEY`` (HMAC-SHA256) authenticates each entry's content when it is written
  (``mac``) and each link of the chain when it is sealed (``entry_hash``).
* ``GOMRUK_AUDIT_SIGNING_KEY`` (Ed25519) signs checkpoints of the chain head; its public key
  lets anyone outside check them.

Every message is prefixed with its purpose, so a value computed for one use cannot be passed
off as another.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
from functools import lru_cache
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from django.conf import settings

from gomruk.core.canonical import canonical_json

GENESIS = "0" * 64
_ENTRY = b"gomruk-audit-entry\x00"
_LINK = b"gomruk-audit-link\x00"
_KEY_ID = b"gomruk-audit-key-id\x00"
_CHECKPOINT = b"gomruk-audit-checkpoint\x00"


def entry_content(entry: Any) -> dict[str, Any]:
    """What an entry's MAC covers: everything it says, and a nonce that makes a copied row
    recognisable (``mac`` is unique)."""
    return {
        "nonce": entry.nonce,
        "created_at": entry.created_at.isoformat(),
        "actor": entry.actor_id,
        "actor_label": entry.actor_label,
        "action": entry.action,
        "object_type": entry.object_type,
        "object_id": entry.object_id,
        "outcome": entry.outcome,
        "details": entry.details,
    }


def _key() -> bytes:
    return bytes(settings.GOMRUK_AUDIT_KEY)


def entry_mac(entry: Any) -> str:
    return hmac.new(_key(), _ENTRY + canonical_json(entry_content(entry)), hashlib.sha256).hexdigest()


def link_hash(previous_hash: str, sequence: int, mac: str) -> str:
    """The chain link of a sealed entry: its place (sequence, previous link) bound to its
    authenticated content (``mac``). Without the key no one can recompute it."""
    message = _LINK + f"{previous_hash}\x00{sequence}\x00{mac}".encode("ascii")
    return hmac.new(_key(), message, hashlib.sha256).hexdigest()


def key_id() -> str:
    """Names the entry key without revealing it, so a node configured with another key is
    told so instead of taking every entry for a forgery."""
    return hmac.new(_key(), _KEY_ID, hashlib.sha256).hexdigest()[:16]


@lru_cache(maxsize=4)
def _private_key(seed: bytes) -> Ed25519PrivateKey:
    return Ed25519PrivateKey.from_private_bytes(seed)


def signing_key() -> Ed25519PrivateKey:
    return _private_key(bytes(settings.GOMRUK_AUDIT_SIGNING_KEY))


def public_key() -> Ed25519PublicKey:
    return signing_key().public_key()


def public_key_raw(key: Ed25519PublicKey | None = None) -> bytes:
    return (key or public_key()).public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)


def public_key_pem() -> str:
    return public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    ).decode("ascii")


def public_key_id(key: Ed25519PublicKey | None = None) -> str:
    return hashlib.sha256(public_key_raw(key)).hexdigest()[:16]


def checkpoint_message(*, sequence: int, head: str, time: str, key: str) -> bytes:
    """The bytes a checkpoint's signature covers (what an outside party checks)."""
    return _CHECKPOINT + canonical_json({"sequence": sequence, "head": head, "time": time, "key": key})


def checkpoint_sign(*, sequence: int, head: str, time: str) -> tuple[str, str]:
    """(signature in base64, public key id) for a chain head."""
    key = public_key_id()
    message = checkpoint_message(sequence=sequence, head=head, time=time, key=key)
    return base64.b64encode(signing_key().sign(message)).decode("ascii"), key


def checkpoint_signature_valid(
    *, sequence: int, head: str, time: str, key: str, signature: str, trusted: Ed25519PublicKey | None = None
) -> bool:
    trusted = trusted or public_key()
    if key != public_key_id(trusted):
        return False
    try:
        raw = base64.b64decode(signature, validate=True)
        trusted.verify(raw, checkpoint_message(sequence=sequence, head=head, time=time, key=key))
    except (InvalidSignature, ValueError):
        return False
    return True
