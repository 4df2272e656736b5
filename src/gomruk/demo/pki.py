"""Development keys: a CA, a certificate per demo user, the Asan SIM certificates.

``gomruk init --demo`` calls :func:`demo_pki_create`; ``gomruk sign`` and the Asan simulator
sign with the files it writes (``gomruk.signatures.local``). Nothing here is trusted by itself:
verification trusts the CA only because ``signatures/trust.py`` is configured (or defaults) to
read ``ca.pem``.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from datetime import timedelta
from pathlib import Path

from asn1crypto import (
    tsp,  # noqa: F401  (registers signingCertificateV2 with cms)
)
from cryptography import x509
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from django.utils import timezone

from gomruk.signatures.local import MANIFEST
from gomruk.signatures.pki import (
    Issued,
    SubjectSpec,
    issue_leaf,
    load_issued,
    make_ca,
    make_crl,
    write_pem,
)

ROOT_CA_NAME = "Gömrük Development Root CA"
ASAN_CA_NAME = "Asan İmza SIM CA (development)"


@dataclass
class DemoIdentity:
    username: str
    common_name: str
    voen: str | None
    fin: str | None
    phone: str | None = None


@dataclass
class DemoPKI:
    directory: Path
    ca: Path
    ca_key: Path
    crl: Path
    asan_ca: Path
    asan_ca_key: Path
    asan_crl: Path
    revoked: tuple[Path, Path]
    expired: tuple[Path, Path]
    # username -> (certificate, key)
    certificates: dict[str, tuple[Path, Path]] = field(default_factory=dict)
    asan_certificates: dict[str, tuple[Path, Path]] = field(default_factory=dict)

    def paths(self) -> list[Path]:
        listed = [self.ca, self.ca_key, self.crl, self.asan_ca, self.asan_ca_key, self.asan_crl]
        listed += [*self.revoked, *self.expired]
        for pair in [*self.certificates.values(), *self.asan_certificates.values()]:
            listed += list(pair)
        return listed


def _spec(identity: DemoIdentity, suffix: str = "") -> SubjectSpec:
    return SubjectSpec(
        common_name=identity.common_name + suffix, voen=identity.voen, fin=identity.fin
    )


def _ensure_ca(cert: Path, key: Path, name: str, issuer: Issued | None = None) -> Issued:
    existing = load_issued(cert, key)
    if existing and (issuer is None or _issued_by(existing.certificate, issuer.certificate)):
        return existing
    created = make_ca(name, issuer=issuer)
    write_pem(key, created.key_pem, private=True)
    write_pem(cert, created.cert_pem)
    return created


def _issued_by(certificate: x509.Certificate, issuer: x509.Certificate) -> bool:
    try:
        certificate.verify_directly_issued_by(issuer)
    except (ValueError, TypeError, InvalidSignature):
        return False
    return True


def _ensure_leaf(cert: Path, key: Path, ca: Issued, spec: SubjectSpec, **options: object) -> Issued:
    """Reuse the files when they still name this subject and chain to this CA."""
    existing = load_issued(cert, key)
    if (
        existing
        and existing.certificate.subject == spec.name()
        and _issued_by(existing.certificate, ca.certificate)
    ):
        return existing
    created = issue_leaf(ca, spec, **options)  # type: ignore[arg-type]
    write_pem(key, created.key_pem, private=True)
    write_pem(cert, created.cert_pem)
    return created


def _ensure_crl(path: Path, ca: Issued, revoked: list[x509.Certificate]) -> None:
    if path.exists():
        current = x509.load_pem_x509_crl(path.read_bytes())
        fresh = current.next_update_utc is not None and current.next_update_utc > timezone.now() + timedelta(days=7)
        listed = all(current.get_revoked_certificate_by_serial_number(c.serial_number) for c in revoked)
        if fresh and listed and current.is_signature_valid(ca.key.public_key()):  # type: ignore[arg-type]
            return
    write_pem(path, make_crl(ca, revoked).public_bytes(serialization.Encoding.PEM))


def demo_pki_create(directory: Path, identities: list[DemoIdentity]) -> DemoPKI:
    """Create (or reuse) the development PKI under ``directory`` and return its file paths."""
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    ca = _ensure_ca(directory / "ca.pem", directory / "ca-key.pem", ROOT_CA_NAME)
    asan_ca = _ensure_ca(directory / "asan-sim.pem", directory / "asan-sim-key.pem", ASAN_CA_NAME, ca)

    pki = DemoPKI(
        directory=directory,
        ca=directory / "ca.pem",
        ca_key=directory / "ca-key.pem",
        crl=directory / "crl.pem",
        asan_ca=directory / "asan-sim.pem",
        asan_ca_key=directory / "asan-sim-key.pem",
        asan_crl=directory / "asan-sim-crl.pem",
        revoked=(directory / "revoked.pem", directory / "revoked-key.pem"),
        expired=(directory / "expired.pem", directory / "expired-key.pem"),
    )
    manifest = []
    for identity in identities:
        pair = (directory / f"{identity.username}.pem", directory / f"{identity.username}-key.pem")
        _ensure_leaf(*pair, ca, _spec(identity))
        pki.certificates[identity.username] = pair
        entry = {**asdict(identity), "certificate": str(pair[0]), "key": str(pair[1])}
        if identity.phone:
            asan_pair = (
                directory / f"{identity.username}-asan.pem",
                directory / f"{identity.username}-asan-key.pem",
            )
            _ensure_leaf(*asan_pair, asan_ca, _spec(identity))
            pki.asan_certificates[identity.username] = asan_pair
            entry |= {"asan_certificate": str(asan_pair[0]), "asan_key": str(asan_pair[1])}
        manifest.append(entry)

    # The revoked and expired certificates name a real demo trader, so only revocation or
    # expiry — not a foreign VÖEN — is what makes them fail.
    model = identities[0] if identities else DemoIdentity("demo", "Demo", "1400057421", None)
    revoked = _ensure_leaf(*pki.revoked, ca, _spec(model, " (revoked)"))
    now = timezone.now()
    _ensure_leaf(
        *pki.expired,
        ca,
        _spec(model, " (expired)"),
        not_before=now - timedelta(days=400),
        not_after=now - timedelta(days=35),
    )
    _ensure_crl(pki.crl, ca, [revoked.certificate])
    _ensure_crl(pki.asan_crl, asan_ca, [])
    (directory / MANIFEST).write_text(json.dumps(manifest, ensure_ascii=False, indent=2), encoding="utf-8")
    return pki
