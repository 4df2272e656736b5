from __future__ import annotations

import pytest

from gomruk.demo.setup import demo_keys_create
from gomruk.demo.users import DEMO_USERS, demo_users_create
from gomruk.signatures.local import sign_payload
from gomruk.signatures.services import signature_verify, signer_authorise

pytestmark = pytest.mark.django_db
PAYLOAD = b'{"demo":"declaration"}'


def test_demo_keys_for_every_demo_user_sign_for_their_traders(settings, tmp_path):
    settings.GOMRUK_DEMO_DIR = tmp_path
    settings.GOMRUK_TRUST_ANCHORS = []
    settings.GOMRUK_CRLS = []
    lines = list(demo_keys_create())
    assert str(tmp_path / "ca.pem") in "\n".join(lines)
    users = {user.username: user for user in demo_users_create()}
    for spec in DEMO_USERS:
        assert (tmp_path / f"{spec.username}.pem").exists()
        assert (tmp_path / f"{spec.username}-asan.pem").exists() == bool(spec.phone_number)
        if not spec.voens:
            continue
        signature = sign_payload(
            PAYLOAD,
            key_pem=(tmp_path / f"{spec.username}-key.pem").read_bytes(),
            cert_pem=(tmp_path / f"{spec.username}.pem").read_bytes(),
        )
        verified = signature_verify(payload=PAYLOAD, signature=signature)
        assert (verified.voen, verified.fin) == (spec.voens[0], spec.fin)
        signer_authorise(verified=verified, user=users[spec.username], voen=spec.voens[0])


def test_demo_broker_signs_for_its_principal(settings, tmp_path):
    settings.GOMRUK_DEMO_DIR = tmp_path
    settings.GOMRUK_TRUST_ANCHORS = []
    settings.GOMRUK_CRLS = []
    list(demo_keys_create())
    broker = next(user for user in demo_users_create() if user.username == "broker")
    signature = sign_payload(
        PAYLOAD, key_pem=(tmp_path / "broker-key.pem").read_bytes(), cert_pem=(tmp_path / "broker.pem").read_bytes()
    )
    verified = signature_verify(payload=PAYLOAD, signature=signature)
    signer_authorise(verified=verified, user=broker, voen="1401555071")  # a principal it represents
