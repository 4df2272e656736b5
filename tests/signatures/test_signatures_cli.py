from __future__ import annotations

import io

import pytest
from django.core.management import CommandError, call_command

from gomruk.accounts.models import Role, User
from gomruk.signatures.models import AsanState, AsanTransaction
from gomruk.signatures.services import asan_start, signature_verify

PAYLOAD = b'{"signed":"by broker software"}'


def run(*args: str) -> str:
    out = io.StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


@pytest.mark.parametrize("pem", [False, True])
def test_sign_command_makes_a_verifiable_signature(trusted, tmp_path, pem):
    (tmp_path / "payload.json").write_bytes(PAYLOAD)
    cert, key = trusted.paths()
    output = tmp_path / "payload.sig"
    args = ["sign", str(tmp_path / "payload.json"), "--key", str(key), "--cert", str(cert), "-o", str(output)]
    printed = run(*args, *(["--pem"] if pem else []))
    assert str(output) in printed
    signature = output.read_bytes()
    assert signature.startswith(b"-----BEGIN CMS-----") == pem
    assert signature_verify(payload=PAYLOAD, signature=signature).voen == trusted.voen


def test_sign_command_includes_the_chain(trusted, tmp_path):
    (tmp_path / "payload.json").write_bytes(PAYLOAD)
    key = trusted.paths("chained")[1]
    (tmp_path / "leaf.pem").write_bytes(trusted.certificates["chained"].cert_pem)
    output = tmp_path / "sig"
    run("sign", str(tmp_path / "payload.json"), "--key", str(key), "--cert", str(tmp_path / "leaf.pem"),
        "--chain", str(trusted.directory / "intermediate.pem"), "-o", str(output), "--md", "sha512")
    assert signature_verify(payload=PAYLOAD, signature=output.read_bytes()).signer_name == "Chained Signer"


def test_sign_command_reports_missing_files(tmp_path):
    with pytest.raises(CommandError):
        run("sign", str(tmp_path / "missing"), "--key", "k", "--cert", "c", "-o", str(tmp_path / "s"))


@pytest.fixture
def asan_user(db, demo_settings):
    return User.objects.create_user("aysel", role=Role.DECLARANT)


def _start(user, payload=PAYLOAD, phone="+994501112233"):
    return asan_start(user=user, phone_number=phone, asan_user_id="123456", payload=payload, purpose="test", object_id="1")


def test_asan_approve_command(asan_user):
    tx = _start(asan_user)
    assert tx.verification_code in run("asan", "list", "--phone", "0501112233")
    assert "confirmed" in run("asan", "approve", "--phone", "+994501112233")
    tx.refresh_from_db()
    assert tx.state == AsanState.CONFIRMED
    assert signature_verify(payload=PAYLOAD, signature=bytes(tx.signature_der)).fin == "5ABCD12"


def test_asan_reject_command_needs_code_when_several_wait(asan_user):
    first = _start(asan_user, b"one")
    second = _start(asan_user, b"two-different")
    assert first.verification_code != second.verification_code
    with pytest.raises(CommandError, match="choose one with --code"):
        run("asan", "reject", "--phone", "+994501112233")
    run("asan", "reject", "--phone", "+994501112233", "--code", second.verification_code)
    states = dict(AsanTransaction.objects.values_list("id", "state"))
    assert states == {first.id: AsanState.PENDING, second.id: AsanState.REJECTED}


def test_asan_command_without_pending_request(asan_user):
    with pytest.raises(CommandError, match="no pending request"):
        run("asan", "approve", "--phone", "+994501112233")
