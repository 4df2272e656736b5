from __future__ import annotations

import json

import pytest
from cryptography import x509

from gomruk.core.errors import GomrukError
from gomruk.demo.pki import DemoIdentity, demo_pki_create
from gomruk.signatures.local import sign_payload
from gomruk.signatures.services import signature_verify

PAYLOAD = b'{"demo":true}'


def test_files_written(demo_pki_dir, demo_identities):
    names = {path.name for path in demo_pki_dir.iterdir()}
    expected = {
        "ca.pem", "ca-key.pem", "crl.pem", "asan-sim.pem", "asan-sim-key.pem", "asan-sim-crl.pem",
        "revoked.pem", "revoked-key.pem", "expired.pem", "expired-key.pem", "identities.json",
        "demo-declarant.pem", "demo-declarant-key.pem", "demo-declarant-asan.pem", "demo-declarant-asan-key.pem",
        "demo-broker.pem", "demo-broker-key.pem", "demo-broker-asan.pem", "demo-broker-asan-key.pem",
        "demo-person.pem", "demo-person-key.pem",
    }
    assert expected <= names
    assert "demo-person-asan.pem" not in names  # no phone, no SIM
    assert (demo_pki_dir / "ca-key.pem").stat().st_mode & 0o077 == 0
    manifest = json.loads((demo_pki_dir / "identities.json").read_text())
    assert [entry["username"] for entry in manifest] == [i.username for i in demo_identities]


def test_idempotent(tmp_path, demo_identities):
    identities = demo_identities[:1]
    first = demo_pki_create(tmp_path, identities)
    before = {path: path.read_bytes() for path in first.paths()}
    second = demo_pki_create(tmp_path, identities)
    assert {path: path.read_bytes() for path in second.paths()} == before


def test_changed_identity_is_reissued_others_kept(tmp_path, demo_identities):
    pki = demo_pki_create(tmp_path, demo_identities[:2])
    ca_before = pki.ca.read_bytes()
    broker_before = pki.certificates["demo-broker"][0].read_bytes()
    changed = DemoIdentity("demo-declarant", "Aysel Hüseynova", "9900003611", None, "+994501112233")
    pki = demo_pki_create(tmp_path, [changed, demo_identities[1]])
    assert pki.ca.read_bytes() == ca_before
    assert pki.certificates["demo-broker"][0].read_bytes() == broker_before
    certificate = x509.load_pem_x509_certificate(pki.certificates["demo-declarant"][0].read_bytes())
    assert "9900003611" in certificate.subject.rfc4514_string()


def _sign(directory, name: str) -> bytes:
    return sign_payload(
        PAYLOAD,
        key_pem=(directory / f"{name}-key.pem").read_bytes(),
        cert_pem=(directory / f"{name}.pem").read_bytes(),
    )


def test_demo_certificates_verify_with_default_trust(demo_settings, demo_pki_dir):
    verified = signature_verify(payload=PAYLOAD, signature=_sign(demo_pki_dir, "demo-declarant"))
    assert (verified.voen, verified.fin) == ("1400057421", "5ABCD12")
    assert signature_verify(payload=PAYLOAD, signature=_sign(demo_pki_dir, "demo-person")).fin == "6XYZW34"


@pytest.mark.parametrize(("name", "code"), [("revoked", "certificate_revoked"), ("expired", "certificate_expired")])
def test_demo_revoked_and_expired_fail(demo_settings, demo_pki_dir, name, code):
    with pytest.raises(GomrukError) as caught:
        signature_verify(payload=PAYLOAD, signature=_sign(demo_pki_dir, name))
    assert caught.value.code == code


def test_production_never_trusts_the_demo_ca(demo_settings, demo_pki_dir):
    demo_settings.GOMRUK_PRODUCTION = True
    with pytest.raises(GomrukError) as caught:
        signature_verify(payload=PAYLOAD, signature=_sign(demo_pki_dir, "demo-declarant"))
    assert caught.value.code == "signature_untrusted"
