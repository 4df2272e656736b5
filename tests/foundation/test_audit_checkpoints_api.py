"""The published checkpoints: anyone can poll the latest one and check it with the public key
alone (as an outside party would, without any of Gömrük's code)."""

from __future__ import annotations

import base64
from io import StringIO

import pytest
import rfc8785
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from django.core.management import call_command

from gomruk.core.audit import audit_record

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _immediate(settings):
    settings.GOMRUK_AUDIT_SEALING = "immediate"


def test_before_any_checkpoint_the_latest_is_not_found(client):
    response = client.get("/api/v1/audit/checkpoints/latest")
    assert response.status_code == 404
    assert response["Content-Type"].startswith("application/problem+json")


def test_anyone_can_fetch_and_check_the_latest_checkpoint(client):
    for n in range(3):
        audit_record(actor=None, action="test.event", object_id=n)
    call_command("audit", "seal", stdout=StringIO())
    audit_record(actor=None, action="test.event", object_id=3)  # after the checkpoint
    checkpoint = client.get("/api/v1/audit/checkpoints/latest").json()  # no login
    assert set(checkpoint) == {"sequence", "head", "time", "key", "signature"}
    assert checkpoint["sequence"] == 3
    published = client.get("/api/v1/audit/public-key").json()
    key = Ed25519PublicKey.from_public_bytes(base64.b64decode(published["public_key"]))
    assert published["algorithm"] == "Ed25519" and published["key"] == checkpoint["key"]
    message = b"gomruk-audit-checkpoint\x00" + rfc8785.dumps(
        {k: checkpoint[k] for k in ("sequence", "head", "time", "key")}
    )
    key.verify(base64.b64decode(checkpoint["signature"]), message)  # raises if forged
    with pytest.raises(Exception):  # noqa: B017 - any verification failure
        key.verify(base64.b64decode(checkpoint["signature"]), message.replace(b'"sequence":3', b'"sequence":4'))


def test_the_public_key_is_printed_by_the_cli():
    out = StringIO()
    call_command("audit", "public-key", stdout=out)
    assert "BEGIN PUBLIC KEY" in out.getvalue()
