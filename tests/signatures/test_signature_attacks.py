"""Every attack named in issue 4 is refused with its own error code and a bilingual message."""

from __future__ import annotations

import hashlib
import subprocess
from datetime import timedelta

import pytest
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.serialization import Encoding
from django.utils import timezone

from gomruk.core.errors import GomrukError
from gomruk.signatures.local import sign_digest
from gomruk.signatures.pki import make_crl
from gomruk.signatures.services import signature_verify

PAYLOAD = b'{"declaration":"v2","goods":[{"item":1,"commodity_code":"8471300000"}]}'


def refused(payload: bytes, signature: bytes, **kwargs) -> GomrukError:
    with pytest.raises(GomrukError) as caught:
        signature_verify(payload=payload, signature=signature, **kwargs)
    error = caught.value
    assert error.message_az and error.message_en and error.message_az != error.message_en
    return error


def test_good_signature_verifies(trusted):
    verified = signature_verify(payload=PAYLOAD, signature=trusted.sign(PAYLOAD))
    certificate = trusted.certificates["good"].certificate
    assert verified.provider == "certificate"
    assert verified.voen == trusted.voen
    assert verified.signer_name == "Good Signer"
    assert verified.certificate_serial == format(certificate.serial_number, "X")
    assert verified.certificate_sha256 == hashlib.sha256(verified.certificate_der).hexdigest()
    # The PKCS7 builder adds a signingTime: that is the signing time reported.
    assert abs(verified.signed_at - timezone.now()) < timedelta(minutes=1)


def test_tampered_content(trusted):
    signature = trusted.sign(PAYLOAD)
    tampered = PAYLOAD.replace(b"8471300000", b"8471300001")
    error = refused(tampered, signature)
    assert error.code == "signature_mismatch"


def test_signature_over_older_version(trusted):
    older = b'{"declaration":"v1"}'
    error = refused(PAYLOAD, trusted.sign(older))
    assert error.code == "signature_mismatch"


def test_signature_reused_on_another_declaration(trusted):
    """Same signer, same content shape, other declaration's bytes: the digest differs."""
    first = b'{"id":"1b0c5b0e-0000-4000-8000-000000000001","goods":[]}'
    second = b'{"id":"1b0c5b0e-0000-4000-8000-000000000002","goods":[]}'
    signature = trusted.sign(first)
    assert signature_verify(payload=first, signature=signature).voen == trusted.voen
    assert refused(second, signature).code == "signature_mismatch"


def test_tampered_signature_value(trusted):
    signature = bytearray(trusted.sign(PAYLOAD, "rsa2048"))
    # The RSA signature value is the last 256 bytes of the structure.
    signature[-10] ^= 0xFF
    assert refused(PAYLOAD, bytes(signature)).code == "signature_mismatch"


def test_untrusted_ca(trusted):
    error = refused(PAYLOAD, trusted.sign(PAYLOAD, "untrusted"))
    assert error.code == "signature_untrusted"


def test_no_trust_anchors_trusts_nothing(pki, settings, tmp_path):
    settings.GOMRUK_DEMO_DIR = tmp_path  # empty: no development CA to fall back to
    settings.GOMRUK_TRUST_ANCHORS = []
    settings.GOMRUK_CRLS = []
    error = refused(PAYLOAD, pki.sign(PAYLOAD))
    assert error.code == "signature_untrusted"
    assert "no trust anchors" in error.details["reason"]


def test_expired(trusted):
    error = refused(PAYLOAD, trusted.sign(PAYLOAD, "expired"))
    assert error.code == "certificate_expired"


def test_not_yet_valid(trusted):
    error = refused(PAYLOAD, trusted.sign(PAYLOAD, "not_yet_valid"))
    assert error.code == "certificate_not_yet_valid"


def test_signing_time_before_certificate_validity(trusted):
    """A signingTime claiming a moment the certificate did not cover is refused."""
    digest = hashlib.sha256(PAYLOAD).digest()
    signature = sign_digest(
        digest,
        key_pem=trusted.key_pem(),
        cert_pem=trusted.cert_pem(),
        signing_time=timezone.now() - timedelta(days=5),
    )
    assert refused(PAYLOAD, signature).code == "certificate_not_yet_valid"


def test_signing_time_in_the_future(trusted):
    digest = hashlib.sha256(PAYLOAD).digest()
    signature = sign_digest(
        digest, key_pem=trusted.key_pem(), cert_pem=trusted.cert_pem(), signing_time=timezone.now() + timedelta(hours=2)
    )
    assert refused(PAYLOAD, signature).code == "signature_time_invalid"


def test_verification_time_is_honoured(trusted):
    """Verified as of a year ago, the good certificate (issued yesterday) was not yet valid."""
    error = refused(PAYLOAD, trusted.sign(PAYLOAD), at=timezone.now() - timedelta(days=365))
    assert error.code == "certificate_not_yet_valid"


def test_revoked(trusted):
    error = refused(PAYLOAD, trusted.sign(PAYLOAD, "revoked"))
    assert error.code == "certificate_revoked"
    assert error.details["serial"] == format(trusted.certificates["revoked"].certificate.serial_number, "X")


def test_revoked_certificate_passes_without_the_crl(pki, settings):
    """Proves the refusal above comes from the CRL, not from the certificate itself."""
    settings.GOMRUK_TRUST_ANCHORS = [str(pki.anchors_path)]
    settings.GOMRUK_CRLS = [str(pki.crl_paths[1])]  # only the intermediate's (empty) CRL
    settings.GOMRUK_CRL_REQUIRED = False
    assert signature_verify(payload=PAYLOAD, signature=pki.sign(PAYLOAD, "revoked")).voen == pki.voen


def test_missing_crl_refused_when_required(pki, settings):
    settings.GOMRUK_TRUST_ANCHORS = [str(pki.anchors_path)]
    settings.GOMRUK_CRLS = [str(pki.crl_paths[1])]
    settings.GOMRUK_CRL_REQUIRED = True
    assert refused(PAYLOAD, pki.sign(PAYLOAD)).code == "certificate_revocation_unknown"


def test_wrong_key_usage(trusted):
    error = refused(PAYLOAD, trusted.sign(PAYLOAD, "wrong_key_usage"))
    assert error.code == "certificate_key_usage"


@pytest.mark.parametrize("kind", ["good", "rsa2048"])
def test_sha1_digest(trusted, kind):
    error = refused(PAYLOAD, trusted.sign(PAYLOAD, kind, hashes.SHA1()))  # noqa: S303
    assert error.code == "signature_weak_algorithm"
    assert error.details["algorithm"] == "sha1"


def test_md5_digest(trusted):
    error = refused(PAYLOAD, trusted.sign(PAYLOAD, "rsa2048", hashes.MD5()))  # noqa: S303
    assert error.code == "signature_weak_algorithm"


def test_certificate_signed_with_sha1(trusted):
    error = refused(PAYLOAD, trusted.sign(PAYLOAD, "sha1"))
    assert error.code == "signature_weak_algorithm"
    assert "SHA-1 Certificate" in error.details["certificate"]


def test_rsa_1024(trusted):
    error = refused(PAYLOAD, trusted.sign(PAYLOAD, "rsa1024"))
    assert error.code == "signature_weak_key"
    assert error.details["key"] == "RSA-1024"


@pytest.mark.parametrize(
    "garbage",
    [
        b"",
        b"not a signature",
        b"\x30\x82\x01\x00" + b"\x00" * 10,
        b"-----BEGIN CMS-----\nbm90IGEgc2lnbmF0dXJl\n-----END CMS-----\n",
        b"-----BEGIN CMS-----\n!!!\n-----END CMS-----\n",
    ],
    ids=["empty", "text", "truncated-der", "pem-of-junk", "broken-pem"],
)
def test_garbage_cms(trusted, garbage):
    assert refused(PAYLOAD, garbage).code == "signature_garbage"


def test_truncated_real_signature_is_garbage(trusted):
    signature = trusted.sign(PAYLOAD)
    assert refused(PAYLOAD, signature[: len(signature) // 2]).code == "signature_garbage"


def test_certificate_instead_of_signature_is_garbage(trusted):
    from cryptography.hazmat.primitives.serialization import Encoding

    certificate = trusted.certificates["good"].certificate.public_bytes(Encoding.DER)
    assert refused(PAYLOAD, certificate).code == "signature_garbage"


def test_attached_signature_over_other_content(trusted, tmp_path):
    """A non-detached CMS carrying different content is a mismatch, not a loophole."""
    cert, key = trusted.paths()
    (tmp_path / "other").write_bytes(b"other content")
    subprocess.run(
        ["openssl", "cms", "-sign", "-binary", "-nodetach", "-outform", "DER", "-md", "sha256",
         "-in", str(tmp_path / "other"), "-signer", str(cert), "-inkey", str(key), "-out", str(tmp_path / "sig")],
        check=True,
    )
    assert refused(PAYLOAD, (tmp_path / "sig").read_bytes()).code == "signature_mismatch"


def _with_signer_issuer(signature: bytes, rewrite) -> bytes:
    """``signature`` with the issuer its SignerIdentifier names rewritten (that field is not
    signed, so the signature itself still holds)."""
    from asn1crypto import cms as asn1_cms
    from asn1crypto import x509 as asn1_x509

    info = asn1_cms.ContentInfo.load(signature)
    sid = info["content"]["signer_infos"][0]["sid"].chosen
    sid["issuer"] = asn1_x509.Name.build(rewrite(dict(sid["issuer"].native)), use_printable=False)
    return info.dump(force=True)


def test_signer_named_by_an_equal_issuer_in_other_bytes_is_found(trusted):
    """RFC 5280 name matching, not byte equality: the issuer named in another string type and
    case (UTF8String, capitals) is the certificate's issuer still."""
    signature = _with_signer_issuer(trusted.sign(PAYLOAD), lambda name: {k: v.upper() for k, v in name.items()})
    assert signature != trusted.sign(PAYLOAD)
    assert signature_verify(payload=PAYLOAD, signature=signature).voen == trusted.voen


def test_signer_named_by_another_issuer_is_garbage(trusted):
    signature = _with_signer_issuer(trusted.sign(PAYLOAD), lambda name: {**name, "common_name": "Another CA"})
    assert refused(PAYLOAD, signature).code == "signature_garbage"


def test_malformed_certificate_in_the_set_is_garbage(trusted):
    from asn1crypto import cms as asn1_cms

    info = asn1_cms.ContentInfo.load(trusted.sign(PAYLOAD))
    der = bytearray(info.dump())
    certificate = info["content"]["certificates"][0].chosen.dump()
    at = bytes(der).index(certificate)
    der[at + len(certificate) - 40] ^= 0xFF  # inside the issuer's signature on it: parses, then fails to verify
    der[at + 30] = 0x05  # a tag inside the TBS certificate: no longer a certificate
    assert refused(PAYLOAD, bytes(der)).code == "signature_garbage"


def test_revoked_at_the_time_the_signature_states(trusted, tmp_path, settings):
    """Trusted and unrevoked at the verification time is not enough when the signature states
    a later signing time (within the clock skew) at which its certificate was revoked: a later
    check at that time would refuse it, so this one does (ADR 0053)."""
    now = timezone.now()
    crl = make_crl(trusted.ca, [trusted.certificates["good"].certificate], revoked_at=now + timedelta(minutes=1))
    path = tmp_path / "revoked-soon.pem"
    path.write_bytes(crl.public_bytes(Encoding.PEM))
    settings.GOMRUK_CRLS = [str(path)]
    digest = hashlib.sha256(PAYLOAD).digest()
    stated_later = sign_digest(
        digest, key_pem=trusted.key_pem(), cert_pem=trusted.cert_pem(), signing_time=now + timedelta(minutes=3)
    )
    error = refused(PAYLOAD, stated_later, at=now)
    assert error.code == "certificate_revoked"
    stated_now = sign_digest(digest, key_pem=trusted.key_pem(), cert_pem=trusted.cert_pem(), signing_time=now)
    assert signature_verify(payload=PAYLOAD, signature=stated_now, at=now).voen == trusted.voen
