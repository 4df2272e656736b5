from __future__ import annotations

import pytest

from gomruk.accounts.models import Role, User
from gomruk.core.errors import GomrukError
from gomruk.signatures.providers import provider_get
from gomruk.signatures.services import asan_phone_confirm

PAYLOAD = b'{"provider":"test"}'
pytestmark = pytest.mark.django_db


@pytest.fixture
def user(demo_settings):
    return User.objects.create_user(
        "aysel", role=Role.DECLARANT, phone_number="+994501112233", asan_user_id="123456"
    )


def test_certificate_provider(user, trusted):  # trusted last: its anchors win
    provider = provider_get("certificate")
    challenge = provider.start(user=user, payload=PAYLOAD, purpose="test", object_id="1")
    assert challenge.transaction_id is None
    verified = provider.complete(user=user, payload=PAYLOAD, challenge=challenge, signature=trusted.sign(PAYLOAD))
    assert verified is not None and verified.voen == trusted.voen
    with pytest.raises(GomrukError) as caught:
        provider.complete(user=user, payload=PAYLOAD, challenge=challenge, signature=None)
    assert caught.value.code == "signature_required"


def test_asan_provider_uses_the_users_phone_and_polls(user):
    provider = provider_get("asan")
    challenge = provider.start(user=user, payload=PAYLOAD, purpose="test", object_id="1")
    assert challenge.verification_code and challenge.transaction_id
    assert provider.complete(user=user, payload=PAYLOAD, challenge=challenge) is None  # still pending
    asan_phone_confirm(transaction_id=challenge.transaction_id)
    verified = provider.complete(user=user, payload=PAYLOAD, challenge=challenge)
    assert verified is not None and verified.provider == "asan" and verified.fin == "5ABCD12"


def test_asan_provider_refuses_other_payload_and_rejection(user):
    provider = provider_get("asan")
    challenge = provider.start(user=user, payload=PAYLOAD, purpose="test", object_id="1")
    asan_phone_confirm(transaction_id=challenge.transaction_id)
    with pytest.raises(GomrukError) as caught:
        provider.complete(user=user, payload=b"other", challenge=challenge)
    assert caught.value.code == "signature_mismatch"

    rejected = provider.start(user=user, payload=PAYLOAD, purpose="test", object_id="2")
    asan_phone_confirm(transaction_id=rejected.transaction_id, approve=False)
    with pytest.raises(GomrukError) as caught:
        provider.complete(user=user, payload=PAYLOAD, challenge=rejected)
    assert caught.value.code == "asan_rejected"


def test_unknown_provider():
    with pytest.raises(GomrukError) as caught:
        provider_get("fax")
    assert caught.value.code == "signature_provider_unknown"
