"""Binary values that arrive as text in JSON bodies (signatures, certificates)."""

from __future__ import annotations

import base64
import binascii

from gomruk.core.errors import GomrukError


def base64_or_pem(value: str, what: str) -> bytes:
    """PEM text is passed on as bytes; anything else must be strict base64."""
    text = value.strip()
    if text.startswith("-----BEGIN"):
        return text.encode("ascii", errors="replace")
    try:
        return base64.b64decode(text, validate=True)
    except (binascii.Error, ValueError):
        raise GomrukError(
            code="invalid_base64",
            message_az=f"{what} base64 formatında deyil.",
            message_en=f"The {what} is not valid base64.",
            status=422,
        )
