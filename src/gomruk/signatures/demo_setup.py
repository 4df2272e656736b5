"""The signature step of ``gomruk init --demo``: keys and certificates for the demo users."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from gomruk.signatures.demo import DemoIdentity, DemoPKI, demo_dir, demo_pki_create


def demo_identities() -> list[DemoIdentity]:
    """One identity per demo user: their first VÖEN (a broker's is its firm's), FIN and phone."""
    from gomruk.accounts.demo import DEMO_USERS

    return [
        DemoIdentity(
            username=user.username,
            common_name=f"{user.first_name} {user.last_name}".strip() or user.username,
            voen=user.voens[0] if user.voens else None,
            fin=user.fin or None,
            phone=user.phone_number or None,
        )
        for user in DEMO_USERS
    ]


def demo_keys_create(directory: Path | None = None) -> Iterator[str]:
    """Create (or reuse) the development PKI and say where each file is."""
    pki: DemoPKI = demo_pki_create(directory or demo_dir(), demo_identities())
    yield f"  CA (trust anchor)   {pki.ca}"
    yield f"  CRL                 {pki.crl}"
    for username, (cert, key) in pki.certificates.items():
        yield f"  {username:<19} {cert}  key {key}"
    for username, (cert, _key) in pki.asan_certificates.items():
        yield f"  {username + ' (Asan SIM)':<19} {cert}"
    yield f"  revoked             {pki.revoked[0]}  key {pki.revoked[1]}"
    yield f"  expired             {pki.expired[0]}  key {pki.expired[1]}"
    yield "  Sign locally: gomruk sign FILE --key <user>-key.pem --cert <user>.pem -o FILE.sig"
    yield "  Asan İmza phone: /asan-simulator/ or gomruk asan approve --phone <number>"
