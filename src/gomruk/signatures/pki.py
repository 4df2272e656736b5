"""Building blocks for development certificate authorities (demo keys and test fixtures).

Not used to verify anything: verification trusts only what ``trust.py`` loads. The
certificates carry the extensions ``cryptography.x509.verification`` insists on (critical
BasicConstraints and KeyUsage on CAs, key identifiers), so they chain exactly as real ones do.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path

from asn1crypto import algos as asn1_algos
from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa
from cryptography.hazmat.primitives.asymmetric.types import CertificateIssuerPrivateKeyTypes
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID
from django.utils import timezone

PrivateKey = rsa.RSAPrivateKey | ec.EllipticCurvePrivateKey

OID_ORGANIZATION_IDENTIFIER = x509.ObjectIdentifier("2.5.4.97")

# What a qualified signing certificate allows: signatures and non-repudiation.
SIGNING_KEY_USAGE = x509.KeyUsage(
    digital_signature=True,
    content_commitment=True,
    key_encipherment=False,
    data_encipherment=False,
    key_agreement=False,
    key_cert_sign=False,
    crl_sign=False,
    encipher_only=False,
    decipher_only=False,
)
# A key made for encryption only: the "wrong key usage" case.
ENCIPHERMENT_KEY_USAGE = x509.KeyUsage(
    digital_signature=False,
    content_commitment=False,
    key_encipherment=True,
    data_encipherment=True,
    key_agreement=False,
    key_cert_sign=False,
    crl_sign=False,
    encipher_only=False,
    decipher_only=False,
)
CA_KEY_USAGE = x509.KeyUsage(
    digital_signature=False,
    content_commitment=False,
    key_encipherment=False,
    data_encipherment=False,
    key_agreement=False,
    key_cert_sign=True,
    crl_sign=True,
    encipher_only=False,
    decipher_only=False,
)


@dataclass
class Issued:
    certificate: x509.Certificate
    key: PrivateKey

    @property
    def cert_pem(self) -> bytes:
        return self.certificate.public_bytes(serialization.Encoding.PEM)

    @property
    def key_pem(self) -> bytes:
        return self.key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )


@dataclass
class SubjectSpec:
    common_name: str
    voen: str | None = None
    fin: str | None = None
    given_name: str | None = None
    surname: str | None = None
    organization: str | None = None
    extra: list[x509.NameAttribute] = field(default_factory=list)

    def name(self) -> x509.Name:
        attrs = [x509.NameAttribute(NameOID.COUNTRY_NAME, "AZ")]
        if self.organization:
            attrs.append(x509.NameAttribute(NameOID.ORGANIZATION_NAME, self.organization))
        if self.voen:
            # ETSI EN 319 412-1 semantics identifier: "VAT" + country + "-" + number.
            attrs.append(x509.NameAttribute(OID_ORGANIZATION_IDENTIFIER, f"VATAZ-{self.voen}"))
        if self.fin:
            attrs.append(x509.NameAttribute(NameOID.SERIAL_NUMBER, self.fin))
        if self.given_name:
            attrs.append(x509.NameAttribute(NameOID.GIVEN_NAME, self.given_name))
        if self.surname:
            attrs.append(x509.NameAttribute(NameOID.SURNAME, self.surname))
        attrs.extend(self.extra)
        attrs.append(x509.NameAttribute(NameOID.COMMON_NAME, self.common_name))
        return x509.Name(attrs)


def new_key(kind: str = "ec256") -> PrivateKey:
    if kind == "ec256":
        return ec.generate_private_key(ec.SECP256R1())
    if kind == "ec384":
        return ec.generate_private_key(ec.SECP384R1())
    if kind == "ec192":
        return ec.generate_private_key(ec.SECP192R1())
    if kind.startswith("rsa"):
        return rsa.generate_private_key(public_exponent=65537, key_size=int(kind[3:]))
    raise ValueError(f"unknown key kind {kind!r}")


def _serial() -> int:
    return x509.random_serial_number()


def make_ca(
    common_name: str,
    *,
    issuer: Issued | None = None,
    key_kind: str = "ec384",
    not_before: datetime | None = None,
    not_after: datetime | None = None,
) -> Issued:
    """A root (self-signed) or, with ``issuer``, an intermediate CA."""
    now = timezone.now()
    key = new_key(key_kind)
    name = x509.Name(
        [
            x509.NameAttribute(NameOID.COUNTRY_NAME, "AZ"),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, "Gömrük development PKI"),
            x509.NameAttribute(NameOID.COMMON_NAME, common_name),
        ]
    )
    signer_key: CertificateIssuerPrivateKeyTypes = issuer.key if issuer else key
    builder = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(issuer.certificate.subject if issuer else name)
        .public_key(key.public_key())
        .serial_number(_serial())
        .not_valid_before(not_before or now - timedelta(days=3650))
        .not_valid_after(not_after or now + timedelta(days=3650))
        .add_extension(x509.BasicConstraints(ca=True, path_length=None if issuer is None else 0), critical=True)
        .add_extension(CA_KEY_USAGE, critical=True)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(signer_key.public_key()),  # type: ignore[arg-type]
            critical=False,
        )
    )
    return Issued(builder.sign(signer_key, hashes.SHA384() if issuer is None else hashes.SHA256()), key)


def issue_leaf(
    ca: Issued,
    subject: SubjectSpec,
    *,
    key: PrivateKey | None = None,
    key_kind: str = "ec256",
    not_before: datetime | None = None,
    not_after: datetime | None = None,
    key_usage: x509.KeyUsage = SIGNING_KEY_USAGE,
    extended_key_usage: list[x509.ObjectIdentifier] | None = None,
    hash_algorithm: hashes.HashAlgorithm | None = None,
    email: str | None = None,
) -> Issued:
    """An end-entity signing certificate issued by ``ca``."""
    now = timezone.now()
    key = key or new_key(key_kind)
    ekus = extended_key_usage if extended_key_usage is not None else [
        ExtendedKeyUsageOID.CLIENT_AUTH,
        ExtendedKeyUsageOID.EMAIL_PROTECTION,
    ]
    builder = (
        x509.CertificateBuilder()
        .subject_name(subject.name())
        .issuer_name(ca.certificate.subject)
        .public_key(key.public_key())
        .serial_number(_serial())
        .not_valid_before(not_before or now - timedelta(days=1))
        .not_valid_after(not_after or now + timedelta(days=730))
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(key_usage, critical=True)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(ca.key.public_key()), critical=False
        )
    )
    if ekus:
        builder = builder.add_extension(x509.ExtendedKeyUsage(ekus), critical=False)
    if email:
        builder = builder.add_extension(
            x509.SubjectAlternativeName([x509.RFC822Name(email)]), critical=False
        )
    certificate = builder.sign(ca.key, hashes.SHA256())
    if hash_algorithm is not None and not isinstance(hash_algorithm, hashes.SHA256):
        certificate = resign(certificate, ca.key, hash_algorithm)
    return Issued(certificate, key)


def resign(
    certificate: x509.Certificate, issuer_key: PrivateKey, hash_algorithm: hashes.HashAlgorithm
) -> x509.Certificate:
    """The same certificate signed with another hash.

    cryptography refuses to issue SHA-1 certificates, yet tests must prove that such
    certificates are refused, so the TBS part is re-signed by hand.
    """
    parsed = asn1_x509.Certificate.load(certificate.public_bytes(serialization.Encoding.DER))
    kind = "ecdsa" if isinstance(issuer_key, ec.EllipticCurvePrivateKey) else "rsa"
    algorithm = asn1_algos.SignedDigestAlgorithm({"algorithm": f"{hash_algorithm.name}_{kind}"})
    tbs = parsed["tbs_certificate"].copy()
    tbs["signature"] = algorithm
    data = tbs.dump(force=True)
    if isinstance(issuer_key, ec.EllipticCurvePrivateKey):
        signature = issuer_key.sign(data, ec.ECDSA(hash_algorithm))
    else:
        signature = issuer_key.sign(data, padding.PKCS1v15(), hash_algorithm)
    rebuilt = asn1_x509.Certificate(
        {"tbs_certificate": tbs, "signature_algorithm": algorithm, "signature_value": signature}
    )
    return x509.load_der_x509_certificate(rebuilt.dump())


def make_crl(
    ca: Issued,
    revoked: list[x509.Certificate],
    *,
    next_update: timedelta = timedelta(days=30),
    revoked_at: datetime | None = None,
) -> x509.CertificateRevocationList:
    """A CRL of ``ca`` listing ``revoked``, each revoked at ``revoked_at`` (default: five
    minutes ago)."""
    now = timezone.now()
    builder = (
        x509.CertificateRevocationListBuilder()
        .issuer_name(ca.certificate.subject)
        .last_update(now - timedelta(minutes=5))
        .next_update(now + next_update)
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(ca.key.public_key()), critical=False
        )
        .add_extension(x509.CRLNumber(int(now.timestamp())), critical=False)
    )
    for certificate in revoked:
        builder = builder.add_revoked_certificate(
            x509.RevokedCertificateBuilder()
            .serial_number(certificate.serial_number)
            .revocation_date(revoked_at or now - timedelta(minutes=5))
            .build()
        )
    return builder.sign(ca.key, hashes.SHA256())


def write_pem(path: Path, data: bytes, *, private: bool = False) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    if private:
        path.chmod(0o600)


def load_issued(cert_path: Path, key_path: Path) -> Issued | None:
    """An existing certificate and key pair, or None when either file is missing."""
    if not (cert_path.exists() and key_path.exists()):
        return None
    certificate = x509.load_pem_x509_certificate(cert_path.read_bytes())
    key = serialization.load_pem_private_key(key_path.read_bytes(), password=None)
    if not isinstance(key, rsa.RSAPrivateKey | ec.EllipticCurvePrivateKey):
        raise ValueError(f"{key_path}: unsupported key type")
    return Issued(certificate, key)
