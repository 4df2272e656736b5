"""The send relies on the signing's verification while the trust store is the one that
verified it, and verifies the signature again under any other (ADR 0053)."""

from __future__ import annotations

import pytest
from cryptography.hazmat.primitives.serialization import Encoding
from django.db import connection
from django.test.utils import CaptureQueriesContext

from gomruk.core.errors import GomrukError
from gomruk.declarations import signing
from gomruk.declarations.models import DeclarationSignature, State
from gomruk.signatures.pki import make_crl, write_pem
from gomruk.signatures.services import trust_store


def _publish_crl(journey, settings, tmp_path, revoked):
    """A CRL of the test CA, configured as operators would after signing: a new trust store."""
    path = tmp_path / "published-crl.pem"
    write_pem(path, make_crl(journey.pki.ca, revoked).public_bytes(Encoding.PEM))
    settings.GOMRUK_CRLS = [str(path)]


def _verifications(monkeypatch) -> list[dict]:
    """The keyword arguments of every signature verification from here on (each still runs)."""
    verify, calls = signing.signature_verify, []

    def counted(**kwargs):
        calls.append(kwargs)
        return verify(**kwargs)

    monkeypatch.setattr(signing, "signature_verify", counted)
    return calls


def test_the_send_relies_on_the_signings_verification_under_the_same_store(journey, monkeypatch):
    declaration = journey.at(State.CONFIRMED)
    record = DeclarationSignature.objects.get(declaration=declaration)
    assert record.trust_state == trust_store().fingerprint

    def verified_again(**_):
        raise AssertionError("the signature was verified again under the store that verified it")

    monkeypatch.setattr(signing, "signature_verify", verified_again)
    with CaptureQueriesContext(connection) as sending:
        assert journey.send(declaration).state == State.SENT
    assert not any("signature_der" in q["sql"] for q in sending.captured_queries)  # the CMS is not read


def test_a_crl_published_after_signing_stops_the_send(journey, settings, tmp_path):
    declaration = journey.at(State.CONFIRMED)
    _publish_crl(journey, settings, tmp_path, [journey.pki.leaves["deklarant"].certificate])
    with pytest.raises(GomrukError) as refused:
        journey.send(declaration)
    assert refused.value.code == "certificate_revoked"
    declaration.refresh_from_db()
    assert declaration.state == State.CONFIRMED and not declaration.registration_number


def test_under_another_store_the_send_verifies_again_at_the_signing_time(journey, settings, tmp_path, monkeypatch):
    declaration = journey.at(State.CONFIRMED)
    record = DeclarationSignature.objects.get(declaration=declaration)
    _publish_crl(journey, settings, tmp_path, [journey.pki.leaves["broker"].certificate])  # not the signer
    assert trust_store().fingerprint != record.trust_state
    calls = _verifications(monkeypatch)
    assert journey.send(declaration).state == State.SENT
    assert [call["at"] for call in calls] == [record.signed_at]
    assert calls[0]["signature"] == bytes(record.signature_der)


def test_a_signature_kept_without_its_stores_fingerprint_is_verified_at_send(journey, monkeypatch):
    """Signatures recorded before the fingerprint was kept (blank) are verified as they were."""
    declaration = journey.at(State.CONFIRMED)
    DeclarationSignature.objects.filter(declaration=declaration).update(trust_state="")
    calls = _verifications(monkeypatch)
    assert journey.send(declaration).state == State.SENT
    assert len(calls) == 1
