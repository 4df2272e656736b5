"""Detached CMS (CAdES-BES) signatures: read one and check it cryptographically.

``asn1crypto`` parses the structure; ``cryptography`` does the maths. This module answers
only "did the holder of this certificate's key sign exactly these bytes, with strong
algorithms?" — whether the certificate is to be trusted is ``trust.py``'s question.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from asn1crypto import (
    algos,
    cms,
    tsp,  # noqa: F401  (registers signingCertificateV2 with cms)
)
from cryptography import x509
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa
from cryptography.hazmat.primitives.serialization import Encoding

from gomruk.core.encoding import pem_to_der
from gomruk.signatures.errors import signature_error

MAX_SIGNATURE_BYTES = 1024 * 1024

STRONG_HASHES: dict[str, type[hashes.HashAlgorithm]] = {
    "sha256": hashes.SHA256,
    "sha384": hashes.SHA384,
    "sha512": hashes.SHA512,
    "sha3_256": hashes.SHA3_256,
    "sha3_384": hashes.SHA3_384,
    "sha3_512": hashes.SHA3_512,
}
MIN_RSA_BITS = 2048
MIN_EC_BITS = 256


@dataclass(frozen=True)
class ParsedSignature:
    """A CMS signature whose signer's signature over the payload has been checked."""

    signer: x509.Certificate
    extra_certificates: list[x509.Certificate]
    signing_time: datetime | None
    der: bytes


@dataclass(frozen=True)
class StoredContent:
    """Signed content known by its SHA-256 digest (a database hashed the stored bytes), its
    bytes read only if a check needs them: a CAdES signature made with SHA-256 is checked
    against the digest alone. ``read`` returns the bytes; they must hash to ``sha256``."""

    sha256: bytes
    read: Callable[[], bytes]

    def bytes(self) -> bytes:
        content = self.read()
        if hashlib.sha256(content).digest() != self.sha256:
            raise signature_error("signature_mismatch", reason="the stored content no longer hashes to its digest")
        return content


Content = bytes | StoredContent


def _content_bytes(content: Content) -> bytes:
    return content.bytes() if isinstance(content, StoredContent) else content


def _content_digest(content: Content, algorithm: hashes.HashAlgorithm) -> bytes:
    if isinstance(content, StoredContent) and isinstance(algorithm, hashes.SHA256):
        return content.sha256
    digest = hashes.Hash(algorithm)
    digest.update(_content_bytes(content))
    return digest.finalize()


def _to_der(signature: bytes) -> bytes:
    try:
        return pem_to_der(signature)
    except ValueError as exc:
        raise signature_error("signature_garbage", reason="bad PEM armour") from exc


def _load(signature: bytes) -> tuple[cms.ContentInfo, bytes]:
    if not signature or len(signature) > MAX_SIGNATURE_BYTES:
        raise signature_error("signature_garbage", reason="empty or oversized")
    der = _to_der(signature)
    try:
        info = cms.ContentInfo.load(der, strict=True)
        if info["content_type"].native != "signed_data":
            raise signature_error("signature_garbage", reason="not CMS SignedData")
        # Force a full parse now, so malformed inner structures fail here and not later. The
        # certificates are parsed whole by ``cryptography`` (:func:`_certificates`), strictly
        # and far faster than building asn1crypto's native form of every name and extension;
        # here only the SET OF around them and each choice's outer structure are opened.
        info["content"]["signer_infos"].native  # noqa: B018
        for choice in info["content"]["certificates"] or []:
            choice.chosen  # noqa: B018
    except (ValueError, TypeError, KeyError) as exc:
        raise signature_error("signature_garbage", reason=str(exc)[:200]) from exc
    return info, der


def _hash_name(algorithm: algos.DigestAlgorithm | algos.SignedDigestAlgorithm) -> str:
    if isinstance(algorithm, algos.SignedDigestAlgorithm):
        return algorithm.hash_algo
    return str(algorithm["algorithm"].native)


def _strong_hash(name: str) -> hashes.HashAlgorithm:
    if name not in STRONG_HASHES:
        raise signature_error("signature_weak_algorithm", algorithm=name)
    return STRONG_HASHES[name]()


def check_key_strength(certificate: x509.Certificate) -> None:
    key = certificate.public_key()
    if isinstance(key, rsa.RSAPublicKey):
        if key.key_size < MIN_RSA_BITS:
            raise signature_error("signature_weak_key", key=f"RSA-{key.key_size}")
    elif isinstance(key, ec.EllipticCurvePublicKey):
        if key.curve.key_size < MIN_EC_BITS:
            raise signature_error("signature_weak_key", key=f"EC {key.curve.name}")
    else:
        raise signature_error("signature_weak_key", key=type(key).__name__, reason="unsupported key type")


def check_certificate_hash(certificate: x509.Certificate) -> None:
    """The issuer's signature on a certificate must use SHA-256 or stronger, too."""
    algorithm = certificate.signature_hash_algorithm
    if algorithm is None or algorithm.name.replace("-", "_") not in STRONG_HASHES:
        name = algorithm.name if algorithm else certificate.signature_algorithm_oid.dotted_string
        raise signature_error(
            "signature_weak_algorithm", algorithm=name, certificate=certificate.subject.rfc4514_string()
        )


def _certificates(signed_data: cms.SignedData) -> list[tuple[Any, x509.Certificate]]:
    found = []
    for choice in signed_data["certificates"] or []:
        if choice.name != "certificate":
            continue
        try:
            found.append((choice.chosen, x509.load_der_x509_certificate(choice.chosen.dump())))
        except ValueError as exc:
            raise signature_error("signature_garbage", reason=f"bad certificate: {exc}") from exc
    return found


def _same_name(ours: Any, theirs: Any) -> bool:
    """RFC 5280 name matching; the same DER is the same name, without asn1crypto's string
    preparation of every attribute (most of a signature check's time)."""
    return bool(ours.dump() == theirs.dump() or ours == theirs)


def _signer_certificate(signer_info: cms.SignerInfo, certificates: list[tuple[Any, x509.Certificate]]) -> x509.Certificate:
    sid = signer_info["sid"]
    try:
        for parsed, certificate in certificates:
            if sid.name == "issuer_and_serial_number":
                if parsed.serial_number == sid.chosen["serial_number"].native and _same_name(parsed.issuer, sid.chosen["issuer"]):
                    return certificate
            elif sid.name == "subject_key_identifier" and parsed.key_identifier == sid.chosen.native:
                return certificate
    except (ValueError, TypeError, KeyError) as exc:  # parts of a certificate asn1crypto reads lazily
        raise signature_error("signature_garbage", reason=str(exc)[:200]) from exc
    raise signature_error("signature_garbage", reason="the signer's certificate is not in the signature")


def _verify_raw(
    certificate: x509.Certificate,
    signer_info: cms.SignerInfo,
    signed: bytes,
    hash_algorithm: hashes.HashAlgorithm,
) -> None:
    key = certificate.public_key()
    signature = signer_info["signature"].native
    algorithm = signer_info["signature_algorithm"]
    try:
        if isinstance(key, rsa.RSAPublicKey):
            if algorithm.signature_algo == "rsassa_pss":
                params = algorithm["parameters"]
                pss_hash = _strong_hash(params["hash_algorithm"]["algorithm"].native)
                mgf_hash = _strong_hash(params["mask_gen_algorithm"]["parameters"]["algorithm"].native)
                pad: padding.AsymmetricPadding = padding.PSS(
                    mgf=padding.MGF1(mgf_hash), salt_length=params["salt_length"].native
                )
                key.verify(signature, signed, pad, pss_hash)
            else:
                key.verify(signature, signed, padding.PKCS1v15(), hash_algorithm)
        elif isinstance(key, ec.EllipticCurvePublicKey):
            key.verify(signature, signed, ec.ECDSA(hash_algorithm))
        else:
            raise signature_error("signature_weak_key", key=type(key).__name__, reason="unsupported key type")
    except InvalidSignature as exc:
        raise signature_error("signature_mismatch", reason="the signature value does not verify") from exc


def _attributes(signer_info: cms.SignerInfo) -> dict[str, Any]:
    values: dict[str, Any] = {}
    for attribute in signer_info["signed_attrs"]:
        name = attribute["type"].native
        if name in values or len(attribute["values"]) != 1:
            raise signature_error("signature_garbage", reason=f"attribute {name} is repeated")
        values[name] = attribute["values"][0]
    return values


def cms_check(*, payload: Content, signature: bytes) -> ParsedSignature:
    """Parse a (DER or PEM) detached CMS signature and check it covers exactly ``payload``
    (its bytes, or a :class:`StoredContent`)."""
    info, der = _load(signature)
    signed_data: cms.SignedData = info["content"]
    signer_infos = signed_data["signer_infos"]
    if len(signer_infos) != 1:
        raise signature_error("signature_garbage", reason=f"{len(signer_infos)} signers; exactly one expected")
    signer_info = signer_infos[0]
    embedded = signed_data["encap_content_info"]["content"].native
    if embedded is not None and embedded != _content_bytes(payload):
        raise signature_error("signature_mismatch", reason="the embedded content differs from the payload")

    certificates = _certificates(signed_data)
    signer = _signer_certificate(signer_info, certificates)
    # Algorithm strength before anything else: a SHA-1 signature is refused as such,
    # whether or not it happens to verify.
    digest_hash = _strong_hash(_hash_name(signer_info["digest_algorithm"]))
    try:
        signature_hash_name = signer_info["signature_algorithm"].hash_algo
    except ValueError:
        signature_hash_name = None  # rsaEncryption / PSS: the digest algorithm applies
    if signature_hash_name is not None:
        _strong_hash(signature_hash_name)
    check_key_strength(signer)

    signing_time = None
    if signer_info["signed_attrs"].native is None:
        _verify_raw(signer, signer_info, _content_bytes(payload), digest_hash)
    else:
        attributes = _attributes(signer_info)
        if "message_digest" not in attributes or "content_type" not in attributes:
            raise signature_error("signature_garbage", reason="messageDigest or contentType missing")
        if attributes["content_type"].native != "data":
            raise signature_error("signature_garbage", reason="signed content type is not data")
        if attributes["message_digest"].native != _content_digest(payload, digest_hash):
            raise signature_error("signature_mismatch", reason="messageDigest differs from the payload's hash")
        if "signing_time" in attributes:
            signing_time = attributes["signing_time"].native
        _check_signing_certificate_v2(attributes.get("signing_certificate_v2"), signer)
        # The signature covers the DER of the attributes as a SET OF, not as the [0] field.
        signed_attrs = signer_info["signed_attrs"].dump()
        _verify_raw(signer, signer_info, b"\x31" + signed_attrs[1:], digest_hash)

    others = [cert for _, cert in certificates if cert != signer]
    return ParsedSignature(signer=signer, extra_certificates=others, signing_time=signing_time, der=der)


def _check_signing_certificate_v2(value: Any, signer: x509.Certificate) -> None:
    """CAdES binds the signer's certificate by hash; when bound, it must be this one."""
    if value is None:
        return
    certs = value["certs"]
    if not certs:
        return
    first = certs[0]
    name = first["hash_algorithm"]["algorithm"].native
    if name not in STRONG_HASHES:
        raise signature_error("signature_weak_algorithm", algorithm=name)
    expected = hashlib.new(name, signer.public_bytes(Encoding.DER))
    if first["cert_hash"].native != expected.digest():
        raise signature_error("signature_mismatch", reason="signingCertificateV2 names another certificate")
