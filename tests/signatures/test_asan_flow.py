"""Asan İmza: start → code shown → phone confirms → poll → a CMS that signature_verify accepts."""

from __future__ import annotations

import hashlib
from datetime import timedelta

import pytest
from django.utils import timezone

from gomruk.accounts.models import Role, Trader, TraderBinding, User
from gomruk.core.errors import GomrukError
from gomruk.core.models import AuditEntry
from gomruk.signatures.asan import verification_code
from gomruk.signatures.models import AsanState, AsanTransaction
from gomruk.signatures.services import (
    asan_phone_confirm,
    asan_poll,
    asan_start,
    signature_verify,
    signer_authorise,
)

PAYLOAD = b'{"declaration":"11111111-2222-4333-8444-555555555555","version":3}'
pytestmark = pytest.mark.django_db


@pytest.fixture
def user(demo_settings):
    user = User.objects.create_user("aysel", role=Role.DECLARANT, fin="5ABCD12", phone_number="+994501112233")
    TraderBinding.objects.create(user=user, trader=Trader.objects.create(voen="1400057421", name="Aysel MMC"))
    return user


def start(user, phone="050 111 22 33"):
    return asan_start(
        user=user, phone_number=phone, asan_user_id="123456", payload=PAYLOAD, purpose="declaration_sign", object_id="D-1"
    )


def test_full_flow_produces_a_verifiable_signature(user):
    tx = start(user)
    assert tx.phone_number == "+994501112233"
    assert len(tx.verification_code) == 4 and tx.verification_code.isdigit()
    assert tx.verification_code == verification_code(hashlib.sha256(PAYLOAD).digest())
    assert tx.payload_sha256 == hashlib.sha256(PAYLOAD).hexdigest()

    assert asan_poll(user=user, transaction_id=tx.id).state == AsanState.PENDING

    asan_phone_confirm(transaction_id=tx.id, approve=True)
    polled = asan_poll(user=user, transaction_id=tx.id)
    assert polled.state == AsanState.CONFIRMED
    verified = signature_verify(payload=PAYLOAD, signature=bytes(polled.signature_der), provider="asan")
    assert verified.provider == "asan"
    assert (verified.voen, verified.fin) == ("1400057421", "5ABCD12")
    assert verified.certificate_der == bytes(polled.certificate_der)
    signer_authorise(verified=verified, user=user, voen="1400057421")


def test_phone_signature_does_not_cover_other_bytes(user):
    tx = start(user)
    asan_phone_confirm(transaction_id=tx.id)
    signature = bytes(asan_poll(user=user, transaction_id=tx.id).signature_der)
    with pytest.raises(GomrukError) as caught:
        signature_verify(payload=PAYLOAD + b" ", signature=signature)
    assert caught.value.code == "signature_mismatch"


def test_rejected_on_the_phone(user):
    tx = start(user)
    asan_phone_confirm(transaction_id=tx.id, approve=False)
    polled = asan_poll(user=user, transaction_id=tx.id)
    assert polled.state == AsanState.REJECTED
    assert polled.signature_der is None


def test_expires_when_not_answered(user):
    tx = start(user)
    AsanTransaction.objects.filter(pk=tx.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    assert asan_poll(user=user, transaction_id=tx.id).state == AsanState.EXPIRED
    with pytest.raises(GomrukError) as caught:
        asan_phone_confirm(transaction_id=tx.id)
    assert caught.value.code == "asan_not_pending"


def test_phone_cannot_answer_twice(user):
    tx = start(user)
    asan_phone_confirm(transaction_id=tx.id)
    with pytest.raises(GomrukError) as caught:
        asan_phone_confirm(transaction_id=tx.id, approve=False)
    assert caught.value.code == "asan_not_pending"
    assert AsanTransaction.objects.get(pk=tx.pk).state == AsanState.CONFIRMED


def test_expiry_found_by_the_phone_is_kept(user):
    tx = start(user)
    AsanTransaction.objects.filter(pk=tx.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    with pytest.raises(GomrukError):
        asan_phone_confirm(transaction_id=tx.id)
    assert AsanTransaction.objects.get(pk=tx.pk).state == AsanState.EXPIRED


def test_another_user_cannot_poll(user):
    tx = start(user)
    other = User.objects.create_user("other", role=Role.DECLARANT)
    with pytest.raises(GomrukError) as caught:
        asan_poll(user=other, transaction_id=tx.id)
    assert caught.value.code == "not_found"
    with pytest.raises(GomrukError):
        asan_poll(user=user, transaction_id="not-a-uuid")


def test_unknown_phone_has_no_sim(user):
    tx = start(user, phone="+994709998877")
    with pytest.raises(GomrukError) as caught:
        asan_phone_confirm(transaction_id=tx.id)
    assert caught.value.code == "asan_unknown_phone"
    assert AsanTransaction.objects.get(pk=tx.pk).state == AsanState.PENDING


@pytest.mark.parametrize(("phone", "user_id", "code"), [("12345", "123456", "asan_phone_invalid"), ("+994501112233", "abc", "asan_user_id_invalid")])
def test_input_validated(user, phone, user_id, code):
    with pytest.raises(GomrukError) as caught:
        asan_start(user=user, phone_number=phone, asan_user_id=user_id, payload=PAYLOAD, purpose="x", object_id="1")
    assert caught.value.code == code
    assert not AsanTransaction.objects.exists()


def test_simulator_can_be_switched_off(user, settings):
    tx = start(user)
    settings.GOMRUK_ASAN_SIMULATOR = False
    with pytest.raises(GomrukError) as caught:
        asan_phone_confirm(transaction_id=tx.id)
    assert caught.value.code == "asan_simulator_disabled"


def test_start_poll_and_confirm_are_audited(user):
    tx = start(user)
    asan_poll(user=user, transaction_id=tx.id)  # pending: nothing to record
    asan_phone_confirm(transaction_id=tx.id)
    asan_poll(user=user, transaction_id=tx.id)
    entries = list(AuditEntry.objects.filter(object_id=str(tx.id)).order_by("id"))
    assert [(e.action, e.outcome) for e in entries] == [
        ("asan.start", "ok"),
        ("asan.phone_confirm", "confirmed"),
        ("asan.poll", "confirmed"),
    ]
    assert entries[0].actor == user
    assert entries[0].details["verification_code"] == tx.verification_code


def test_gateway_is_a_setting(user, settings):
    settings.GOMRUK_ASAN_GATEWAY = "gomruk.signatures.asan.SimulatorGateway"
    assert start(user).gateway == "simulator"
    settings.GOMRUK_ASAN_GATEWAY = "collections.OrderedDict"  # importable, but no gateway
    with pytest.raises(TypeError, match="not an AsanGateway"):
        start(user)
