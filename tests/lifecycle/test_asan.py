"""Asan İmza end to end with the phone simulator: start, confirm on the phone, poll."""

from __future__ import annotations

import pytest

from gomruk.core.errors import GomrukError
from gomruk.declarations.models import DeclarationSignature, State
from gomruk.declarations.services import declaration_update
from gomruk.declarations.signing import declaration_sign_asan_poll, declaration_sign_asan_start
from gomruk.demo.pki import DemoIdentity, demo_pki_create
from gomruk.signatures.services import asan_phone_confirm


@pytest.fixture
def asan_pki(tmp_path, settings):
    pki = demo_pki_create(
        tmp_path, [DemoIdentity("deklarant", "Aygün Məmmədova", "1401555071", "5ABCD12", phone="+994501234567")]
    )
    settings.GOMRUK_DEMO_DIR = tmp_path
    settings.GOMRUK_TRUST_ANCHORS = [str(pki.ca)]
    settings.GOMRUK_CRLS = [str(pki.crl), str(pki.asan_crl)]
    return pki


def _start(journey, declaration):
    return declaration_sign_asan_start(
        user=journey.users["deklarant"], declaration_id=declaration.pk,
        phone_number="+994 50 123 45 67", asan_user_id="123456",
    )


def test_asan_signing_end_to_end(journey, asan_pki):
    declaration = journey.draft()
    user = journey.users["deklarant"]
    asan = _start(journey, declaration)
    assert asan.verification_code
    pending = declaration_sign_asan_poll(user=user, declaration_id=declaration.pk, transaction_id=asan.id)
    assert pending.state == "pending"
    asan_phone_confirm(transaction_id=asan.id)
    done = declaration_sign_asan_poll(user=user, declaration_id=declaration.pk, transaction_id=asan.id)
    assert done.state == "signed" and done.declaration.state == State.SIGNED
    record = DeclarationSignature.objects.get(declaration=declaration)
    assert (record.provider, record.voen) == ("asan", "1401555071")
    # Polling again is harmless.
    again = declaration_sign_asan_poll(user=user, declaration_id=declaration.pk, transaction_id=asan.id)
    assert again.state == "signed" and DeclarationSignature.objects.filter(declaration=declaration).count() == 1


def test_asan_transaction_cannot_be_redeemed_on_another_declaration(journey, asan_pki):
    first, second = journey.draft(), journey.draft()
    asan = _start(journey, first)
    asan_phone_confirm(transaction_id=asan.id)
    with pytest.raises(GomrukError) as error:
        declaration_sign_asan_poll(user=journey.users["deklarant"], declaration_id=second.pk, transaction_id=asan.id)
    assert error.value.status == 404
    second.refresh_from_db()
    assert second.state == State.DRAFT


def test_asan_confirmation_of_a_since_edited_draft_is_refused(journey, asan_pki):
    from gomruk.demo import factories as examples

    declaration = journey.draft()
    asan = _start(journey, declaration)
    changed = examples.export_gb()
    changed.goods[0].description = "dəyişdi"
    declaration_update(user=journey.users["deklarant"], declaration_id=declaration.pk, document=changed)
    asan_phone_confirm(transaction_id=asan.id)
    with pytest.raises(GomrukError) as error:
        declaration_sign_asan_poll(user=journey.users["deklarant"], declaration_id=declaration.pk, transaction_id=asan.id)
    assert error.value.code == "stale_version"
    declaration.refresh_from_db()
    assert declaration.state == State.DRAFT
