"""Binary values that arrive as text (signatures, certificates, payloads): the one place that
reads base64 and PEM armour."""

from __future__ import annotations

import base64
import binascii
from typing import Any

from asn1crypto import pem

from gomruk.core.errors import ERRORS, Catalogue

PEM_BEGIN = b"-----BEGIN"


def base64_bytes(
    value: str, what: str, *, catalogue: Catalogue = ERRORS, code: str = "invalid_base64",
    details: dict[str, Any] | None = None,
) -> bytes:
    """Strict base64 (no stray characters), else the catalogue's 422 ``code`` naming ``what``."""
    try:
        return base64.b64decode(value.strip(), validate=True)
    except (binascii.Error, ValueError):
        raise catalogue.error(code, status=422, details=details, what=what)


def base64_or_pem(
    value: str, what: str, *, catalogue: Catalogue = ERRORS, code: str = "invalid_base64",
    details: dict[str, Any] | None = None,
) -> bytes:
    """PEM text is passed on as bytes (see :func:`pem_to_der`); anything else must be strict base64."""
    text = value.strip()
    if text.startswith(PEM_BEGIN.decode()):
        return text.encode("ascii", errors="replace")
    return base64_bytes(text, what, catalogue=catalogue, code=code, details=details)


def pem_to_der(data: bytes) -> bytes:
    """The DER inside PEM armour; anything not armoured is taken to be DER already.
    Raises ValueError when the armour is broken."""
    text = data.strip()
    if not text.startswith(PEM_BEGIN):
        return data
    _kind, _headers, der = pem.unarmor(text)
    return bytes(der)
