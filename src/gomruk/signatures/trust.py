"""Trust anchors and revocation lists, and the certificate-path checks that use them.

Anchors and CRLs are PEM files named in settings (``GOMRUK_TRUST_ANCHORS``, ``GOMRUK_CRLS``);
when a setting is empty, the development CA (and CRLs) of ``GOMRUK_DEMO_DIR`` are used if
they exist, so a fresh ``gomruk demo`` works — except with ``GOMRUK_ENV=production``, which
trusts nothing it was not told to.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives.serialization import Encoding
from cryptography.x509 import verification
from cryptography.x509.oid import ExtendedKeyUsageOID
from django.conf import settings

from gomruk.signatures.errors import signature_error
from gomruk.signatures.local import demo_dir

# Extended key usages compatible with signing documents; a certificate without the EKU
# extension is not restricted by it.
SIGNING_EKUS = frozenset(
    {
        ExtendedKeyUsageOID.CLIENT_AUTH,
        ExtendedKeyUsageOID.EMAIL_PROTECTION,
        ExtendedKeyUsageOID.ANY_EXTENDED_KEY_USAGE,
        x509.ObjectIdentifier("1.3.6.1.5.5.7.3.36"),  # id-kp-documentSigning (RFC 9336)
        x509.ObjectIdentifier("1.3.6.1.4.1.311.10.3.12"),  # Microsoft document signing
    }
)


#: Certificate paths a store remembers (one per signer's certificate); past it, it starts over.
PATHS_REMEMBERED = 4096


@dataclass(frozen=True)
class TrustStore:
    anchors: tuple[x509.Certificate, ...]
    crls: tuple[x509.CertificateRevocationList, ...]
    crl_required: bool = False
    # What this store's own contents decide once and for all: whether a CRL is signed by an
    # issuer, and a certificate path it verified. Anchors and CRLs never change inside a store
    # (a changed file is a new store), so every node and process would work out the same; each
    # check costs a public-key verification (P-384 for the demo CA: ~6 million instructions).
    _crl_of: dict[x509.Certificate, x509.CertificateRevocationList | None] = field(
        default_factory=dict, compare=False, repr=False
    )
    _paths: dict[tuple[x509.Certificate, ...], list[x509.Certificate]] = field(
        default_factory=dict, compare=False, repr=False
    )
    _fingerprint: list[str] = field(default_factory=list, compare=False, repr=False)

    @property
    def fingerprint(self) -> str:
        """SHA-256 of what this store judges a certificate by: its anchors, its CRLs and whether
        a CRL is required. Two stores with the same fingerprint answer every check alike, in any
        node, whatever their files are called or in what order they are listed (ADR 0053)."""
        if not self._fingerprint:
            digest = hashlib.sha256(b"crl required\n" if self.crl_required else b"crl optional\n")
            for kind, ders in (
                (b"anchor", sorted(c.public_bytes(Encoding.DER) for c in self.anchors)),
                (b"crl", sorted(crl.public_bytes(Encoding.DER) for crl in self.crls)),
            ):
                for der in ders:
                    digest.update(kind + len(der).to_bytes(4, "big") + der)
            self._fingerprint.append(digest.hexdigest())
        return self._fingerprint[0]

    def crl_for(self, issuer: x509.Certificate) -> x509.CertificateRevocationList | None:
        """The newest CRL that ``issuer`` signed, if any is configured."""
        if issuer not in self._crl_of:
            candidates = [
                crl
                for crl in self.crls
                if crl.issuer == issuer.subject and crl.is_signature_valid(issuer.public_key())  # type: ignore[arg-type]
            ]
            self._crl_of[issuer] = max(candidates, key=lambda crl: crl.last_update_utc, default=None)
        return self._crl_of[issuer]

    def verified_path(self, leaf: x509.Certificate, intermediates: list[x509.Certificate], at: datetime) -> list[x509.Certificate] | None:
        """A path this store verified before for ``leaf`` and ``intermediates``, when every
        certificate on it is valid at ``at`` too (the only part of the check that depends on
        the time); otherwise None, and the path is built and checked again."""
        path = self._paths.get((leaf, *intermediates))
        if path is None or not all(c.not_valid_before_utc <= at <= c.not_valid_after_utc for c in path):
            return None
        return path

    def remember_path(self, leaf: x509.Certificate, intermediates: list[x509.Certificate], path: list[x509.Certificate]) -> None:
        if len(self._paths) >= PATHS_REMEMBERED:
            self._paths.clear()
        self._paths[(leaf, *intermediates)] = path


def _paths(configured: list[str], default: list[Path]) -> list[Path]:
    if configured:
        return [Path(path) for path in configured]
    # Production never falls back to development keys, even if a demo directory exists.
    if settings.GOMRUK_PRODUCTION:
        return []
    return [path for path in default if path.exists()]


_cache: dict[tuple[object, ...], TrustStore] = {}


def load_trust_store() -> TrustStore:
    """Read the configured files; re-read only when a file's name, size or mtime changes."""
    demo = demo_dir()
    anchor_paths = _paths(settings.GOMRUK_TRUST_ANCHORS, [demo / "ca.pem"])
    crl_paths = _paths(settings.GOMRUK_CRLS, sorted(demo.glob("*crl.pem")) if demo.exists() else [])
    crl_required = bool(settings.GOMRUK_CRL_REQUIRED)
    key = (
        crl_required,
        *(("a", str(p), p.stat().st_mtime_ns, p.stat().st_size) for p in anchor_paths),
        *(("c", str(p), p.stat().st_mtime_ns, p.stat().st_size) for p in crl_paths),
    )
    if key not in _cache:
        anchors: list[x509.Certificate] = []
        for path in anchor_paths:
            anchors.extend(x509.load_pem_x509_certificates(path.read_bytes()))
        crls = [x509.load_pem_x509_crl(path.read_bytes()) for path in crl_paths]
        _cache.clear()
        _cache[key] = TrustStore(tuple(anchors), tuple(crls), crl_required)
    return _cache[key]


def check_validity(certificate: x509.Certificate, at: datetime) -> None:
    if at < certificate.not_valid_before_utc:
        raise signature_error(
            "certificate_not_yet_valid", not_before=certificate.not_valid_before_utc.isoformat(), at=at.isoformat()
        )
    if at > certificate.not_valid_after_utc:
        raise signature_error(
            "certificate_expired", not_after=certificate.not_valid_after_utc.isoformat(), at=at.isoformat()
        )


def check_key_usage(certificate: x509.Certificate) -> None:
    try:
        usage = certificate.extensions.get_extension_for_class(x509.KeyUsage).value
    except x509.ExtensionNotFound as exc:
        raise signature_error("certificate_key_usage", reason="no KeyUsage extension") from exc
    if not (usage.digital_signature or usage.content_commitment):
        raise signature_error("certificate_key_usage", reason="neither digitalSignature nor nonRepudiation")
    try:
        ekus = set(certificate.extensions.get_extension_for_class(x509.ExtendedKeyUsage).value)
    except x509.ExtensionNotFound:
        return
    if not ekus & SIGNING_EKUS:
        raise signature_error(
            "certificate_key_usage", reason="extended key usage excludes signing", ekus=sorted(e.dotted_string for e in ekus)
        )


def build_chain(
    store: TrustStore, leaf: x509.Certificate, intermediates: list[x509.Certificate], at: datetime
) -> list[x509.Certificate]:
    """Leaf first, anchor last; refuses what does not chain to an anchor at time ``at``."""
    if not store.anchors:
        raise signature_error("signature_untrusted", reason="no trust anchors are configured")
    known = store.verified_path(leaf, intermediates, at)
    if known is not None:
        return list(known)
    # Signing certificates carry no SAN and no TLS usages, so the WebPKI end-entity profile
    # does not apply; CA certificates are still held to it, and key usage is checked above.
    verifier = (
        verification.PolicyBuilder()
        .store(verification.Store(list(store.anchors)))
        .time(at)
        .extension_policies(
            ca_policy=verification.ExtensionPolicy.webpki_defaults_ca(),
            ee_policy=verification.ExtensionPolicy.permit_all(),
        )
        .build_client_verifier()
    )
    try:
        verified = verifier.verify(leaf, intermediates)
    except verification.VerificationError as exc:
        raise signature_error("signature_untrusted", reason=str(exc)[:300]) from exc
    store.remember_path(leaf, intermediates, list(verified.chain))
    return list(verified.chain)


def check_revocation(store: TrustStore, chain: list[x509.Certificate], at: datetime) -> None:
    """Every certificate below the anchor must be absent from its issuer's CRL."""
    for certificate, issuer in zip(chain, chain[1:], strict=False):
        crl = store.crl_for(issuer)
        stale = crl is None or (crl.next_update_utc is not None and crl.next_update_utc < at)
        if stale and store.crl_required:
            raise signature_error("certificate_revocation_unknown", issuer=issuer.subject.rfc4514_string())
        if crl is None:
            continue
        entry = crl.get_revoked_certificate_by_serial_number(certificate.serial_number)
        if entry is not None and entry.revocation_date_utc <= at:
            raise signature_error(
                "certificate_revoked",
                serial=format(certificate.serial_number, "X"),
                revoked_at=entry.revocation_date_utc.isoformat(),
            )
