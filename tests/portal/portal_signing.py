"""Signing as the demo users' key files do (what ``gomruk sign`` does on a declarant's machine)."""

from __future__ import annotations

from pathlib import Path


def sign_with_demo_key(directory: Path, username: str, payload: bytes) -> bytes:
    from gomruk.signatures.local import sign_payload

    return sign_payload(
        payload,
        key_pem=(directory / f"{username}-key.pem").read_bytes(),
        cert_pem=(directory / f"{username}.pem").read_bytes(),
    )
