"""Signatures made by standard tools verify; ours verify with standard tools."""

from __future__ import annotations

import hashlib
import subprocess

import pytest
from cryptography.hazmat.primitives import hashes

from gomruk.signatures.local import sign_digest
from gomruk.signatures.services import signature_verify

PAYLOAD = '{"a":"Gömrük bəyannaməsi","n":1}'.encode()


def openssl_sign(tmp_path, cert, key, *extra: str, outform: str = "DER", md: str = "sha256") -> bytes:
    (tmp_path / "payload").write_bytes(PAYLOAD)
    subprocess.run(
        ["openssl", "cms", "-sign", "-binary", "-outform", outform, "-md", md,
         "-in", str(tmp_path / "payload"), "-signer", str(cert), "-inkey", str(key),
         "-out", str(tmp_path / "sig"), *extra],
        check=True,
    )
    return (tmp_path / "sig").read_bytes()


@pytest.mark.parametrize("kind", ["good", "rsa2048"])
def test_openssl_cms_sign_der_verifies(trusted, tmp_path, kind):
    """The exact command of the issue: openssl cms -sign -binary -outform DER -md sha256."""
    signature = openssl_sign(tmp_path, *trusted.paths(kind))
    verified = signature_verify(payload=PAYLOAD, signature=signature)
    assert verified.voen == trusted.voen
    assert verified.signature_der == signature


@pytest.mark.parametrize("md", ["sha384", "sha512"])
def test_openssl_stronger_digests_verify(trusted, tmp_path, md):
    signature = openssl_sign(tmp_path, *trusted.paths(), md=md)
    assert signature_verify(payload=PAYLOAD, signature=signature).voen == trusted.voen


def test_openssl_pem_with_intermediate_verifies(trusted, tmp_path):
    cert, key = trusted.paths("chained")
    signature = openssl_sign(tmp_path, cert, key, "-certfile", str(trusted.directory / "intermediate.pem"), outform="PEM")
    assert signature.startswith(b"-----BEGIN")
    verified = signature_verify(payload=PAYLOAD, signature=signature)
    assert verified.signer_name == "Chained Signer"
    # PEM in, DER kept: the stored signature does not depend on the transport armour.
    assert verified.signature_der[:1] == b"\x30"


def test_openssl_cades_with_signing_certificate_v2_verifies(trusted, tmp_path):
    signature = openssl_sign(tmp_path, *trusted.paths(), "-cades")
    assert signature_verify(payload=PAYLOAD, signature=signature).voen == trusted.voen


def test_openssl_rsa_pss_verifies(trusted, tmp_path):
    signature = openssl_sign(tmp_path, *trusted.paths("rsa2048"), "-keyopt", "rsa_padding_mode:pss")
    assert signature_verify(payload=PAYLOAD, signature=signature).voen == trusted.voen


def test_chain_without_intermediate_is_untrusted(trusted, tmp_path):
    cert, key = trusted.paths("chained")
    (tmp_path / "leaf.pem").write_bytes(trusted.certificates["chained"].cert_pem)
    signature = openssl_sign(tmp_path, tmp_path / "leaf.pem", key)
    with pytest.raises(Exception) as caught:
        signature_verify(payload=PAYLOAD, signature=signature)
    assert caught.value.code == "signature_untrusted"


def _openssl_verify(tmp_path, trusted, signature: bytes) -> subprocess.CompletedProcess:
    (tmp_path / "payload").write_bytes(PAYLOAD)
    (tmp_path / "ours.der").write_bytes(signature)
    return subprocess.run(
        ["openssl", "cms", "-verify", "-binary", "-inform", "DER", "-in", str(tmp_path / "ours.der"),
         "-content", str(tmp_path / "payload"), "-CAfile", str(trusted.anchors_path),
         "-purpose", "any", "-out", str(tmp_path / "out")],
        capture_output=True, text=True,
    )


@pytest.mark.parametrize("kind", ["good", "rsa2048", "chained"])
def test_openssl_verifies_sign_payload(trusted, tmp_path, kind):
    result = _openssl_verify(tmp_path, trusted, trusted.sign(PAYLOAD, kind))
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "out").read_bytes() == PAYLOAD


@pytest.mark.parametrize("kind", ["good", "rsa2048"])
def test_digest_only_cades_verifies_both_ways(trusted, tmp_path, kind):
    """What the Asan SIM produces from the digest alone is a standard CAdES-BES signature."""
    signature = sign_digest(hashlib.sha256(PAYLOAD).digest(), key_pem=trusted.key_pem(kind), cert_pem=trusted.cert_pem(kind))
    assert signature_verify(payload=PAYLOAD, signature=signature).voen == trusted.voen
    result = _openssl_verify(tmp_path, trusted, signature)
    assert result.returncode == 0, result.stderr


def test_signing_certificate_v2_must_name_the_signer(trusted):
    """A CAdES signature whose signingCertificateV2 hash names another certificate is refused."""
    from asn1crypto import cms

    signature = sign_digest(hashlib.sha256(PAYLOAD).digest(), key_pem=trusted.key_pem(), cert_pem=trusted.cert_pem())
    info = cms.ContentInfo.load(signature)
    attrs = info["content"]["signer_infos"][0]["signed_attrs"]
    for attribute in attrs:
        if attribute["type"].native == "signing_certificate_v2":
            original = attribute["values"][0]["certs"][0]["cert_hash"].native
            attribute["values"][0]["certs"][0]["cert_hash"] = bytes(b ^ 1 for b in original)
    with pytest.raises(Exception) as caught:
        signature_verify(payload=PAYLOAD, signature=info.dump(force=True))
    # Either the bound hash or the (now broken) signature over the attributes refuses it.
    assert caught.value.code == "signature_mismatch"


def test_sha384_sign_payload_verifies(trusted):
    signature = trusted.sign(PAYLOAD, hash_algorithm=hashes.SHA384())
    assert signature_verify(payload=PAYLOAD, signature=signature).voen == trusted.voen
