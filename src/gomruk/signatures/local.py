"""Signing with key files on this machine, as broker software or a phone SIM would: what
``gomruk sign``, the Asan İmza simulator and the tests use. Keys and certificates are the
development ones of ``gomruk init --demo`` (see ``gomruk.demo.pki``), found in
:func:`demo_dir`. Verification never trusts anything here by itself (see ``trust.py``).
"""

from __future__ import annotations

import hashlib
import json
from datetime import datetime
from pathlib import Path

from asn1crypto import (
    algos,
    cms,
    core,
    tsp,  # noqa: F401  (registers signingCertificateV2 with cms)
)
from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa
from cryptography.hazmat.primitives.serialization import pkcs7
from django.conf import settings
from django.utils import timezone

from gomruk.signatures.pki import PrivateKey

#: The demo directory's list of identities (written by ``gomruk.demo.pki.demo_pki_create``).
MANIFEST = "identities.json"


def demo_dir() -> Path:
    """GOMRUK_DEMO_DIR, by default GOMRUK_HOME/demo."""
    return Path(settings.GOMRUK_DEMO_DIR)


def demo_identities_read(directory: Path) -> list[dict[str, str | None]]:
    path = Path(directory) / MANIFEST
    if not path.exists():
        return []
    return list(json.loads(path.read_text(encoding="utf-8")))


# --- Signing ---------------------------------------------------------------------------

_BUILDER_HASHES = (hashes.SHA224, hashes.SHA256, hashes.SHA384, hashes.SHA512)


def _load_pair(key_pem: bytes, cert_pem: bytes) -> tuple[PrivateKey, list[x509.Certificate]]:
    key = serialization.load_pem_private_key(key_pem, password=None)
    if not isinstance(key, rsa.RSAPrivateKey | ec.EllipticCurvePrivateKey):
        raise ValueError("only RSA and EC keys can sign")
    certificates = x509.load_pem_x509_certificates(cert_pem)
    return key, certificates


def sign_payload(
    payload: bytes,
    *,
    key_pem: bytes,
    cert_pem: bytes,
    hash_algorithm: hashes.HashAlgorithm | None = None,
) -> bytes:
    """Detached CMS signature (DER) over ``payload``, as broker software would make it.

    ``cert_pem`` holds the signer's certificate first, then any intermediates to include.
    """
    hash_algorithm = hash_algorithm or hashes.SHA256()
    key, certificates = _load_pair(key_pem, cert_pem)
    if not isinstance(hash_algorithm, _BUILDER_HASHES):
        # cryptography refuses to make SHA-1/MD5 signatures; tests still need them to prove
        # that verification refuses them, so those are assembled by hand.
        digest = hashlib.new(hash_algorithm.name, payload).digest()
        return sign_digest(digest, key_pem=key_pem, cert_pem=cert_pem, hash_name=hash_algorithm.name)
    builder = pkcs7.PKCS7SignatureBuilder().set_data(payload).add_signer(
        certificates[0], key, hash_algorithm  # type: ignore[arg-type]
    )
    for extra in certificates[1:]:
        builder = builder.add_certificate(extra)
    return builder.sign(
        serialization.Encoding.DER, [pkcs7.PKCS7Options.DetachedSignature, pkcs7.PKCS7Options.Binary]
    )


def sign_digest(
    digest: bytes,
    *,
    key_pem: bytes,
    cert_pem: bytes,
    hash_name: str = "sha256",
    signing_time: datetime | None = None,
) -> bytes:
    """CAdES-BES detached signature from the content's digest only — what a phone SIM does.

    Signed attributes: contentType, signingTime, messageDigest and signingCertificateV2.
    """
    key, certificates = _load_pair(key_pem, cert_pem)
    signer = asn1_x509.Certificate.load(certificates[0].public_bytes(serialization.Encoding.DER))
    signer_der = signer.dump()
    attributes = cms.CMSAttributes(
        [
            cms.CMSAttribute({"type": "content_type", "values": ["data"]}),
            cms.CMSAttribute(
                {"type": "signing_time", "values": [cms.Time({"utc_time": signing_time or timezone.now()})]}
            ),
            cms.CMSAttribute({"type": "message_digest", "values": [digest]}),
            cms.CMSAttribute(
                {
                    "type": "signing_certificate_v2",
                    "values": [
                        {
                            "certs": [
                                {
                                    "hash_algorithm": {"algorithm": "sha256"},
                                    "cert_hash": hashlib.sha256(signer_der).digest(),
                                }
                            ]
                        }
                    ],
                }
            ),
        ]
    )
    signed = attributes.dump()
    hash_algorithm = getattr(hashes, hash_name.upper())()
    if isinstance(key, rsa.RSAPrivateKey):
        signature = key.sign(signed, padding.PKCS1v15(), hash_algorithm)
        signature_algorithm = "rsassa_pkcs1v15"
    else:
        signature = key.sign(signed, ec.ECDSA(hash_algorithm))
        signature_algorithm = f"{hash_name}_ecdsa"
    signer_info = cms.SignerInfo(
        {
            "version": "v1",
            "sid": cms.SignerIdentifier(
                {
                    "issuer_and_serial_number": {
                        "issuer": signer.issuer,
                        "serial_number": signer.serial_number,
                    }
                }
            ),
            "digest_algorithm": algos.DigestAlgorithm({"algorithm": hash_name}),
            "signed_attrs": attributes,
            "signature_algorithm": algos.SignedDigestAlgorithm({"algorithm": signature_algorithm}),
            "signature": core.OctetString(signature),
        }
    )
    signed_data = cms.SignedData(
        {
            "version": "v1",
            "digest_algorithms": [algos.DigestAlgorithm({"algorithm": hash_name})],
            "encap_content_info": {"content_type": "data"},
            "certificates": [
                asn1_x509.Certificate.load(c.public_bytes(serialization.Encoding.DER)) for c in certificates
            ],
            "signer_infos": [signer_info],
        }
    )
    return cms.ContentInfo({"content_type": "signed_data", "content": signed_data}).dump()
