"""One nonce-spend function for every sign-in (issue 14 item 5): a challenge is used once,
and an expired or unknown one is refused."""

from __future__ import annotations

import datetime as dt

import pytest

from gomruk.accounts.auth import challenge_create, challenge_spend
from gomruk.accounts.models import AuthChallenge
from gomruk.core.errors import GomrukError


@pytest.mark.django_db
def test_a_challenge_is_spent_once() -> None:
    nonce = challenge_create().nonce
    challenge_spend(nonce)
    assert AuthChallenge.objects.get(nonce=nonce).used_at is not None
    with pytest.raises(GomrukError) as refused:
        challenge_spend(nonce)
    assert (refused.value.code, refused.value.status) == ("challenge_invalid", 401)


@pytest.mark.django_db
def test_an_expired_or_unknown_challenge_is_refused() -> None:
    challenge = challenge_create()
    AuthChallenge.objects.filter(pk=challenge.pk).update(expires_at=challenge.expires_at - dt.timedelta(hours=1))
    for nonce in (challenge.nonce, "0" * 64):
        with pytest.raises(GomrukError) as refused:
            challenge_spend(nonce)
        assert refused.value.code == "challenge_invalid"
    assert AuthChallenge.objects.get(pk=challenge.pk).used_at is None
