"""A throw-away PKI for tests (this app's and the lifecycle's).

    from gomruk.demo.testing import make_test_pki

    @pytest.fixture(scope="session")
    def pki(tmp_path_factory):
        return make_test_pki(tmp_path_factory.mktemp("pki"))

    def test_sign(pki, settings):
        pki.configure(settings)            # trust this CA and its CRL
        signature = pki.sign(b"payload")   # the "good" certificate, VÖEN pki.voen
        ...

Every certificate listed in :data:`KINDS` exists; ``pki.sign(payload, "revoked")`` signs with
that one. Keys are EC P-256 except the RSA cases, so building the PKI takes well under a second.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives import hashes, serialization
from django.utils import timezone

from gomruk.signatures.local import sign_payload
from gomruk.signatures.pki import (
    ENCIPHERMENT_KEY_USAGE,
    Issued,
    SubjectSpec,
    issue_leaf,
    make_ca,
    make_crl,
    write_pem,
)
from gomruk.signatures.trust import TrustStore

TEST_VOEN = "1400057421"
OTHER_VOEN = "9900003611"
BROKER_VOEN = "1700038881"
TEST_FIN = "5ABCD12"

KINDS = (
    "good",  # VÖEN TEST_VOEN, EC P-256, valid
    "rsa2048",  # VÖEN TEST_VOEN, RSA 2048, valid
    "person",  # FIN TEST_FIN only (a natural person)
    "other",  # VÖEN OTHER_VOEN
    "broker",  # VÖEN BROKER_VOEN (a broker firm)
    "chained",  # VÖEN TEST_VOEN, issued by an intermediate CA
    "expired",
    "not_yet_valid",
    "revoked",
    "wrong_key_usage",  # keyEncipherment only
    "sha1",  # certificate signed with SHA-1 by the CA
    "rsa1024",
    "untrusted",  # issued by a CA that is not a trust anchor
)


@dataclass
class TestPKI:
    directory: Path
    ca: Issued
    intermediate: Issued
    untrusted_ca: Issued
    certificates: dict[str, Issued] = field(default_factory=dict)
    voen: str = TEST_VOEN
    other_voen: str = OTHER_VOEN
    broker_voen: str = BROKER_VOEN
    fin: str = TEST_FIN

    __test__ = False  # not a pytest test class, despite the name

    @property
    def anchors_path(self) -> Path:
        return self.directory / "ca.pem"

    @property
    def crl_paths(self) -> list[Path]:
        return [self.directory / "crl.pem", self.directory / "intermediate-crl.pem"]

    def store(self) -> TrustStore:
        from cryptography import x509

        crls = tuple(x509.load_pem_x509_crl(path.read_bytes()) for path in self.crl_paths)
        return TrustStore((self.ca.certificate,), crls)

    def configure(self, settings: Any) -> None:
        """Point the trust settings at this PKI (pytest-django's ``settings`` fixture)."""
        settings.GOMRUK_TRUST_ANCHORS = [str(self.anchors_path)]
        settings.GOMRUK_CRLS = [str(path) for path in self.crl_paths]

    def cert_pem(self, kind: str = "good") -> bytes:
        """The signer's certificate, followed by the intermediate when it needs one."""
        pem = self.certificates[kind].cert_pem
        if kind == "chained":
            pem += self.intermediate.cert_pem
        return pem

    def key_pem(self, kind: str = "good") -> bytes:
        return self.certificates[kind].key_pem

    def paths(self, kind: str = "good") -> tuple[Path, Path]:
        """(certificate, key) PEM files, e.g. for ``openssl cms -sign``."""
        return self.directory / f"{kind}.pem", self.directory / f"{kind}-key.pem"

    def sign(self, payload: bytes, kind: str = "good", hash_algorithm: hashes.HashAlgorithm | None = None) -> bytes:
        return sign_payload(
            payload, key_pem=self.key_pem(kind), cert_pem=self.cert_pem(kind), hash_algorithm=hash_algorithm
        )


def make_test_pki(directory: Path) -> TestPKI:
    directory = Path(directory)
    now = timezone.now()
    ca = make_ca("Test Root CA", key_kind="ec256")
    intermediate = make_ca("Test Intermediate CA", issuer=ca, key_kind="ec256")
    untrusted_ca = make_ca("Untrusted Root CA", key_kind="ec256")
    pki = TestPKI(directory, ca, intermediate, untrusted_ca)

    def subject(name: str, voen: str | None = TEST_VOEN, fin: str | None = None) -> SubjectSpec:
        return SubjectSpec(common_name=name, voen=voen, fin=fin, organization=f"Test {name}")

    issued = {
        "good": issue_leaf(ca, subject("Good Signer")),
        "rsa2048": issue_leaf(ca, subject("RSA Signer"), key_kind="rsa2048"),
        "person": issue_leaf(ca, SubjectSpec("Əli Məmmədov", fin=TEST_FIN, given_name="Əli", surname="Məmmədov")),
        "other": issue_leaf(ca, subject("Other Trader", voen=OTHER_VOEN)),
        "broker": issue_leaf(ca, subject("Broker Firm", voen=BROKER_VOEN)),
        "chained": issue_leaf(intermediate, subject("Chained Signer")),
        "expired": issue_leaf(
            ca, subject("Expired"), not_before=now - timedelta(days=400), not_after=now - timedelta(days=30)
        ),
        "not_yet_valid": issue_leaf(
            ca, subject("Future"), not_before=now + timedelta(days=30), not_after=now + timedelta(days=400)
        ),
        "revoked": issue_leaf(ca, subject("Revoked")),
        "wrong_key_usage": issue_leaf(ca, subject("Encipherment"), key_usage=ENCIPHERMENT_KEY_USAGE),
        "sha1": issue_leaf(ca, subject("SHA-1 Certificate"), hash_algorithm=hashes.SHA1()),  # noqa: S303
        "rsa1024": issue_leaf(ca, subject("RSA-1024"), key_kind="rsa1024"),
        "untrusted": issue_leaf(untrusted_ca, subject("Untrusted")),
    }
    pki.certificates = issued
    write_pem(directory / "ca.pem", ca.cert_pem)
    write_pem(directory / "ca-key.pem", ca.key_pem, private=True)
    write_pem(directory / "intermediate.pem", intermediate.cert_pem)
    write_pem(directory / "untrusted-ca.pem", untrusted_ca.cert_pem)
    for kind, item in issued.items():
        cert_path, key_path = pki.paths(kind)
        write_pem(cert_path, pki.cert_pem(kind))
        write_pem(key_path, item.key_pem, private=True)
    crl = make_crl(ca, [issued["revoked"].certificate])
    write_pem(directory / "crl.pem", crl.public_bytes(serialization.Encoding.PEM))
    write_pem(
        directory / "intermediate-crl.pem",
        make_crl(intermediate, []).public_bytes(serialization.Encoding.PEM),
    )
    return pki
